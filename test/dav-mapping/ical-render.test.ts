import { describe, expect, it } from 'vitest';
import {
  parseCalendarObject,
  renderCalendarObject,
} from '../../src/core/servers/dav/ical/index.ts';
import type { EventData, ItemIdentity, TaskData } from '../../src/core/model/items.ts';
import {
  contentLines,
  expectItemError,
  fixture,
  foldedLine,
  NOW,
  physicalLines,
} from './helpers.ts';

const options = { defaultZone: 'Europe/Prague', now: NOW };

function parsed(name: string): { data: EventData; identity: ItemIdentity; text: string } {
  const text = fixture(name);
  const result = parseCalendarObject(text, name, options);
  if (result.kind !== 'event') throw new Error('event expected');
  return { data: result.data, identity: result.identity, text };
}

/** Lines of `before` missing from `after` (physical lines, so folding counts). */
function lost(before: string, after: string): string[] {
  const kept = new Set(physicalLines(after));
  return physicalLines(before).filter((l) => !kept.has(l));
}

const meeting: EventData = {
  kind: 'event',
  subject: 'Schůzka s panem Novákem; rozpočet, plán',
  location: 'Zasedačka 3',
  description: 'Agenda:\n1. Rozpočet\n2. Různé',
  start: { utc: '2026-04-01T08:00:00.000Z', tz: 'Europe/Prague' },
  end: { utc: '2026-04-01T09:00:00.000Z', tz: 'Europe/Prague' },
  rrule: null,
  exdates: [],
  overrides: [],
  isPrivate: false,
  categories: ['Klienti'],
  reminderMinutes: 10,
  organizer: { email: 'petr.svoboda@example.cz', name: 'Petr Svoboda' },
  attendees: [
    { email: 'jan.novak@example.cz', name: 'Novák, Jan', role: 'required', response: 'accepted' },
    { email: 'room3@example.cz', name: 'Zasedačka 3', role: 'resource', response: 'needs-action' },
  ],
};

describe('renderCalendarObject: new objects', () => {
  const text = renderCalendarObject(
    meeting,
    { uid: 'uid-1', crmStamp: 'crm-7' },
    undefined,
    options,
  );

  it('writes a complete VCALENDAR with our PRODID, a VTIMEZONE and zoned times', () => {
    const lines = contentLines(text);
    expect(lines.slice(0, 4)).toEqual([
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//CRM Sync//CRM Sync//EN',
      'CALSCALE:GREGORIAN',
    ]);
    expect(lines).toContain('BEGIN:VTIMEZONE');
    expect(lines).toContain('TZID:Europe/Prague');
    expect(lines.indexOf('BEGIN:VTIMEZONE')).toBeLessThan(lines.indexOf('BEGIN:VEVENT'));
    expect(lines).toContain('DTSTART;TZID=Europe/Prague:20260401T100000');
    expect(lines).toContain('DTEND;TZID=Europe/Prague:20260401T110000');
    expect(lines).toContain('UID:uid-1');
    expect(lines).toContain('X-CRM-SYNC-ID:crm-7');
    expect(lines).toContain('DTSTAMP:20260401T060000Z');
    expect(lines).toContain('SUMMARY:Schůzka s panem Novákem\\; rozpočet\\, plán');
    expect(lines).toContain('TRIGGER:-PT10M');
  });

  it('puts SCHEDULE-AGENT=CLIENT on the organizer and every attendee', () => {
    const people = contentLines(text).filter((l) => /^(ATTENDEE|ORGANIZER)[;:]/.test(l));
    expect(people).toHaveLength(3);
    for (const line of people) expect(line).toContain(';SCHEDULE-AGENT=CLIENT');
    expect(people).toContain(
      'ATTENDEE;CN=Zasedačka 3;CUTYPE=RESOURCE;ROLE=NON-PARTICIPANT;PARTSTAT=NEEDS-ACTION;SCHEDULE-AGENT=CLIENT:mailto:room3@example.cz',
    );
    expect(people).toContain(
      'ATTENDEE;CN="Novák, Jan";ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;SCHEDULE-AGENT=CLIENT:mailto:jan.novak@example.cz',
    );
  });

  it('ends lines with CRLF and folds them at 75 octets without splitting characters', () => {
    const long = renderCalendarObject(
      { ...meeting, description: 'Příliš žluťoučký kůň úpěl ďábelské ódy. '.repeat(12) },
      { uid: 'uid-2', crmStamp: null },
      undefined,
      options,
    );
    expect(long.endsWith('\r\n')).toBe(true);
    expect(long.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of physicalLines(long)) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    const parsedBack = parseCalendarObject(long, 'x', options).data as EventData;
    expect(parsedBack.description).toBe('Příliš žluťoučký kůň úpěl ďábelské ódy. '.repeat(12));
  });

  it('writes tz null as UTC and all-day as VALUE=DATE without a VTIMEZONE', () => {
    const utc = renderCalendarObject(
      {
        ...meeting,
        start: { utc: '2026-04-01T08:00:00.000Z', tz: null },
        end: { utc: '2026-04-01T09:00:00.000Z', tz: null },
      },
      { uid: 'u', crmStamp: null },
      undefined,
      options,
    );
    expect(contentLines(utc)).toContain('DTSTART:20260401T080000Z');
    expect(utc).not.toContain('VTIMEZONE');
    const allDay = renderCalendarObject(
      { ...meeting, start: { date: '2026-04-10' }, end: { date: '2026-04-11' } },
      { uid: 'u', crmStamp: null },
      undefined,
      options,
    );
    expect(contentLines(allDay)).toContain('DTSTART;VALUE=DATE:20260410');
    expect(contentLines(allDay)).toContain('DTEND;VALUE=DATE:20260411');
    expect(allDay).not.toContain('VTIMEZONE');
  });

  it('writes overrides as VEVENTs with RECURRENCE-ID and cancelled occurrences as EXDATE', () => {
    const series: EventData = {
      ...meeting,
      rrule: 'FREQ=WEEKLY;COUNT=10;BYDAY=WE',
      exdates: ['2026-04-08T08:00:00.000Z'],
      overrides: [
        {
          recurrenceId: '2026-04-15T08:00:00.000Z',
          start: { utc: '2026-04-15T12:00:00.000Z', tz: 'Europe/Prague' },
          end: { utc: '2026-04-15T13:00:00.000Z', tz: 'Europe/Prague' },
          subject: 'Odpoledne',
          location: null,
          description: '',
        },
      ],
    };
    const out = renderCalendarObject(series, { uid: 's1', crmStamp: null }, undefined, options);
    const lines = contentLines(out);
    expect(lines).toContain('RRULE:FREQ=WEEKLY;COUNT=10;BYDAY=WE');
    expect(lines).toContain('EXDATE;TZID=Europe/Prague:20260408T100000');
    expect(lines).toContain('RECURRENCE-ID;TZID=Europe/Prague:20260415T100000');
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(2);
    // The new occurrence carries the series' people, also with SCHEDULE-AGENT=CLIENT.
    expect(
      lines.filter((l) => l.startsWith('ATTENDEE') && l.includes('SCHEDULE-AGENT=CLIENT')),
    ).toHaveLength(4);
    // The cleared description is an explicit empty line; the location follows the series.
    expect(lines).toContain('DESCRIPTION:');
    expect(parseCalendarObject(out, 'x', options).data).toEqual(series);
  });

  it('writes tasks with DUE, PRIORITY, STATUS and COMPLETED', () => {
    const data: TaskData = {
      kind: 'task',
      subject: 'Zavolat',
      description: '',
      start: null,
      due: { date: '2026-04-10' },
      completedAt: '2026-04-09T10:00:00.000Z',
      percentComplete: 100,
      priority: 'high',
      isPrivate: true,
      categories: [],
    };
    const out = renderCalendarObject(data, { uid: 't1', crmStamp: 'task-9' }, undefined, options);
    const lines = contentLines(out);
    expect(lines).toContain('BEGIN:VTODO');
    expect(lines).toContain('DUE;VALUE=DATE:20260410');
    expect(lines).toContain('PRIORITY:1');
    expect(lines).toContain('STATUS:COMPLETED');
    expect(lines).toContain('COMPLETED:20260409T100000Z');
    expect(lines).toContain('CLASS:PRIVATE');
    expect(parseCalendarObject(out, 'x', options).data).toEqual(data);
  });

  it('refuses what cannot be written', () => {
    expectItemError(
      () =>
        renderCalendarObject(
          { ...meeting, start: { utc: '2026-04-01T08:00:00.000Z', tz: 'Mars/Olympus' } },
          { uid: 'u', crmStamp: null },
          undefined,
          options,
        ),
      'unknown time zone "Mars/Olympus"',
    );
    expectItemError(
      () =>
        renderCalendarObject(
          { ...meeting, rrule: 'FREQ=SOMETIMES' },
          { uid: 'u', crmStamp: null },
          undefined,
          options,
        ),
      'RRULE',
    );
    expectItemError(
      () => renderCalendarObject(meeting, { uid: '', crmStamp: null }, undefined, options),
      'UID',
    );
    expectItemError(
      () =>
        renderCalendarObject(
          meeting,
          { uid: 'u', crmStamp: null },
          fixture('nextcloud-task.ics'),
          options,
        ),
      'is a task',
    );
    expectItemError(
      () =>
        renderCalendarObject(
          meeting,
          { uid: 'u', crmStamp: null },
          'BEGIN:VCALENDAR\r\nfoo\r\n',
          options,
        ),
      "server's copy is not valid iCalendar",
    );
  });
});

describe('renderCalendarObject: patching in place', () => {
  it('keeps every line of an unchanged Outlook event but the stamps and our additions', () => {
    const { data, identity, text } = parsed('outlook-windows-zone.ics');
    const out = renderCalendarObject(data, { ...identity, crmStamp: 'crm-1' }, text, options);
    expect(lost(text, out).sort()).toEqual(
      [
        'DTSTAMP:20260310T120000Z',
        'LAST-MODIFIED:20260311T080000Z',
        // Attendee/organizer lines gain SCHEDULE-AGENT=CLIENT (and so refold).
        ...physicalLines(text).filter(
          (l) => /^(ATTENDEE|ORGANIZER)/.test(l) || /^ (example\.cz|lto:room3|E:mailto)/.test(l),
        ),
      ].sort(),
    );
    // Untouched: the Windows zone and its definition, Teams link, ATTACH, HTML description.
    for (const prefix of [
      'DTSTART;TZID="Central Europe Standard Time"',
      'X-MICROSOFT-SKYPETEAMSMEETINGURL',
      'ATTACH:',
      'X-ALT-DESC',
      'TZID:Central Europe Standard Time',
    ]) {
      expect(foldedLine(out, prefix)).toBe(foldedLine(text, prefix));
    }
    expect(contentLines(out)).toContain('X-CRM-SYNC-ID:crm-1');
    expect(contentLines(out)).toContain(
      'ATTENDEE;CN="Novák, Jan";RSVP=TRUE;X-MS-OLK-SENDER=TRUE;SCHEDULE-AGENT=CLIENT:mailto:Jan.Novak@example.cz',
    );
    expect(parseCalendarObject(out, 'x', options).data).toEqual(data);
  });

  it('is idempotent: patching with the same data twice gives the same text', () => {
    for (const name of [
      'outlook-windows-zone.ics',
      'apple-weekly-series.ics',
      'thunderbird-alarm.ics',
      'google-utc.ics',
    ]) {
      const { data, identity, text } = parsed(name);
      const once = renderCalendarObject(data, identity, text, options);
      expect(renderCalendarObject(data, identity, once, options)).toBe(once);
    }
  });

  it('moves an Outlook event into an IANA zone, dropping the unused Windows definition', () => {
    const { data, identity, text } = parsed('outlook-windows-zone.ics');
    const moved: EventData = {
      ...data,
      start: { utc: '2026-04-02T12:00:00.000Z', tz: 'Europe/Prague' },
      end: { utc: '2026-04-02T13:00:00.000Z', tz: 'Europe/Prague' },
    };
    const out = renderCalendarObject(moved, identity, text, options);
    const lines = contentLines(out);
    expect(lines).toContain('DTSTART;TZID=Europe/Prague:20260402T140000');
    expect(lines).toContain('DTEND;TZID=Europe/Prague:20260402T150000');
    expect(lines).toContain('TZID:Europe/Prague');
    expect(lines).not.toContain('TZID:Central Europe Standard Time');
    expect(lines).toContain('SEQUENCE:1');
    expect(parseCalendarObject(out, 'x', options).data).toEqual(moved);
  });

  it('drops the stale HTML description when the description changes', () => {
    const { data, identity, text } = parsed('outlook-windows-zone.ics');
    const out = renderCalendarObject(
      { ...data, description: 'Nová agenda' },
      identity,
      text,
      options,
    );
    expect(out).not.toContain('X-ALT-DESC');
    expect(contentLines(out)).toContain('DESCRIPTION:Nová agenda');
    expect(foldedLine(out, 'ATTACH:')).toBe(foldedLine(text, 'ATTACH:'));
  });

  it('keeps Google conference properties and attendee parameters', () => {
    const { data, identity, text } = parsed('google-utc.ics');
    const out = renderCalendarObject(
      { ...data, subject: 'Q1 review (moved room)' },
      identity,
      text,
      options,
    );
    for (const prefix of ['CONFERENCE;', 'X-GOOGLE-CONFERENCE:', 'DESCRIPTION:', 'LOCATION:']) {
      expect(foldedLine(out, prefix)).toBe(foldedLine(text, prefix));
    }
    const bob = contentLines(out).find((l) => l.includes('bob@example.org'));
    expect(bob).toBe(
      'ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=bob@example.org;X-NUM-GUESTS=0;SCHEDULE-AGENT=CLIENT:mailto:bob@example.org',
    );
  });

  it('changes attendees: keeps parameters of those who stay, drops those who left, adds new ones', () => {
    const { data, identity, text } = parsed('thunderbird-alarm.ics');
    const changed: EventData = {
      ...data,
      attendees: [
        {
          email: 'john.smith@example.com',
          name: 'Smith; John',
          role: 'optional',
          response: 'declined',
        },
        {
          email: 'new@example.cz',
          name: 'Nová Kolegyně',
          role: 'required',
          response: 'needs-action',
        },
      ],
    };
    const out = renderCalendarObject(changed, identity, text, options);
    const attendees = contentLines(out).filter((l) => l.startsWith('ATTENDEE'));
    expect(attendees).toEqual([
      'ATTENDEE;RSVP=TRUE;PARTSTAT=DECLINED;ROLE=OPT-PARTICIPANT;CN="Smith; John";X-CUSTOM="a:b";SCHEDULE-AGENT=CLIENT:mailto:John.Smith@Example.COM',
      'ATTENDEE;CN=Nová Kolegyně;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;SCHEDULE-AGENT=CLIENT:mailto:new@example.cz',
      // The recipient of the e-mail alarm: not a meeting attendee, left alone.
      'ATTENDEE:mailto:martin.cerny@example.cz',
    ]);
    expect(parseCalendarObject(out, 'x', options).data).toEqual(changed);
  });

  it('changes only the managed alarm, keeps X-MOZ-* and the e-mail alarm', () => {
    const { data, identity, text } = parsed('thunderbird-alarm.ics');
    const out = renderCalendarObject({ ...data, reminderMinutes: 60 }, identity, text, options);
    const lines = contentLines(out);
    expect(lines).toContain('TRIGGER:-PT1H');
    expect(lines).toContain('DESCRIPTION:Default Mozilla Description');
    expect(lines).toContain('TRIGGER;VALUE=DURATION:-P1D');
    for (const prefix of [
      'X-MOZ-GENERATION',
      'X-MOZ-LASTACK',
      'X-MOZ-SEND-INVITATIONS:',
      'CLASS:CONFIDENTIAL',
    ]) {
      expect(foldedLine(out, prefix)).toBe(foldedLine(text, prefix));
    }
    const none = renderCalendarObject({ ...data, reminderMinutes: null }, identity, text, options);
    expect(none).not.toContain('ACTION:DISPLAY');
    expect(contentLines(none)).toContain('ACTION:EMAIL');
    expect((parseCalendarObject(none, 'x', options).data as EventData).reminderMinutes).toBeNull();
  });

  it('keeps CONFIDENTIAL while private and writes PUBLIC when no longer private', () => {
    const { data, identity, text } = parsed('thunderbird-alarm.ics');
    expect(renderCalendarObject({ ...data, subject: 'x' }, identity, text, options)).toContain(
      'CLASS:CONFIDENTIAL',
    );
    expect(
      contentLines(renderCalendarObject({ ...data, isPrivate: false }, identity, text, options)),
    ).toContain('CLASS:PUBLIC');
  });

  it('patches a series: an override keeps its own properties, a removed one goes, a new one comes', () => {
    const { data, identity, text } = parsed('apple-weekly-series.ics');
    const changed: EventData = {
      ...data,
      exdates: [...data.exdates, '2026-03-23T08:00:00.000Z'].sort(),
      overrides: [
        { ...data.overrides[0]!, location: 'Kavárna' },
        {
          recurrenceId: '2026-05-11T07:00:00.000Z',
          start: { utc: '2026-05-11T09:00:00.000Z', tz: 'Europe/Prague' },
          end: { utc: '2026-05-11T10:00:00.000Z', tz: 'Europe/Prague' },
          subject: null,
          location: null,
          description: 'Výjimečně později',
        },
      ],
    };
    const out = renderCalendarObject(changed, identity, text, options);
    const lines = contentLines(out);
    expect(lines).toContain('X-APPLE-NOTES-FOR-OCCURRENCE:keep me');
    expect(lines).toContain('RECURRENCE-ID;TZID=Europe/Prague:20260511T090000');
    // The cancelled override still says so: it stays and needs no EXDATE.
    expect(lines).toContain('STATUS:CANCELLED');
    expect(lines.filter((l) => l.startsWith('EXDATE'))).toEqual([
      'EXDATE;TZID=Europe/Prague:20260323T090000',
      'EXDATE;TZID=Europe/Prague:20260406T090000',
    ]);
    expect(foldedLine(out, 'X-APPLE-STRUCTURED-LOCATION')).toBe(
      foldedLine(text, 'X-APPLE-STRUCTURED-LOCATION'),
    );
    expect(parseCalendarObject(out, 'x', options).data).toEqual(changed);

    const withoutOverrides = renderCalendarObject(
      { ...changed, overrides: [] },
      identity,
      out,
      options,
    );
    expect(withoutOverrides).not.toContain('X-APPLE-NOTES-FOR-OCCURRENCE');
    expect(withoutOverrides.match(/BEGIN:VEVENT/g)).toHaveLength(2);

    const single = renderCalendarObject(
      { ...changed, rrule: null, exdates: [], overrides: [] },
      identity,
      out,
      options,
    );
    expect(single.match(/BEGIN:VEVENT/g)).toHaveLength(1);
    expect(contentLines(single).filter((l) => /^(RRULE:FREQ=WEEKLY|EXDATE)/.test(l))).toEqual([]);
  });

  it('turns a timed series all-day, rewriting RECURRENCE-ID and EXDATE as dates', () => {
    const { data, identity, text } = parsed('apple-weekly-series.ics');
    const allDay: EventData = {
      ...data,
      start: { date: '2026-03-16' },
      end: { date: '2026-03-17' },
      exdates: ['2026-04-06', '2026-05-04'],
      overrides: [
        {
          ...data.overrides[0]!,
          recurrenceId: '2026-04-13',
          start: { date: '2026-04-14' },
          end: { date: '2026-04-15' },
        },
      ],
    };
    const out = renderCalendarObject(allDay, identity, text, options);
    const lines = contentLines(out);
    expect(lines).toContain('RECURRENCE-ID;VALUE=DATE:20260413');
    expect(lines).toContain('EXDATE;VALUE=DATE:20260406');
    expect(lines).toContain('X-APPLE-NOTES-FOR-OCCURRENCE:keep me');
    expect(parseCalendarObject(out, 'x', options).data).toEqual(allDay);
  });

  it('patches an invitation to one occurrence in place, but will not make it a series', () => {
    const { data, identity, text } = parsed('single-occurrence-invitation.ics');
    const out = renderCalendarObject({ ...data, location: 'Room B' }, identity, text, options);
    expect(contentLines(out)).toContain('RECURRENCE-ID:20260420T080000Z');
    expect(contentLines(out)).toContain('LOCATION:Room B');
    expectItemError(
      () => renderCalendarObject({ ...data, rrule: 'FREQ=DAILY' }, identity, text, options),
      'one occurrence',
    );
  });

  it('patches a task: reopening drops COMPLETED and keeps Nextcloud properties', () => {
    const text = fixture('nextcloud-task-completed.ics');
    const result = parseCalendarObject(text, 't', options);
    const data = result.data as TaskData;
    const reopened: TaskData = {
      ...data,
      completedAt: null,
      percentComplete: 50,
      priority: 'normal',
    };
    const out = renderCalendarObject(reopened, result.identity, text, options);
    const lines = contentLines(out);
    expect(lines).not.toContain('COMPLETED:20260306T091500Z');
    expect(lines).toContain('STATUS:IN-PROCESS');
    expect(lines).toContain('PERCENT-COMPLETE:50');
    expect(lines).toContain('PRIORITY:5');
    expect(lines).toContain('CLASS:CONFIDENTIAL');
    expect(parseCalendarObject(out, 'x', options).data).toEqual(reopened);

    const open = fixture('nextcloud-task.ics');
    const openData = parseCalendarObject(open, 't', options);
    const patched = renderCalendarObject(
      { ...(openData.data as TaskData), subject: 'Nabídka odeslána' },
      openData.identity,
      open,
      options,
    );
    for (const prefix of [
      'RELATED-TO',
      'X-OC-HIDESUBTASKS',
      'X-APPLE-SORT-ORDER',
      'DUE;VALUE=DATE',
      'CATEGORIES',
    ]) {
      expect(foldedLine(patched, prefix)).toBe(foldedLine(open, prefix));
    }
  });
});
