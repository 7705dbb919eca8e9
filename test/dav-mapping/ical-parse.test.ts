import { describe, expect, it } from 'vitest';
import { parseCalendarObject } from '../../src/core/servers/dav/ical/index.ts';
import type { EventData, TaskData } from '../../src/core/model/items.ts';
import { fixture } from './helpers.ts';

const prague = { defaultZone: 'Europe/Prague' };

function event(name: string): EventData {
  const parsed = parseCalendarObject(fixture(name), name, prague);
  if (parsed.kind !== 'event') throw new Error(`${name} is not an event`);
  return parsed.data;
}

function task(name: string): TaskData {
  const parsed = parseCalendarObject(fixture(name), name, prague);
  if (parsed.kind !== 'task') throw new Error(`${name} is not a task`);
  return parsed.data;
}

describe('parseCalendarObject: events from real clients', () => {
  it('reads an Outlook event with a Windows zone, its attendees, alarm and text', () => {
    const parsed = parseCalendarObject(fixture('outlook-windows-zone.ics'), 'outlook', prague);
    expect(parsed.identity).toEqual({
      uid: '040000008200E00074C5B7101A82E00800000000A0B1C2D3E4F5A6B7C8D9E0F102030405',
      crmStamp: null,
    });
    expect(parsed.modifiedAt).toBe('2026-03-11T08:00:00.000Z');
    expect(parsed.data).toEqual({
      kind: 'event',
      subject: 'Schůzka s panem Novákem',
      location: 'Zasedačka 3',
      description:
        'Agenda:\n1. Rozpočet, plán na Q2\n2. Různé\n\n________________________\nMicrosoft Teams meeting',
      // 10:00 CEST; "Central Europe Standard Time" is the user's own zone for a Prague user.
      start: { utc: '2026-04-01T08:00:00.000Z', tz: 'Europe/Prague' },
      end: { utc: '2026-04-01T09:00:00.000Z', tz: 'Europe/Prague' },
      rrule: null,
      exdates: [],
      overrides: [],
      isPrivate: false,
      categories: [],
      reminderMinutes: 15,
      organizer: { email: 'petr.svoboda@example.cz', name: 'Petr Svoboda' },
      attendees: [
        {
          email: 'eva.dvorakova@example.cz',
          name: 'Eva Dvořáková',
          role: 'optional',
          response: 'tentative',
        },
        {
          email: 'jan.novak@example.cz',
          name: 'Novák, Jan',
          role: 'required',
          response: 'needs-action',
        },
        {
          email: 'room3@example.cz',
          name: 'Zasedačka 3',
          role: 'resource',
          response: 'needs-action',
        },
      ],
    });
  });

  it('names a Windows zone by its main IANA zone for users elsewhere', () => {
    const parsed = parseCalendarObject(fixture('outlook-windows-zone.ics'), 'outlook', {
      defaultZone: 'America/New_York',
    });
    if (parsed.kind !== 'event') throw new Error('event expected');
    expect(parsed.data.start).toEqual({ utc: '2026-04-01T08:00:00.000Z', tz: 'Europe/Budapest' });
  });

  it('reads a Google event with UTC times as tz null', () => {
    const data = event('google-utc.ics');
    expect(data.start).toEqual({ utc: '2026-04-02T13:00:00.000Z', tz: null });
    expect(data.end).toEqual({ utc: '2026-04-02T14:00:00.000Z', tz: null });
    expect(data.location).toBe('Café Slavia, Smetanovo nábřeží 1012/2, Praha');
    expect(data.description).toBe(
      'Quarterly numbers; bring laptops, chargers.\n\nJoin with Google Meet: https://meet.google.com/abc-defg-hij',
    );
    expect(data.attendees.map((a) => [a.email, a.name, a.response])).toEqual([
      ['alice@example.com', 'Alice Example', 'accepted'],
      ['bob@example.org', 'bob@example.org', 'needs-action'],
    ]);
  });

  it('reads an iOS all-day event with its alarm the evening before', () => {
    const data = event('ios-all-day.ics');
    expect(data.start).toEqual({ date: '2026-04-10' });
    expect(data.end).toEqual({ date: '2026-04-11' });
    expect(data.reminderMinutes).toBe(15 * 60);
    expect(data.subject).toBe('Velký pátek – office closed');
  });

  it('reads an Apple weekly series: RRULE, EXDATE, a moved and a cancelled occurrence', () => {
    const parsed = parseCalendarObject(fixture('apple-weekly-series.ics'), 'apple', prague);
    expect(parsed.modifiedAt).toBe('2026-03-05T14:00:00.000Z');
    const data = parsed.data as EventData;
    expect(data.start).toEqual({ utc: '2026-03-16T08:00:00.000Z', tz: 'Europe/Prague' });
    expect(data.rrule).toBe('FREQ=WEEKLY;BYDAY=MO;UNTIL=20260525T065959Z');
    // 6 April 9:00 CEST (EXDATE) and 4 May (cancelled override).
    expect(data.exdates).toEqual(['2026-04-06T07:00:00.000Z', '2026-05-04T07:00:00.000Z']);
    expect(data.overrides).toEqual([
      {
        recurrenceId: '2026-04-13T07:00:00.000Z',
        start: { utc: '2026-04-13T08:30:00.000Z', tz: 'Europe/Prague' },
        end: { utc: '2026-04-13T09:30:00.000Z', tz: 'Europe/Prague' },
        subject: 'Porada týmu – posunuto',
        location: null,
        description: null,
      },
    ]);
  });

  it('reads a Thunderbird event: first display alarm, CONFIDENTIAL, categories over several lines', () => {
    const data = event('thunderbird-alarm.ics');
    expect(data.reminderMinutes).toBe(30);
    expect(data.isPrivate).toBe(true);
    expect(data.categories).toEqual(['Klienti', 'Obchod']);
    expect(data.attendees).toEqual([
      {
        email: 'john.smith@example.com',
        name: 'Smith; John',
        role: 'required',
        response: 'declined',
      },
      {
        email: 'martin.cerny@example.cz',
        name: 'Martin Černý',
        role: 'chair',
        response: 'accepted',
      },
    ]);
  });

  it('reads Russian text with escaped commas and semicolons', () => {
    const data = event('russian.ics');
    expect(data.subject).toBe('Встреча с партнёрами');
    expect(data.description).toBe('Обсудить договор; сроки, цены.\nВзять документы.');
    expect(data.location).toBe('Москва, ул. Тверская, 7');
    expect(data.start).toEqual({ utc: '2026-03-20T12:00:00.000Z', tz: 'Europe/Moscow' });
  });

  it('reads an object holding only one occurrence (an invitation) as a single event', () => {
    const parsed = parseCalendarObject(
      fixture('single-occurrence-invitation.ics'),
      'invite',
      prague,
    );
    expect(parsed.identity.uid).toBe('series-organised-elsewhere@example.org');
    const data = parsed.data as EventData;
    expect(data.rrule).toBeNull();
    expect(data.overrides).toEqual([]);
    expect(data.start).toEqual({ utc: '2026-04-20T09:00:00.000Z', tz: null });
    expect(data.subject).toBe('Steering committee (moved)');
  });

  it('reads X-CRM-SYNC-ID as the CRM stamp', () => {
    const text = fixture('google-utc.ics').replace(
      'SUMMARY:Q1 review',
      'SUMMARY:Q1 review\r\nX-CRM-SYNC-ID:event-1234',
    );
    expect(parseCalendarObject(text, 'x', prague).identity.crmStamp).toBe('event-1234');
  });
});

describe('parseCalendarObject: durations, defaults, exdates', () => {
  const wrap = (body: string): string =>
    `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\nBEGIN:VEVENT\r\nUID:u1\r\nDTSTAMP:20260101T000000Z\r\n${body}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
  const read = (body: string, defaultZone = 'Europe/Prague'): EventData =>
    parseCalendarObject(wrap(body), 'item', { defaultZone }).data as EventData;

  it('takes DURATION instead of DTEND, days nominal across DST', () => {
    const data = read('DTSTART;TZID=Europe/Prague:20260328T120000\r\nDURATION:P1DT1H');
    // 28 March 12:00 CET + 1 day = 29 March 12:00 CEST, + 1 hour.
    expect(data.end).toEqual({ utc: '2026-03-29T11:00:00.000Z', tz: 'Europe/Prague' });
  });

  it('gives a date without DTEND one day, and a date-time without DTEND no length', () => {
    expect(read('DTSTART;VALUE=DATE:20261231').end).toEqual({ date: '2027-01-01' });
    const timed = read('DTSTART:20260401T080000Z');
    expect(timed.end).toEqual(timed.start);
  });

  it('reads an all-day DTEND on the start day as one day', () => {
    expect(read('DTSTART;VALUE=DATE:20260410\r\nDTEND;VALUE=DATE:20260410').end).toEqual({
      date: '2026-04-11',
    });
  });

  it('reads floating times in the CRM user zone', () => {
    expect(read('DTSTART:20260701T090000\r\nDTEND:20260701T100000').start).toEqual({
      utc: '2026-07-01T07:00:00.000Z',
      tz: 'Europe/Prague',
    });
    expect(read('DTSTART:20260701T090000', 'America/Los_Angeles').start).toEqual({
      utc: '2026-07-01T16:00:00.000Z',
      tz: 'America/Los_Angeles',
    });
  });

  it('reads several EXDATE lines, comma lists, UTC, TZID and DATE forms of a timed series', () => {
    const data = read(
      [
        'DTSTART;TZID=Europe/Prague:20260105T090000',
        'DTEND;TZID=Europe/Prague:20260105T100000',
        'RRULE:FREQ=DAILY;COUNT=30',
        'EXDATE;TZID=Europe/Prague:20260106T090000,20260107T090000',
        'EXDATE:20260108T080000Z',
        'EXDATE;VALUE=DATE:20260109',
      ].join('\r\n'),
    );
    expect(data.exdates).toEqual([
      '2026-01-06T08:00:00.000Z',
      '2026-01-07T08:00:00.000Z',
      '2026-01-08T08:00:00.000Z',
      '2026-01-09T08:00:00.000Z',
    ]);
  });

  it('keys an all-day series by dates', () => {
    const data = read(
      'DTSTART;VALUE=DATE:20260105\r\nRRULE:FREQ=WEEKLY;COUNT=5\r\nEXDATE;VALUE=DATE:20260112,20260119',
    );
    expect(data.exdates).toEqual(['2026-01-12', '2026-01-19']);
  });

  it('passes RRULE text through, normalised by ical.js', () => {
    expect(read('DTSTART:20260105T090000Z\r\nRRULE:BYDAY=MO,WE;FREQ=WEEKLY;COUNT=10').rrule).toBe(
      'FREQ=WEEKLY;COUNT=10;BYDAY=MO,WE',
    );
    expect(
      read('DTSTART:20260130T090000Z\r\nRRULE:FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20261231T235959Z')
        .rrule,
    ).toBe('FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20261231T235959Z');
  });

  it('maps ROLE, CUTYPE and PARTSTAT', () => {
    const data = read(
      [
        'DTSTART:20260105T090000Z',
        'ATTENDEE;ROLE=NON-PARTICIPANT:mailto:fyi@example.com',
        'ATTENDEE;CUTYPE=ROOM;ROLE=REQ-PARTICIPANT:mailto:room@example.com',
        'ATTENDEE;PARTSTAT=DELEGATED:mailto:delegated@example.com',
        'ATTENDEE;CN=No Address:urn:uuid:1234',
        'ATTENDEE;EMAIL=Via.Param@Example.com:urn:uuid:5678',
      ].join('\r\n'),
    );
    expect(data.attendees).toEqual([
      { email: 'delegated@example.com', name: '', role: 'required', response: 'declined' },
      { email: 'fyi@example.com', name: '', role: 'optional', response: 'needs-action' },
      { email: 'room@example.com', name: '', role: 'resource', response: 'needs-action' },
      { email: 'via.param@example.com', name: '', role: 'required', response: 'needs-action' },
    ]);
  });

  it('strips trailing line breaks only', () => {
    const data = read(
      'DTSTART:20260105T090000Z\r\nSUMMARY:  Spaces kept  \\n\\n\r\nDESCRIPTION:a\\nb\\n',
    );
    expect(data.subject).toBe('  Spaces kept  ');
    expect(data.description).toBe('a\nb');
  });

  it('reads an alarm relative to the end and an absolute alarm', () => {
    const base = 'DTSTART:20260105T090000Z\r\nDTEND:20260105T100000Z\r\n';
    const end = read(
      `${base}BEGIN:VALARM\r\nACTION:AUDIO\r\nTRIGGER;RELATED=END:-PT90M\r\nEND:VALARM`,
    );
    expect(end.reminderMinutes).toBe(30);
    const absolute = read(
      `${base}BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:x\r\nTRIGGER;VALUE=DATE-TIME:20260105T084500Z\r\nEND:VALARM`,
    );
    expect(absolute.reminderMinutes).toBe(15);
  });
});

describe('parseCalendarObject: tasks', () => {
  it('reads a Nextcloud task with a due date, priority and categories', () => {
    const parsed = parseCalendarObject(fixture('nextcloud-task.ics'), 'task', prague);
    expect(parsed.kind).toBe('task');
    // LAST-MODIFIED is floating here (as Nextcloud Tasks writes it): read in the user's zone.
    expect(parsed.modifiedAt).toBe('2026-03-05T14:45:00.000Z');
    expect(parsed.data).toEqual({
      kind: 'task',
      subject: 'Připravit nabídku pro ACME',
      description: 'Ceník, podmínky; termín dodání',
      start: null,
      due: { date: '2026-04-10' },
      completedAt: null,
      percentComplete: 40,
      priority: 'high',
      isPrivate: false,
      categories: ['Nabídky', 'Obchod'],
    });
  });

  it('reads a completed task', () => {
    expect(task('nextcloud-task-completed.ics')).toEqual({
      kind: 'task',
      subject: 'Zavolat panu Novákovi',
      description: '',
      start: { utc: '2026-03-03T08:00:00.000Z', tz: 'Europe/Prague' },
      due: { utc: '2026-03-05T16:00:00.000Z', tz: 'Europe/Prague' },
      completedAt: '2026-03-06T09:15:00.000Z',
      percentComplete: 100,
      priority: 'low',
      isPrivate: true,
      categories: [],
    });
  });

  it('takes the completion time from LAST-MODIFIED when COMPLETED is missing, and DTSTART+DURATION as due', () => {
    const text = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:test',
      'BEGIN:VTODO',
      'UID:t2',
      'DTSTAMP:20260301T000000Z',
      'LAST-MODIFIED:20260302T101500Z',
      'STATUS:COMPLETED',
      'DTSTART;VALUE=DATE:20260301',
      'DURATION:P2D',
      'PRIORITY:0',
      'END:VTODO',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    const data = parseCalendarObject(text, 't2', prague).data as TaskData;
    expect(data.completedAt).toBe('2026-03-02T10:15:00.000Z');
    expect(data.percentComplete).toBe(100);
    expect(data.due).toEqual({ date: '2026-03-03' });
    expect(data.priority).toBe('normal');
  });
});
