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
}

export interface ServerFolderSession {
  readonly folder: ServerFolder;
  /**
   * Changes since `token` (null: list everything). `known` maps the server ids the engine
   * already holds to their versions, so a connector without change tracking can still
   * fetch only what differs.
   */
  readChanges(token: string | null, known: ReadonlyMap<string, string>): Promise<ServerChanges>;
  /** Creates the item, stamped with its CRM identity so a lost pairing state re-pairs. */
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
}

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
  close(): Promise<void>;
}
