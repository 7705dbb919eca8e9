/**
 * Calendar events with attendees, exdates, overridden occurrences and links to persons and
 * companies. Timed events store UTC instants plus the IANA zone they were made in; all-day
 * events store dates (end exclusive). Saving a list replaces the stored one.
 */
import type { CrmDatabase } from './database.ts';
import { definedOnly, deleteRow, ids, inTransaction, insertRow, updateRow, flag } from './sql.ts';
import type { SqlValue } from './sql.ts';
import { isValidTimeZone } from '../time/zone-names.ts';
import { dateInZone, toStoredTime, toUtcInstant } from './time.ts';
import type { Attendee, CrmEvent, EventOverride, NewEvent } from './types.ts';

/** A row of `events` as `SELECT *` returns it (shared with the sync engine's bulk loader). */
export interface EventRow {
  id: number;
  uid: string | null;
  subject: string;
  location: string | null;
  description: string | null;
  all_day: number;
  starts_at: string;
  ends_at: string;
  time_zone: string | null;
  rrule: string | null;
  private: number;
  status: string | null;
  category_id: number | null;
  owner_id: number | null;
  group_id: number | null;
  reminder_minutes: number | null;
  organizer_email: string | null;
  organizer_name: string | null;
  created_at: string;
  updated_at: string;
}

/** The columns of an `event_overrides` row that make an EventOverride. */
export interface OverrideRow {
  recurrence_id: string;
  all_day: number;
  starts_at: string;
  ends_at: string;
  subject: string | null;
  location: string | null;
  description: string | null;
  status: string | null;
}

function checkTimeZone(timeZone: string | null | undefined): void {
  if (timeZone != null && !isValidTimeZone(timeZone)) {
    throw new RangeError(`"${timeZone}" is not an IANA time zone id.`);
  }
}

function eventColumns(e: Partial<NewEvent>, allDay: boolean): Record<string, SqlValue> {
  checkTimeZone(e.timeZone);
  return definedOnly({
    uid: e.uid,
    subject: e.subject,
    location: e.location,
    description: e.description,
    all_day: flag(e.allDay),
    starts_at: e.start === undefined ? undefined : toStoredTime(e.start, allDay),
    ends_at: e.end === undefined ? undefined : toStoredTime(e.end, allDay),
    time_zone: e.timeZone,
    rrule: e.rrule?.replace(/^RRULE:/i, '').trim() ?? e.rrule,
    private: flag(e.isPrivate),
    status: e.status,
    category_id: e.categoryId,
    owner_id: e.ownerId,
    group_id: e.groupId,
    reminder_minutes: e.reminderMinutes,
    organizer_email: e.organizerEmail,
    organizer_name: e.organizerName,
  });
}

/** Replaces whichever lists the input carries. `allDay` is the series' format. */
function saveLists(db: CrmDatabase, eventId: number, e: Partial<NewEvent>, allDay: boolean): void {
  if (e.attendees !== undefined) {
    db.prepare('DELETE FROM event_attendees WHERE event_id = ?').run(eventId);
    const insert = db.prepare(
      `INSERT INTO event_attendees (event_id, email, name, role, response, position)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    const seen = new Set<string>();
    e.attendees.forEach((a, i) => {
      const email = a.email.trim();
      if (seen.has(email.toLowerCase())) return;
      seen.add(email.toLowerCase());
      insert.run(
        eventId,
        email,
        a.name ?? null,
        a.role ?? 'required',
        a.response ?? 'needs-action',
        i,
      );
    });
  }
  const exdates =
    e.exdates === undefined
      ? undefined
      : [...new Set(e.exdates.map((d) => toStoredTime(d, allDay)))];
  if (exdates !== undefined) {
    db.prepare('DELETE FROM event_exdates WHERE event_id = ?').run(eventId);
    const insert = db.prepare('INSERT INTO event_exdates (event_id, original_start) VALUES (?, ?)');
    for (const d of exdates) insert.run(eventId, d);
  }
  if (e.overrides !== undefined) {
    db.prepare('DELETE FROM event_overrides WHERE event_id = ?').run(eventId);
    const cancelled = new Set(
      exdates ??
        db
          .prepare<[number], string>('SELECT original_start FROM event_exdates WHERE event_id = ?')
          .pluck()
          .all(eventId),
    );
    const insert = db.prepare(
      `INSERT INTO event_overrides
         (event_id, recurrence_id, all_day, starts_at, ends_at, subject, location, description, status)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const o of e.overrides) {
      const recurrenceId = toStoredTime(o.recurrenceId, allDay);
      // One clean model: a cancelled occurrence is an exdate, a changed one an override.
      if (cancelled.has(recurrenceId)) {
        throw new RangeError(
          `Occurrence ${recurrenceId} of event ${eventId} is both cancelled (exdate) and overridden.`,
        );
      }
      const occurrenceAllDay = o.allDay ?? allDay;
      insert.run(
        eventId,
        recurrenceId,
        occurrenceAllDay ? 1 : 0,
        toStoredTime(o.start, occurrenceAllDay),
        toStoredTime(o.end, occurrenceAllDay),
        o.subject ?? null,
        o.location ?? null,
        o.description ?? null,
        o.status ?? null,
      );
    }
  }
  if (e.personIds !== undefined) {
    db.prepare('DELETE FROM event_persons WHERE event_id = ?').run(eventId);
    const insert = db.prepare('INSERT INTO event_persons (event_id, person_id) VALUES (?, ?)');
    for (const id of new Set(e.personIds)) insert.run(eventId, id);
  }
  if (e.companyIds !== undefined) {
    db.prepare('DELETE FROM event_companies WHERE event_id = ?').run(eventId);
    const insert = db.prepare('INSERT INTO event_companies (event_id, company_id) VALUES (?, ?)');
    for (const id of new Set(e.companyIds)) insert.run(eventId, id);
  }
}

export function rowToOverride(r: OverrideRow): EventOverride {
  return {
    recurrenceId: r.recurrence_id,
    allDay: r.all_day === 1,
    start: r.starts_at,
    end: r.ends_at,
    subject: r.subject,
    location: r.location,
    description: r.description,
    status: r.status,
  };
}

/** An event's child lists, read from event_attendees, _exdates, _overrides, _persons, _companies. */
export type EventLists = Pick<
  CrmEvent,
  'attendees' | 'exdates' | 'overrides' | 'personIds' | 'companyIds'
>;

/** The one row -> CrmEvent mapping; the caller reads the child lists (per row or in bulk). */
export function rowToEvent(r: EventRow, lists: EventLists): CrmEvent {
  return {
    id: r.id,
    uid: r.uid,
    subject: r.subject,
    location: r.location,
    description: r.description,
    allDay: r.all_day === 1,
    start: r.starts_at,
    end: r.ends_at,
    timeZone: r.time_zone,
    rrule: r.rrule,
    isPrivate: r.private === 1,
    status: r.status,
    categoryId: r.category_id,
    ownerId: r.owner_id,
    groupId: r.group_id,
    reminderMinutes: r.reminder_minutes,
    organizerEmail: r.organizer_email,
    organizerName: r.organizer_name,
    attendees: lists.attendees,
    exdates: lists.exdates,
    overrides: lists.overrides,
    personIds: lists.personIds,
    companyIds: lists.companyIds,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toEvent(db: CrmDatabase, r: EventRow): CrmEvent {
  return rowToEvent(r, {
    attendees: db
      .prepare<[number], Attendee>(
        `SELECT email, name, role, response FROM event_attendees
         WHERE event_id = ? ORDER BY position, id`,
      )
      .all(r.id),
    exdates: db
      .prepare<[number], string>(
        'SELECT original_start FROM event_exdates WHERE event_id = ? ORDER BY original_start',
      )
      .pluck()
      .all(r.id),
    overrides: db
      .prepare<[number], OverrideRow>(
        'SELECT * FROM event_overrides WHERE event_id = ? ORDER BY recurrence_id',
      )
      .all(r.id)
      .map(rowToOverride),
    personIds: ids(
      db,
      'SELECT person_id FROM event_persons WHERE event_id = ? ORDER BY person_id',
      r.id,
    ),
    companyIds: ids(
      db,
      'SELECT company_id FROM event_companies WHERE event_id = ? ORDER BY company_id',
      r.id,
    ),
  });
}

/** Adds an event with its lists; returns the new id. */
export function insertEvent(db: CrmDatabase, event: NewEvent): number {
  return inTransaction(db, () => {
    const id = insertRow(db, 'events', eventColumns(event, event.allDay));
    saveLists(db, id, event, event.allDay);
    return id;
  });
}

export function getEvent(db: CrmDatabase, id: number): CrmEvent | undefined {
  const row = db.prepare<[number], EventRow>('SELECT * FROM events WHERE id = ?').get(id);
  return row && toEvent(db, row);
}

/**
 * Changes the given fields; a given list replaces the stored one. When switching between
 * timed and all-day, give start and end (and exdates/overrides of a series) in the new form.
 * False when there is no such event.
 */
export function updateEvent(db: CrmDatabase, id: number, patch: Partial<NewEvent>): boolean {
  return inTransaction(db, () => {
    const current = db
      .prepare<[number], number>('SELECT all_day FROM events WHERE id = ?')
      .pluck()
      .get(id);
    if (current === undefined) return false;
    const allDay = patch.allDay ?? current === 1;
    updateRow(db, 'events', id, eventColumns(patch, allDay));
    saveLists(db, id, patch, allDay);
    return true;
  });
}

export function deleteEvent(db: CrmDatabase, id: number): boolean {
  return deleteRow(db, 'events', id);
}

export interface EventFilter {
  /** Only events that overlap [from, to); series are kept when they start before `to`. */
  from?: string | Date;
  to?: string | Date;
  /** Zone whose calendar days all-day events are matched against (default UTC). */
  timeZone?: string;
  ownerId?: number;
  categoryId?: number;
}

/** Events in start order. Recurring series are returned whole; expanding them is the caller's. */
export function listEvents(db: CrmDatabase, filter: EventFilter = {}): CrmEvent[] {
  const zone = filter.timeZone ?? 'UTC';
  checkTimeZone(zone);
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (filter.from !== undefined) {
    const from = toUtcInstant(filter.from);
    where.push(
      '(rrule IS NOT NULL OR (all_day = 0 AND ends_at > ?) OR (all_day = 1 AND ends_at > ?))',
    );
    params.push(from, dateInZone(from, zone));
  }
  if (filter.to !== undefined) {
    const to = toUtcInstant(filter.to);
    // The last calendar day the window touches: the day of the last millisecond before `to`.
    const lastDay = dateInZone(new Date(new Date(to).getTime() - 1), zone);
    where.push('((all_day = 0 AND starts_at < ?) OR (all_day = 1 AND starts_at <= ?))');
    params.push(to, lastDay);
  }
  if (filter.ownerId !== undefined) {
    where.push('owner_id = ?');
    params.push(filter.ownerId);
  }
  if (filter.categoryId !== undefined) {
    where.push('category_id = ?');
    params.push(filter.categoryId);
  }
  const sql = `SELECT * FROM events${where.length ? ` WHERE ${where.join(' AND ')}` : ''}
    ORDER BY starts_at, id`;
  return db
    .prepare<SqlValue[], EventRow>(sql)
    .all(...params)
    .map((r) => toEvent(db, r));
}

/** Events carrying that iCalendar UID (several users' copies of one meeting share it). */
export function findEventsByUid(db: CrmDatabase, uid: string): CrmEvent[] {
  return db
    .prepare<[string], EventRow>('SELECT * FROM events WHERE uid = ? ORDER BY id')
    .all(uid)
    .map((r) => toEvent(db, r));
}
