/**
 * PHOTO <-> { mediaType, base64 }. vCard 3.0 embeds "PHOTO;ENCODING=b;TYPE=JPEG:<base64>",
 * vCard 4.0 a data: URI. A photo given by URL is not the model's (null) and is left as it is.
 */
import type { ContentLine } from '../ical/content-lines.ts';
import { makeLine, paramValue } from '../ical/content-lines.ts';
import type { VCardVersion } from './fields.ts';
import { typesOf } from './fields.ts';

export type Photo = { mediaType: string; base64: string };

export class PhotoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PhotoError';
  }
}

/** Checks base64 and returns it in canonical form (no whitespace, canonical padding). */
export function canonicalBase64(text: string): string {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) {
    throw new PhotoError('PHOTO is not valid base64');
  }
  return Buffer.from(compact, 'base64').toString('base64');
}

function sniff(base64: string): string {
  const bytes = Buffer.from(base64.slice(0, 16), 'base64');
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'image/jpeg';
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47)
    return 'image/png';
  if (bytes.subarray(0, 4).toString('latin1') === 'GIF8') return 'image/gif';
  return 'application/octet-stream';
}

/** RFC 6838 type/subtype (restricted-name on both sides). */
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

/**
 * "JPEG" -> "image/jpeg"; a full media type stays (lower-cased), also one we do not know.
 * A stray escape ("image/png\" from a server that escaped the URI's ";") is dropped; what
 * is still not a media type is taken from the photo's own bytes, so no broken type is
 * stored or written back.
 */
function mediaTypeOf(type: string | undefined, base64: string): string {
  if (!type) return sniff(base64);
  const lower = type.replace(/\\/g, '').trim().toLowerCase();
  const full = lower.includes('/') ? lower : `image/${lower}`;
  return MEDIA_TYPE.test(full) ? full : sniff(base64);
}

/**
 * Some servers treat PHOTO as text and escape the data: URI's ";" and "," ("data:image/png\;
 * base64,..."). A backslash is never part of a data: URI, so the escapes are undone.
 */
function unescapeUri(value: string): string {
  return value.replace(/\\([\\;,])/g, '$1');
}

export function readPhoto(line: ContentLine | null): Photo | null {
  if (!line) return null;
  const value = line.value.trim();
  const encoding = paramValue(line, 'ENCODING')?.toLowerCase();
  if (encoding === 'b' || encoding === 'base64') {
    const base64 = canonicalBase64(value);
    if (base64 === '') return null;
    const type = typesOf(line).find((t) => t !== 'pref');
    return { mediaType: mediaTypeOf(type, base64), base64 };
  }
  const data = /^data:([^,;]*)((?:;[^,;]*)*),(.*)$/is.exec(unescapeUri(value));
  if (!data) return null;
  const isBase64 = /;base64/i.test(data[2] ?? '');
  const payload = data[3] ?? '';
  let base64: string;
  try {
    base64 = isBase64
      ? canonicalBase64(payload)
      : Buffer.from(decodeURIComponent(payload), 'latin1').toString('base64');
  } catch (err) {
    if (err instanceof PhotoError) throw err;
    throw new PhotoError('PHOTO is not a valid data: URI');
  }
  if (base64 === '') return null;
  return {
    mediaType: mediaTypeOf(data[1] || paramValue(line, 'MEDIATYPE') || undefined, base64),
    base64,
  };
}

export function photoLine(photo: Photo, version: VCardVersion): ContentLine {
  // A type stored broken before it was checked on read is repaired, never written.
  const mediaType = mediaTypeOf(photo.mediaType, photo.base64);
  if (version === '4.0') return makeLine('PHOTO', `data:${mediaType};base64,${photo.base64}`);
  const type = mediaType.startsWith('image/') ? mediaType.slice(6).toUpperCase() : mediaType;
  return makeLine('PHOTO', photo.base64, [
    ['ENCODING', ['b']],
    ['TYPE', [type]],
  ]);
}
