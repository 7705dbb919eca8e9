/**
 * The one interface every server connector (dav, ews, graph) implements. The engine sees
 * only this: folders, a change feed per folder, and writes guarded by the item's version.
 */
import { codedMessageOf } from '../message-codes.ts';
import type { MessageCode, MessageParams } from '../message-codes.ts';
import type { AgendaKind, ItemData, ItemIdentity } from '../sync/model.ts';

export interface ServerFolder {
  /** Stable id the settings store (a collection URL, an EWS folder id, a Graph id). */
  id: string;
  displayName: string;
  /** "Calendar", "Kalendář/Projekty": for the folder picker. */
  path: string;
  /** What the folder holds; a CalDAV calendar may hold events and tasks. */
  kinds: AgendaKind[];
  /** The mailbox's default folder of that kind. */
  isDefault: boolean;
  /**
   * The kinds it is the default folder for, when not all of `kinds`: a CalDAV server's
   * default calendar may hold tasks too while a separate task list is the better tasks
   * default. Absent: `isDefault` holds for every kind.
   */
  defaultFor?: AgendaKind[];
}

/** Whether the server offers this folder as its default for the kind of items. */
export function isDefaultFor(folder: ServerFolder, kind: AgendaKind): boolean {
  return folder.defaultFor === undefined ? folder.isDefault : folder.defaultFor.includes(kind);
}

export interface ServerRecord {
  /** Id of the item within its folder (DAV href, EWS ItemId, Graph id). */
  serverId: string;
  /** Version for optimistic writes (ETag, ChangeKey, @odata.etag). */
  version: string;
  identity: ItemIdentity;
  data: ItemData;
  /** When the server says the item last changed (UTC ISO), for "newer wins"; null if unknown. */
  modifiedAt: string | null;
}

/** An item the server listed but that could not be read or understood. */
export interface ServerItemFailure {
  serverId: string;
  /** What the user can recognise it by (subject, file name, href). */
  label: string;
  cause: string;
  /** The cause's code (message-codes.ts), for the app to word it; absent: show `cause`. */
  code?: MessageCode;
  params?: MessageParams;
}

/** The code of the error an item could not be read for, to spread into its failure. */
export function failureCodeOf(err: unknown): { code?: MessageCode; params?: MessageParams } {
  const coded = codedMessageOf(err);
  return coded === undefined ? {} : { code: coded.code, params: { ...coded.params } };
}

export interface ServerChanges {
  /**
   * True: `records` + `failures` are everything in the folder (a first sync, or a fallback
   * after the server rejected the token); whatever is not among them is gone.
   * False: only what changed since the token.
   */
  full: boolean;
  records: ServerRecord[];
  /**
   * True when the result was worked out by listing the whole folder (first run, rejected
   * token, no change tracking) rather than read from the server's change log: an empty
   * listing then may be a server fault, and the guard looks twice.
   */
  listed?: boolean;
  /** Server ids deleted since the token (always empty when full). */
  deleted: string[];
  /** Items that exist but could not be read: never treated as deleted. */
  failures: ServerItemFailure[];
  /** The token to pass next time; null when the server offers no change tracking. */
  token: string | null;
  /** Why a full listing replaced an incremental one, for the journal ("sync token expired"). */
  fallbackReason?: string;
}

export interface WriteResult {
  serverId: string;
  version: string;
  /**
   * The UID the item carries on the server. A create without one gets one from the
   * connector, and says which here, so the CRM row and the pairing keep it.
   */
  uid?: string;
}

export interface ServerFolderSession {
  readonly folder: ServerFolder;
  /**
   * Changes since `token` (null: list everything). `known` maps the server ids the engine
   * already holds to their versions, so a connector without change tracking can still
   * fetch only what differs.
   */
  readChanges(token: string | null, known: ReadonlyMap<string, string>): Promise<ServerChanges>;
  /**
   * Creates the item, stamped with its CRM identity so a lost pairing state re-pairs; an
   * identity without a UID gets a new one, returned in the result.
   */
  create(data: ItemData, identity: ItemIdentity): Promise<WriteResult>;
  /**
   * Updates the item in place: properties the CRM does not model survive. Throws
   * VersionConflictError when `version` is no longer current.
   */
  update(
    serverId: string,
    version: string,
    data: ItemData,
    identity: ItemIdentity,
  ): Promise<WriteResult>;
  /** Deletes without notifying attendees. Gone already counts as success. */
  remove(serverId: string, version: string): Promise<void>;
  /**
   * The item as this server holds it after being sent `data`: what its format cannot keep
   * is dropped (Exchange keeps a task's dates as days). Absent: as sent.
   */
  asStored?(data: ItemData): ItemData;
  /**
   * Asks the server, item by item, whether items a listing left out are really gone from
   * this folder ("not found" when asked directly). Optional: without it, a deletion a
   * listing implies waits until the next complete listing lacks the item too.
   */
  confirmGone?(serverIds: string[]): Promise<Map<string, GoneVerdict>>;
}

/** What the server says of an item a listing left out; `error`: it could not be asked. */
export type GoneVerdict = 'gone' | 'present' | { error: string };

export interface ServerConnector {
  /** "CalDAV/CardDAV at https://…", for messages. */
  readonly description: string;
  /** Checks the address and credentials; throws ServerError with a clear message. */
  testConnection(): Promise<void>;
  listFolders(): Promise<ServerFolder[]>;
  openFolder(folder: ServerFolder, kind: AgendaKind): Promise<ServerFolderSession>;
  /**
   * The mailbox's own category names (Exchange's master category list), for the category
   * pairing editor. Absent where the server keeps no such list (CalDAV/CardDAV).
   */
  listCategories?(): Promise<string[]>;
  /**
   * Creates a folder for the kind of items (a server that has no calendar yet, say) and
   * returns it as `listFolders` would. Absent where the connector cannot create folders.
   */
  createFolder?(kind: AgendaKind, name: string): Promise<ServerFolder>;
  close(): Promise<void>;
}
