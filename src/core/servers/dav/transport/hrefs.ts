/**
 * One spelling per resource. Servers may percent-encode the same path differently in a
 * listing, a multiget answer and a Location header ("%40" vs "@"); the engine keys its
 * pairing state by href, so every href the transport hands out goes through canonicalHref.
 */
import { createHash, randomUUID } from 'node:crypto';

/** Characters a path segment may carry unencoded (RFC 3986 pchar minus "%"). */
const SEGMENT_SAFE = /^[!$&'()*+,;=:@]$/;

function canonicalSegment(segment: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    return segment; // a stray "%": keep the server's spelling rather than guess
  }
  return encodeURIComponent(decoded).replace(/%([0-9A-F]{2})/g, (escape, hex: string) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    return SEGMENT_SAFE.test(char) ? char : escape;
  });
}

/** Absolute URL of `href` (a path or a URL) resolved against `base`, canonically encoded. */
export function canonicalHref(href: string, base: string): string {
  const url = new URL(href.trim(), base);
  const path = url.pathname.split('/').map(canonicalSegment).join('/');
  return `${url.origin}${path}${url.search}`;
}

export function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

export function isCollectionHref(href: string): boolean {
  return new URL(href).pathname.endsWith('/');
}

/**
 * A file name for a new object: its UID when that is already a safe name, else the UID
 * cleaned up plus a short hash of it (two UIDs that clean up alike stay apart).
 */
export function objectFileName(data: string, contentType: string): string {
  const extension = /vcard/i.test(contentType) ? '.vcf' : '.ics';
  const uid = findUid(data);
  if (uid === null) return `${randomUUID()}${extension}`;
  if (/^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$/.test(uid) && !uid.endsWith('.')) {
    return `${uid}${extension}`;
  }
  const hash = createHash('sha256').update(uid).digest('hex').slice(0, 12);
  const cleaned = uid
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80);
  return `${cleaned === '' ? 'item' : cleaned}-${hash}${extension}`;
}

/** The first UID property of an iCalendar or vCard text (folded lines unfolded). */
export function findUid(data: string): string | null {
  const unfolded = data.replace(/\r?\n[ \t]/g, '');
  const match = /^UID(?:;[^:\r\n]*)?:([^\r\n]*)$/im.exec(unfolded);
  const uid = match?.[1]?.trim() ?? '';
  return uid === '' ? null : uid;
}
