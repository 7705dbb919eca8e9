/** CalDAV/CardDAV transport: raw objects over WebDAV, for the dav connector. */
export { createDavTransport } from './transport.ts';
export { createRequestStats, resetRequestStats } from './stats.ts';
export type { RequestStats } from './stats.ts';
export { DavUidConflictError } from './failures.ts';
export { CTAG_TOKEN_PREFIX, MULTIGET_BATCH } from './sync.ts';
export { findUid, objectFileName } from './hrefs.ts';
export type {
  DavAuthMethod,
  DavCollectionInfo,
  DavComponent,
  DavObject,
  DavObjectFailure,
  DavPutOptions,
  DavPutResult,
  DavSyncOptions,
  DavSyncResult,
  DavTransport,
  DavTransportOptions,
} from './types.ts';
