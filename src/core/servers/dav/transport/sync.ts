/**
 * Reading a collection's changes with as few requests as the server allows, the data in
 * the listing itself wherever the server gives it:
 *
 * - sync token: one RFC 6578 sync-collection REPORT asking for getetag and the data.
 * - no token, or a token the server refused: the initial sync-collection (empty token),
 *   the data asked for too; where the server has no sync-collection, a PROPFIND of the
 *   ETags (and the ctag, for the next time).
 * - "ctag:" token (server without sync-collection): one PROPFIND of the ctag; only when it
 *   moved, a PROPFIND depth 1 of the ETags, diffed against the caller's known ETags.
 *
 * Entries that came without data (Xandikos ignores calendar-data in sync-collection) are
 * read by one calendar-query / addressbook-query when there are many (Xandikos spends time
 * in proportion to the collection on every multiget href, but answers a query for all in
 * one pass), else by multiget in chunks of MULTIGET_BATCH; a refused chunk is split until
 * the object that fails it is read alone (GET), so one bad object costs only itself.
 * Answers are parsed as they arrive (multistatus-stream.ts): an object the caller already
 * holds in that version is dropped at once. Objects listed but not readable go to
 * `failed`, never silently away.
 */
import { ServerError } from '../../errors.ts';
import { ItemError } from '../../errors.ts';
import type { CollectionKind } from './discovery.ts';
import { statusText } from '../../http/network-failures.ts';
import { excerpt, isServerWideStatus, requestFailure } from './failures.ts';
import { canonicalHref, isCollectionHref, withTrailingSlash } from './hrefs.ts';
import type { HttpClient } from './http.ts';
import type { DavEntry } from './multistatus.ts';
import {
  childNames,
  davCall,
  multigetBody,
  propfindBody,
  queryBody,
  syncCollectionBody,
  textOf,
} from './multistatus.ts';
import { davStream } from './multistatus-stream.ts';
import type { StreamedReply } from './multistatus-stream.ts';
import { getObject } from './objects.ts';
import type { DavObject, DavObjectFailure, DavSyncOptions, DavSyncResult } from './types.ts';

/** Prefix of tokens that carry a ctag rather than a server sync token. */
export const CTAG_TOKEN_PREFIX = 'ctag:';
/**
 * hrefs per multiget REPORT. Measured on this machine with 1,000 events: Radicale 1.0 ms
 * per href in chunks of 100, 0.55 ms in chunks of 500 or 1,000; Xandikos 88 ms per href
 * whatever the chunk (its cost grows with the collection, not the chunk).
 */
export const MULTIGET_BATCH = 500;
/**
 * From this many bodies to read, one query for the whole collection replaces multigets.
 * Xandikos, 1,000 events: the query 1.5 s for all, a multiget 88 ms per href (both grow
 * with the collection), so the query is cheaper from about 20 on.
 */
const QUERY_FROM = 25;
/** A refused multiget chunk this small is read one object at a time. */
const SMALLEST_CHUNK = 8;
/** Rounds of a truncated (507) sync-collection answer we follow before giving up. */
const MAX_SYNC_ROUNDS = 50;

export interface SyncContext {
  http: HttpClient;
  /** Cached kind of a collection, or undefined. */
  knownKind(url: string): CollectionKind | undefined;
  remember(url: string, kind: CollectionKind): void;
}

interface Listed {
  href: string;
  etag: string;
}

/** What a listing (or the rounds of one) says, folded entry by entry as it arrives. */
class Changes {
  /** Listed with their data, and new to the caller. */
  readonly objects = new Map<string, DavObject>();
  /** Listed without data (or without an ETag), and possibly new to the caller. */
  readonly toFetch = new Map<string, Listed>();
  /** Every href listed as present (all of a full listing, so what is missing is gone). */
  readonly present = new Set<string>();
  readonly deleted = new Set<string>();
  readonly failed: DavObjectFailure[] = [];
  token: string | undefined;
  truncated = false;
  readonly #collection: string;
  readonly #known: Map<string, string> | undefined;

  constructor(collection: string, known: Map<string, string> | undefined) {
    this.#collection = collection;
    this.#known = known;
  }

  /** One entry of a sync-collection answer or of a PROPFIND depth 1 listing. */
  add(entry: DavEntry): void {
    if (withTrailingSlash(entry.href) === this.#collection) {
      this.truncated ||= entry.status === 507;
      return;
    }
    if (isCollectionHref(entry.href)) return;
    if (childNames(entry.props['resourcetype']).includes('collection')) return;
    const href = entry.href;
    if (entry.status === 404 || entry.status === 410) {
      this.#forget(href);
      this.deleted.add(href);
    } else if (entry.status < 300) {
      this.deleted.delete(href);
      this.#forget(href);
      this.present.add(href);
      const etag = textOf(entry.props['getetag']) ?? '';
      if (etag !== '' && this.#known?.get(href) === etag) return; // held already
      const data = textOf(entry.props['calendarData'] ?? entry.props['addressData']);
      if (data !== undefined && etag !== '') this.objects.set(href, { href, etag, data });
      else this.toFetch.set(href, { href, etag });
    } else {
      this.failed.push({ href, cause: `the server listed it with ${statusText(entry.status)}` });
    }
  }

  #forget(href: string): void {
    this.present.delete(href);
    this.objects.delete(href);
    this.toFetch.delete(href);
  }
}

export async function syncCollection(
  ctx: SyncContext,
  url: string,
  token: string | null,
  options: DavSyncOptions = {},
): Promise<DavSyncResult> {
  const collection = withTrailingSlash(canonicalHref(url, url));
  if (options.kind !== undefined) ctx.remember(collection, options.kind);
  const known = canonicalKnown(options.knownEtags, collection);
  if (token !== null && token.startsWith(CTAG_TOKEN_PREFIX)) {
    return ctagSync(ctx, collection, token.slice(CTAG_TOKEN_PREFIX.length), known);
  }
  if (token === null) return fullListing(ctx, collection, known);

  const changes = new Changes(collection, known);
  const first = await syncReport(ctx, collection, token, changes);
  const rejection = tokenRejection(first);
  if (rejection !== undefined) {
    const listing = await fullListing(ctx, collection, known);
    return { ...listing, fallbackReason: rejection };
  }
  if (first.status !== 207) throw collectionFailure('REPORT', collection, first);
  await followTruncation(ctx, collection, first, changes);
  const bodies = await fetchBodies(ctx, collection, [...changes.toFetch.values()]);
  return {
    full: false,
    changed: [...changes.objects.values(), ...bodies.objects],
    deleted: [...changes.deleted],
    failed: [...changes.failed, ...bodies.failed],
    token: changes.token ?? token,
  };
}

/** Why a token was refused, when falling back to a full listing is the cure. */
function tokenRejection(reply: StreamedReply): string | undefined {
  if (reply.conditions.includes('validSyncToken')) {
    return `the server no longer accepts the sync token (${statusText(reply.status)}, valid-sync-token): it expired or the collection was reset`;
  }
  // 400/403/409/410/412/422: refused without saying why (RFC 6578 allows several forms).
  if ([400, 403, 409, 410, 412, 422].includes(reply.status)) {
    return `the server refused the sync token (${statusText(reply.status)})`;
  }
  // Xandikos answers an unknown token with 500; a full listing tells whether it is the token.
  if (reply.status === 500) return `the server failed on the sync token (${statusText(500)})`;
  if (reply.status === 405 || reply.status === 501) {
    return `the server no longer offers sync-collection (${statusText(reply.status)})`;
  }
  return undefined;
}

/** Records the first answer's token, and reads the next rounds while the server says 507. */
async function followTruncation(
  ctx: SyncContext,
  collection: string,
  first: StreamedReply,
  changes: Changes,
): Promise<void> {
  let reply = first;
  for (let round = 1; ; round++) {
    changes.token = reply.syncToken ?? changes.token;
    const truncated = changes.truncated;
    changes.truncated = false;
    if (!truncated || changes.token === undefined || round >= MAX_SYNC_ROUNDS) return;
    reply = await syncReport(ctx, collection, changes.token, changes);
    if (reply.status !== 207) throw collectionFailure('REPORT', collection, reply);
  }
}

async function fullListing(
  ctx: SyncContext,
  collection: string,
  known: Map<string, string> | undefined,
): Promise<DavSyncResult> {
  let changes = new Changes(collection, known);
  const initial = await syncReport(ctx, collection, null, changes);
  let token: string | null;
  if (initial.status === 207 && initial.multistatus) {
    await followTruncation(ctx, collection, initial, changes);
    token = changes.token ?? null;
  } else if (syncUnsupported(initial)) {
    changes = new Changes(collection, known);
    const ctag = await propfindListing(ctx, collection, changes);
    token = ctag === undefined ? null : `${CTAG_TOKEN_PREFIX}${ctag}`;
  } else {
    throw collectionFailure('REPORT', collection, initial);
  }
  return listingResult(ctx, collection, changes, known, token);
}

/** The initial sync-collection was refused because the server does not do it. */
function syncUnsupported(reply: StreamedReply): boolean {
  if (reply.status === 401 || reply.status === 404 || isServerWideStatus(reply.status))
    return false;
  return reply.status >= 400 || reply.status === 207; // 207 without a multistatus body is nonsense too
}

async function ctagSync(
  ctx: SyncContext,
  collection: string,
  oldCtag: string,
  known: Map<string, string> | undefined,
): Promise<DavSyncResult> {
  // Read like the listing below reads it, so that the two spellings compare.
  let ctag: string | undefined;
  const reply = await davStream(
    ctx.http,
    { method: 'PROPFIND', url: collection, depth: '0', body: propfindBody(['cs:getctag']) },
    (entry) => (ctag ??= textOf(entry.props['getctag'])),
  );
  if (reply.status !== 207) throw collectionFailure('PROPFIND', collection, reply);
  if (ctag !== undefined && ctag === oldCtag) {
    return {
      full: false,
      changed: [],
      deleted: [],
      failed: [],
      token: `${CTAG_TOKEN_PREFIX}${ctag}`,
    };
  }
  const changes = new Changes(collection, known);
  const listed = await propfindListing(ctx, collection, changes);
  const token = listed === undefined ? null : `${CTAG_TOKEN_PREFIX}${listed}`;
  const result = await listingResult(ctx, collection, changes, known, token);
  return result.full
    ? {
        ...result,
        fallbackReason:
          'the server keeps no change list (only a ctag) and no known ETags were given',
      }
    : result;
}

/** PROPFIND depth 1 of the ETags into `changes`; returns the collection's ctag. */
async function propfindListing(
  ctx: SyncContext,
  collection: string,
  changes: Changes,
): Promise<string | undefined> {
  let ctag: string | undefined;
  const reply = await davStream(
    ctx.http,
    {
      method: 'PROPFIND',
      url: collection,
      depth: '1',
      body: propfindBody(['d:resourcetype', 'd:getetag', 'cs:getctag']),
    },
    (entry) => {
      if (withTrailingSlash(entry.href) === collection) {
        ctag = textOf(entry.props['getctag']);
        const types = childNames(entry.props['resourcetype']);
        if (types.includes('addressbook')) ctx.remember(collection, 'addressbook');
        else if (types.includes('calendar')) ctx.remember(collection, 'calendar');
        return;
      }
      if (entry.status >= 300) return; // a PROPFIND lists no deletions
      changes.add(entry);
    },
  );
  if (reply.status !== 207) throw collectionFailure('PROPFIND', collection, reply);
  return ctag === '' ? undefined : ctag;
}

/** A whole listing as the caller's result: everything, or the difference to `known`. */
async function listingResult(
  ctx: SyncContext,
  collection: string,
  changes: Changes,
  known: Map<string, string> | undefined,
  token: string | null,
): Promise<DavSyncResult> {
  const bodies = await fetchBodies(ctx, collection, [...changes.toFetch.values()]);
  const changed = [...changes.objects.values(), ...bodies.objects];
  const failed = [...changes.failed, ...bodies.failed];
  if (known === undefined) return { full: true, changed, deleted: [], failed, token };
  const present = changes.present;
  for (const f of changes.failed) present.add(f.href);
  const deleted = [...known.keys()].filter((href) => !present.has(href));
  return { full: false, changed, deleted, failed, token };
}

/**
 * Bodies of listed objects: by one query of the whole collection when there are many,
 * then by multiget in chunks (one GET each where a chunk is refused).
 */
async function fetchBodies(
  ctx: SyncContext,
  collection: string,
  items: Listed[],
): Promise<{ objects: DavObject[]; failed: DavObjectFailure[] }> {
  const objects: DavObject[] = [];
  const failed: DavObjectFailure[] = [];
  if (items.length === 0) return { objects, failed };
  const kind = await kindOf(ctx, collection);
  let rest = items;
  if (items.length >= QUERY_FROM) rest = await queryBodies(ctx, collection, kind, items, objects);
  for (let start = 0; start < rest.length; start += MULTIGET_BATCH) {
    await multiget(
      ctx,
      collection,
      kind,
      rest.slice(start, start + MULTIGET_BATCH),
      objects,
      failed,
    );
  }
  return { objects, failed };
}

/**
 * calendar-query / addressbook-query for every object with its data (RFC 4791 7.8, RFC 6352
 * 8.6); keeps those of `items` and returns the ones it did not give (left to multiget).
 */
async function queryBodies(
  ctx: SyncContext,
  collection: string,
  kind: CollectionKind,
  items: Listed[],
  objects: DavObject[],
): Promise<Listed[]> {
  const wanted = new Map(items.map((item) => [item.href, item]));
  const reply = await davStream(
    ctx.http,
    { method: 'REPORT', url: collection, depth: '1', body: queryBody(kind) },
    (entry) => {
      const item = wanted.get(entry.href);
      if (item === undefined || entry.status >= 300) return;
      const data = textOf(entry.props['calendarData'] ?? entry.props['addressData']);
      if (data === undefined) return;
      wanted.delete(entry.href);
      objects.push({ href: item.href, etag: textOf(entry.props['getetag']) ?? item.etag, data });
    },
  );
  if (reply.status === 401 || isServerWideStatus(reply.status)) {
    throw collectionFailure('REPORT', collection, reply);
  }
  // Refused, or cut short by the server's limits: what it did give stands, multiget reads the rest.
  return [...wanted.values()];
}

/** One multiget chunk; a refused one is split, down to one GET per object. */
async function multiget(
  ctx: SyncContext,
  collection: string,
  kind: CollectionKind,
  batch: Listed[],
  objects: DavObject[],
  failed: DavObjectFailure[],
): Promise<void> {
  const got = new Map<string, DavEntry>();
  const wanted = new Set(batch.map((b) => b.href));
  const reply = await davStream(
    ctx.http,
    {
      method: 'REPORT',
      url: collection,
      depth: '1',
      body: multigetBody(
        kind,
        batch.map((b) => b.href),
      ),
    },
    (entry) => {
      if (wanted.has(entry.href)) got.set(entry.href, entry);
    },
  );
  if (reply.status === 207 && reply.multistatus) {
    for (const item of batch) {
      const entry = got.get(item.href);
      const data = textOf(entry?.props['calendarData'] ?? entry?.props['addressData']);
      if (entry === undefined) {
        failed.push({
          href: item.href,
          cause: 'the server listed it but did not return it when asked',
        });
      } else if (entry.status >= 300) {
        failed.push({
          href: item.href,
          cause: `the server listed it but answered ${statusText(entry.status)} when asked for it`,
        });
      } else if (data === undefined) {
        failed.push({ href: item.href, cause: 'the server returned it without content' });
      } else {
        objects.push({ href: item.href, etag: textOf(entry.props['getetag']) ?? item.etag, data });
      }
    }
  } else if (reply.status === 401 || isServerWideStatus(reply.status)) {
    throw collectionFailure('REPORT', collection, reply);
  } else if (batch.length > SMALLEST_CHUNK) {
    const half = Math.ceil(batch.length / 2);
    await multiget(ctx, collection, kind, batch.slice(0, half), objects, failed);
    await multiget(ctx, collection, kind, batch.slice(half), objects, failed);
  } else {
    await fetchOneByOne(ctx, batch, objects, failed);
  }
}

async function fetchOneByOne(
  ctx: SyncContext,
  batch: Listed[],
  objects: DavObject[],
  failed: DavObjectFailure[],
): Promise<void> {
  for (const item of batch) {
    try {
      const object = await getObject(ctx.http, item.href);
      if (object === null) {
        failed.push({
          href: item.href,
          cause: 'the server listed it but answered 404 Not Found when asked for it',
        });
      } else {
        objects.push(object);
      }
    } catch (err) {
      if (!(err instanceof ItemError)) throw err;
      failed.push({ href: item.href, cause: err.message });
    }
  }
}

async function kindOf(ctx: SyncContext, collection: string): Promise<CollectionKind> {
  const cached = ctx.knownKind(collection);
  if (cached !== undefined) return cached;
  const reply = await davCall(ctx.http, {
    method: 'PROPFIND',
    url: collection,
    depth: '0',
    body: propfindBody(['d:resourcetype']),
  });
  if (reply.status !== 207) throw collectionFailure('PROPFIND', collection, reply);
  const types = reply.entries.flatMap((e) => childNames(e.props['resourcetype']));
  const kind: CollectionKind = types.includes('addressbook') ? 'addressbook' : 'calendar';
  ctx.remember(collection, kind);
  return kind;
}

/** A sync-collection REPORT asking for the data too; its entries go into `changes` as they arrive. */
function syncReport(
  ctx: SyncContext,
  collection: string,
  token: string | null,
  changes: Changes,
): Promise<StreamedReply> {
  // Only the collection's own data property: Radicale answers both, each with the whole
  // body, which doubled every download. Both only when the kind is unknown (no extra PROPFIND
  // on the path that matters most, the quiet sync).
  const kind = ctx.knownKind(collection);
  const data =
    kind === 'calendar'
      ? ['c:calendar-data']
      : kind === 'addressbook'
        ? ['card:address-data']
        : ['c:calendar-data', 'card:address-data'];
  return davStream(
    ctx.http,
    {
      method: 'REPORT',
      url: collection,
      depth: '0',
      body: syncCollectionBody(token, ['d:getetag', ...data]),
    },
    (entry) => changes.add(entry),
  );
}

function collectionFailure(
  method: string,
  collection: string,
  reply: StreamedReply,
): ServerError | Error {
  if (reply.status === 404 || reply.status === 410) {
    return new ServerError(
      `The collection ${collection} does not exist on the server (${statusText(reply.status)}).`,
      { code: 'collection-missing', params: { collection, status: statusText(reply.status) } },
    );
  }
  const detail = reply.multistatus ? '' : excerpt(reply.text);
  return requestFailure(method, collection, reply.status, detail, 'server');
}

function canonicalKnown(
  known: ReadonlyMap<string, string> | undefined,
  collection: string,
): Map<string, string> | undefined {
  if (known === undefined) return undefined;
  const out = new Map<string, string>();
  for (const [href, etag] of known) out.set(canonicalHref(href, collection), etag);
  return out;
}
