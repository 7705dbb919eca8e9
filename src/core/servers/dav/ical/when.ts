/**
 * DTSTART-like properties <-> the model's When. Reading resolves TZID (see zone-context),
 * floating times are the CRM user's zone, "Z" times are UTC with tz null. Writing puts
 * timed values in their IANA zone with TZID (so a series keeps its wall-clock time across
 * DST), tz null as UTC, and all-day values as VALUE=DATE.
 */
import { codedItemError, ItemError } from '../../errors.ts';
import type { When } from '../../../model/items.ts';
import type { ContentLine } from './content-lines.ts';
import { paramValue, setParam, setValue } from './content-lines.ts';
import { splitUnescaped } from './text.ts';
import type { TimeValue } from './time-values.ts';
import { dateWall, isCalendarDate, wallDate } from '../../../time/calendar-dates.ts';
import { formatDate, formatDateTime, parseTimeValue } from './time-values.ts';
import type { Zone, ZoneContext } from './zone-context.ts';
import type { WallClock } from '../../../time/zoned-time.ts';
import { isoInstant, utcWallClock, wallClockMs, zoneWallClock } from '../../../time/zoned-time.ts';
import { ianaZone } from '../../../time/zone-names.ts';

/** A value read from a line: a date, or an instant with where it was written. */
export type ReadTime =
  | { kind: 'date'; date: string }
  | {
      kind: 'instant';
      ms: number;
      wall: WallClock;
      /** null: written in UTC ("Z"). Floating times carry the default zone. */
      zone: Zone | null;
      floating: boolean;
    };

/** How to write instants so they match another property (EXDATE like DTSTART). */
export type TimeFormat =
  | { kind: 'date' }
  | { kind: 'utc' }
  | { kind: 'floating'; zone: string }
  | { kind: 'zone'; tzid: string; zone: Zone };

export function readTimeValue(value: TimeValue, tzid: string | null, ctx: ZoneContext): ReadTime {
  if (value.kind === 'date') return value;
  const { wall } = value;
  if (value.utc)
    return { kind: 'instant', ms: wallClockMs(wall), wall, zone: null, floating: false };
  if (tzid === null) {
    const zone: Zone = { kind: 'iana', id: ctx.defaultZone };
    return { kind: 'instant', ms: ctx.toMs(wall, zone), wall, zone, floating: true };
  }
  const zone = ctx.resolve(tzid);
  return { kind: 'instant', ms: ctx.toMs(wall, zone), wall, zone, floating: false };
}

function badValue(ctx: ZoneContext, line: ContentLine, err: unknown): ItemError {
  const why = err instanceof Error ? err.message : String(err);
  return codedItemError(
    `Cannot read "${ctx.label}": ${line.name} ${why}.`,
    'item-value-unreadable',
    { item: ctx.label, property: line.name, detail: why },
    { cause: err },
  );
}

/** The (first) value of a DTSTART-like line. */
export function readTime(line: ContentLine, ctx: ZoneContext): ReadTime {
  let value: TimeValue;
  try {
    value = parseTimeValue(line.value.split(',')[0] ?? '');
  } catch (err) {
    throw badValue(ctx, line, err);
  }
  return readTimeValue(value, paramValue(line, 'TZID'), ctx);
}

/** All values of an EXDATE/RDATE-like line (comma lists). */
export function readTimes(line: ContentLine, ctx: ZoneContext): ReadTime[] {
  const tzid = paramValue(line, 'TZID');
  return splitUnescaped(line.value, ',')
    .filter((v) => v.trim() !== '')
    .map((v) => {
      let value: TimeValue;
      try {
        value = parseTimeValue(v);
      } catch (err) {
        throw badValue(ctx, line, err);
      }
      return readTimeValue(value, tzid, ctx);
    });
}

export function toWhen(time: ReadTime, ctx: ZoneContext): When {
  if (time.kind === 'date') return { date: time.date };
  return { utc: isoInstant(time.ms), tz: time.zone ? ctx.ianaName(time.zone, time.wall) : null };
}

/** The instant of a read time; a date counts as its midnight in the default zone. */
export function instantOf(time: ReadTime, ctx: ZoneContext): number {
  if (time.kind === 'instant') return time.ms;
  return ctx.toMs(dateWall(time.date), { kind: 'iana', id: ctx.defaultZone });
}

export function sameWhen(a: When | null, b: When | null): boolean {
  if (a === null || b === null) return a === b;
  if ('date' in a) return 'date' in b && a.date === b.date;
  return 'utc' in b && a.utc === b.utc && a.tz === b.tz;
}

/**
 * The model's When in the form stored here: instants whole seconds (iCalendar has no
 * fractions) in "YYYY-MM-DDTHH:MM:SS.000Z". Throws ItemError for values that are neither.
 */
export function normaliseWhen(when: When, label: string): When {
  if ('date' in when) {
    if (!isCalendarDate(when.date)) {
      throw new ItemError(`Cannot write "${label}": "${when.date}" is not a date.`);
    }
    return { date: when.date };
  }
  return { utc: normaliseInstant(when.utc, label), tz: when.tz };
}

export function normaliseInstant(utc: string, label: string): string {
  const ms = Date.parse(utc);
  if (Number.isNaN(ms)) throw new ItemError(`Cannot write "${label}": "${utc}" is not an instant.`);
  return isoInstant(Math.floor(ms / 1000) * 1000);
}

/** The format a line's values are written in (for EXDATE/RECURRENCE-ID like DTSTART). */
export function formatOf(line: ContentLine, ctx: ZoneContext): TimeFormat {
  const time = readTime(line, ctx);
  if (time.kind === 'date') return { kind: 'date' };
  if (time.zone === null) return { kind: 'utc' };
  if (time.floating) return { kind: 'floating', zone: ctx.defaultZone };
  return { kind: 'zone', tzid: paramValue(line, 'TZID') ?? '', zone: time.zone };
}

/** The format for a When: its IANA zone, UTC, or (tz null) a defined zone worth keeping. */
export function formatFor(when: When, keep: TimeFormat | null, ctx: ZoneContext): TimeFormat {
  if ('date' in when) return { kind: 'date' };
  if (when.tz === null) {
    // A zone only the object defines, with no IANA name at this time: keep writing in it
    // rather than turning a series to UTC, where it would drift by an hour across DST.
    if (keep?.kind === 'zone' && keep.zone.kind === 'defined') {
      const wall = ctx.wallClockIn(Date.parse(when.utc), keep.zone);
      if (ctx.ianaName(keep.zone, wall) === null) return keep;
    }
    return { kind: 'utc' };
  }
  const id = ianaZone(when.tz);
  if (!id) throw new ItemError(`Cannot write "${ctx.label}": unknown time zone "${when.tz}".`);
  return { kind: 'zone', tzid: id, zone: { kind: 'iana', id } };
}

/** The text of an instant (ms) or date in a format, and the TZID it needs. */
export function formatValue(
  time: { ms: number } | { date: string },
  format: TimeFormat,
  ctx: ZoneContext,
): { value: string; tzid: string | null; isDate: boolean } {
  if ('date' in time) {
    if (format.kind === 'date') return { value: formatDate(time.date), tzid: null, isDate: true };
    // A date in a timed series: its midnight in the series' zone.
    return formatValue({ ms: instantOfDate(time.date, format, ctx) }, format, ctx);
  }
  switch (format.kind) {
    case 'date':
      return { value: formatDate(wallDate(utcWallClock(time.ms))), tzid: null, isDate: true };
    case 'utc':
      return { value: formatDateTime(utcWallClock(time.ms), true), tzid: null, isDate: false };
    case 'floating':
      return {
        value: formatDateTime(zoneWallClock(time.ms, format.zone), false),
        tzid: null,
        isDate: false,
      };
    case 'zone': {
      const wall =
        format.zone.kind === 'iana'
          ? zoneWallClock(time.ms, format.zone.id)
          : ctx.wallClockIn(time.ms, format.zone);
      return { value: formatDateTime(wall, false), tzid: format.tzid, isDate: false };
    }
  }
}

function instantOfDate(date: string, format: TimeFormat, ctx: ZoneContext): number {
  const wall = dateWall(date);
  if (format.kind === 'zone') return ctx.toMs(wall, format.zone);
  if (format.kind === 'floating') return ctx.toMs(wall, { kind: 'iana', id: format.zone });
  return wallClockMs(wall);
}

/** Writes values into a line (keeping its other parameters): VALUE and TZID as needed. */
export function setTimeValues(
  line: ContentLine,
  values: readonly { value: string; tzid: string | null; isDate: boolean }[],
): void {
  const first = values[0];
  setParam(line, 'VALUE', first?.isDate ? ['DATE'] : null);
  setParam(line, 'TZID', first?.tzid ? [first.tzid] : null);
  setValue(line, values.map((v) => v.value).join(','));
}

/** Writes a When into a line in the given format. */
export function setWhen(line: ContentLine, when: When, format: TimeFormat, ctx: ZoneContext): void {
  const time = 'date' in when ? { date: when.date } : { ms: Date.parse(when.utc) };
  setTimeValues(line, [formatValue(time, format, ctx)]);
}
