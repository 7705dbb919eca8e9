/**
 * One object at a time: PUT (create or guarded update), GET, DELETE. A refused precondition
 * (412) is a VersionConflictError; other refusals concern that object only (ItemError),
 * except credentials and server-wide failures (ServerError).
 */
import { VersionConflictError } from '../../errors.ts';
import { statusText } from '../../http/network-failures.ts';
import { DavUidConflictError, excerpt, requestFailure } from './failures.ts';
import { displayUrl } from '../../http/display-url.ts';
import { canonicalHref, objectFileName, withTrailingSlash } from './hrefs.ts';
import type { HttpClient } from './http.ts';
import type { DavReply } from './multistatus.ts';
import { davCall, propfindBody, textOf } from './multistatus.ts';
import type { DavObject, DavPutOptions, DavPutResult } from './types.ts';

export async function putObject(
  http: HttpClient,
  collectionUrl: string,
  href: string | null,
  data: string,
  contentType: string,
  options: DavPutOptions = {},
): Promise<DavPutResult> {
  const collection = withTrailingSlash(collectionUrl);
  const target =
    href === null
      ? canonicalHref(objectFileName(data, contentType), canonicalHref(collection, collection))
      : canonicalHref(href, collection);
  const conditions: Record<string, string> = {};
  if (options.ifMatch !== undefined && options.ifMatch !== '')
    conditions['If-Match'] = options.ifMatch;
  // A new object must never overwrite one that happens to have the same name.
  if (options.ifNoneMatch === '*' || (href === null && conditions['If-Match'] === undefined)) {
    conditions['If-None-Match'] = '*';
  }
  const reply = await davCall(http, {
    method: 'PUT',
    url: target,
    body: data,
    headers: {
      'Content-Type': /charset=/i.test(contentType) ? contentType : `${contentType}; charset=utf-8`,
      ...conditions,
    },
  });
  const failure = replyFailure(reply);
  if (failure !== undefined) {
    throw writeFailure('PUT', target, failure, reply);
  }
  const location = reply.http.headers.get('location');
  const stored = location === undefined ? target : canonicalHref(location, target);
  const answered = reply.http.headers.get('etag');
  const etag = answered ?? (await fetchEtag(http, stored));
  // RFC 4791 5.3.4: a strong ETag in the answer means the server stored what we sent octet
  // for octet; none means it changed it, and the next read shows how.
  const asSent = answered !== undefined && answered !== '' && !answered.startsWith('W/');
  return { href: stored, etag: etag ?? '', asSent };
}

export async function getObject(http: HttpClient, href: string): Promise<DavObject | null> {
  const res = await http.send({ method: 'GET', url: href });
  if (res.status === 404 || res.status === 410) return null;
  if (res.status < 200 || res.status >= 300) {
    throw requestFailure('GET', href, res.status, excerpt(res.body.toString('utf8')), 'item');
  }
  const etag = res.headers.get('etag') ?? (await fetchEtag(http, href)) ?? '';
  return { href: canonicalHref(href, href), etag, data: res.body.toString('utf8') };
}

export async function deleteObject(http: HttpClient, href: string, etag: string): Promise<void> {
  const reply = await davCall(http, {
    method: 'DELETE',
    url: href,
    headers: etag === '' ? {} : { 'If-Match': etag },
  });
  const failure = replyFailure(reply);
  if (failure === undefined || failure.status === 404 || failure.status === 410) return;
  throw writeFailure('DELETE', href, failure, reply);
}

/** ETag of one resource by PROPFIND, for servers that leave it out of PUT/GET answers. */
export async function fetchEtag(http: HttpClient, href: string): Promise<string | undefined> {
  const reply = await davCall(http, {
    method: 'PROPFIND',
    url: href,
    depth: '0',
    body: propfindBody(['d:getetag']),
  });
  if (reply.status !== 207) return undefined;
  return reply.entries.map((e) => textOf(e.props['getetag'])).find((e) => e !== undefined);
}

interface Failure {
  status: number;
  conditions: string[];
  conditionHref: string | undefined;
}

/**
 * The failure in an answer, if any. A 207 to PUT/DELETE carries the real status inside
 * (Xandikos answers a UID clash that way).
 */
function replyFailure(reply: DavReply): Failure | undefined {
  if (reply.status === 207) {
    return reply.entries.find((e) => e.status >= 300);
  }
  if (reply.status >= 200 && reply.status < 300) return undefined;
  return reply;
}

function writeFailure(method: string, href: string, failure: Failure, reply: DavReply): Error {
  const { status, conditions } = failure;
  if (conditions.includes('noUidConflict')) {
    const existing = failure.conditionHref;
    const where = existing === undefined ? '' : ` (${displayUrl(canonicalHref(existing, href))})`;
    return new DavUidConflictError(
      `${displayUrl(href)} was not stored: the collection already holds an item with the same UID${where}.`,
      existing === undefined ? undefined : canonicalHref(existing, href),
    );
  }
  if (status === 412) return new VersionConflictError(href);
  const detail = reply.multistatus ? '' : excerpt(reply.text);
  return requestFailure(method, href, status, detail === statusText(status) ? '' : detail, 'item');
}
