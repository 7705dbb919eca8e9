/**
 * The recurrence spec (recurrence-spec.ts) <-> ews-javascript-api's Recurrence patterns.
 * Regenerating patterns (tasks: "two days after it is done") have no RRULE and are refused.
 */
import { DayOfTheWeek, DayOfTheWeekIndex, Recurrence } from 'ews-javascript-api';
// Not exported by the package's index; its values are Sunday = 0 … Saturday = 6.
import type { DayOfWeek } from 'ews-javascript-api/js/Enumerations/DayOfWeek.js';
import { codedItemError } from '../../errors.ts';
import type {
  DayCode,
  DayGroup,
  DayIndex,
  PatternSpec,
  RangeSpec,
  RecurrenceSpec,
  SeriesContext,
} from './recurrence-spec.ts';
import {
  DAY_CODES,
  ISO_ORDER,
  Unsupported,
  WEEKDAYS,
  WEEKEND,
  dayIndexOf,
  rruleOfSpec,
  sortDays,
} from './recurrence-spec.ts';
import { calendarDateTime, dateOfDateTime } from './values.ts';

const EWS_DAY: Record<DayGroup, DayOfTheWeek> = {
  SU: DayOfTheWeek.Sunday,
  MO: DayOfTheWeek.Monday,
  TU: DayOfTheWeek.Tuesday,
  WE: DayOfTheWeek.Wednesday,
  TH: DayOfTheWeek.Thursday,
  FR: DayOfTheWeek.Friday,
  SA: DayOfTheWeek.Saturday,
  DAY: DayOfTheWeek.Day,
  WEEKDAY: DayOfTheWeek.Weekday,
  WEEKEND: DayOfTheWeek.WeekendDay,
};

function dayGroupOf(value: DayOfTheWeek): DayGroup {
  const found = (Object.keys(EWS_DAY) as DayGroup[]).find((k) => EWS_DAY[k] === value);
  if (!found) throw new Unsupported(`day of the week ${String(value)} is unknown`);
  return found;
}

function dayCodeOf(value: DayOfTheWeek): DayCode {
  const group = dayGroupOf(value);
  if (group === 'DAY' || group === 'WEEKDAY' || group === 'WEEKEND')
    throw new Unsupported('a weekly pattern names a group of days');
  return group;
}

const EWS_INDEX: Record<string, DayOfTheWeekIndex> = {
  '1': DayOfTheWeekIndex.First,
  '2': DayOfTheWeekIndex.Second,
  '3': DayOfTheWeekIndex.Third,
  '4': DayOfTheWeekIndex.Fourth,
  '-1': DayOfTheWeekIndex.Last,
};

function dayIndexOfEws(value: DayOfTheWeekIndex): DayIndex {
  const found = Object.entries(EWS_INDEX).find(([, v]) => v === value)?.[0];
  if (found === undefined) throw new Unsupported(`day index ${String(value)} is unknown`);
  return dayIndexOf(Number(found));
}

const FIRST_DAY = Object.fromEntries(DAY_CODES.map((code, i) => [code, i as DayOfWeek])) as Record<
  DayCode,
  DayOfWeek
>;

function firstDayCodeOf(value: DayOfWeek | null | undefined): DayCode {
  return (Object.keys(FIRST_DAY) as DayCode[]).find((k) => FIRST_DAY[k] === value) ?? 'MO';
}

/** A new library Recurrence for a spec, starting on `startDate` (the series' first day). */
export function ewsRecurrenceOf(spec: RecurrenceSpec, startDate: string): Recurrence {
  const start = calendarDateTime(startDate);
  const p = spec.pattern;
  let recurrence: Recurrence;
  switch (p.type) {
    case 'daily':
      recurrence = new Recurrence.DailyPattern();
      (recurrence as InstanceType<typeof Recurrence.DailyPattern>).Interval = p.interval;
      break;
    case 'weekly': {
      const weekly = new Recurrence.WeeklyPattern();
      weekly.Interval = p.interval;
      weekly.DaysOfTheWeek.AddRange(p.days.map((d) => EWS_DAY[d]));
      weekly.FirstDayOfWeek = FIRST_DAY[p.firstDayOfWeek];
      recurrence = weekly;
      break;
    }
    case 'absoluteMonthly': {
      const monthly = new Recurrence.MonthlyPattern();
      monthly.Interval = p.interval;
      monthly.DayOfMonth = p.dayOfMonth;
      recurrence = monthly;
      break;
    }
    case 'relativeMonthly': {
      const monthly = new Recurrence.RelativeMonthlyPattern();
      monthly.Interval = p.interval;
      monthly.DayOfTheWeek = EWS_DAY[p.day];
      monthly.DayOfTheWeekIndex = EWS_INDEX[String(p.index)] ?? DayOfTheWeekIndex.First;
      recurrence = monthly;
      break;
    }
    case 'absoluteYearly': {
      const yearly = new Recurrence.YearlyPattern();
      yearly.Month = p.month;
      yearly.DayOfMonth = p.dayOfMonth;
      recurrence = yearly;
      break;
    }
    case 'relativeYearly': {
      const yearly = new Recurrence.RelativeYearlyPattern();
      yearly.Month = p.month;
      yearly.DayOfTheWeek = EWS_DAY[p.day];
      yearly.DayOfTheWeekIndex = EWS_INDEX[String(p.index)] ?? DayOfTheWeekIndex.First;
      recurrence = yearly;
      break;
    }
  }
  recurrence.StartDate = start;
  if (spec.range.kind === 'numbered') recurrence.NumberOfOccurrences = spec.range.count;
  else if (spec.range.kind === 'endDate') recurrence.EndDate = calendarDateTime(spec.range.date);
  else recurrence.NeverEnds();
  return recurrence;
}

function specOfEwsUnchecked(recurrence: Recurrence): RecurrenceSpec {
  let pattern: PatternSpec;
  if (
    recurrence instanceof Recurrence.DailyRegenerationPattern ||
    recurrence instanceof Recurrence.WeeklyRegenerationPattern ||
    recurrence instanceof Recurrence.MonthlyRegenerationPattern ||
    recurrence instanceof Recurrence.YearlyRegenerationPattern
  ) {
    throw new Unsupported('a regenerating (task) pattern has no RRULE');
  } else if (recurrence instanceof Recurrence.DailyPattern) {
    pattern = { type: 'daily', interval: recurrence.Interval };
  } else if (recurrence instanceof Recurrence.WeeklyPattern) {
    const days: DayCode[] = [];
    for (let i = 0; i < recurrence.DaysOfTheWeek.Count; i++) {
      const d = recurrence.DaysOfTheWeek._getItem(i);
      const group = dayGroupOf(d);
      // Exchange accepts the groups in a weekly pattern too.
      if (group === 'DAY') days.push(...ISO_ORDER);
      else if (group === 'WEEKDAY') days.push(...WEEKDAYS);
      else if (group === 'WEEKEND') days.push(...WEEKEND);
      else days.push(dayCodeOf(d));
    }
    if (days.length === 0) throw new Unsupported('a weekly pattern names no days');
    pattern = {
      type: 'weekly',
      interval: recurrence.Interval,
      days: sortDays(days),
      firstDayOfWeek: firstDayCodeOf(firstDayOfWeekOf(recurrence)),
    };
  } else if (recurrence instanceof Recurrence.MonthlyPattern) {
    pattern = {
      type: 'absoluteMonthly',
      interval: recurrence.Interval,
      dayOfMonth: recurrence.DayOfMonth,
    };
  } else if (recurrence instanceof Recurrence.RelativeMonthlyPattern) {
    pattern = {
      type: 'relativeMonthly',
      interval: recurrence.Interval,
      day: dayGroupOf(recurrence.DayOfTheWeek),
      index: dayIndexOfEws(recurrence.DayOfTheWeekIndex),
    };
  } else if (recurrence instanceof Recurrence.YearlyPattern) {
    pattern = {
      type: 'absoluteYearly',
      month: recurrence.Month,
      dayOfMonth: recurrence.DayOfMonth,
    };
  } else if (recurrence instanceof Recurrence.RelativeYearlyPattern) {
    pattern = {
      type: 'relativeYearly',
      month: recurrence.Month,
      day: dayGroupOf(recurrence.DayOfTheWeek),
      index: dayIndexOfEws(recurrence.DayOfTheWeekIndex),
    };
  } else {
    throw new Unsupported('its pattern is unknown');
  }
  let range: RangeSpec;
  if (!recurrence.HasEnd) range = { kind: 'noEnd' };
  else if (recurrence.NumberOfOccurrences) {
    range = { kind: 'numbered', count: recurrence.NumberOfOccurrences };
  } else range = { kind: 'endDate', date: dateOfDateTime(recurrence.EndDate) };
  return { pattern, range };
}

/**
 * FirstDayOfWeek, which Exchange 2010 (before SP1) and other clients' items leave out: the
 * library's getter throws then, and RFC 5545's default (Monday) applies.
 */
function firstDayOfWeekOf(recurrence: { FirstDayOfWeek: DayOfWeek }): DayOfWeek | null {
  try {
    return recurrence.FirstDayOfWeek;
  } catch {
    return null;
  }
}

/** The first line of a library error, without its "Exception: " prefix and stack. */
function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return (text.split('\n')[0] ?? '').replace(/^Exception: /, '').trim();
}

/** The spec of a loaded recurrence; ItemError when Exchange sent something unknown. */
export function specOfEws(recurrence: Recurrence, label: string): RecurrenceSpec {
  try {
    return specOfEwsUnchecked(recurrence);
  } catch (err) {
    const why = firstLine(err);
    throw codedItemError(
      `Cannot read "${label}": its recurrence pattern is not supported (${why}).`,
      'item-recurrence-unsupported',
      { item: label, detail: why },
      { cause: err },
    );
  }
}

/** The RRULE of a loaded Exchange recurrence. */
export function rruleOfEws(recurrence: Recurrence, ctx: SeriesContext): string {
  return rruleOfSpec(specOfEws(recurrence, ctx.label), ctx);
}
