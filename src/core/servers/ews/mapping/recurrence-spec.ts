/**
 * RRULE <-> the recurrence Exchange can hold (a pattern and a range, as plain data). Exchange
 * has six patterns (daily, weekly with days and a first day of the week, absolute and
 * relative monthly, absolute and relative yearly) and three ranges (no end, an end date, a
 * number of occurrences); an RRULE outside them is refused with an ItemError that says why.
 *
 * Canonical forms read back: INTERVAL only when > 1; WKST only where it changes the meaning
 * (weekly, INTERVAL > 1, a first day other than Monday); the last day of the month as
 * BYMONTHDAY=-1; "the n-th weekday/weekend day/day" as a BYDAY list + BYSETPOS. An end date
 * is UNTIL=<date> for all-day series, else the last second of that day in the series' zone
 * (so every reader includes the last occurrence). Everything passes ical.js's formatting,
 * like the CalDAV mapping's RRULEs.
 */
import ICAL from 'ical.js';
import { codedItemError } from '../../errors.ts';
import { normaliseRrule } from '../../recurrence-rule.ts';
import type { WallClock } from '../../../time/zoned-time.ts';
import { msOfWall, utcWallClock, wallClockMs, wallOf } from '../../../time/zoned-time.ts';
import { addDays, wallDate } from '../../../time/calendar-dates.ts';

/** Where a series starts: what RRULE parts default to and UNTIL is measured in. */
export interface SeriesContext {
  /** The item's subject, for messages. */
  label: string;
  allDay: boolean;
  /** IANA zone of the series; null = UTC. */
  zone: string | null;
  /** The series' first start (an all-day series: its first day's midnight in `zone`). */
  startMs: number;
}

export const DAY_CODES = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const;
export type DayCode = (typeof DAY_CODES)[number];
/** RRULE order of days (Monday first, RFC 5545's default week start). */
export const ISO_ORDER: readonly DayCode[] = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
export const WEEKDAYS: readonly DayCode[] = ['MO', 'TU', 'WE', 'TH', 'FR'];
export const WEEKEND: readonly DayCode[] = ['SA', 'SU'];

/** A day the relative patterns name: one weekday, or Exchange's groups. */
export type DayGroup = DayCode | 'DAY' | 'WEEKDAY' | 'WEEKEND';
/** 1..4 = First..Fourth, -1 = Last. */
export type DayIndex = 1 | 2 | 3 | 4 | -1;

export type PatternSpec =
  | { type: 'daily'; interval: number }
  | { type: 'weekly'; interval: number; days: DayCode[]; firstDayOfWeek: DayCode }
  | { type: 'absoluteMonthly'; interval: number; dayOfMonth: number }
  | { type: 'relativeMonthly'; interval: number; day: DayGroup; index: DayIndex }
  | { type: 'absoluteYearly'; month: number; dayOfMonth: number }
  | { type: 'relativeYearly'; month: number; day: DayGroup; index: DayIndex };

export type RangeSpec =
  | { kind: 'noEnd' }
  | { kind: 'numbered'; count: number }
  /** The last day occurrences may start on, in the series' zone. */
  | { kind: 'endDate'; date: string };

export interface RecurrenceSpec {
  pattern: PatternSpec;
  range: RangeSpec;
}

// ---- helpers ----------------------------------------------------------------------------

function seriesWall(ctx: SeriesContext): WallClock {
  return wallOf(ctx.startMs, ctx.zone);
}

function weekdayOf(w: WallClock): DayCode {
  return DAY_CODES[new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay()] ?? 'MO';
}

export function sortDays(days: Iterable<DayCode>): DayCode[] {
  const set = new Set(days);
  return ISO_ORDER.filter((d) => set.has(d));
}

function sameDays(a: readonly DayCode[], b: readonly DayCode[]): boolean {
  const x = sortDays(a);
  const y = sortDays(b);
  return x.length === y.length && x.every((d, i) => d === y[i]);
}

// ---- RRULE -> spec ------------------------------------------------------------------------

/** A rule part Exchange cannot hold; its message says which. */
export class Unsupported extends Error {}

function list<T>(value: unknown): T[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as T[];
}

const KNOWN_PARTS = new Set([
  'freq',
  'interval',
  'count',
  'until',
  'wkst',
  'byday',
  'bymonthday',
  'bymonth',
  'bysetpos',
]);

interface RulePartsRead {
  freq: string;
  interval: number;
  count: number | null;
  until: string | null;
  wkst: DayCode;
  byday: { ordinal: number | null; day: DayCode }[];
  bymonthday: number[];
  bymonth: number[];
  bysetpos: number[];
}

function readParts(rrule: string): RulePartsRead {
  const json = ICAL.Recur.fromString(rrule.trim().replace(/^RRULE:/i, '')).toJSON() as Record<
    string,
    unknown
  >;
  for (const key of Object.keys(json)) {
    if (!KNOWN_PARTS.has(key)) throw new Unsupported(`${key.toUpperCase()} is not supported`);
  }
  const byday = list<string>(json.byday).map((entry) => {
    const m = /^([+-]?\d{1,2})?(SU|MO|TU|WE|TH|FR|SA)$/i.exec(entry.trim());
    if (!m) throw new Unsupported(`BYDAY "${entry}" cannot be read`);
    return {
      ordinal: m[1] === undefined ? null : Number(m[1]),
      day: (m[2] ?? 'MO').toUpperCase() as DayCode,
    };
  });
  const wkst = typeof json.wkst === 'string' ? (json.wkst.toUpperCase() as DayCode) : 'MO';
  return {
    freq: typeof json.freq === 'string' ? json.freq.toUpperCase() : '',
    interval: typeof json.interval === 'number' ? json.interval : 1,
    count: typeof json.count === 'number' ? json.count : null,
    until: typeof json.until === 'string' ? json.until : null,
    wkst: DAY_CODES.includes(wkst) ? wkst : 'MO',
    byday,
    bymonthday: list<number>(json.bymonthday).map(Number),
    bymonth: list<number>(json.bymonth).map(Number),
    bysetpos: list<number>(json.bysetpos).map(Number),
  };
}

export function dayIndexOf(n: number): DayIndex {
  if (n === 1 || n === 2 || n === 3 || n === 4 || n === -1) return n;
  throw new Unsupported(
    n === 5
      ? 'Exchange has no "fifth" weekday of a month (only first to fourth, and last)'
      : `position ${n} is not supported (Exchange knows first to fourth, and last)`,
  );
}

/** The relative day (one weekday or a group) and its position, from BYDAY/BYSETPOS. */
function relativeDay(parts: RulePartsRead): { day: DayGroup; index: DayIndex } | null {
  if (parts.byday.length === 0) return null;
  const withOrdinal = parts.byday.filter((d) => d.ordinal !== null);
  if (withOrdinal.length > 0) {
    const first = parts.byday[0];
    if (parts.byday.length !== 1 || !first || first.ordinal === null)
      throw new Unsupported('several days with positions are not supported');
    if (parts.bysetpos.length > 0)
      throw new Unsupported('BYSETPOS together with a positioned BYDAY is not supported');
    return { day: first.day, index: dayIndexOf(first.ordinal) };
  }
  if (parts.bysetpos.length !== 1)
    throw new Unsupported(
      parts.bysetpos.length === 0
        ? 'every such weekday of the month is not an Exchange pattern (use a weekly rule)'
        : 'several BYSETPOS values are not supported',
    );
  const days = parts.byday.map((d) => d.day);
  const index = dayIndexOf(parts.bysetpos[0] ?? 0);
  if (days.length === 1 && days[0]) return { day: days[0], index };
  if (sameDays(days, ISO_ORDER)) return { day: 'DAY', index };
  if (sameDays(days, WEEKDAYS)) return { day: 'WEEKDAY', index };
  if (sameDays(days, WEEKEND)) return { day: 'WEEKEND', index };
  throw new Unsupported(
    'BYSETPOS works on Exchange only with one day, weekdays, weekend days or all days',
  );
}

function untilDate(until: string, ctx: SeriesContext): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(Z)?)?$/.exec(until);
  if (!m) throw new Unsupported(`UNTIL "${until}" cannot be read`);
  const date = `${m[1]}-${m[2]}-${m[3]}`;
  if (m[4] === undefined) return date;
  const wall: WallClock = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: Number(m[6]),
  };
  // A floating UNTIL is a wall time in the series' zone; a "Z" one an instant.
  const local = m[7] ? wallOf(wallClockMs(wall), ctx.zone) : wall;
  if (ctx.allDay) return wallDate(local);
  const start = seriesWall(ctx);
  const startOfDay = start.hour * 3600 + start.minute * 60 + start.second;
  const untilOfDay = local.hour * 3600 + local.minute * 60 + local.second;
  // No occurrence starts on that day before UNTIL: the last one is the day before.
  return untilOfDay < startOfDay ? addDays(wallDate(local), -1) : wallDate(local);
}

function rangeOf(parts: RulePartsRead, ctx: SeriesContext): RangeSpec {
  if (parts.count !== null) {
    if (parts.count < 1) throw new Unsupported('COUNT must be at least 1');
    return { kind: 'numbered', count: parts.count };
  }
  if (parts.until !== null) return { kind: 'endDate', date: untilDate(parts.until, ctx) };
  return { kind: 'noEnd' };
}

function singleMonth(parts: RulePartsRead, start: WallClock): number {
  if (parts.bymonth.length > 1) throw new Unsupported('several months (BYMONTH) are not supported');
  return parts.bymonth[0] ?? start.month;
}

function patternOf(parts: RulePartsRead, ctx: SeriesContext): PatternSpec {
  const start = seriesWall(ctx);
  const interval = parts.interval;
  if (interval < 1 || interval > 999) throw new Unsupported(`INTERVAL ${interval} is out of range`);
  const noMonthParts = (): void => {
    if (parts.bymonthday.length > 0)
      throw new Unsupported('BYMONTHDAY needs a monthly or yearly rule');
    if (parts.bymonth.length > 0) throw new Unsupported('BYMONTH needs a yearly rule');
    if (parts.bysetpos.length > 0) throw new Unsupported('BYSETPOS needs a monthly or yearly rule');
  };
  switch (parts.freq) {
    case 'DAILY':
      noMonthParts();
      if (parts.byday.length === 0) return { type: 'daily', interval };
      // "Every weekday" is Exchange's weekly pattern.
      if (interval !== 1 || parts.byday.some((d) => d.ordinal !== null))
        throw new Unsupported('a daily rule with BYDAY works only every day');
      return {
        type: 'weekly',
        interval: 1,
        days: sortDays(parts.byday.map((d) => d.day)),
        firstDayOfWeek: parts.wkst,
      };
    case 'WEEKLY': {
      noMonthParts();
      if (parts.byday.some((d) => d.ordinal !== null))
        throw new Unsupported('a weekly rule cannot name positions in BYDAY');
      const days = parts.byday.length ? parts.byday.map((d) => d.day) : [weekdayOf(start)];
      return { type: 'weekly', interval, days: sortDays(days), firstDayOfWeek: parts.wkst };
    }
    case 'MONTHLY': {
      if (parts.bymonth.length > 0) throw new Unsupported('BYMONTH needs a yearly rule');
      return monthlyOf(parts, interval, start);
    }
    case 'YEARLY': {
      const month = singleMonth(parts, start);
      if (interval > 1) {
        // Exchange's yearly patterns have no interval; every n years is every 12n months
        // (what Outlook does), which holds when the series starts in that month.
        if (month !== start.month)
          throw new Unsupported('a yearly rule with INTERVAL must start in its month');
        return monthlyOf(parts, interval * 12, start);
      }
      const relative = parts.bymonthday.length ? null : relativeDay(parts);
      if (relative) return { type: 'relativeYearly', month, ...relative };
      const dayOfMonth = absoluteDay(parts, start);
      if (dayOfMonth === -1) return { type: 'relativeYearly', month, day: 'DAY', index: -1 };
      return { type: 'absoluteYearly', month, dayOfMonth };
    }
    case '':
      throw new Unsupported('it has no FREQ');
    default:
      throw new Unsupported(`Exchange repeats at most daily, not ${parts.freq.toLowerCase()}`);
  }
}

/** BYMONTHDAY (one, 1..31 or -1 for the last day), else the start's day. */
function absoluteDay(parts: RulePartsRead, start: WallClock): number {
  if (parts.byday.length > 0)
    throw new Unsupported('BYDAY together with BYMONTHDAY is not supported');
  if (parts.bysetpos.length > 0) throw new Unsupported('BYSETPOS with BYMONTHDAY is not supported');
  if (parts.bymonthday.length > 1)
    throw new Unsupported('several days of the month (BYMONTHDAY) are not supported');
  const day = parts.bymonthday[0] ?? start.day;
  if (day === -1 || (day >= 1 && day <= 31)) return day;
  throw new Unsupported(`BYMONTHDAY=${day} is not supported (only 1 to 31, or -1)`);
}

function monthlyOf(parts: RulePartsRead, interval: number, start: WallClock): PatternSpec {
  const relative = parts.bymonthday.length ? null : relativeDay(parts);
  if (relative) return { type: 'relativeMonthly', interval, ...relative };
  const dayOfMonth = absoluteDay(parts, start);
  if (dayOfMonth === -1) return { type: 'relativeMonthly', interval, day: 'DAY', index: -1 };
  return { type: 'absoluteMonthly', interval, dayOfMonth };
}

/** The Exchange form of an RRULE; ItemError with the reason when it has none. */
export function specOfRrule(rrule: string, ctx: SeriesContext): RecurrenceSpec {
  try {
    const parts = readParts(rrule);
    return { pattern: patternOf(parts, ctx), range: rangeOf(parts, ctx) };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw codedItemError(
      `Cannot write "${ctx.label}": its recurrence "${rrule}" cannot be expressed on Exchange (${why}).`,
      'item-recurrence-inexpressible',
      { item: ctx.label, rule: rrule, detail: why },
      { cause: err },
    );
  }
}

// ---- spec -> RRULE ------------------------------------------------------------------------

function relativeParts(day: DayGroup, index: DayIndex): string {
  switch (day) {
    case 'DAY':
      // "The last day" / "the n-th day" of the month is a plain day of the month.
      return `BYMONTHDAY=${index}`;
    case 'WEEKDAY':
      return `BYDAY=${WEEKDAYS.join(',')};BYSETPOS=${index}`;
    case 'WEEKEND':
      return `BYDAY=${WEEKEND.join(',')};BYSETPOS=${index}`;
    default:
      return `BYDAY=${index}${day}`;
  }
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** RRULE's UNTIL: the date for an all-day series, else the last second of the day in UTC. */
function untilText(date: string, ctx: SeriesContext): string {
  if (ctx.allDay) return date.replaceAll('-', '');
  const [y, m, d] = date.split('-').map(Number);
  const nextMidnight = msOfWall(
    { year: y ?? 1970, month: m ?? 1, day: (d ?? 1) + 1, hour: 0, minute: 0, second: 0 },
    ctx.zone,
  );
  const w = utcWallClock(nextMidnight - 1000);
  return `${pad(w.year, 4)}${pad(w.month)}${pad(w.day)}T${pad(w.hour)}${pad(w.minute)}${pad(w.second)}Z`;
}

export function rruleOfSpec(spec: RecurrenceSpec, ctx: SeriesContext): string {
  const p = spec.pattern;
  const parts: string[] = [];
  const interval = (n: number): void => {
    if (n > 1) parts.push(`INTERVAL=${n}`);
  };
  switch (p.type) {
    case 'daily':
      parts.push('FREQ=DAILY');
      interval(p.interval);
      break;
    case 'weekly':
      parts.push('FREQ=WEEKLY');
      interval(p.interval);
      parts.push(`BYDAY=${sortDays(p.days).join(',')}`);
      if (p.interval > 1 && p.firstDayOfWeek !== 'MO') parts.push(`WKST=${p.firstDayOfWeek}`);
      break;
    case 'absoluteMonthly':
      parts.push('FREQ=MONTHLY');
      interval(p.interval);
      parts.push(`BYMONTHDAY=${p.dayOfMonth}`);
      break;
    case 'relativeMonthly':
      parts.push('FREQ=MONTHLY');
      interval(p.interval);
      parts.push(relativeParts(p.day, p.index));
      break;
    case 'absoluteYearly':
      parts.push('FREQ=YEARLY', `BYMONTH=${p.month}`, `BYMONTHDAY=${p.dayOfMonth}`);
      break;
    case 'relativeYearly':
      parts.push('FREQ=YEARLY', `BYMONTH=${p.month}`, relativeParts(p.day, p.index));
      break;
  }
  if (spec.range.kind === 'numbered') parts.push(`COUNT=${spec.range.count}`);
  if (spec.range.kind === 'endDate') parts.push(`UNTIL=${untilText(spec.range.date, ctx)}`);
  return normaliseRrule(parts.join(';'));
}

/** Whether two RRULEs mean the same to Exchange (so an unchanged series is not rewritten). */
export function sameRecurrence(a: string, b: string, ctx: SeriesContext): boolean {
  if (a === b) return true;
  try {
    return rruleOfSpec(specOfRrule(a, ctx), ctx) === rruleOfSpec(specOfRrule(b, ctx), ctx);
  } catch {
    return false;
  }
}
