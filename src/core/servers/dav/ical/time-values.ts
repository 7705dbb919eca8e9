/**
 * DATE and DATE-TIME values (RFC 5545 3.3.4, 3.3.5) as text, and calendar-date arithmetic
 * done on UTC dates only, so no process time zone can shift a day.
 */
import type { WallClock } from './zones.ts';
import { utcWallClock, wallClockMs } from './zones.ts';

export type TimeValue =
  { kind: 'date'; date: string } | { kind: 'date-time'; wall: WallClock; utc: boolean };

const VALUE_RE = /^(\d{4})-?(\d{2})-?(\d{2})(?:T(\d{2}):?(\d{2})(?::?(\d{2})(?:[.,]\d+)?)?(Z)?)?$/i;

/** Reads a DATE or DATE-TIME value. Throws RangeError when it is neither. */
export function parseTimeValue(value: string): TimeValue {
  const m = VALUE_RE.exec(value.trim());
  if (!m) throw new RangeError(`"${value}" is not a date or date-time`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = `${m[1]}-${m[2]}-${m[3]}`;
  if (!isCalendarDate(date)) throw new RangeError(`"${value}" is not a valid date`);
  if (m[4] === undefined) return { kind: 'date', date };
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  // A leap second (":60") is read as the second before it.
  const second = Math.min(Number(m[6] ?? '0'), 59);
  if (hour > 23 || minute > 59) throw new RangeError(`"${value}" is not a valid time`);
  return {
    kind: 'date-time',
    wall: { year, month, day, hour, minute, second },
    utc: m[7] !== undefined,
  };
}

/** True for a real "YYYY-MM-DD" date. */
export function isCalendarDate(date: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return false;
  const w = dateWall(date);
  const back = utcWallClock(wallClockMs(w));
  return back.year === w.year && back.month === w.month && back.day === w.day;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** "YYYYMMDDTHHMMSS" (+ "Z"). */
export function formatDateTime(w: WallClock, utc: boolean): string {
  return `${pad(w.year, 4)}${pad(w.month)}${pad(w.day)}T${pad(w.hour)}${pad(w.minute)}${pad(w.second)}${utc ? 'Z' : ''}`;
}

/** "YYYY-MM-DD" -> "YYYYMMDD". */
export function formatDate(date: string): string {
  return date.replaceAll('-', '');
}

/** Midnight of a "YYYY-MM-DD" date as a wall clock. */
export function dateWall(
  date: string,
  time?: Pick<WallClock, 'hour' | 'minute' | 'second'>,
): WallClock {
  const [year = 0, month = 1, day = 1] = date.split('-').map(Number);
  return {
    year,
    month,
    day,
    hour: time?.hour ?? 0,
    minute: time?.minute ?? 0,
    second: time?.second ?? 0,
  };
}

/** The "YYYY-MM-DD" date of a wall clock. */
export function wallDate(w: WallClock): string {
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

export function addDays(date: string, days: number): string {
  return wallDate(utcWallClock(wallClockMs(dateWall(date)) + days * 86_400_000));
}

/** Whole days from one date to another. */
export function daysBetween(from: string, to: string): number {
  return Math.round((wallClockMs(dateWall(to)) - wallClockMs(dateWall(from))) / 86_400_000);
}

export function addWallDays(w: WallClock, days: number): WallClock {
  const shifted = utcWallClock(wallClockMs(w) + days * 86_400_000);
  return { ...shifted, hour: w.hour, minute: w.minute, second: w.second };
}
