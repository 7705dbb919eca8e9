/** The owner fact of a CalDAV task (agendas.tasks.ownerOnly): its ORGANIZER, if any. */
import { describe, expect, it } from 'vitest';
import { parseCalendarObject } from '../../src/core/servers/dav/ical/index.ts';
import { contentHash } from '../../src/core/model/content-hash.ts';
import type { TaskData } from '../../src/core/model/items.ts';

const prague = { defaultZone: 'Europe/Prague' };

function todo(...lines: string[]): TaskData {
  const text = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:test',
    'BEGIN:VTODO',
    'UID:t1',
    'DTSTAMP:20260301T000000Z',
    'SUMMARY:Zavolat',
    ...lines,
    'END:VTODO',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
  const parsed = parseCalendarObject(text, 't1', prague);
  if (parsed.kind !== 'task') throw new Error('not a task');
  return parsed.data;
}

describe('CalDAV task owner', () => {
  it('is the ORGANIZER, address lower-cased, with its name', () => {
    expect(todo('ORGANIZER;CN=Jana Nováková:mailto:JNovakova@Firma.cz').owner).toEqual({
      email: 'jnovakova@firma.cz',
      name: 'Jana Nováková',
    });
  });

  it('is absent without an ORGANIZER (the user own task), and never part of the content hash', () => {
    const own = todo();
    expect(own.owner).toBeUndefined();
    expect(contentHash(todo('ORGANIZER:mailto:jnovakova@firma.cz'))).toBe(contentHash(own));
  });
});
