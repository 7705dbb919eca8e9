/** The transport's pure helpers: href spelling, file names, UID lookup, Digest and DAV:error parsing. */
import { describe, expect, it } from 'vitest';
import { parseDigestChallenge } from '../../src/core/servers/dav/transport/auth.ts';
import {
  canonicalHref,
  findUid,
  objectFileName,
} from '../../src/core/servers/dav/transport/hrefs.ts';
import { displayUrl } from '../../src/core/servers/http/display-url.ts';
import { parseDavError } from '../../src/core/servers/dav/transport/multistatus.ts';

describe('canonicalHref', () => {
  const base = 'https://dav.example.com/cal/work/';

  it('resolves paths against the base and spells equal paths alike', () => {
    expect(canonicalHref('/cal/work/a.ics', base)).toBe('https://dav.example.com/cal/work/a.ics');
    expect(canonicalHref('a.ics', base)).toBe('https://dav.example.com/cal/work/a.ics');
    const spellings = ['/cal/work/j%40x%20y.ics', '/cal/work/j@x y.ics', '/cal/work/j%40x y.ics'];
    const canonical = spellings.map((h) => canonicalHref(h, base));
    expect(new Set(canonical).size).toBe(1);
    expect(canonical[0]).toBe('https://dav.example.com/cal/work/j@x%20y.ics');
  });

  it('keeps an encoded slash inside a segment and survives a stray percent sign', () => {
    expect(canonicalHref('/cal/a%2Fb.ics', base)).toBe('https://dav.example.com/cal/a%2Fb.ics');
    expect(canonicalHref('/cal/100%.ics', base)).toBe('https://dav.example.com/cal/100%.ics');
  });

  it('shows URLs without credentials or query', () => {
    expect(displayUrl('https://u:p@dav.example.com/x/?token=1')).toBe('https://dav.example.com/x/');
  });
});

describe('objectFileName and findUid', () => {
  it('uses a safe UID as it is', () => {
    expect(
      objectFileName('BEGIN:VCALENDAR\r\nUID:abc-123_x.y\r\nEND:VCALENDAR', 'text/calendar'),
    ).toBe('abc-123_x.y.ics');
    expect(objectFileName('BEGIN:VCARD\r\nUID:p1\r\nEND:VCARD', 'text/vcard')).toBe('p1.vcf');
  });

  it('cleans up other UIDs and keeps them apart with a hash', () => {
    const a = objectFileName('UID:a/b@example.com', 'text/calendar');
    const b = objectFileName('UID:a:b@example.com', 'text/calendar');
    expect(a).toMatch(/^a-b-example\.com-[0-9a-f]{12}\.ics$/);
    expect(b).toMatch(/^a-b-example\.com-[0-9a-f]{12}\.ics$/);
    expect(a).not.toBe(b);
    expect(objectFileName('UID:../../etc', 'text/calendar')).toMatch(/^etc-[0-9a-f]{12}\.ics$/);
    expect(objectFileName('UID:' + 'x'.repeat(300), 'text/calendar').length).toBeLessThan(100);
  });

  it('falls back to a random name without a UID', () => {
    expect(objectFileName('BEGIN:VCALENDAR\r\nEND:VCALENDAR', 'text/calendar')).toMatch(
      /^[0-9a-f-]{36}\.ics$/,
    );
  });

  it('reads folded UID lines and parameters', () => {
    expect(findUid('BEGIN:VEVENT\r\nUID:abc\r\n def\r\nEND:VEVENT')).toBe('abcdef');
    expect(findUid('BEGIN:VCARD\nUID;VALUE=text:urn:uuid:1\nEND:VCARD')).toBe('urn:uuid:1');
    expect(findUid('BEGIN:VEVENT\r\nSUMMARY:UID:no\r\nEND:VEVENT')).toBeNull();
  });
});

describe('parseDigestChallenge', () => {
  it('finds the Digest challenge among several schemes', () => {
    expect(
      parseDigestChallenge(
        'Basic realm="r", Digest realm="my, realm", qop="auth,auth-int", nonce="n1", opaque="o", algorithm=SHA-256, stale=TRUE',
      ),
    ).toEqual({
      realm: 'my, realm',
      nonce: 'n1',
      opaque: 'o',
      algorithm: 'SHA-256',
      qop: 'auth',
      stale: true,
    });
  });

  it('declines what it cannot answer', () => {
    expect(parseDigestChallenge('Basic realm="r"')).toBeUndefined();
    expect(parseDigestChallenge('Digest realm="r", nonce="n", qop="auth-int"')).toBeUndefined();
    expect(
      parseDigestChallenge('Digest realm="r", nonce="n", algorithm=SHA-512-256'),
    ).toBeUndefined();
  });
});

describe('parseDavError', () => {
  it('reads precondition names and the href of a no-uid-conflict', () => {
    expect(
      parseDavError(
        '<?xml version="1.0"?><D:error xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><C:no-uid-conflict><D:href>/cal/a.ics</D:href></C:no-uid-conflict></D:error>',
      ),
    ).toEqual({ conditions: ['noUidConflict'], href: '/cal/a.ics' });
    expect(parseDavError('<error xmlns="DAV:"><valid-sync-token /></error>')).toEqual({
      conditions: ['validSyncToken'],
      href: undefined,
    });
    expect(parseDavError('Precondition failed.')).toEqual({ conditions: [], href: undefined });
  });
});
