/** One folder opened for sync: the change feed (changes.ts) and guarded writes (writes.ts). */
import type { ExchangeService, FolderId } from 'ews-javascript-api';
import type { AgendaKind, ItemData, ItemIdentity } from '../../model/items.ts';
import type {
  GoneVerdict,
  ServerChanges,
  ServerFolder,
  ServerFolderSession,
  WriteResult,
} from '../connector.ts';
import { confirmItemsGone, readFolderChanges } from './changes.ts';
import type { FolderContext } from './changes.ts';
import type { EwsCaller } from './throttle.ts';
import { asStoredByExchange } from './mapping/task-days.ts';
import { createItem, removeItem, updateItem } from './writes.ts';

export interface FolderSessionOptions {
  service: ExchangeService;
  caller: EwsCaller;
  folder: ServerFolder;
  folderId: FolderId;
  kind: AgendaKind;
}

export class EwsFolderSession implements ServerFolderSession {
  readonly folder: ServerFolder;
  // A sync state knows only the items it reported: one created after it and deleted
  // before the next read is never reported.
  readonly netChangesSinceToken = true;
  readonly #ctx: FolderContext;

  constructor(options: FolderSessionOptions) {
    this.folder = options.folder;
    this.#ctx = {
      service: options.service,
      caller: options.caller,
      folderId: options.folderId,
      folderName: options.folder.path || options.folder.displayName,
      kind: options.kind,
    };
  }

  readChanges(token: string | null, _known: ReadonlyMap<string, string>): Promise<ServerChanges> {
    // SyncFolderItems tracks changes itself: `known` is for connectors without tracking.
    return readFolderChanges(this.#ctx, token);
  }

  create(data: ItemData, identity: ItemIdentity): Promise<WriteResult> {
    return createItem(this.#ctx, data, identity);
  }

  update(
    serverId: string,
    version: string,
    data: ItemData,
    identity: ItemIdentity,
  ): Promise<WriteResult> {
    return updateItem(this.#ctx, serverId, version, data, identity);
  }

  remove(serverId: string, version: string): Promise<void> {
    return removeItem(this.#ctx, serverId, version);
  }

  asStored(data: ItemData): ItemData {
    return asStoredByExchange(data);
  }

  confirmGone(serverIds: string[]): Promise<Map<string, GoneVerdict>> {
    return confirmItemsGone(this.#ctx, serverIds);
  }
}
