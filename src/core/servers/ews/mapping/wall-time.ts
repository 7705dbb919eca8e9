/**
 * Wall clocks and calendar dates in an IANA zone (null = UTC), for all-day days, recurrence
 * dates and UNTIL.
 */
import type { WallClock } from '../../../time/zoned-time.ts';
import {
  utcWallClock,
  wallClockMs,
  zoneWallClock,
  zoneWallClockToMs,
} from '../../../time/zoned-time.ts';

export function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

export function dateOfWall(w: WallClock): string {
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

export function wallOf(ms: number, zone: string | null): WallClock {
  return zone ? zoneWallClock(ms, zone) : utcWallClock(ms);
}

export function msOfWall(w: WallClock, zone: string | null): number {
  return zone ? zoneWallClockToMs(w, zone) : wallClockMs(w);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The date of an instant in a zone. */
export function dateIn(ms: number, zone: string | null): string {
  return dateOfWall(wallOf(ms, zone));
}

/** Midnight starting a date in a zone. */
export function midnightIn(date: string, zone: string | null): number {
  const [y, m, d] = date.split('-').map(Number);
  return msOfWall(
    { year: y ?? 1970, month: m ?? 1, day: d ?? 1, hour: 0, minute: 0, second: 0 },
    zone,
  );
}

const DAY = 86_400_000;

/** The UTC midnight nearest to an instant (noon goes to its own day). */
export function nearestMidnight(ms: number): number {
  return Math.floor((ms + DAY / 2 - 1) / DAY) * DAY;
}

/** The day a local midnight stands for, in any zone within ±12 h of UTC. */
export function nearestDate(ms: number): string {
  return new Date(nearestMidnight(ms)).toISOString().slice(0, 10);
}
