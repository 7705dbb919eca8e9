import { describe, expect, it } from 'vitest';
import {
  deleteEvent,
  findEventsByUid,
  getEvent,
  insertEvent,
  listEvents,
  updateEvent,
} from '../../src/core/crm/events.ts';
import { insertCompany } from '../../src/core/crm/companies.ts';
import { insertPerson } from '../../src/core/crm/persons.ts';
import { zonedTimeToUtc } from '../../src/core/crm/time.ts';
import type { NewEvent } from '../../src/core/crm/types.ts';
import { newCrm } from './helpers.ts';

const prague = (date: string, time: string) => zonedTimeToUtc(date, time, 'Europe/Prague');

const weekly: NewEvent = {
  uid: '040000008200E00074C5B7101A82E008@example',
  subject: 'Porada obchodního týmu',
  location: 'Zasedačka',
  allDay: false,
  // Monday 9:00 in Prague, across the spring DST change (30 March 2025).
  start: prague('2025-03-24', '09:00'),
  end: prague('2025-03-24', '10:00'),
  timeZone: 'Europe/Prague',
  rrule: 'RRULE:FREQ=WEEKLY;BYDAY=MO',
  isPrivate: false,
  status: 'Incoming',
  reminderMinutes: 15,
  organizerEmail: 'pavel@example.cz',
  organizerName: 'Pavel Bartoš',
  attendees: [
    { email: 'jana@example.cz', name: 'Jana Nováková', response: 'accepted' },
    { email: 'room@example.cz', role: 'resource' },
    { email: 'JANA@example.cz', name: 'duplicate, dropped' },
  ],
  exdates: [prague('2025-03-31', '09:00')],
  overrides: [
    {
      recurrenceId: prague('2025-04-07', '09:00'),
      start: prague('2025-04-08', '13:00'),
      end: prague('2025-04-08', '14:00'),
      subject: 'Porada (úterý)',
    },
  ],
};

describe('events', () => {
  it('stores and reads back a recurring event with all its parts', () => {
    const { db } = newCrm();
    const personId = insertPerson(db, { firstName: 'Jana', emails: ['jana@example.cz'] });
    const companyId = insertCompany(db, { name: 'Naše firma s.r.o.' });
    const id = insertEvent(db, { ...weekly, personIds: [personId], companyIds: [companyId] });
    const event = getEvent(db, id);
    expect(event).toMatchObject({
      id,
      uid: weekly.uid,
      subject: 'Porada obchodního týmu',
      allDay: false,
      start: '2025-03-24T08:00:00.000Z',
      end: '2025-03-24T09:00:00.000Z',
      timeZone: 'Europe/Prague',
      rrule: 'FREQ=WEEKLY;BYDAY=MO',
      isPrivate: false,
      status: 'Incoming',
      reminderMinutes: 15,
      attendees: [
        { email: 'jana@example.cz', name: 'Jana Nováková', role: 'required', response: 'accepted' },
        { email: 'room@example.cz', name: null, role: 'resource', response: 'needs-action' },
      ],
      // After the DST change, 9:00 in Prague is 07:00 UTC.
      exdates: ['2025-03-31T07:00:00.000Z'],
      overrides: [
        {
          recurrenceId: '2025-04-07T07:00:00.000Z',
          allDay: false,
          start: '2025-04-08T11:00:00.000Z',
          end: '2025-04-08T12:00:00.000Z',
          subject: 'Porada (úterý)',
          location: null,
          description: null,
          status: null,
        },
      ],
      personIds: [personId],
      companyIds: [companyId],
    });
    expect(findEventsByUid(db, weekly.uid!).map((e) => e.id)).toEqual([id]);
  });

  it('normalises instants given with an offset or as a Date', () => {
    const { db } = newCrm();
    const id = insertEvent(db, {
      subject: 'x',
      allDay: false,
      start: '2025-07-01T10:00:00+02:00',
      end: new Date('2025-07-01T09:30:00Z'),
    });
    expect(getEvent(db, id)).toMatchObject({
      start: '2025-07-01T08:00:00.000Z',
      end: '2025-07-01T09:30:00.000Z',
      timeZone: null,
    });
  });

  it('keeps all-day events as dates, end exclusive', () => {
    const { db } = newCrm();
    const id = insertEvent(db, {
      subject: 'Veletrh',
      allDay: true,
      start: '2025-10-24',
      end: '2025-10-27',
      exdates: [],
    });
    expect(getEvent(db, id)).toMatchObject({
      allDay: true,
      start: '2025-10-24',
      end: '2025-10-27',
    });
    expect(() =>
      insertEvent(db, {
        subject: 'x',
        allDay: true,
        start: '2025-10-24T00:00:00Z',
        end: '2025-10-25',
      }),
    ).toThrow(RangeError);
  });

  it('refuses input a sync engine must never store', () => {
    const { db } = newCrm();
    const base = { subject: 'x', allDay: false, start: weekly.start, end: weekly.end };
    expect(() => insertEvent(db, { ...base, start: '2025-03-24T09:00' })).toThrow(/zone/);
    expect(() => insertEvent(db, { ...base, timeZone: 'Europe/Praha' })).toThrow(/IANA/);
    expect(() =>
      insertEvent(db, {
        ...base,
        rrule: 'FREQ=DAILY',
        exdates: [weekly.start as string],
        overrides: [{ recurrenceId: weekly.start as string, start: base.start, end: base.end }],
      }),
    ).toThrow(/both cancelled/);
    expect(db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(0);
  });

  it('updates fields and replaces only the lists that are given', () => {
    const { db } = newCrm();
    const id = insertEvent(db, weekly);
    expect(
      updateEvent(db, id, {
        subject: 'Porada (nová)',
        attendees: [{ email: 'novy@example.cz' }],
        exdates: [prague('2025-04-14', '09:00')],
      }),
    ).toBe(true);
    const e = getEvent(db, id)!;
    expect(e.subject).toBe('Porada (nová)');
    expect(e.location).toBe('Zasedačka');
    expect(e.attendees.map((a) => a.email)).toEqual(['novy@example.cz']);
    expect(e.exdates).toEqual(['2025-04-14T07:00:00.000Z']);
    expect(e.overrides).toHaveLength(1);
    expect(e.updatedAt >= e.createdAt).toBe(true);

    // Turning it into an all-day series: times and exceptions in date form.
    updateEvent(db, id, {
      allDay: true,
      start: '2025-03-24',
      end: '2025-03-25',
      exdates: ['2025-03-31'],
      overrides: [],
    });
    expect(getEvent(db, id)).toMatchObject({
      allDay: true,
      start: '2025-03-24',
      exdates: ['2025-03-31'],
    });
    expect(updateEvent(db, 9999, { subject: 'x' })).toBe(false);
  });

  it('lists the events of a window, all-day ones by the calendar days of a zone', () => {
    const { db } = newCrm();
    const add = (subject: string, e: Partial<NewEvent>) =>
      insertEvent(db, { subject, allDay: false, start: '', end: '', ...e } as NewEvent);
    add('before', { start: prague('2025-06-09', '10:00'), end: prague('2025-06-09', '11:00') });
    add('inside', { start: prague('2025-06-10', '10:00'), end: prague('2025-06-10', '11:00') });
    add('overlaps start', {
      start: prague('2025-06-09', '23:00'),
      end: prague('2025-06-10', '01:00'),
    });
    add('day inside', { allDay: true, start: '2025-06-11', end: '2025-06-12' });
    add('day before', { allDay: true, start: '2025-06-09', end: '2025-06-10' });
    add('day after', { allDay: true, start: '2025-06-13', end: '2025-06-14' });
    add('series from May', {
      start: prague('2025-05-05', '09:00'),
      end: prague('2025-05-05', '10:00'),
      rrule: 'FREQ=WEEKLY',
    });
    add('after', { start: prague('2025-06-13', '00:00'), end: prague('2025-06-13', '01:00') });

    // The three Prague days 10-12 June.
    const found = listEvents(db, {
      from: prague('2025-06-10', '00:00'),
      to: prague('2025-06-13', '00:00'),
      timeZone: 'Europe/Prague',
    }).map((e) => e.subject);
    expect(found.sort()).toEqual(['day inside', 'inside', 'overlaps start', 'series from May']);
    expect(listEvents(db)).toHaveLength(8);
  });

  it('deletes an event with its parts', () => {
    const { db } = newCrm();
    const id = insertEvent(db, weekly);
    expect(deleteEvent(db, id)).toBe(true);
    expect(deleteEvent(db, id)).toBe(false);
    expect(getEvent(db, id)).toBeUndefined();
    for (const table of ['event_attendees', 'event_exdates', 'event_overrides']) {
      expect(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get()).toBe(0);
    }
  });
});
