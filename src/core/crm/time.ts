/**
 * The two time formats the store keeps, and the conversions between them. Instants are
 * always stored as UTC ISO-8601 with milliseconds (what Date#toISOString gives and what
 * SQLite's strftime('%Y-%m-%dT%H:%M:%fZ') gives), so text order is time order. All-day
 * items are stored as plain dates, never as midnights, so no zone can shift them a day.
 */

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
// An explicit zone is required: a bare "2025-03-30T10:00" would mean whatever zone the
// process happens to run in.
const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD (no 30 February). */
export function isCalendarDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

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

/** True when Intl knows the IANA zone id. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClockFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(instantMs: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const p of wallClockFormatter(timeZone).formatToParts(new Date(instantMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** Offset of the zone from UTC at that instant, in milliseconds (Prague in summer: +2 h). */
function zoneOffsetMs(instantMs: number, timeZone: string): number {
  const w = wallClock(instantMs, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instantMs / 1000) * 1000;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** The calendar date an instant falls on in a zone. */
export function dateInZone(instant: string | Date, timeZone: string): string {
  const ms = (instant instanceof Date ? instant : new Date(instant)).getTime();
  const w = wallClock(ms, timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/**
 * The UTC instant of a wall-clock time in a zone ("2025-03-31", "09:00", "Europe/Prague").
 * A time that does not exist (skipped by a DST jump) lands just after the jump.
 */
export function zonedTimeToUtc(date: string, time: string, timeZone: string): string {
  const d = DATE_RE.exec(toCalendarDate(date));
  const t = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(time);
  if (!d || !t) throw new RangeError(`"${time}" is not a time of day written HH:MM.`);
  const wallAsUtc = Date.UTC(
    Number(d[1]),
    Number(d[2]) - 1,
    Number(d[3]),
    Number(t[1]),
    Number(t[2]),
    Number(t[3] ?? 0),
  );
  // Two passes settle the offset on either side of a DST change.
  let guess = wallAsUtc - zoneOffsetMs(wallAsUtc, timeZone);
  const second = wallAsUtc - zoneOffsetMs(guess, timeZone);
  if (second !== guess) guess = second;
  return new Date(guess).toISOString();
}

/** Calendar arithmetic on YYYY-MM-DD dates (no zone involved). */
export function addDays(date: string, days: number): string {
  const m = DATE_RE.exec(toCalendarDate(date));
  if (!m) throw new RangeError(`"${date}" is not a calendar date.`);
  const t = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days));
  return t.toISOString().slice(0, 10);
}

/** ISO weekday of a date: 1 = Monday ... 7 = Sunday. */
export function isoWeekday(date: string): number {
  const t = new Date(`${toCalendarDate(date)}T00:00:00Z`);
  return ((t.getUTCDay() + 6) % 7) + 1;
}
