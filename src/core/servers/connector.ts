/**
 * The one interface every server connector (dav, ews, memory, later graph) implements. The
 * engine sees only this: the agendas (folders of events, tasks and contacts, each a change
 * feed with writes guarded by the item's version), which every connector has, and optional
 * capabilities a connector has or lacks (categories, folder creation, other mailboxes, a
 * mail source). The engine asks for a capability; it never asks which server it talks to.
 */
import { codedMessageOf } from '../../shared/message-codes.ts';
import type { MessageCode, MessageParams } from '../../shared/message-codes.ts';
import type { Settings } from '../../shared/settings/schema.ts';
import type { AgendaKind, ItemData, ItemIdentity } from '../model/items.ts';

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
  /**
   * The server's own text of this version (iCalendar, vCard), opaque to the engine: kept
   * with the mirror and handed back to `update`, so a later edit patches it without reading
   * the item again. Absent where the connector has no use for it.
   */
  source?: string;
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
  /**
   * The server's text of the new version when the server stored exactly what was sent (a
   * `ServerRecord.source` for the next update); absent when it may have changed it on store.
   */
  source?: string;
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
   * VersionConflictError when `version` is no longer current. `previous`: the `source` of
   * that version as last read or written, for the connector to patch instead of reading
   * the item first; absent (a mirror from before copies were kept) it reads it.
   */
  update(
    serverId: string,
    version: string,
    data: ItemData,
    identity: ItemIdentity,
    previous?: string,
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
  /**
   * True when a token reports only the net difference since it was issued (WebDAV
   * sync-collection on Xandikos, Exchange's SyncFolderItems): an item written after the
   * token and deleted by someone else before the next read is then never reported gone, so
   * the engine reads once more after its own writes to move the token past them.
   */
  readonly netChangesSinceToken?: boolean;
}

/** What the server says of an item a listing left out; `error`: it could not be asked. */
export type GoneVerdict = 'gone' | 'present' | { error: string };

/**
 * Failures that concern the whole server for every connector (sign-in refused, unknown host,
 * untrusted certificate, failing proxy, a bad address): at a run's first contact they end
 * the run as a failed folder listing does. Others (a cut connection, a slow answer) stay the
 * folder's. A connector adds its own in `serverWideCodes`.
 */
export const SERVER_WIDE_CODES: readonly MessageCode[] = [
  'auth-failed',
  'token-refused',
  'auth-method-not-offered',
  'auth-methods-unsupported',
  'unknown-host',
  'connection-refused',
  'not-tls',
  'certificate-untrusted',
  'proxy-auth-failed',
  'server-address-invalid',
  'proxy-address-invalid',
];

/** The required part: the agendas, folders of events, tasks and contacts. */
export interface AgendaConnector {
  /** "CalDAV/CardDAV at https://…", for messages. */
  readonly description: string;
  /** Checks the address and credentials; throws ServerError with a clear message. */
  testConnection(): Promise<void>;
  listFolders(): Promise<ServerFolder[]>;
  openFolder(folder: ServerFolder, kind: AgendaKind): Promise<ServerFolderSession>;
  /**
   * Codes of failures that concern the whole server beyond SERVER_WIDE_CODES (Exchange: no
   * such mailbox, impersonation refused).
   */
  readonly serverWideCodes?: readonly MessageCode[];
  /**
   * Addresses the opened mailbox may be known by (an e-mail user name, the impersonated
   * mailbox), first the most specific; '' or a plain login where unknown. For the ORGANIZER
   * of meetings exported without one.
   */
  readonly ownAddresses?: readonly string[];
  close(): Promise<void>;
}

/** Capability: the mailbox's own list of category names. */
export interface CategoryList {
  /**
   * The mailbox's own category names (Exchange's master category list), for the category
   * pairing editor. Absent where the server keeps no such list (CalDAV/CardDAV).
   */
  listCategories(): Promise<string[]>;
}

/** Capability: making a folder. */
export interface FolderCreation {
  /**
   * Creates a folder for the kind of items (a server that has no calendar yet, say) and
   * returns it as `listFolders` would. Absent where the connector cannot create folders.
   */
  createFolder(kind: AgendaKind, name: string): Promise<ServerFolder>;
}

/**
 * Capability of a server kind whose one service account opens other users' mailboxes
 * (Exchange impersonation), so one run synchronises every CRM user. It works on settings,
 * not on an open connector: each user's run opens its own connector from the settings
 * `settingsFor` returns.
 */
export interface OtherMailboxes {
  /** Why these settings cannot open other mailboxes (one sentence naming the keys); null: they can. */
  unavailableReason(settings: Settings): string | null;
  /** The mailbox of a CRM user, or why none can be named (a clause, no full stop). */
  mailboxOf(
    settings: Settings,
    user: { login: string; email: string | null },
  ): { mailbox: string } | { problem: string };
  /** The settings of one user's run: that CRM user, that mailbox. */
  settingsFor(settings: Settings, login: string, mailbox: string): Settings;
}

/** One message a mail source hands over: read once, never written back. */
export interface MailMessage {
  /** Id of the message within its folder. */
  serverId: string;
  /** The raw message (RFC 5322), as the server keeps it. */
  raw: Uint8Array;
  /** When the server received it (UTC ISO). */
  receivedAt: string;
}

/**
 * Capability (not built yet): a one-way source of e-mail for the mail import. It is a
 * pipeline of its own: messages are read and handed to the CRM, nothing is planned both
 * ways, nothing is written to the server. No connector implements it in this version.
 */
export interface MailSource {
  /** The mail folders to choose from ("Inbox", "Inbox/Customers"). */
  listMailFolders(): Promise<ServerFolder[]>;
  /** Messages received since `token` (null: the last `maxAgeDays`), and the next token. */
  readMessages(
    folder: ServerFolder,
    token: string | null,
    maxAgeDays: number,
  ): Promise<{ messages: MailMessage[]; token: string | null }>;
}

/** Whether a failure ends the run at first contact rather than failing one folder. */
export function isServerWideFailure(connector: AgendaConnector, code: string | undefined): boolean {
  if (code === undefined) return false;
  return (
    (SERVER_WIDE_CODES as readonly string[]).includes(code) ||
    (connector.serverWideCodes as readonly string[] | undefined)?.includes(code) === true
  );
}

/**
 * A connector: the agendas, and each optional capability present or absent. Categories and
 * folder creation are methods (present or not); a mail source is an object.
 */
export interface ServerConnector
  extends AgendaConnector, Partial<CategoryList>, Partial<FolderCreation> {
  /** A one-way e-mail source; absent on every connector of this version. */
  readonly mailSource?: MailSource;
}
