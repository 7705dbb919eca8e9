/**
 * VEVENT components of one calendar object -> EventData. A master (no RECURRENCE-ID) with
 * its overrides; an object holding only overrides (an invitation to one occurrence of
 * someone else's series) is read as a single event from its first override.
 */
import type { EventData, OccurrenceOverride } from '../../../model/items.ts';
import type { Component } from './content-lines.ts';
import { firstLine, lines } from './content-lines.ts';
import { readReminder } from './alarm.ts';
import type { Span } from './fields.ts';
import {
  isCancelled,
  readCategories,
  readEventTimes,
  readPrivate,
  readRrule,
  readText,
  seriesKey,
  spanOf,
} from './fields.ts';
import { readAttendees, readPerson } from './people.ts';
import type { ReadTime } from './when.ts';
import { instantOf, readTime, readTimes, toWhen } from './when.ts';
import type { ZoneContext } from './zone-context.ts';

export interface EventComponents {
  /** The series (or single event); null when the object holds only overrides. */
  master: Component | null;
  /** Components with RECURRENCE-ID, in document order. */
  overrides: Component[];
}

export function splitEvents(vevents: readonly Component[]): EventComponents {
  return {
    master: vevents.find((c) => !firstLine(c, 'RECURRENCE-ID')) ?? null,
    overrides: vevents.filter((c) => firstLine(c, 'RECURRENCE-ID') !== null),
  };
}

/** Text of an override: null when absent or the same as the series'. */
function overrideText(override: Component, master: Component, name: string): string | null {
  if (!firstLine(override, name)) return null;
  const text = readText(override, name);
  return text === readText(master, name) ? null : text;
}

interface OverrideRead {
  key: string;
  component: Component;
}

/** Keys of the overrides of a series; throws ItemError for an unreadable RECURRENCE-ID. */
export function overrideKeys(
  overrides: readonly Component[],
  seriesStart: ReadTime,
  ctx: ZoneContext,
): OverrideRead[] {
  return overrides.map((component) => {
    const line = firstLine(component, 'RECURRENCE-ID');
    const time = line ? readTime(line, ctx) : seriesStart;
    return { key: seriesKey(time, seriesStart, ctx), component };
  });
}

export function readExdates(master: Component, seriesStart: ReadTime, ctx: ZoneContext): string[] {
  return lines(master, 'EXDATE').flatMap((line) =>
    readTimes(line, ctx).map((time) => seriesKey(time, seriesStart, ctx)),
  );
}

export function parseEvent(parts: EventComponents, ctx: ZoneContext): EventData {
  const base = parts.master ?? parts.overrides[0];
  if (!base) throw new Error('no VEVENT');
  const { start, end } = readEventTimes(base, ctx);
  const span: Span = spanOf(start, end);
  const exdates = new Set<string>();
  const overrides = new Map<string, OccurrenceOverride>();
  if (parts.master) {
    const master = parts.master;
    for (const key of readExdates(master, start, ctx)) exdates.add(key);
    for (const { key, component } of overrideKeys(parts.overrides, start, ctx)) {
      if (isCancelled(component)) {
        exdates.add(key);
        continue;
      }
      if (overrides.has(key)) continue;
      const rid = firstLine(component, 'RECURRENCE-ID');
      const recurrenceId = rid ? readTime(rid, ctx) : start;
      const times = readEventTimes(component, ctx, { recurrenceId, span });
      overrides.set(key, {
        recurrenceId: key,
        start: toWhen(times.start, ctx),
        end: toWhen(times.end, ctx),
        subject: overrideText(component, master, 'SUMMARY'),
        location: overrideText(component, master, 'LOCATION'),
        description: overrideText(component, master, 'DESCRIPTION'),
      });
    }
    // A cancelled occurrence is cancelled, whatever an override says about it.
    for (const key of exdates) overrides.delete(key);
  }
  const organizerLine = firstLine(base, 'ORGANIZER');
  return {
    kind: 'event',
    subject: readText(base, 'SUMMARY'),
    location: readText(base, 'LOCATION'),
    description: readText(base, 'DESCRIPTION'),
    start: toWhen(start, ctx),
    end: toWhen(end, ctx),
    rrule: parts.master ? readRrule(parts.master, ctx) : null,
    exdates: [...exdates].sort(),
    overrides: [...overrides.values()].sort((a, b) =>
      a.recurrenceId < b.recurrenceId ? -1 : a.recurrenceId > b.recurrenceId ? 1 : 0,
    ),
    isPrivate: readPrivate(base),
    categories: readCategories(base),
    reminderMinutes: readReminder(base, {
      startMs: instantOf(start, ctx),
      endMs: instantOf(end, ctx),
    }),
    organizer: organizerLine ? readPerson(organizerLine) : null,
    attendees: readAttendees(lines(base, 'ATTENDEE')),
  };
}
