import { describe, expect, it } from 'vitest';
import { isCompleteXml } from '../../src/core/servers/xml-complete.ts';

const listing =
  '<?xml version="1.0" encoding="utf-8"?>\n<d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">' +
  '<d:sync-token>http://x/1</d:sync-token>' +
  '<d:response><d:href>/cal/a.ics</d:href><d:propstat><d:prop><d:getetag>"1"</d:getetag>' +
  '<c:calendar-data><![CDATA[BEGIN:VCALENDAR\r\nX-NOTE:a <b> & c\r\nEND:VCALENDAR\r\n]]></c:calendar-data>' +
  '</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>' +
  '<!-- a comment with <tags> --><d:response><d:href a=">">/cal/b.ics</d:href><d:status>HTTP/1.1 404 Not Found</d:status></d:response>' +
  '<d:empty/></d:multistatus>\r\n';

describe('isCompleteXml', () => {
  it('accepts a whole document with CDATA, comments, attributes and self-closed elements', () => {
    expect(isCompleteXml(listing)).toBe(true);
    expect(isCompleteXml('\uFEFF<a/>')).toBe(true);
  });

  it('refuses a document cut at any point', () => {
    const cuts = new Set<number>();
    for (let at = 1; at < listing.trimEnd().length; at += 7) cuts.add(at);
    for (const at of cuts) expect(isCompleteXml(listing.slice(0, at)), `cut at ${at}`).toBe(false);
  });

  it('refuses misnested elements, two roots, stray text and no XML at all', () => {
    expect(isCompleteXml('<a><b></a></b>')).toBe(false);
    expect(isCompleteXml('<a/><b/>')).toBe(false);
    expect(isCompleteXml('<a/>tail')).toBe(false);
    expect(isCompleteXml('500 Internal Server Error')).toBe(false);
    expect(isCompleteXml('')).toBe(false);
  });
});
