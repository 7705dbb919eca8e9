/**
 * The CalDAV/CardDAV transport's public shapes: raw objects (href, ETag, text) and
 * collections, nothing about what the text means. The connector maps the text with
 * dav/ical and dav/vcard.
 */
import type { RequestStats } from './stats.ts';

export type DavComponent = 'VEVENT' | 'VTODO' | 'VCARD';

export type DavAuthMethod = 'basic' | 'digest' | 'bearer';

export interface DavTransportOptions {
  /** Server, principal or home URL; discovery starts here. */
  url: string;
  user: string;
  password?: string;
  bearerToken?: string;
  auth: DavAuthMethod;
  proxy?: { url: string; user?: string; password?: string };
  /** SHA-256 fingerprint (hex, colons optional) of one extra certificate to trust. */
  trustedSha256Fingerprint?: string;
  /** Limit for one request, answer body included. Default 60 s. */
  timeoutMs?: number;
  stats?: RequestStats;
  /** Settings' connection.dav.calendarHomeUrl: skips discovery of the calendar home. */
  calendarHomeUrl?: string;
  /** Settings' connection.dav.addressBookHomeUrl: skips discovery of the address book home. */
  addressBookHomeUrl?: string;
}

export interface DavCollectionInfo {
  /** Absolute URL ending in "/". */
  url: string;
  displayName: string;
  /** What the collection holds: ['VCARD'] for address books, VEVENT and/or VTODO for calendars. */
  components: DavComponent[];
  ctag?: string;
  syncToken?: string;
  /** Whether the server advertises the RFC 6578 sync-collection REPORT here. */
  supportsSyncCollection: boolean;
}

export interface DavObject {
  /** Absolute URL, in one canonical spelling (see hrefs.ts), usable as a stable id. */
  href: string;
  etag: string;
  data: string;
}

export interface DavObjectFailure {
  href: string;
  /** One sentence: why the body could not be read. */
  cause: string;
}

export interface DavSyncOptions {
  /**
   * href -> ETag of the objects the caller already holds. A full listing is then diffed
   * against it, so only new or changed bodies are downloaded and `deleted` is exact.
   */
  knownEtags?: ReadonlyMap<string, string>;
  /** What the collection holds, when known; otherwise the transport finds out (one PROPFIND). */
  kind?: 'calendar' | 'addressbook';
}

export interface DavSyncResult {
  /**
   * True: `changed` + `failed` are everything in the collection (no token, or a fallback,
   * and no `knownEtags` to diff against); whatever is not among them is gone.
   * False: `changed` and `deleted` are the difference since the token (or to `knownEtags`).
   */
  full: boolean;
  changed: DavObject[];
  /** hrefs gone since the token (always empty when full). */
  deleted: string[];
  /** Listed by the server but their body could not be read: never treat as deleted. */
  failed: DavObjectFailure[];
  /**
   * Pass it next time. A server sync token, or "ctag:<ctag>" when the server has no
   * sync-collection (the transport recognises it); null when there is no change tracking.
   */
  token: string | null;
  /** Why a full listing replaced the incremental one (for the journal). */
  fallbackReason?: string;
}

export interface DavPutOptions {
  /** Update only if the server copy still has this ETag (412 -> VersionConflictError). */
  ifMatch?: string;
  /** Create only (412 -> VersionConflictError). Default for new objects (href null). */
  ifNoneMatch?: '*';
}

export interface DavPutResult {
  href: string;
  etag: string;
  /** The answer carried a strong ETag: the server holds exactly the text sent (RFC 4791 5.3.4). */
  asSent: boolean;
}

export interface DavTransport {
  /**
   * Principal, homes, then the calendars and address books in them; `defaultCalendarUrl`:
   * the calendar the server names as the user's default (RFC 6638).
   */
  discover(): Promise<{
    calendars: DavCollectionInfo[];
    addressBooks: DavCollectionInfo[];
    defaultCalendarUrl?: string;
    calendarHomeUrl?: string;
    addressBookHomeUrl?: string;
  }>;
  /**
   * Creates a calendar for `components` (MKCALENDAR) or an address book (extended MKCOL) in
   * the user's home; returns its URL.
   */
  createCollection(
    kind: 'calendar' | 'addressbook',
    name: string,
    components: readonly DavComponent[],
  ): Promise<string>;
  /** Changes since `token`; null lists everything. See DavSyncResult. */
  syncCollection(
    url: string,
    token: string | null,
    options?: DavSyncOptions,
  ): Promise<DavSyncResult>;
  /**
   * Stores an object. href null: a new object in `collectionUrl`, named after its UID.
   * Returns where it is and its new ETag.
   */
  putObject(
    collectionUrl: string,
    href: string | null,
    data: string,
    contentType: string,
    options?: DavPutOptions,
  ): Promise<DavPutResult>;
  /** null when the object does not exist. */
  getObject(href: string): Promise<DavObject | null>;
  /** Gone already counts as success. An empty etag deletes unconditionally. */
  deleteObject(href: string, etag: string): Promise<void>;
  /** Closes pooled connections. */
  close(): Promise<void>;
}
