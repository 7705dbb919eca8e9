/**
 * Readers for the properties the model owns, shared by parsing and by the in-place writer
 * (which rewrites a property only when what it reads differs from the model).
 */
import ICAL from 'ical.js';
import { codedItemError, ItemError } from '../../errors.ts';
import type { Component } from './content-lines.ts';
import { firstLine, lines } from './content-lines.ts';
import { normaliseCategories, normaliseText } from '../../text.ts';
import { normaliseRrule } from '../../recurrence-rule.ts';
import { splitUnescaped, unescapeText } from './text.ts';
import { addDays, addWallDays, dateWall, wallDate } from '../../../time/calendar-dates.ts';
import type { ReadTime } from './when.ts';
import { readTime } from './when.ts';
import type { ZoneContext } from './zone-context.ts';
import { isoInstant, wallClockMs } from '../../../time/zoned-time.ts';

export function readText(component: Component, name: string): string {
  const line = firstLine(component, name);
  return line ? normaliseText(unescapeText(line.value)) : '';
}

export function readCategories(component: Component): string[] {
  return normaliseCategories(
    lines(component, 'CATEGORIES').flatMap((line) =>
      splitUnescaped(line.value, ',').map(unescapeText),
    ),
  );
}

export function readPrivate(component: Component): boolean {
  const value = firstLine(component, 'CLASS')?.value.trim().toUpperCase();
  return value === 'PRIVATE' || value === 'CONFIDENTIAL';
}

export function readRrule(component: Component, ctx: ZoneContext): string | null {
  const line = firstLine(component, 'RRULE');
  if (!line) return null;
  try {
    return normaliseRrule(line.value);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw codedItemError(
      `Cannot read "${ctx.label}": its RRULE "${line.value}" cannot be read (${why}).`,
      'item-recurrence-unreadable',
      { item: ctx.label, rule: line.value, detail: why },
      { cause: err },
    );
  }
}

export function readUid(component: Component): string {
  const line = firstLine(component, 'UID');
  return line ? unescapeText(line.value).trim() : '';
}

/** The whole length of an occurrence, to give overrides without an end the series' length. */
export type Span = { days: number } | { ms: number };

export function spanOf(start: ReadTime, end: ReadTime): Span {
  if (start.kind === 'date' && end.kind === 'date') {
    return {
      days: Math.round(
        (wallClockMs(dateWall(end.date)) - wallClockMs(dateWall(start.date))) / 86_400_000,
      ),
    };
  }
  if (start.kind === 'instant' && end.kind === 'instant') return { ms: end.ms - start.ms };
  return { days: 1 };
}

function shift(start: ReadTime, span: Span): ReadTime {
  if (start.kind === 'date') {
    const days = 'days' in span ? span.days : Math.round(span.ms / 86_400_000);
    return { kind: 'date', date: addDays(start.date, days) };
  }
  const ms = start.ms + ('ms' in span ? span.ms : span.days * 86_400_000);
  return { ...start, ms, wall: 'ms' in span ? start.wall : addWallDays(start.wall, span.days) };
}

/** A start plus a DURATION value; RangeError when negative. */
export function addDuration(start: ReadTime, value: string, ctx: ZoneContext): ReadTime {
  const duration = ICAL.Duration.fromString(value.trim());
  if (duration.isNegative && duration.toSeconds() !== 0) throw new RangeError('is negative');
  if (start.kind === 'date') {
    return { kind: 'date', date: addDays(start.date, Math.round(duration.toSeconds() / 86_400)) };
  }
  // Days and weeks are nominal (same wall time on a later day, RFC 5545 3.3.6); the rest exact.
  const days = duration.weeks * 7 + duration.days;
  const exact = (duration.hours * 3600 + duration.minutes * 60 + duration.seconds) * 1000;
  const wall = addWallDays(start.wall, days);
  const base = start.zone === null ? wallClockMs(wall) : ctx.toMs(wall, start.zone);
  return { ...start, ms: base + exact, wall };
}

function fail(ctx: ZoneContext, cause: string): ItemError {
  return new ItemError(`Cannot read "${ctx.label}": ${cause}.`);
}

/**
 * Start and end of a VEVENT. No DTEND: DURATION, else (for an occurrence) the series'
 * length, else one day for a date and zero length for a date-time (RFC 5545 3.6.1). An
 * all-day end on the start day is read as one day (some clients write it so).
 */
export function readEventTimes(
  component: Component,
  ctx: ZoneContext,
  occurrence?: { recurrenceId: ReadTime; span: Span },
): { start: ReadTime; end: ReadTime } {
  const dtstart = firstLine(component, 'DTSTART');
  let start: ReadTime;
  if (dtstart) start = readTime(dtstart, ctx);
  else if (occurrence) start = occurrence.recurrenceId;
  else {
    throw codedItemError(`Cannot read "${ctx.label}": it has no DTSTART.`, 'item-no-start', {
      item: ctx.label,
    });
  }
  const dtend = firstLine(component, 'DTEND');
  const duration = firstLine(component, 'DURATION');
  let end: ReadTime;
  if (dtend) {
    end = readTime(dtend, ctx);
  } else if (duration) {
    try {
      end = addDuration(start, duration.value, ctx);
    } catch (err) {
      throw new ItemError(
        `Cannot read "${ctx.label}": DURATION "${duration.value}" ${err instanceof RangeError ? err.message : 'cannot be read'}.`,
        { cause: err },
      );
    }
  } else if (occurrence) {
    end = shift(start, occurrence.span);
  } else {
    end = start.kind === 'date' ? { kind: 'date', date: addDays(start.date, 1) } : start;
  }
  if (start.kind !== end.kind)
    throw fail(ctx, 'its start and end are not both dates or both date-times');
  if (start.kind === 'date' && end.kind === 'date') {
    if (end.date < start.date)
      throw fail(ctx, `it ends (${end.date}) before it starts (${start.date})`);
    if (end.date === start.date) end = { kind: 'date', date: addDays(start.date, 1) };
  } else if (start.kind === 'instant' && end.kind === 'instant' && end.ms < start.ms) {
    throw fail(ctx, `it ends (${isoInstant(end.ms)}) before it starts (${isoInstant(start.ms)})`);
  }
  return { start, end };
}

/**
 * The model's key of an occurrence (RECURRENCE-ID, EXDATE): a date in an all-day series, a
 * UTC instant otherwise. A date in a timed series means the occurrence on that day.
 */
export function seriesKey(time: ReadTime, seriesStart: ReadTime, ctx: ZoneContext): string {
  if (seriesStart.kind === 'date') return time.kind === 'date' ? time.date : wallDate(time.wall);
  if (time.kind === 'instant') return isoInstant(time.ms);
  const wall = dateWall(time.date, seriesStart.wall);
  return isoInstant(
    seriesStart.zone === null ? wallClockMs(wall) : ctx.toMs(wall, seriesStart.zone),
  );
}

/** LAST-MODIFIED, else DTSTAMP, as an instant; null when absent or unreadable. */
export function readModified(component: Component, ctx: ZoneContext): number | null {
  for (const name of ['LAST-MODIFIED', 'DTSTAMP']) {
    const line = firstLine(component, name);
    if (!line) continue;
    try {
      const time = readTime(line, ctx);
      return time.kind === 'instant' ? time.ms : wallClockMs(dateWall(time.date));
    } catch {
      // A broken timestamp is no reason to refuse the item.
    }
  }
  return null;
}

export function isCancelled(component: Component): boolean {
  return firstLine(component, 'STATUS')?.value.trim().toUpperCase() === 'CANCELLED';
}
