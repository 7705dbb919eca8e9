/**
 * Calendar dates written YYYY-MM-DD and their arithmetic, done on UTC dates only so that no
 * process time zone can shift a day. Shared by the CRM store, the engine and every
 * connector.
 */
import type { WallClock } from './zoned-time.ts';
import { msOfWall, utcWallClock, wallClockMs, wallOf } from './zoned-time.ts';

const DAY_MS = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** True for a real calendar date written YYYY-MM-DD (no 30 February; years 0000-9999). */
export function isCalendarDate(date: string): boolean {
  if (!DATE_RE.test(date)) return false;
  const w = dateWall(date);
  const back = utcWallClock(wallClockMs(w));
  return back.year === w.year && back.month === w.month && back.day === w.day;
}

function checkedDate(date: string): string {
  if (!isCalendarDate(date)) {
    throw new RangeError(`"${date}" is not a calendar date written YYYY-MM-DD.`);
  }
  return date;
}

/** Midnight of a "YYYY-MM-DD" date (or that date at `time`) as a wall clock. */
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

/** The date `days` days after (before, when negative) a date. Throws RangeError for a non-date. */
export function addDays(date: string, days: number): string {
  return wallDate(utcWallClock(wallClockMs(dateWall(checkedDate(date))) + days * DAY_MS));
}

/** Whole days from one date to another. */
export function daysBetween(from: string, to: string): number {
  return Math.round((wallClockMs(dateWall(to)) - wallClockMs(dateWall(from))) / DAY_MS);
}

/** The same time of day `days` days later. */
export function addWallDays(w: WallClock, days: number): WallClock {
  const shifted = utcWallClock(wallClockMs(w) + days * DAY_MS);
  return { ...shifted, hour: w.hour, minute: w.minute, second: w.second };
}

/** ISO weekday of a date: 1 = Monday ... 7 = Sunday. */
export function isoWeekday(date: string): number {
  const day = new Date(wallClockMs(dateWall(checkedDate(date)))).getUTCDay();
  return ((day + 6) % 7) + 1;
}

/** The date an instant falls on in a zone (UTC for null). */
export function dateIn(ms: number, zone: string | null): string {
  return wallDate(wallOf(ms, zone));
}

/** The instant a date starts at in a zone (UTC for null). */
export function midnightIn(date: string, zone: string | null): number {
  return msOfWall(dateWall(date), zone);
}
