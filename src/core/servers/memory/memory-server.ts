/**
 * The in-memory reference connector: the connector contract (connector.ts) in the simplest
 * code, for tests. A server is a set of folders of items; every write gives the item a new
 * version; each folder keeps a change log whose position is the change token, and reports
 * every change since a token exactly (not only the net difference). An item keeps an
 * opaque `extra`, what another client stored that the CRM does not model: an update from
 * the CRM leaves it alone. The item's server copy (`source`) is its `extra` as JSON: an
 * update handed one checks that it is the copy of the version it updates, so a test on this
 * server fails when the engine hands back a stale copy.
 *
 * The "phone" methods (put, get, delete, list) are the other client of the same mailbox:
 * they change the server directly, as a user's phone would.
 */
import { VersionConflictError, CodedItemError } from '../errors.ts';
import type {
  GoneVerdict,
  ServerChanges,
  ServerConnector,
  ServerFolder,
  ServerFolderSession,
  WriteResult,
} from '../connector.ts';
import type { AgendaKind, ItemData, ItemIdentity } from '../../model/items.ts';

export interface MemoryItem {
  serverId: string;
  version: string;
  identity: ItemIdentity;
  data: ItemData;
  /** What the CRM does not model; kept as it is by the connector's updates. */
  extra: Readonly<Record<string, unknown>>;
  /** When the item last changed (UTC ISO). */
  modifiedAt: string;
}

/** What the phone stores: an item's content, and optionally what the CRM does not model. */
export interface MemoryItemInput {
  identity: ItemIdentity;
  data: ItemData;
  extra?: Readonly<Record<string, unknown>>;
}

export interface MemoryServer {
  /** The folders, as `listFolders` returns them. */
  folders(): ServerFolder[];
  /** The folder of the kind the server offers as its default. */
  defaultFolder(kind: AgendaKind): ServerFolder;
  addFolder(kinds: AgendaKind[], displayName: string): ServerFolder;
  /** Phone: creates the item (no `serverId`) or replaces it; returns its id and new version. */
  put(
    folderId: string,
    item: MemoryItemInput,
    serverId?: string,
  ): { serverId: string; version: string };
  /** Phone: the item, or undefined when there is none. */
  get(folderId: string, serverId: string): MemoryItem | undefined;
  /** Phone: deletes the item; false when it was not there. */
  delete(folderId: string, serverId: string): boolean;
  /** Phone: every item of the folder. */
  list(folderId: string): MemoryItem[];
  /** Phone: the tokens given so far are no longer accepted (the next read lists everything). */
  expireTokens(): void;
  /** A connector to this server; any number may be open at once. */
  connector(): ServerConnector;
}

interface Folder {
  meta: ServerFolder;
  items: Map<string, MemoryItem>;
  /** Ids in the order they changed; a token is a position in it. */
  log: string[];
}

export interface MemoryServerOptions {
  /** The server's clock, for `modifiedAt` (default: the wall clock). */
  now?: () => Date;
}

const KINDS: readonly { kind: AgendaKind; name: string }[] = [
  { kind: 'events', name: 'Calendar' },
  { kind: 'tasks', name: 'Tasks' },
  { kind: 'contacts', name: 'Contacts' },
];

/** A server with one default folder per agenda: Calendar, Tasks, Contacts. */
export function createMemoryServer(options: MemoryServerOptions = {}): MemoryServer {
  const now = options.now ?? (() => new Date());
  const folders = new Map<string, Folder>();
  let serial = 0;
  /** A token names its folder and its generation: expireTokens starts a new generation. */
  let generation = 1;
  const next = (): number => ++serial;

  const folderOf = (id: string): Folder => {
    const folder = folders.get(id);
    if (folder === undefined) throw new Error(`No folder ${id} on the memory server`);
    return folder;
  };

  const addFolder = (kinds: AgendaKind[], displayName: string, isDefault = false): ServerFolder => {
    const meta: ServerFolder = {
      id: `memory:folder-${next()}`,
      displayName,
      path: displayName,
      kinds: [...kinds],
      isDefault,
    };
    folders.set(meta.id, { meta, items: new Map(), log: [] });
    return { ...meta, kinds: [...meta.kinds] };
  };
  for (const { kind, name } of KINDS) addFolder([kind], name, true);

  /** Stores the item with a new version and logs the change. */
  const write = (folder: Folder, serverId: string, item: MemoryItemInput): MemoryItem => {
    const stored: MemoryItem = {
      serverId,
      version: `v${next()}`,
      identity: structuredClone(item.identity),
      data: structuredClone(item.data),
      extra: structuredClone(item.extra ?? {}),
      modifiedAt: now().toISOString(),
    };
    folder.items.set(serverId, stored);
    folder.log.push(serverId);
    return stored;
  };

  const remove = (folder: Folder, serverId: string): boolean => {
    if (!folder.items.delete(serverId)) return false;
    folder.log.push(serverId);
    return true;
  };

  const copy = (item: MemoryItem): MemoryItem => structuredClone(item);

  const server: MemoryServer = {
    folders: () => [...folders.values()].map((f) => ({ ...f.meta, kinds: [...f.meta.kinds] })),
    defaultFolder(kind) {
      const found = [...folders.values()].find(
        (f) => f.meta.isDefault && f.meta.kinds.includes(kind),
      );
      if (found === undefined) throw new Error(`No default ${kind} folder on the memory server`);
      return { ...found.meta, kinds: [...found.meta.kinds] };
    },
    addFolder: (kinds, displayName) => addFolder(kinds, displayName),
    put(folderId, item, serverId) {
      const folder = folderOf(folderId);
      const stored = write(folder, serverId ?? `${folderId}/item-${next()}`, item);
      return { serverId: stored.serverId, version: stored.version };
    },
    get(folderId, serverId) {
      const item = folderOf(folderId).items.get(serverId);
      return item === undefined ? undefined : copy(item);
    },
    delete: (folderId, serverId) => remove(folderOf(folderId), serverId),
    list: (folderId) => [...folderOf(folderId).items.values()].map(copy),
    expireTokens() {
      generation++;
    },
    connector: () => new MemoryConnector(),
  };

  class MemoryFolderSession implements ServerFolderSession {
    readonly folder: ServerFolder;
    readonly #folder: Folder;

    constructor(folder: Folder) {
      this.#folder = folder;
      this.folder = { ...folder.meta, kinds: [...folder.meta.kinds] };
    }

    async readChanges(token: string | null): Promise<ServerChanges> {
      const folder = this.#folder;
      const record = (item: MemoryItem) => ({
        serverId: item.serverId,
        version: item.version,
        identity: structuredClone(item.identity),
        data: structuredClone(item.data),
        modifiedAt: item.modifiedAt,
        source: sourceOf(item),
      });
      const position = positionOf(token, folder);
      const newToken = `${folder.meta.id}@${generation}:${folder.log.length}`;
      if (position === undefined) {
        return {
          full: true,
          listed: true,
          records: [...folder.items.values()].map(record),
          deleted: [],
          failures: [],
          token: newToken,
          ...(token === null ? {} : { fallbackReason: 'sync token expired' }),
        };
      }
      const changed = new Set(folder.log.slice(position));
      const records = [];
      const deleted = [];
      for (const id of changed) {
        const item = folder.items.get(id);
        if (item === undefined) deleted.push(id);
        else records.push(record(item));
      }
      return { full: false, records, deleted, failures: [], token: newToken };
    }

    async create(data: ItemData, identity: ItemIdentity): Promise<WriteResult> {
      const uid = identity.uid === '' ? `memory-${next()}` : identity.uid;
      const serverId = `${this.#folder.meta.id}/item-${next()}`;
      const stored = write(this.#folder, serverId, { identity: { ...identity, uid }, data });
      return { serverId, version: stored.version, uid, source: sourceOf(stored) };
    }

    async update(
      serverId: string,
      version: string,
      data: ItemData,
      identity: ItemIdentity,
      previous?: string,
    ): Promise<WriteResult> {
      const current = this.#folder.items.get(serverId);
      if (current === undefined) {
        throw new CodedItemError(`${serverId} is no longer on the server.`, 'item-gone', {
          item: serverId,
        });
      }
      if (current.version !== version) throw new VersionConflictError(serverId);
      if (previous !== undefined && previous !== sourceOf(current)) {
        throw new Error(`${serverId} was updated from a copy that is not its version ${version}`);
      }
      const stored = write(this.#folder, serverId, { identity, data, extra: current.extra });
      return { serverId, version: stored.version, source: sourceOf(stored) };
    }

    async remove(serverId: string, version: string): Promise<void> {
      const current = this.#folder.items.get(serverId);
      if (current === undefined) return; // gone already counts as success
      if (current.version !== version) throw new VersionConflictError(serverId);
      remove(this.#folder, serverId);
    }

    async confirmGone(serverIds: string[]): Promise<Map<string, GoneVerdict>> {
      return new Map(
        serverIds.map((id) => [id, this.#folder.items.has(id) ? 'present' : 'gone'] as const),
      );
    }
  }

  /** The item's server copy: what the CRM does not model, as JSON. */
  function sourceOf(item: MemoryItem): string {
    return JSON.stringify(item.extra);
  }

  /** The position a token names in the folder's log; undefined: list everything. */
  function positionOf(token: string | null, folder: Folder): number | undefined {
    if (token === null) return undefined;
    const match = /^(.*)@(\d+):(\d+)$/.exec(token);
    if (match === null || match[1] !== folder.meta.id || Number(match[2]) !== generation) {
      return undefined;
    }
    const position = Number(match[3]);
    return position <= folder.log.length ? position : undefined;
  }

  class MemoryConnector implements ServerConnector {
    readonly description = 'the in-memory server';
    readonly ownAddresses: readonly string[] = [];
    #closed = false;

    async testConnection(): Promise<void> {
      this.#open();
    }

    async listFolders(): Promise<ServerFolder[]> {
      this.#open();
      return server.folders();
    }

    async openFolder(folder: ServerFolder, kind: AgendaKind): Promise<ServerFolderSession> {
      this.#open();
      const found = folderOf(folder.id);
      if (!found.meta.kinds.includes(kind)) {
        throw new Error(`Folder ${folder.displayName} holds no ${kind}`);
      }
      return new MemoryFolderSession(found);
    }

    async createFolder(kind: AgendaKind, name: string): Promise<ServerFolder> {
      this.#open();
      return addFolder([kind], name);
    }

    async close(): Promise<void> {
      this.#closed = true;
    }

    #open(): void {
      if (this.#closed) throw new Error('The memory connector is closed');
    }
  }

  return server;
}
