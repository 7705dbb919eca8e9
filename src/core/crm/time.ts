/**
 * The two time formats the store keeps, and the conversions between them. Instants are
 * always stored as UTC ISO-8601 with milliseconds (what Date#toISOString gives and what
 * SQLite's strftime('%Y-%m-%dT%H:%M:%fZ') gives), so text order is time order. All-day
 * items are stored as plain dates, never as midnights, so no zone can shift them a day.
 * Zone conversion itself is core/time's.
 */
import { dateIn, dateWall, isCalendarDate } from '../time/calendar-dates.ts';
import { isoInstant, zoneWallClockToMs } from '../time/zoned-time.ts';

// An explicit zone is required: a bare "2025-03-30T10:00" would mean whatever zone the
// process happens to run in.
const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** True for an instant in exactly the stored form: "YYYY-MM-DDTHH:MM:SS.sssZ". */
export function isUtcInstant(value: string): boolean {
  if (value.length !== 24 || !value.endsWith('Z')) return false;
  const t = new Date(value);
  return !Number.isNaN(t.getTime()) && t.toISOString() === value;
}

/** The stored form of an instant given as a Date or as ISO-8601 text with a zone. */
export function toUtcInstant(value: string | Date): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new RangeError('Invalid Date given as an instant.');
    return value.toISOString();
  }
  if (!INSTANT_RE.test(value)) {
    throw new RangeError(
      `"${value}" is not an ISO-8601 instant with a zone (e.g. 2025-03-30T08:00:00Z).`,
    );
  }
  const t = new Date(value);
  if (Number.isNaN(t.getTime())) throw new RangeError(`"${value}" is not a valid instant.`);
  return t.toISOString();
}

/** Checks a YYYY-MM-DD date and returns it unchanged. */
export function toCalendarDate(value: string | Date): string {
  if (value instanceof Date || !isCalendarDate(value)) {
    throw new RangeError(`"${String(value)}" is not a calendar date written YYYY-MM-DD.`);
  }
  return value;
}

/** The stored form of a start/end: a date when allDay, else a UTC instant. */
export function toStoredTime(value: string | Date, allDay: boolean): string {
  return allDay ? toCalendarDate(value) : toUtcInstant(value);
}

/** The calendar date an instant falls on in a zone. */
export function dateInZone(instant: string | Date, timeZone: string): string {
  const ms = (instant instanceof Date ? instant : new Date(instant)).getTime();
  return dateIn(ms, timeZone);
}

/**
 * The UTC instant of a wall-clock time in a zone ("2025-03-31", "09:00", "Europe/Prague").
 * As everywhere else (RFC 5545 3.3.5): a time that does not exist (skipped by a DST jump)
 * lands just after the jump; a time that occurs twice is the first of the two.
 */
export function zonedTimeToUtc(date: string, time: string, timeZone: string): string {
  const t = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(time);
  if (!t) throw new RangeError(`"${time}" is not a time of day written HH:MM.`);
  const wall = dateWall(toCalendarDate(date), {
    hour: Number(t[1]),
    minute: Number(t[2]),
    second: Number(t[3] ?? 0),
  });
  return isoInstant(zoneWallClockToMs(wall, timeZone));
}
