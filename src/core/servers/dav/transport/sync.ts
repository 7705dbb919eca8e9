/**
 * Reading a collection's changes with as few requests as the server allows:
 *
 * - sync token: one RFC 6578 sync-collection REPORT. Bodies come inline when the server
 *   sends them (Radicale), else by multiget in batches of BATCH hrefs (Xandikos).
 * - "ctag:" token (server without sync-collection): one PROPFIND of the ctag; only when it
 *   moved, a PROPFIND depth 1 of the ETags, diffed against the caller's known ETags.
 * - no token, or a token the server refused: a full listing of hrefs and ETags (initial
 *   sync-collection, else PROPFIND), then bodies only for what the caller lacks.
 *
 * Objects listed but not readable go to `failed`, never silently away.
 */
import { ServerError } from '../../errors.ts';
import { ItemError } from '../../errors.ts';
import type { CollectionKind } from './discovery.ts';
import { statusText } from '../../http/network-failures.ts';
import { excerpt, isServerWideStatus, requestFailure } from './failures.ts';
import { canonicalHref, isCollectionHref, withTrailingSlash } from './hrefs.ts';
import type { HttpClient } from './http.ts';
import type { DavReply } from './multistatus.ts';
import {
  childNames,
  davCall,
  multigetBody,
  propfindBody,
  syncCollectionBody,
  textOf,
} from './multistatus.ts';
import { getObject } from './objects.ts';
import type { DavObject, DavObjectFailure, DavSyncOptions, DavSyncResult } from './types.ts';

/** Prefix of tokens that carry a ctag rather than a server sync token. */
export const CTAG_TOKEN_PREFIX = 'ctag:';
/** hrefs per multiget REPORT: large enough to be cheap, small enough for any server. */
export const MULTIGET_BATCH = 100;
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

  const first = await syncReport(ctx, collection, token, true);
  const rejection = tokenRejection(first);
  if (rejection !== undefined) {
    const listing = await fullListing(ctx, collection, known);
    return { ...listing, fallbackReason: rejection };
  }
  if (first.status !== 207) throw collectionFailure('REPORT', collection, first);
  const changes = await followTruncation(ctx, collection, first);
  const toFetch: Listed[] = [];
  const changed: DavObject[] = [];
  for (const entry of changes.present.values()) {
    if (known !== undefined && entry.etag !== '' && known.get(entry.href) === entry.etag) continue;
    if (entry.data !== undefined && entry.etag !== '') {
      changed.push({ href: entry.href, etag: entry.etag, data: entry.data });
    } else {
      toFetch.push(entry);
    }
  }
  const bodies = await fetchBodies(ctx, collection, toFetch);
  return {
    full: false,
    changed: [...changed, ...bodies.objects],
    deleted: [...changes.deleted],
    failed: [...changes.failed, ...bodies.failed],
    token: changes.token ?? token,
  };
}

/** Why a token was refused, when falling back to a full listing is the cure. */
function tokenRejection(reply: DavReply): string | undefined {
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

interface SyncChanges {
  present: Map<string, Listed & { data?: string }>;
  deleted: Set<string>;
  failed: DavObjectFailure[];
  token: string | undefined;
}

/** Reads a sync-collection answer, and the next rounds while the server says 507 (truncated). */
async function followTruncation(
  ctx: SyncContext,
  collection: string,
  first: DavReply,
): Promise<SyncChanges> {
  const out: SyncChanges = { present: new Map(), deleted: new Set(), failed: [], token: undefined };
  let reply = first;
  for (let round = 1; ; round++) {
    let truncated = false;
    for (const entry of reply.entries) {
      if (withTrailingSlash(entry.href) === collection) {
        truncated ||= entry.status === 507;
        continue;
      }
      if (isCollectionHref(entry.href)) continue;
      if (entry.status === 404 || entry.status === 410) {
        out.present.delete(entry.href);
        out.deleted.add(entry.href);
      } else if (entry.status < 300) {
        out.deleted.delete(entry.href);
        const data = textOf(entry.props['calendarData'] ?? entry.props['addressData']);
        out.present.set(entry.href, {
          href: entry.href,
          etag: textOf(entry.props['getetag']) ?? '',
          ...(data === undefined ? {} : { data }),
        });
      } else {
        out.failed.push({
          href: entry.href,
          cause: `the server listed it with ${statusText(entry.status)}`,
        });
      }
    }
    out.token = reply.syncToken ?? out.token;
    if (!truncated || out.token === undefined || round >= MAX_SYNC_ROUNDS) return out;
    reply = await syncReport(ctx, collection, out.token, true);
    if (reply.status !== 207) throw collectionFailure('REPORT', collection, reply);
  }
}

async function fullListing(
  ctx: SyncContext,
  collection: string,
  known: Map<string, string> | undefined,
): Promise<DavSyncResult> {
  const initial = await syncReport(ctx, collection, null, false);
  let listed: Listed[];
  let token: string | null;
  let failed: DavObjectFailure[] = [];
  if (initial.status === 207 && initial.multistatus) {
    const changes = await followTruncation(ctx, collection, initial);
    listed = [...changes.present.values()].map(({ href, etag }) => ({ href, etag }));
    failed = changes.failed;
    token = changes.token ?? null;
  } else if (syncUnsupported(initial)) {
    const listing = await propfindListing(ctx, collection);
    listed = listing.items;
    token = listing.ctag === undefined ? null : `${CTAG_TOKEN_PREFIX}${listing.ctag}`;
  } else {
    throw collectionFailure('REPORT', collection, initial);
  }
  return diffAndFetch(ctx, collection, listed, known, token, failed);
}

/** The initial sync-collection was refused because the server does not do it. */
function syncUnsupported(reply: DavReply): boolean {
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
  const reply = await davCall(ctx.http, {
    method: 'PROPFIND',
    url: collection,
    depth: '0',
    body: propfindBody(['cs:getctag']),
  });
  if (reply.status !== 207) throw collectionFailure('PROPFIND', collection, reply);
  const ctag = reply.entries.map((e) => textOf(e.props['getctag'])).find((c) => c !== undefined);
  if (ctag !== undefined && ctag === oldCtag) {
    return {
      full: false,
      changed: [],
      deleted: [],
      failed: [],
      token: `${CTAG_TOKEN_PREFIX}${ctag}`,
    };
  }
  const listing = await propfindListing(ctx, collection);
  const token = listing.ctag === undefined ? null : `${CTAG_TOKEN_PREFIX}${listing.ctag}`;
  const result = await diffAndFetch(ctx, collection, listing.items, known, token, []);
  return result.full
    ? {
        ...result,
        fallbackReason:
          'the server keeps no change list (only a ctag) and no known ETags were given',
      }
    : result;
}

async function propfindListing(
  ctx: SyncContext,
  collection: string,
): Promise<{ items: Listed[]; ctag: string | undefined }> {
  const reply = await davCall(ctx.http, {
    method: 'PROPFIND',
    url: collection,
    depth: '1',
    body: propfindBody(['d:resourcetype', 'd:getetag', 'cs:getctag']),
  });
  if (reply.status !== 207) throw collectionFailure('PROPFIND', collection, reply);
  const items: Listed[] = [];
  let ctag: string | undefined;
  for (const entry of reply.entries) {
    if (withTrailingSlash(entry.href) === collection) {
      ctag = textOf(entry.props['getctag']);
      const types = childNames(entry.props['resourcetype']);
      if (types.includes('addressbook')) ctx.remember(collection, 'addressbook');
      else if (types.includes('calendar')) ctx.remember(collection, 'calendar');
      continue;
    }
    if (entry.status >= 300 || isCollectionHref(entry.href)) continue;
    if (childNames(entry.props['resourcetype']).includes('collection')) continue;
    items.push({ href: entry.href, etag: textOf(entry.props['getetag']) ?? '' });
  }
  return { items, ctag: ctag === '' ? undefined : ctag };
}

async function diffAndFetch(
  ctx: SyncContext,
  collection: string,
  listed: Listed[],
  known: Map<string, string> | undefined,
  token: string | null,
  failed: DavObjectFailure[],
): Promise<DavSyncResult> {
  if (known === undefined) {
    const bodies = await fetchBodies(ctx, collection, listed);
    return {
      full: true,
      changed: bodies.objects,
      deleted: [],
      failed: [...failed, ...bodies.failed],
      token,
    };
  }
  const present = new Set(listed.map((l) => l.href));
  for (const f of failed) present.add(f.href);
  const toFetch = listed.filter((l) => l.etag === '' || known.get(l.href) !== l.etag);
  const deleted = [...known.keys()].filter((href) => !present.has(href));
  const bodies = await fetchBodies(ctx, collection, toFetch);
  return {
    full: false,
    changed: bodies.objects,
    deleted,
    failed: [...failed, ...bodies.failed],
    token,
  };
}

/** Bodies by multiget, BATCH hrefs per REPORT; one GET each if the server refuses multiget. */
async function fetchBodies(
  ctx: SyncContext,
  collection: string,
  items: Listed[],
): Promise<{ objects: DavObject[]; failed: DavObjectFailure[] }> {
  const objects: DavObject[] = [];
  const failed: DavObjectFailure[] = [];
  if (items.length === 0) return { objects, failed };
  const kind = await kindOf(ctx, collection);
  for (let start = 0; start < items.length; start += MULTIGET_BATCH) {
    const batch = items.slice(start, start + MULTIGET_BATCH);
    const reply = await davCall(ctx.http, {
      method: 'REPORT',
      url: collection,
      depth: '1',
      body: multigetBody(
        kind,
        batch.map((b) => b.href),
      ),
    });
    if (reply.status === 207 && reply.multistatus) {
      const byHref = new Map(reply.entries.map((e) => [e.href, e]));
      for (const item of batch) {
        const entry = byHref.get(item.href);
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
          objects.push({
            href: item.href,
            etag: textOf(entry.props['getetag']) ?? item.etag,
            data,
          });
        }
      }
    } else if (reply.status === 401 || isServerWideStatus(reply.status)) {
      throw collectionFailure('REPORT', collection, reply);
    } else {
      await fetchOneByOne(ctx, batch, objects, failed);
    }
  }
  return { objects, failed };
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

function syncReport(
  ctx: SyncContext,
  collection: string,
  token: string | null,
  withData: boolean,
): Promise<DavReply> {
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
  const props = withData ? ['d:getetag', ...data] : ['d:getetag'];
  return davCall(ctx.http, {
    method: 'REPORT',
    url: collection,
    depth: '0',
    body: syncCollectionBody(token, props),
  });
}

function collectionFailure(
  method: string,
  collection: string,
  reply: DavReply,
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
