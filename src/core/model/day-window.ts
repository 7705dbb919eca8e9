/**
 * Whether an item falls in the agenda's day window. A series is in the window when any of
 * its occurrences is (moved occurrences count where they were moved to; cancelled ones do
 * not count).
 */
import ICAL from 'ical.js';
import type { EventData, TaskData, When } from './items.ts';
import { utcWallClock, zoneWallClock, zoneWallClockToMs } from '../time/zoned-time.ts';

export interface DayWindow {
  /** UTC ISO instants. */
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;

/** The window around `now`: whole days back and ahead, in UTC. */
export function dayWindow(now: Date, daysPast: number, daysFuture: number): DayWindow {
  return {
    from: new Date(now.getTime() - daysPast * DAY_MS).toISOString(),
    to: new Date(now.getTime() + daysFuture * DAY_MS).toISOString(),
  };
}

/** Epoch ms of a start or end; a date counts from its UTC midnight (a day of slack is fine). */
export function whenMs(when: When): number {
  return 'date' in when ? Date.parse(`${when.date}T00:00:00Z`) : Date.parse(when.utc);
}

function overlaps(startMs: number, endMs: number, from: number, to: number): boolean {
  // A zero-length item at the window's start still counts.
  return startMs < to && Math.max(endMs, startMs + 1) > from;
}

/** Upper bound on occurrences looked at, so a bad rule cannot spin. */
const MAX_OCCURRENCES = 50_000;

export function eventInWindow(event: EventData, window: DayWindow): boolean {
  const from = Date.parse(window.from);
  const to = Date.parse(window.to);
  const start = whenMs(event.start);
  const end = whenMs(event.end);
  if (!event.rrule) return overlaps(start, end, from, to);
  if (start >= to && event.overrides.every((o) => whenMs(o.start) >= to)) return false;
  for (const o of event.overrides) {
    if (overlaps(whenMs(o.start), whenMs(o.end), from, to)) return true;
  }
  const skip = new Set([...event.exdates, ...event.overrides.map((o) => o.recurrenceId)]);
  const duration = end - start;
  let found = false;
  forEachOccurrenceStart(event, (occStart, recurrenceId) => {
    if (occStart >= to) return false;
    if (!skip.has(recurrenceId) && overlaps(occStart, occStart + duration, from, to)) {
      found = true;
      return false;
    }
    return true;
  });
  return found;
}

/**
 * Calls `visit` with each occurrence's start (epoch ms) and its recurrence id (the format
 * exdates and overrides use), in order, until it returns false. Expands in the series'
 * zone so wall-clock time holds across DST.
 */
export function forEachOccurrenceStart(
  event: EventData,
  visit: (startMs: number, recurrenceId: string) => boolean,
): void {
  if (!event.rrule) return;
  const recur = ICAL.Recur.fromString(event.rrule);
  const allDay = 'date' in event.start;
  const zone = 'tz' in event.start ? event.start.tz : null;
  const startMs = whenMs(event.start);
  const wall = allDay || !zone ? utcWallClock(startMs) : zoneWallClock(startMs, zone);
  const dtstart = new ICAL.Time(
    {
      year: wall.year,
      month: wall.month,
      day: wall.day,
      hour: wall.hour,
      minute: wall.minute,
      second: wall.second,
      isDate: allDay,
    },
    ICAL.Timezone.utcTimezone,
  );
  // The iterator runs on the zone's wall clock written as UTC, so a true-UTC UNTIL would be
  // compared with the wrong clock (east of UTC the last occurrence would be lost): take it
  // out and compare instants.
  const untilMs = zone && !allDay ? untilInstant(recur, zone) : null;
  if (untilMs !== null) recur.until = null;
  const iterator = recur.iterator(dtstart);
  for (let i = 0; i < MAX_OCCURRENCES; i++) {
    const next = iterator.next();
    if (!next) return;
    const occWall = {
      year: next.year,
      month: next.month,
      day: next.day,
      hour: next.hour,
      minute: next.minute,
      second: next.second,
    };
    const ms = allDay
      ? Date.UTC(next.year, next.month - 1, next.day)
      : zone
        ? zoneWallClockToMs(occWall, zone)
        : Date.UTC(
            occWall.year,
            occWall.month - 1,
            occWall.day,
            occWall.hour,
            occWall.minute,
            occWall.second,
          );
    if (untilMs !== null && ms > untilMs) return;
    const id = allDay ? new Date(ms).toISOString().slice(0, 10) : new Date(ms).toISOString();
    if (!visit(ms, id)) return;
  }
}

/**
 * UNTIL of a timed series as an instant: a UTC value as it is, a floating one on the
 * series' wall clock, a date (which RFC 5545 does not allow here, but clients write) as
 * the end of that day in the series' zone. Null when the rule has no UNTIL.
 */
function untilInstant(recur: ICAL.Recur, zone: string): number | null {
  const until = recur.until;
  if (!until) return null;
  if (until.isDate) {
    return zoneWallClockToMs(
      { year: until.year, month: until.month, day: until.day, hour: 23, minute: 59, second: 59 },
      zone,
    );
  }
  const wall = {
    year: until.year,
    month: until.month,
    day: until.day,
    hour: until.hour,
    minute: until.minute,
    second: until.second,
  };
  return until.zone === ICAL.Timezone.utcTimezone
    ? Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second)
    : zoneWallClockToMs(wall, zone);
}

/** A task is in the window by its due date, else its start; a task with neither always is. */
export function taskInWindow(task: TaskData, window: DayWindow): boolean {
  const when = task.due ?? task.start;
  if (!when) return true;
  const ms = whenMs(when);
  return ms >= Date.parse(window.from) - DAY_MS && ms < Date.parse(window.to) + DAY_MS;
}
