import ICAL from 'ical.js';
import { afterEach, describe, expect, it } from 'vitest';
import {
  parseCalendarObject,
  renderCalendarObject,
} from '../../src/core/servers/dav/ical/index.ts';
import type { EventData, TaskData } from '../../src/core/model/items.ts';
import {
  contentLines,
  expandWithIcalJs,
  expectItemError,
  fixture,
  NOW,
  wallTime,
} from './helpers.ts';

const prague = { defaultZone: 'Europe/Prague', now: NOW };

function wrap(body: string, extra = ''): string {
  return `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\n${extra}BEGIN:VEVENT\r\nUID:tz-test\r\nDTSTAMP:20260101T000000Z\r\n${body}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
}

function startOf(text: string, defaultZone = 'Europe/Prague'): unknown {
  return (parseCalendarObject(text, 'Item', { defaultZone }).data as EventData).start;
}

function weekly(start: string, tz: string): EventData {
  const end = new Date(Date.parse(start) + 3600_000).toISOString();
  return {
    kind: 'event',
    subject: 'Weekly',
    location: '',
    description: '',
    start: { utc: start, tz },
    end: { utc: end, tz },
    rrule: 'FREQ=WEEKLY;COUNT=8',
    exdates: [],
    overrides: [],
    isPrivate: false,
    categories: [],
    reminderMinutes: null,
    organizer: null,
    attendees: [],
  };
}

describe('time zones: DST and recurrence', () => {
  it('keeps a weekly 9:00 Prague series at 9:00 after the switch to summer time (expanded by ical.js)', () => {
    // Monday 16 March 2026, 9:00 CET; clocks go forward on 29 March.
    const text = renderCalendarObject(
      weekly('2026-03-16T08:00:00.000Z', 'Europe/Prague'),
      { uid: 'w', crmStamp: null },
      undefined,
      prague,
    );
    const starts = expandWithIcalJs(text);
    expect(starts).toHaveLength(8);
    expect(starts[0]).toBe('2026-03-16T08:00:00.000Z');
    expect(starts[3]).toBe('2026-04-06T07:00:00.000Z');
    for (const start of starts) expect(wallTime(start, 'Europe/Prague')).toBe('09:00');
  });

  it('does the same for New York (March switch) and Sydney (April switch, southern hemisphere)', () => {
    for (const [start, tz, wall] of [
      ['2026-02-23T14:00:00.000Z', 'America/New_York', '09:00'],
      ['2026-03-23T22:30:00.000Z', 'Australia/Sydney', '09:30'],
      ['2026-10-01T03:30:00.000Z', 'Australia/Lord_Howe', '14:00'],
    ] as const) {
      const text = renderCalendarObject(
        weekly(start, tz),
        { uid: 'w', crmStamp: null },
        undefined,
        prague,
      );
      for (const s of expandWithIcalJs(text)) expect(wallTime(s, tz)).toBe(wall);
    }
  });

  it('expands the Outlook display-name zone series at 9:00 Amsterdam time too', () => {
    const text = fixture('outlook-display-name-zone.ics');
    const data = parseCalendarObject(text, 'o', prague).data as EventData;
    expect(data.start).toEqual({ utc: '2026-01-12T08:00:00.000Z', tz: 'Europe/Amsterdam' });
    const moved = renderCalendarObject(
      {
        ...data,
        start: { utc: '2026-01-12T09:00:00.000Z', tz: 'Europe/Amsterdam' },
        end: { utc: '2026-01-12T09:30:00.000Z', tz: 'Europe/Amsterdam' },
      },
      { uid: 'x', crmStamp: null },
      text,
      prague,
    );
    expect(contentLines(moved)).toContain('DTSTART;TZID=Europe/Amsterdam:20260112T100000');
    for (const s of expandWithIcalJs(moved, 20))
      expect(wallTime(s, 'Europe/Amsterdam')).toBe('10:00');
  });
});

describe('time zones: names', () => {
  it('maps Windows zone names (with or without a definition) to IANA zones', () => {
    const cases: [string, string, string][] = [
      ['W. Europe Standard Time', '20260715T140000', 'Europe/Berlin'],
      ['Eastern Standard Time', '20260115T090000', 'America/New_York'],
      ['Russian Standard Time', '20260115T090000', 'Europe/Moscow'],
      ['GMT Standard Time', '20260715T090000', 'Europe/London'],
      ['Tokyo Standard Time', '20260715T090000', 'Asia/Tokyo'],
      ['India Standard Time', '20260715T090000', 'Asia/Calcutta'],
    ];
    for (const [name, local, iana] of cases) {
      const start = startOf(wrap(`DTSTART;TZID="${name}":${local}`), 'UTC') as {
        utc: string;
        tz: string;
      };
      expect(start.tz, name).toBe(iana);
      expect(wallTime(start.utc, iana), name).toBe(`${local.slice(9, 11)}:${local.slice(11, 13)}`);
    }
    expect(startOf(fixture('outlook-no-vtimezone.ics'))).toEqual({
      utc: '2026-07-15T12:00:00.000Z',
      tz: 'Europe/Berlin',
    });
  });

  it('reads Lightning-style path TZIDs and takes the instant from their definition', () => {
    const vtimezone = [
      'BEGIN:VTIMEZONE',
      'TZID:/mozilla.org/20050126_1/Europe/Berlin',
      'X-LIC-LOCATION:Europe/Berlin',
      'BEGIN:STANDARD',
      'TZOFFSETFROM:+0200',
      'TZOFFSETTO:+0100',
      'DTSTART:19701025T030000',
      'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10',
      'END:STANDARD',
      'BEGIN:DAYLIGHT',
      'TZOFFSETFROM:+0100',
      'TZOFFSETTO:+0200',
      'DTSTART:19700329T020000',
      'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3',
      'END:DAYLIGHT',
      'END:VTIMEZONE',
      '',
    ].join('\r\n');
    expect(
      startOf(
        wrap('DTSTART;TZID=/mozilla.org/20050126_1/Europe/Berlin:20260601T100000', vtimezone),
      ),
    ).toEqual({
      utc: '2026-06-01T08:00:00.000Z',
      tz: 'Europe/Berlin',
    });
  });

  it('uses a custom definition no IANA zone matches for the instant, with tz null, and keeps writing in it', () => {
    // A fixed +01:30 zone: the instant is right, but no IANA name fits.
    const vtimezone = [
      'BEGIN:VTIMEZONE',
      'TZID:Customized Time Zone',
      'BEGIN:STANDARD',
      'DTSTART:16010101T000000',
      'TZOFFSETFROM:+0130',
      'TZOFFSETTO:+0130',
      'END:STANDARD',
      'END:VTIMEZONE',
      '',
    ].join('\r\n');
    const text = wrap(
      'DTSTART;TZID="Customized Time Zone":20260601T100000\r\nDTEND;TZID="Customized Time Zone":20260601T110000\r\nRRULE:FREQ=DAILY;COUNT=3',
      vtimezone,
    );
    const data = parseCalendarObject(text, 'c', prague).data as EventData;
    expect(data.start).toEqual({ utc: '2026-06-01T08:30:00.000Z', tz: null });
    const later = renderCalendarObject(
      {
        ...data,
        start: { utc: '2026-06-01T09:30:00.000Z', tz: null },
        end: { utc: '2026-06-01T10:30:00.000Z', tz: null },
      },
      { uid: 'tz-test', crmStamp: null },
      text,
      prague,
    );
    // Still in its own zone (a series written in UTC would drift across DST).
    expect(contentLines(later)).toContain('DTSTART;TZID="Customized Time Zone":20260601T110000');
    expect(contentLines(later)).toContain('TZID:Customized Time Zone');
    expect((parseCalendarObject(later, 'c', prague).data as EventData).start).toEqual({
      utc: '2026-06-01T09:30:00.000Z',
      tz: null,
    });
  });

  it('names the item and the zone when a TZID is neither defined nor known', () => {
    const error = expectItemError(
      () =>
        parseCalendarObject(
          wrap('DTSTART;TZID=Mars/Olympus_Mons:20260601T100000'),
          'Meeting on Mars',
          prague,
        ),
      '"Meeting on Mars"',
      'unknown time zone "Mars/Olympus_Mons"',
    );
    expect(error.name).toBe('ItemError');
    // The app words it from the code: the item and the zone.
    expect(error).toMatchObject({
      code: 'item-unknown-time-zone',
      params: { item: 'Meeting on Mars', zone: 'Mars/Olympus_Mons' },
    });
    expectItemError(
      () =>
        parseCalendarObject(
          wrap('DTSTART:20260601T100000Z\r\nEXDATE;TZID=Nowhere:20260602T100000'),
          'X',
          prague,
        ),
      'unknown time zone "Nowhere"',
    );
  });

  it('writes the zone name the CRM uses, aliases included', () => {
    for (const tz of ['Europe/Kiev', 'Asia/Calcutta', 'US/Eastern', 'UTC']) {
      const out = renderCalendarObject(
        weekly('2026-03-16T08:00:00.000Z', tz),
        { uid: 'w', crmStamp: null },
        undefined,
        prague,
      );
      expect(contentLines(out)).toContain(`TZID:${tz}`);
      expect((parseCalendarObject(out, 'w', prague).data as EventData).start).toEqual({
        utc: '2026-03-16T08:00:00.000Z',
        tz,
      });
    }
  });
});

describe('time zones: definitions we write', () => {
  it('writes exact transitions where the current rules were not in force (Moscow 2012, UTC+4)', () => {
    const data = { ...weekly('2012-06-01T06:00:00.000Z', 'Europe/Moscow'), rrule: null };
    const out = renderCalendarObject(data, { uid: 'm', crmStamp: null }, undefined, prague);
    expect(contentLines(out)).toContain('DTSTART;TZID=Europe/Moscow:20120601T100000');
    // ical.js, reading only our text, computes the same instant.
    const root = new ICAL.Component(ICAL.parse(out));
    const start = root.getFirstSubcomponent('vevent')?.getFirstPropertyValue('dtstart');
    expect(
      start instanceof ICAL.Time ? new Date(start.toUnixTime() * 1000).toISOString() : null,
    ).toBe('2012-06-01T06:00:00.000Z');
  });

  it('replaces an embedded definition that contradicts the tz database at the written times', () => {
    const wrong = [
      'BEGIN:VTIMEZONE',
      'TZID:Europe/Prague',
      'BEGIN:STANDARD',
      'DTSTART:19700101T000000',
      'TZOFFSETFROM:+0300',
      'TZOFFSETTO:+0300',
      'END:STANDARD',
      'END:VTIMEZONE',
      '',
    ].join('\r\n');
    const text = wrap('DTSTART;TZID=Europe/Prague:20260601T100000\r\nSUMMARY:x', wrong);
    const data = parseCalendarObject(text, 'x', prague).data as EventData;
    // IANA names are read with the tz database, whatever the definition says.
    expect(data.start).toEqual({ utc: '2026-06-01T08:00:00.000Z', tz: 'Europe/Prague' });
    const out = renderCalendarObject(
      { ...data, subject: 'y' },
      { uid: 'tz-test', crmStamp: null },
      text,
      prague,
    );
    expect(out).not.toContain('TZOFFSETTO:+0300');
    expect(expandWithIcalJs(out)).toEqual(['2026-06-01T08:00:00.000Z']);
  });
});

describe('time zones: all-day and the process time zone', () => {
  const savedTz = process.env.TZ;
  afterEach(() => {
    process.env.TZ = savedTz;
  });

  it('reads and writes all-day dates with no off-by-one in any process zone', () => {
    const text = fixture('ios-all-day.ics');
    for (const tz of [
      'America/Los_Angeles',
      'Pacific/Kiritimati',
      'Asia/Kolkata',
      'Pacific/Pago_Pago',
      'UTC',
    ]) {
      process.env.TZ = tz;
      const parsed = parseCalendarObject(text, 'ios', {});
      const data = parsed.data as EventData;
      expect(data.start, tz).toEqual({ date: '2026-04-10' });
      expect(data.end, tz).toEqual({ date: '2026-04-11' });
      const fresh = renderCalendarObject(data, parsed.identity, undefined, { now: NOW });
      expect(contentLines(fresh), tz).toContain('DTSTART;VALUE=DATE:20260410');
      expect(contentLines(fresh), tz).toContain('DTEND;VALUE=DATE:20260411');
      expect(parseCalendarObject(fresh, 'ios', {}).data, tz).toEqual(data);
      const series = renderCalendarObject(
        { ...data, rrule: 'FREQ=YEARLY;COUNT=3', exdates: ['2027-04-10'] },
        parsed.identity,
        undefined,
        { now: NOW },
      );
      expect(contentLines(series), tz).toContain('EXDATE;VALUE=DATE:20270410');
      expect((parseCalendarObject(series, 'ios', {}).data as EventData).exdates, tz).toEqual([
        '2027-04-10',
      ]);
    }
  });

  it('reads floating times in the process zone when no default zone is given', () => {
    process.env.TZ = 'Asia/Kolkata';
    expect(
      (parseCalendarObject(wrap('DTSTART:20260601T100000'), 'f', {}).data as EventData).start,
    ).toEqual({
      utc: '2026-06-01T04:30:00.000Z',
      tz: 'Asia/Kolkata',
    });
  });

  it('keeps date-only task due dates whatever the zone', () => {
    for (const tz of ['Pacific/Kiritimati', 'America/Los_Angeles']) {
      process.env.TZ = tz;
      const data = parseCalendarObject(fixture('nextcloud-task.ics'), 't', {}).data as TaskData;
      expect(data.due, tz).toEqual({ date: '2026-04-10' });
      const out = renderCalendarObject(data, { uid: 't', crmStamp: null }, undefined, { now: NOW });
      expect(contentLines(out)).toContain('DUE;VALUE=DATE:20260410');
    }
  });
});
