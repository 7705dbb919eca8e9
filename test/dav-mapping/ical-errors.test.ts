import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseCalendarObject,
  renderCalendarObject,
} from '../../src/core/servers/dav/ical/index.ts';
import { ItemError } from '../../src/core/servers/errors.ts';
import { expectItemError, fixture, NOW } from './helpers.ts';

const options = { defaultZone: 'Europe/Prague' };

function event(body: string): string {
  return `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\nBEGIN:VEVENT\r\nUID:e1\r\nDTSTAMP:20260101T000000Z\r\n${body}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
}

describe('parseCalendarObject: malformed input is an ItemError naming the item', () => {
  const cases: [string, string, string][] = [
    ['empty text', '', 'no VCALENDAR'],
    ['not iCalendar at all', 'hello world', 'not valid iCalendar'],
    ['a vCard', fixture('no-uid-3.0.vcf'), 'no VCALENDAR'],
    [
      'an unclosed component',
      'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\n',
      'not valid iCalendar',
    ],
    [
      'mismatched END',
      'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VTODO\r\nEND:VCALENDAR\r\n',
      'not valid iCalendar',
    ],
    [
      'an unclosed quote',
      event('DTSTART:20260101T090000Z\r\nATTENDEE;CN="Jan:mailto:a@b.c'),
      'not valid iCalendar',
    ],
    [
      'no VEVENT or VTODO',
      'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n',
      'no VEVENT or VTODO',
    ],
    ['no DTSTART', event('SUMMARY:x'), 'no DTSTART'],
    [
      'end before start',
      event('DTSTART:20260101T100000Z\r\nDTEND:20260101T090000Z'),
      'ends (2026-01-01T09:00:00.000Z) before it starts',
    ],
    [
      'all-day end before start',
      event('DTSTART;VALUE=DATE:20260105\r\nDTEND;VALUE=DATE:20260101'),
      'before it starts',
    ],
    [
      'mixed start and end types',
      event('DTSTART;VALUE=DATE:20260105\r\nDTEND:20260106T100000Z'),
      'not both dates',
    ],
    [
      'a bad date',
      event('DTSTART:20261345T100000Z'),
      'DTSTART "20261345T100000Z" is not a valid date',
    ],
    ['a bad time', event('DTSTART:20260101T250000Z'), 'not a valid time'],
    ['garbage for a date', event('DTSTART:tomorrow'), 'not a date or date-time'],
    [
      'an unreadable RRULE',
      event('DTSTART:20260101T100000Z\r\nRRULE:FREQ=SOMETIMES'),
      'RRULE "FREQ=SOMETIMES" cannot be read',
    ],
    // ical.js reads these without a word, and the run then died on the rule (found by the fuzz).
    [
      'an RRULE without FREQ',
      event('DTSTART:20260101T100000Z\r\nRRULE:COUNT=3'),
      'RRULE "COUNT=3" cannot be read (it has no FREQ)',
    ],
    [
      'an RRULE with INTERVAL=0',
      event('DTSTART:20260101T100000Z\r\nRRULE:FREQ=DAILY;INTERVAL=0'),
      'INTERVAL "0" is not a positive number',
    ],
    [
      'a negative DURATION',
      event('DTSTART:20260101T100000Z\r\nDURATION:-PT1H'),
      'DURATION "-PT1H" is negative',
    ],
    [
      'a bad DURATION',
      event('DTSTART:20260101T100000Z\r\nDURATION:soon'),
      'DURATION "soon" cannot be read',
    ],
    [
      'a bad EXDATE',
      event('DTSTART:20260101T100000Z\r\nRRULE:FREQ=DAILY\r\nEXDATE:yesterday'),
      'EXDATE',
    ],
    [
      'several UIDs',
      event(
        'DTSTART:20260101T100000Z\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:other\r\nDTSTART:20260102T100000Z',
      ),
      '2 different UIDs',
    ],
    [
      'an event and a task',
      event(
        'DTSTART:20260101T100000Z\r\nEND:VEVENT\r\nBEGIN:VTODO\r\nUID:e1\r\nSUMMARY:t\r\nEND:VTODO\r\nBEGIN:VEVENT\r\nUID:e1\r\nDTSTART:20260101T100000Z',
      ),
      'both an event and a task',
    ],
    [
      'a broken zone definition',
      event('DTSTART;TZID=Odd:20260101T100000').replace(
        'BEGIN:VEVENT',
        'BEGIN:VTIMEZONE\r\nTZID:Odd\r\nBEGIN:STANDARD\r\nDTSTART:nonsense\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT',
      ),
      'Odd',
    ],
  ];
  for (const [what, text, cause] of cases) {
    it(`reports ${what}`, () => {
      expectItemError(
        () => parseCalendarObject(text, 'Porada.ics', options),
        '"Porada.ics"',
        cause,
      );
    });
  }

  it('gives the common causes a code the app words them by, naming the item', () => {
    const caseText = (what: string): string => cases.find(([name]) => name === what)?.[1] ?? '';
    const coded: [string, string, Record<string, string>][] = [
      ['hello world', 'item-malformed', { item: 'Porada.ics', format: 'iCalendar' }],
      [event('SUMMARY:x'), 'item-no-start', { item: 'Porada.ics' }],
      [
        event('DTSTART:20260101T100000Z\r\nRRULE:FREQ=SOMETIMES'),
        'item-recurrence-unreadable',
        { item: 'Porada.ics', rule: 'FREQ=SOMETIMES' },
      ],
      [
        event('DTSTART:tomorrow'),
        'item-value-unreadable',
        { item: 'Porada.ics', property: 'DTSTART' },
      ],
      [
        event('DTSTART;TZID=Mars/Olympus:20260101T100000'),
        'item-unknown-time-zone',
        { item: 'Porada.ics', zone: 'Mars/Olympus' },
      ],
      [caseText('an event and a task'), 'item-event-and-task', { item: 'Porada.ics' }],
      [
        caseText('a broken zone definition'),
        'item-time-zone-broken',
        { item: 'Porada.ics', zone: 'Odd' },
      ],
    ];
    for (const [text, code, params] of coded) {
      const error = expectItemError(() => parseCalendarObject(text, 'Porada.ics', options));
      expect(error, code).toMatchObject({ code, params: expect.objectContaining(params) });
    }
  });

  it('never throws anything but ItemError for mangled real objects', () => {
    const sources = [
      'outlook-windows-zone.ics',
      'apple-weekly-series.ics',
      'google-utc.ics',
      'thunderbird-alarm.ics',
      'nextcloud-task-completed.ics',
    ].map(fixture);
    const mangle = fc.record({
      source: fc.constantFrom(...sources),
      cuts: fc.array(
        fc.record({
          at: fc.nat(),
          length: fc.nat({ max: 40 }),
          insert: fc.oneof(
            fc.constantFrom(
              '',
              ':',
              ';',
              '"',
              '\r\n',
              '\r\n ',
              'BEGIN:VEVENT\r\n',
              'END:VALARM\r\n',
              'TZID=X;',
              ',',
              '\\',
            ),
            fc.string({ maxLength: 8 }),
          ),
        }),
        { minLength: 1, maxLength: 4 },
      ),
    });
    fc.assert(
      fc.property(mangle, ({ source, cuts }) => {
        let text = source;
        for (const cut of cuts) {
          const at = cut.at % (text.length + 1);
          text = text.slice(0, at) + cut.insert + text.slice(at + cut.length);
        }
        try {
          const result = parseCalendarObject(text, 'fuzz', options);
          // Whatever was read can be written back in place and read again.
          const out = renderCalendarObject(
            result.data,
            { ...result.identity, uid: result.identity.uid || 'u' },
            text,
            {
              ...options,
              now: NOW,
            },
          );
          parseCalendarObject(out, 'fuzz', options);
        } catch (err) {
          if (!(err instanceof ItemError)) throw err;
        }
      }),
      { numRuns: 400 },
    );
  });

  it('tolerates a stray line (an unescaped line break in a text) and keeps it', () => {
    const text = event(
      'DTSTART:20260101T100000Z\r\nDESCRIPTION:Volat po\r\nVolat po 9:00 nebo 14:00\r\nSUMMARY:Hovor',
    );
    const parsed = parseCalendarObject(text, 'x', options);
    expect(parsed.data).toMatchObject({ subject: 'Hovor', description: 'Volat po' });
    const out = renderCalendarObject(parsed.data, parsed.identity, text, { ...options, now: NOW });
    expect(out).toContain('\r\nVolat po 9:00 nebo 14:00\r\n');
  });

  it('reads a UID-less object with uid ""', () => {
    const text = event('DTSTART:20260101T100000Z').replace('UID:e1\r\n', '');
    expect(parseCalendarObject(text, 'x', options).identity).toEqual({ uid: '', crmStamp: null });
  });
});
