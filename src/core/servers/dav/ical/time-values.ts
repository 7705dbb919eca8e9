/**
 * DATE and DATE-TIME values (RFC 5545 3.3.4, 3.3.5) as text. Date arithmetic is in
 * core/time/calendar-dates.ts.
 */
import { isCalendarDate } from '../../../time/calendar-dates.ts';
import type { WallClock } from '../../../time/zoned-time.ts';

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
