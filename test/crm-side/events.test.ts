import { describe, expect, it } from 'vitest';
import { findCategory } from '../../src/core/crm/categories.ts';
import { getEvent, insertEvent, listEvents } from '../../src/core/crm/events.ts';
import { insertPerson } from '../../src/core/crm/persons.ts';
import { addDays } from '../../src/core/time/calendar-dates.ts';
import { zonedTimeToUtc } from '../../src/core/crm/time.ts';
import type { CrmEvent } from '../../src/core/crm/types.ts';
import { toEventData } from '../../src/core/sync/crm-side/event-mapping.ts';
import type { EventData } from '../../src/core/model/items.ts';
import { changesOf, create, item, newCrm, updateWith } from './helpers.ts';

const prague = (date: string, time: string) => zonedTimeToUtc(date, time, 'Europe/Prague');

/** What a server connector would hand over for a weekly meeting. */
function serverMeeting(): EventData {
  return {
    kind: 'event',
    subject: 'Porada obchodního týmu',
    location: 'Zasedačka',
    description: 'Týdenní porada',
    start: { utc: prague('2026-03-23', '09:00'), tz: 'Europe/Prague' },
    end: { utc: prague('2026-03-23', '10:00'), tz: 'Europe/Prague' },
    rrule: 'FREQ=WEEKLY;BYDAY=MO',
    exdates: [prague('2026-03-30', '09:00')],
    overrides: [
      {
        recurrenceId: prague('2026-04-06', '09:00'),
        start: { utc: prague('2026-04-07', '13:00'), tz: 'Europe/Prague' },
        end: { utc: prague('2026-04-07', '14:00'), tz: 'Europe/Prague' },
        subject: 'Porada (úterý)',
        location: null,
        description: null,
      },
    ],
    isPrivate: false,
    categories: [],
    reminderMinutes: 15,
    organizer: { email: 'pavel@firma.example', name: 'Pavel Bartoš' },
    attendees: [
      { email: 'jana@firma.example', name: 'Jana', role: 'required', response: 'accepted' },
      { email: 'room@firma.example', name: '', role: 'resource', response: 'needs-action' },
    ],
  };
}

describe('toEventData', () => {
  const base: CrmEvent = {
    id: 1,
    uid: null,
    subject: 'S',
    location: null,
    description: null,
    allDay: false,
    start: '2026-03-23T08:00:00Z',
    end: '2026-03-23T09:00:00Z',
    timeZone: 'Europe/Prague',
    rrule: null,
    isPrivate: false,
    status: 'Incoming',
    categoryId: 3,
    ownerId: 1,
    groupId: null,
    reminderMinutes: null,
    organizerEmail: 'Pavel@Firma.example',
    organizerName: null,
    attendees: [
      { email: 'Zdenka@x.example', name: null, role: 'optional', response: 'declined' },
      { email: 'adam@x.example', name: 'Adam', role: 'required', response: 'accepted' },
    ],
    exdates: ['2026-03-30T07:00:00.000Z'],
    overrides: [],
    personIds: [],
    companyIds: [],
    createdAt: '2026-03-01T00:00:00.000Z',
    updatedAt: '2026-03-01T00:00:00.000Z',
  };

  it('normalises times, addresses and order as the model says', () => {
    const data = toEventData(base, 'HOTLINE');
    expect(data.start).toEqual({ utc: '2026-03-23T08:00:00.000Z', tz: 'Europe/Prague' });
    expect(data.location).toBe('');
    expect(data.organizer).toEqual({ email: 'pavel@firma.example', name: '' });
    expect(data.attendees.map((a) => a.email)).toEqual(['adam@x.example', 'zdenka@x.example']);
    expect(data.attendees[1]).toEqual({
      email: 'zdenka@x.example',
      name: '',
      role: 'optional',
      response: 'declined',
    });
    // A single event has no cancelled occurrences, whatever another program stored.
    expect(data.exdates).toEqual([]);
    expect(data.categories).toEqual(['HOTLINE']);
  });

  it('maps all-day events to dates and drops overrides that are also exdates', () => {
    const data = toEventData(
      {
        ...base,
        allDay: true,
        start: '2026-03-23',
        end: '2026-03-24',
        rrule: 'FREQ=DAILY;COUNT=5',
        exdates: ['2026-03-25'],
        overrides: [
          {
            recurrenceId: '2026-03-25',
            allDay: true,
            start: '2026-03-26',
            end: '2026-03-27',
            subject: null,
            location: null,
            description: null,
            status: null,
          },
          {
            recurrenceId: '2026-03-24',
            allDay: true,
            start: '2026-03-28',
            end: '2026-03-29',
            subject: 'moved',
            location: null,
            description: null,
            status: 'x',
          },
        ],
      },
      null,
    );
    expect(data.start).toEqual({ date: '2026-03-23' });
    expect(data.end).toEqual({ date: '2026-03-24' });
    expect(data.exdates).toEqual(['2026-03-25']);
    expect(data.overrides.map((o) => o.recurrenceId)).toEqual(['2026-03-24']);
    expect(data.categories).toEqual([]);
  });
});

describe('events: CRM -> EventData -> CRM', () => {
  it('round-trips every demo event (single, all-day, multi-day, recurring, private, attendees, reminders)', () => {
    const crm = newCrm({ demo: true });
    const events = listEvents(crm.db);
    // The demo covers the cases this test is about.
    expect(events.some((e) => e.allDay && e.end > addDays(e.start, 1))).toBe(true);
    expect(events.some((e) => e.allDay && e.end === addDays(e.start, 1))).toBe(true);
    expect(
      events.some((e) => e.rrule !== null && e.exdates.length > 0 && e.overrides.length > 0),
    ).toBe(true);
    expect(events.some((e) => e.isPrivate)).toBe(true);
    expect(events.some((e) => e.reminderMinutes !== null && e.attendees.length > 0)).toBe(true);
    for (const stored of events) {
      const before = item(crm.db, 'event', stored.id);
      const changes = changesOf(crm.db, () => {
        const { after } = updateWith(crm, before, before.data);
        expect(after.data).toEqual(before.data);
      });
      expect(changes.every((c) => c.allFromSync && c.origins[0] === 'run-test-1')).toBe(true);
      // CRM-only columns and links are untouched.
      const { updatedAt: _a, ...restAfter } = getEvent(crm.db, stored.id)!;
      const { updatedAt: _b, ...restBefore } = stored;
      expect(restAfter).toEqual(restBefore);
    }
  });

  it('creates from server data and reads the same data back', () => {
    const crm = newCrm();
    const cases: EventData[] = [
      serverMeeting(),
      // Multi-day all-day, private, with a reminder.
      {
        ...serverMeeting(),
        subject: 'Veletrh',
        start: { date: '2026-04-08' },
        end: { date: '2026-04-11' },
        rrule: null,
        exdates: [],
        overrides: [],
        isPrivate: true,
        reminderMinutes: 1440,
        organizer: null,
        attendees: [],
      },
      // All-day series: exdates and recurrence ids are dates.
      {
        ...serverMeeting(),
        subject: 'Inventura',
        start: { date: '2026-04-01' },
        end: { date: '2026-04-02' },
        rrule: 'FREQ=DAILY;COUNT=5',
        exdates: ['2026-04-02', '2026-04-04'],
        overrides: [
          {
            recurrenceId: '2026-04-03',
            start: { date: '2026-04-06' },
            end: { date: '2026-04-07' },
            subject: null,
            location: 'Sklad B',
            description: null,
          },
        ],
      },
      // Timed, no zone known.
      {
        ...serverMeeting(),
        start: { utc: '2026-05-01T10:00:00.000Z', tz: null },
        end: { utc: '2026-05-01T10:30:00.000Z', tz: null },
        rrule: null,
        exdates: [],
        overrides: [],
      },
    ];
    for (const data of cases) {
      const { created } = create(crm, 'event', data, { status: 'Incoming' });
      expect(created.data).toEqual(data);
      expect(created.facts.ownerId).toBe(crm.ownerId);
      expect(getEvent(crm.db, created.crmId)?.status).toBe('Incoming');
      expect(created.identity.uid).toMatch(/@server\.example$/);
    }
  });

  it('keeps CRM-only data on update: owner, group, status, links, override status', () => {
    const crm = newCrm({ demo: true });
    const weekly = listEvents(crm.db).find((e) => e.rrule === 'FREQ=WEEKLY;BYDAY=MO')!;
    crm.db
      .prepare('UPDATE event_overrides SET status = ? WHERE event_id = ?')
      .run('Přesunuto', weekly.id);
    const personId = insertPerson(crm.db, { firstName: 'Jana', lastName: 'X' });
    crm.db.prepare('INSERT INTO event_persons VALUES (?, ?)').run(weekly.id, personId);
    const before = item(crm.db, 'event', weekly.id);
    const data = before.data as EventData;
    const changed: EventData = {
      ...data,
      subject: 'Porada (nový název)',
      attendees: [
        ...data.attendees,
        {
          email: 'novy@firma.example',
          name: 'Nový',
          role: 'optional' as const,
          response: 'needs-action' as const,
        },
      ].sort((a, b) => (a.email < b.email ? -1 : 1)),
    };
    const { after } = updateWith(crm, before, changed, { status: 'Ignored on update' });
    expect(after.data).toEqual(changed);
    const stored = getEvent(crm.db, weekly.id)!;
    expect(stored.status).toBe(weekly.status);
    expect(stored.ownerId).toBe(weekly.ownerId);
    expect(stored.groupId).toBe(weekly.groupId);
    expect(stored.categoryId).toBe(weekly.categoryId);
    expect(stored.personIds).toEqual([...weekly.personIds, personId].sort((a, b) => a - b));
    expect(stored.companyIds).toEqual(weekly.companyIds);
    expect(stored.overrides.map((o) => o.status)).toEqual(['Přesunuto']);
    // The CRM's attendee order stays; the new one comes last.
    expect(stored.attendees.map((a) => a.email)).toEqual([
      ...weekly.attendees.map((a) => a.email),
      'novy@firma.example',
    ]);
  });

  it('sets, creates, clears or leaves the category as told', () => {
    const crm = newCrm({ demo: true });
    const event = listEvents(crm.db).find((e) => e.categoryId !== null)!;
    const before = item(crm.db, 'event', event.id);
    updateWith(crm, before, before.data, {});
    expect(getEvent(crm.db, event.id)?.categoryId).toBe(event.categoryId);
    const { after } = updateWith(crm, before, before.data, { categoryName: 'Servisní výjezd' });
    expect(after.data.categories).toEqual(['Servisní výjezd']);
    expect(findCategory(crm.db, 'event', 'servisní výjezd')?.kind).toBe('event');
    const { after: cleared } = updateWith(crm, after, after.data, { categoryName: null });
    expect(cleared.data.categories).toEqual([]);
    // An existing category is found case-insensitively, not duplicated.
    updateWith(crm, cleared, cleared.data, { categoryName: 'hotline' });
    expect(item(crm.db, 'event', event.id).data.categories).toEqual(['HOTLINE']);
  });

  it('switches an event between timed and all-day', () => {
    const crm = newCrm();
    const { created } = create(crm, 'event', serverMeeting());
    const allDay: EventData = {
      ...serverMeeting(),
      start: { date: '2026-03-23' },
      end: { date: '2026-03-24' },
      exdates: ['2026-03-30'],
      overrides: [],
    };
    const { after } = updateWith(crm, created, allDay);
    expect(after.data).toEqual(allDay);
    const { after: back } = updateWith(crm, after, serverMeeting());
    expect(back.data).toEqual(serverMeeting());
  });

  it('keeps an organizer name the model cannot carry, and notes what it had to change', () => {
    const crm = newCrm();
    const id = insertEvent(crm.db, {
      subject: 'Bez adresy',
      allDay: false,
      start: '2026-03-23T08:00:00.000Z',
      end: '2026-03-23T09:00:00.000Z',
      organizerName: 'Recepce',
    });
    const before = item(crm.db, 'event', id);
    updateWith(crm, before, before.data);
    expect(getEvent(crm.db, id)?.organizerName).toBe('Recepce');

    const data: EventData = {
      ...serverMeeting(),
      start: { utc: '2026-03-23T08:00:00.000Z', tz: 'Central Europe Standard Time' },
      attendees: [
        { email: '/o=exchange/ou=admin', name: 'X', role: 'required', response: 'accepted' },
      ],
      exdates: [prague('2026-04-06', '09:00')],
    };
    const { result } = updateWith(crm, before, data);
    expect(result.notes.map((n) => n.code).sort()).toEqual([
      'invalid-address-skipped',
      'override-cancelled',
      'time-zone-dropped',
    ]);
    const stored = getEvent(crm.db, id)!;
    expect(stored.timeZone).toBeNull();
    expect(stored.attendees).toEqual([]);
    expect(stored.overrides).toEqual([]);
  });

  it('refuses data of another kind', () => {
    const crm = newCrm();
    const { created } = create(crm, 'event', serverMeeting());
    expect(() =>
      updateWith(crm, created, {
        kind: 'task',
        subject: 'x',
        description: '',
        start: null,
        due: null,
        completedAt: null,
        percentComplete: 0,
        priority: 'normal',
        isPrivate: false,
        categories: [],
      }),
    ).toThrow(TypeError);
  });
});
