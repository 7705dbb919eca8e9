// EWS recurrence patterns -> RRULE, expanded with ical.js in the series' time zone, so
// InstanceIndex, OriginalStart, FirstOccurrence and LastOccurrence can be answered.
import ICAL from 'ical.js';
import { isoUtc, toUtc } from './ids.ts';
import type { StoredItem } from './store.ts';
import { wallOf, zonedToUtc, zoneOfElement } from './time-zones.ts';
import { child, childText, children, type XElement } from './xml.ts';

const DAYS: Record<string, string[]> = {
  Sunday: ['SU'],
  Monday: ['MO'],
  Tuesday: ['TU'],
  Wednesday: ['WE'],
  Thursday: ['TH'],
  Friday: ['FR'],
  Saturday: ['SA'],
  Day: ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'],
  Weekday: ['MO', 'TU', 'WE', 'TH', 'FR'],
  WeekendDay: ['SA', 'SU'],
};
const SETPOS: Record<string, number> = { First: 1, Second: 2, Third: 3, Fourth: 4, Last: -1 };
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const RANGES = new Set(['NoEndRecurrence', 'EndDateRecurrence', 'NumberedRecurrence']);
/** Series without an end are expanded this far (Exchange itself caps expansions too). */
const MAX_OCCURRENCES = 1000;

function byDay(days: string | undefined): string[] {
  return (days ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((d) => DAYS[d] ?? []);
}

function month(name: string | undefined): number {
  return MONTHS.indexOf(name ?? '') + 1;
}

/**
 * Exchange puts "day 31" (30, 29) on the month's last day when the month is shorter, where
 * RFC 5545 would skip the month: such rules expand on the last day, then clamp (see expand).
 */
function monthDay(day: string | undefined): string[] {
  const d = Number(day ?? '1');
  return [`BYMONTHDAY=${d <= 28 ? d : -1}`];
}

/** The day of month a "last day" expansion is clamped to (29-31), if any. */
function clampDay(rec: XElement): number | undefined {
  const pattern = children(rec).find((c) =>
    /^Absolute(Monthly|Yearly)Recurrence$/.test(c.localName ?? ''),
  );
  const d = Number(childText(pattern, 'DayOfMonth') ?? '0');
  return d > 28 ? d : undefined;
}

/** The RRULE (without DTSTART) for an EWS <t:Recurrence>; undefined for task regeneration patterns. */
export function recurrenceToRrule(rec: XElement): string | undefined {
  const pattern = children(rec).find((c) => !RANGES.has(c.localName ?? ''));
  const range = children(rec).find((c) => RANGES.has(c.localName ?? ''));
  if (!pattern) return undefined;
  const interval = Number(childText(pattern, 'Interval') ?? '1') || 1;
  const parts: string[] = [];
  switch (pattern.localName) {
    case 'DailyRecurrence':
      parts.push('FREQ=DAILY', `INTERVAL=${interval}`);
      break;
    case 'WeeklyRecurrence': {
      parts.push(
        'FREQ=WEEKLY',
        `INTERVAL=${interval}`,
        `BYDAY=${byDay(childText(pattern, 'DaysOfWeek')).join(',')}`,
      );
      const wkst = DAYS[childText(pattern, 'FirstDayOfWeek') ?? ''];
      if (wkst) parts.push(`WKST=${wkst[0]}`);
      break;
    }
    case 'AbsoluteMonthlyRecurrence':
      parts.push(
        'FREQ=MONTHLY',
        `INTERVAL=${interval}`,
        ...monthDay(childText(pattern, 'DayOfMonth')),
      );
      break;
    case 'RelativeMonthlyRecurrence':
      parts.push(
        'FREQ=MONTHLY',
        `INTERVAL=${interval}`,
        `BYDAY=${byDay(childText(pattern, 'DaysOfWeek')).join(',')}`,
        `BYSETPOS=${SETPOS[childText(pattern, 'DayOfWeekIndex') ?? 'First'] ?? 1}`,
      );
      break;
    case 'AbsoluteYearlyRecurrence':
      parts.push(
        'FREQ=YEARLY',
        `BYMONTH=${month(childText(pattern, 'Month'))}`,
        ...monthDay(childText(pattern, 'DayOfMonth')),
      );
      break;
    case 'RelativeYearlyRecurrence':
      parts.push(
        'FREQ=YEARLY',
        `BYMONTH=${month(childText(pattern, 'Month'))}`,
        `BYDAY=${byDay(childText(pattern, 'DaysOfWeek')).join(',')}`,
        `BYSETPOS=${SETPOS[childText(pattern, 'DayOfWeekIndex') ?? 'First'] ?? 1}`,
      );
      break;
    default:
      return undefined;
  }
  if (range?.localName === 'NumberedRecurrence') {
    parts.push(`COUNT=${childText(range, 'NumberOfOccurrences') ?? '1'}`);
  } else if (range?.localName === 'EndDateRecurrence') {
    const end = (childText(range, 'EndDate') ?? '').slice(0, 10).replace(/-/g, '');
    parts.push(`UNTIL=${end}T235959`);
  }
  return parts.join(';');
}

export interface Expansion {
  /** Original starts (UTC, "…Z") in order; index i is InstanceIndex i + 1. */
  starts: string[];
  durationMs: number;
  /** False when a series without end was cut at MAX_OCCURRENCES. */
  complete: boolean;
}

const cache = new WeakMap<StoredItem, { version: number; exp: Expansion }>();

/** All occurrences of a recurring master (deleted ones included: they keep their index). */
export function expand(master: StoredItem): Expansion | undefined {
  const hit = cache.get(master);
  if (hit && hit.version === master.version) return hit.exp;
  const rec = master.fields.get('Recurrence');
  const startText = master.text('Start');
  const endText = master.text('End');
  if (!rec || !startText || !endText) return undefined;
  const rule = recurrenceToRrule(rec.el);
  if (!rule) return undefined;
  const zone = zoneOfElement(master.fields.get('StartTimeZone')?.el);
  const startMs = Date.parse(toUtc(startText));
  const durationMs = Date.parse(toUtc(endText)) - startMs;
  const w = wallOf(startMs, zone);
  const dtstart = ICAL.Time.fromData({ ...w, isDate: false });
  const it = ICAL.Recur.fromString(rule).iterator(dtstart);
  const clamp = clampDay(rec.el);
  const starts: string[] = [];
  let complete = true;
  for (let t = it.next(); t; t = it.next()) {
    if (starts.length >= MAX_OCCURRENCES) {
      complete = false;
      break;
    }
    const lastDay = new Date(Date.UTC(t.year, t.month, 0)).getUTCDate();
    const day = clamp ? Math.min(clamp, lastDay) : t.day;
    const utc = zonedToUtc(
      { year: t.year, month: t.month, day, hour: t.hour, minute: t.minute, second: t.second },
      zone,
    );
    starts.push(isoUtc(new Date(utc)));
  }
  const exp = { starts, durationMs, complete };
  cache.set(master, { version: master.version, exp });
  return exp;
}

/** True when the master has a Recurrence with an end (EndDate or Numbered). */
export function hasEnd(master: StoredItem): boolean {
  const rec = master.fields.get('Recurrence')?.el;
  return !!rec && !child(rec, 'NoEndRecurrence');
}
