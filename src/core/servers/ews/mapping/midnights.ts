/**
 * Exchange writes an all-day item as a start and end at local midnights of a zone we may
 * not know; the day is the one the midnight stands for.
 */

const DAY = 86_400_000;

/** The UTC midnight nearest to an instant (noon goes to its own day). */
export function nearestMidnight(ms: number): number {
  return Math.floor((ms + DAY / 2 - 1) / DAY) * DAY;
}

/** The day a local midnight stands for, in any zone within ±12 h of UTC. */
export function nearestDate(ms: number): string {
  return new Date(nearestMidnight(ms)).toISOString().slice(0, 10);
}
