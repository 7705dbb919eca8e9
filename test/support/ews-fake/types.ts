// Public API of the fake EWS server (see README.md).

export interface FakeAccount {
  user: string;
  password: string;
  smtp: string;
  domain?: string;
  /** Has the ApplicationImpersonation role. */
  canImpersonate?: boolean;
  /** Folders (distinguished names) it may NOT open when impersonating others. */
  deniedFolders?: string[];
}

export interface FakeEwsOptions {
  accounts: FakeAccount[];
  /** Further mailboxes without a login of their own (reachable by impersonation). */
  mailboxes?: string[];
  /** Accepted schemes; default ['basic', 'ntlm']. */
  auth?: ('basic' | 'ntlm' | 'bearer')[];
  bearerTokens?: Record<string, string>;
  /** Validate every request body against messages.xsd with xmllint (default true). */
  validate?: boolean;
}

export interface FakeCall {
  operation: string;
  account: string;
  mailbox: string;
  impersonated: boolean;
  httpStatus: number;
  responseCode: string;
  /** Attributes of the operation element, e.g. { SendMeetingInvitations: 'SendToNone' }. */
  attributes: Record<string, string>;
  /** Set when the request carries a calendar item (CreateItem, UpdateItem of a meeting). */
  calendarItem?: true;
  /** Set when an onRequest hook hung up after the call was carried out (never answered). */
  unanswered?: true;
}

export interface FakeEws {
  ewsUrl: string;
  autodiscoverUrl: string;
  mailbox(smtp: string): FakeMailbox;
  faults: FakeFaults;
  calls: FakeCall[];
  invalidRequests(): Promise<{ operation: string; error: string }[]>;
  stop(): Promise<void>;
}

export type FolderClass = 'IPF.Appointment' | 'IPF.Task' | 'IPF.Contact' | 'IPF.Note';

export interface FakeMailbox {
  smtp: string;
  folder(distinguished: string): FakeFolder;
  addFolder(parent: FakeFolder, displayName: string, folderClass: FolderClass): FakeFolder;
  categories: string[];
}

export interface OccurrenceChange {
  start?: string;
  end?: string;
  subject?: string;
  location?: string;
}

export interface FakeFolder {
  id: string;
  displayName: string;
  items(): FakeItem[];
  create(xml: string): FakeItem;
  update(itemId: string, setXml: string): FakeItem;
  remove(itemId: string): void;
  modifyOccurrence(masterId: string, originalStartUtc: string, change: OccurrenceChange): void;
  deleteOccurrence(masterId: string, originalStartUtc: string): void;
}

export interface FakeItem {
  id: string;
  changeKey: string;
  xml(): string;
  field(name: string): string | undefined;
  extendedProperty(name: string): string | undefined;
  exceptions(): FakeItem[];
  deletedOccurrences(): string[];
}

/** A SOAP call as an onRequest hook sees it. */
export interface FakeRequestEvent {
  operation: string;
  /** 'arrived': authenticated and parsed, not carried out; 'done': carried out, not answered. */
  stage: 'arrived' | 'done';
  /** The mailbox acted on. */
  mailbox: string;
  /** At 'done': 'NoError' or the first per-item error code. */
  responseCode?: string;
}

/** What the fake does after a hook: go on, or close the connection without an answer. */
export type FakeRequestVerdict = 'hang-up' | undefined | void;

/**
 * How StartTimeZone/EndTimeZone are answered: 'full' as Exchange (Periods, Transitions);
 * 'id-only' as some Exchange-compatible servers (`<t:StartTimeZone Id="…" Name="…"/>`);
 * 'unnamed' a definition with neither Id nor Name and an element the client does not
 * know. ews-javascript-api rejects the last two (and drops the property).
 */
export type ZoneDefinitionStyle = 'full' | 'id-only' | 'unnamed';

/** What an impersonation of an unknown mailbox is answered with. */
export type UnknownMailboxCode = 'ErrorNonExistentMailbox' | 'ErrorCannotFindUser';

export interface FakeFaults {
  serverBusy(times: number, backOffMs: number, operation?: string): void;
  invalidSyncState(folderId?: string): void;
  maxPageSize(n: number | null): void;
  /** GetItem of it → ErrorItemNotFound, `times` times (default: for good); 0 lifts it. */
  itemNotFound(itemId: string, times?: number): void;
  beforeNextWrite(edit: () => void): void;
  http503(times: number): void;
  dropConnection(times: number): void;
  /**
   * Calls `hook` twice per EWS SOAP call (not autodiscover): as it arrives and once it is
   * carried out. 'hang-up' closes the connection without an answer: at 'arrived' the call
   * is never carried out; at 'done' it is (the lost-answer case). null removes the hook.
   */
  onRequest(hook: ((event: FakeRequestEvent) => FakeRequestVerdict) | null): void;
  /** How time zone definitions are answered from now on (default 'full'). */
  timeZoneDefinitions(style: ZoneDefinitionStyle): void;
  /**
   * Item fields (element names, e.g. 'ReminderMinutesBeforeStart', 'PhysicalAddresses')
   * that Default/AllProperties leave out: answered only when named in AdditionalProperties,
   * as on servers that are not Microsoft's. [] answers everything again.
   */
  allPropertiesWithout(fields: string[]): void;
  /** The error code an impersonation of an unknown mailbox gets (default ErrorNonExistentMailbox). */
  unknownMailboxAnswer(code: UnknownMailboxCode): void;
  /** Every EWS answer is sent this much later, as a real server takes its time (0: at once). */
  answerDelay(ms: number): void;
}
