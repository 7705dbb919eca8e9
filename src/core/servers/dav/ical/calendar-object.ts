/**
 * One CalDAV calendar object resource (one UID) <-> the neutral model: the entry points the
 * DAV connector calls. Reading never crashes on bad input: whatever goes wrong becomes an
 * ItemError naming the item, which the engine reports before going on with the others.
 */
import ICAL from 'ical.js';
import { describeCause } from '../../../errors.ts';
import { codedItemError, ItemError } from '../../errors.ts';
import type { EventData, ItemIdentity, TaskData } from '../../../model/items.ts';
import type { Component } from './content-lines.ts';
import {
  children,
  firstLine,
  makeLine,
  newComponent,
  parseDocument,
  serialiseComponent,
} from './content-lines.ts';
import { parseEvent, splitEvents } from './event-parse.ts';
import { renderEvent } from './event-render.ts';
import { readModified, readUid } from './fields.ts';
import { utcStamp } from './patch.ts';
import { mainTodo, parseTask, renderTask } from './task.ts';
import { settleTimezones, yearOf } from './timezone-blocks.ts';
import { escapeText, unescapeText } from './text.ts';
import { ZoneContext } from './zone-context.ts';
import { isoInstant } from '../../../time/zoned-time.ts';
import { ianaZone, processZone } from '../../../time/zone-names.ts';

export const PRODID = '-//CRM Sync//CRM Sync//EN';

export type ParsedCalendarObject =
  | { kind: 'event'; identity: ItemIdentity; data: EventData; modifiedAt: string | null }
  | { kind: 'task'; identity: ItemIdentity; data: TaskData; modifiedAt: string | null };

export interface CalendarParseOptions {
  /**
   * IANA zone for floating times (no TZID, no "Z"): the CRM user's zone. Default: the
   * process's zone.
   */
  defaultZone?: string;
}

export interface CalendarRenderOptions extends CalendarParseOptions {
  /** The time written to DTSTAMP/LAST-MODIFIED (and CREATED of a new object). Default: now. */
  now?: Date;
}

function zoneOption(options: CalendarParseOptions | undefined): string {
  const zone = options?.defaultZone ? ianaZone(options.defaultZone) : processZone();
  if (!zone) throw new ItemError(`Unknown default time zone "${options?.defaultZone ?? ''}".`);
  return zone;
}

/** The VCALENDAR of a text; ContentLineError/Error when it is not iCalendar. */
function openCalendar(text: string): { calendar: Component } {
  const roots = parseDocument(text);
  const calendar = roots.find((c) => c.name === 'VCALENDAR');
  if (!calendar) throw new Error('it holds no VCALENDAR');
  return { calendar };
}

function checkSingleUid(components: readonly Component[], label: string): void {
  const uids = new Set(components.map(readUid).filter((u) => u !== ''));
  if (uids.size > 1) {
    throw new ItemError(
      `Cannot read "${label}": it holds ${uids.size} different UIDs; a calendar object holds one.`,
    );
  }
}

function identityOf(base: Component): ItemIdentity {
  const stamp = firstLine(base, 'X-CRM-SYNC-ID');
  const crmStamp = stamp ? unescapeText(stamp.value).trim() : '';
  return { uid: readUid(base), crmStamp: crmStamp === '' ? null : crmStamp };
}

function latestModified(components: readonly Component[], ctx: ZoneContext): string | null {
  const times = components.map((c) => readModified(c, ctx)).filter((t): t is number => t !== null);
  return times.length > 0 ? isoInstant(Math.max(...times)) : null;
}

/**
 * Reads one calendar object. A UID-less object gets uid "" (the engine pairs it by its
 * href); floating times are read in `defaultZone`.
 */
export function parseCalendarObject(
  text: string,
  label: string,
  options?: CalendarParseOptions,
): ParsedCalendarObject {
  try {
    const defaultZone = zoneOption(options);
    let calendar: Component;
    try {
      calendar = openCalendar(text).calendar;
    } catch (err) {
      throw notICalendar(label, 'read', err);
    }
    const result = readCalendar(calendar, label, defaultZone);
    // ical.js must be able to read whatever we accept: the next reader of this object may
    // well use it. Checked last, so that our own, more precise causes come first.
    try {
      ICAL.parse(text);
    } catch (err) {
      throw notICalendar(label, 'read', err);
    }
    return result;
  } catch (err) {
    if (err instanceof ItemError) throw err;
    const detail = describeCause(err);
    throw codedItemError(
      `Cannot read "${label}": ${detail}.`,
      'item-unreadable',
      { item: label, detail },
      { cause: err },
    );
  }
}

function notICalendar(label: string, verb: 'read' | 'write', err: unknown): ItemError {
  const what = verb === 'read' ? 'it is' : "the server's copy is";
  const message = `Cannot ${verb} "${label}": ${what} not valid iCalendar (${describeCause(err)}).`;
  if (verb === 'write') return new ItemError(message, { cause: err });
  return codedItemError(
    message,
    'item-malformed',
    { item: label, format: 'iCalendar', detail: describeCause(err) },
    { cause: err },
  );
}

function readCalendar(
  calendar: Component,
  label: string,
  defaultZone: string,
): ParsedCalendarObject {
  const ctx = new ZoneContext(label, defaultZone, children(calendar, 'VTIMEZONE'));
  const vevents = children(calendar, 'VEVENT');
  const vtodos = children(calendar, 'VTODO');
  if (vevents.length > 0 && vtodos.length > 0) {
    throw codedItemError(
      `Cannot read "${label}": it holds both an event and a task.`,
      'item-event-and-task',
      { item: label },
    );
  }
  if (vevents.length > 0) {
    checkSingleUid(vevents, label);
    const parts = splitEvents(vevents);
    const base = parts.master ?? parts.overrides[0];
    if (!base) throw new Error('no VEVENT');
    return {
      kind: 'event',
      identity: identityOf(base),
      data: parseEvent(parts, ctx),
      modifiedAt: latestModified(parts.master ? vevents : [base], ctx),
    };
  }
  const todo = mainTodo(vtodos);
  if (!todo) throw new ItemError(`Cannot read "${label}": it holds no VEVENT or VTODO.`);
  checkSingleUid(vtodos, label);
  return {
    kind: 'task',
    identity: identityOf(todo),
    data: parseTask(todo, ctx),
    modifiedAt: latestModified([todo], ctx),
  };
}

function skeleton(kind: 'event' | 'task', uid: string, nowMs: number): Component {
  const now = utcStamp(nowMs);
  return newComponent('VCALENDAR', [
    makeLine('VERSION', '2.0'),
    makeLine('PRODID', PRODID),
    makeLine('CALSCALE', 'GREGORIAN'),
    newComponent(kind === 'event' ? 'VEVENT' : 'VTODO', [
      makeLine('UID', uid),
      makeLine('DTSTAMP', now),
      makeLine('CREATED', now),
    ]),
  ]);
}

/**
 * Writes an event or task as a calendar object: a new one, or (`existing`, the server's
 * current text) that text patched in place, keeping everything the model does not own.
 */
export function renderCalendarObject(
  data: EventData | TaskData,
  identity: ItemIdentity,
  existing?: string,
  options?: CalendarRenderOptions,
): string {
  // What the user recognises the item by, for messages.
  const label = data.subject.trim() || identity.uid || 'untitled item';
  try {
    const defaultZone = zoneOption(options);
    const nowMs = Math.floor((options?.now ?? new Date()).getTime() / 1000) * 1000;
    let calendar: Component;
    if (existing === undefined) {
      if (identity.uid === '')
        throw new ItemError(`Cannot write "${label}": a new calendar object needs a UID.`);
      calendar = skeleton(data.kind, escapeText(identity.uid), nowMs);
    } else {
      try {
        ICAL.parse(existing);
        calendar = openCalendar(existing).calendar;
      } catch (err) {
        throw notICalendar(label, 'write', err);
      }
      const other = data.kind === 'event' ? 'VTODO' : 'VEVENT';
      if (children(calendar, other).length > 0) {
        throw new ItemError(
          `Cannot write "${label}": the server's copy is a${data.kind === 'event' ? ' task' : 'n event'}.`,
        );
      }
    }
    const ctx = new ZoneContext(label, defaultZone, children(calendar, 'VTIMEZONE'));
    if (data.kind === 'event') renderEvent(calendar, data, identity, ctx, nowMs);
    else renderTask(calendar, data, identity, ctx, nowMs, existing === undefined);
    const recurring = children(calendar).some((c) => firstLine(c, 'RRULE') !== null);
    settleTimezones(calendar, ctx, nowMs, recurring ? yearOf(nowMs) + 2 : 0);
    return serialiseComponent(calendar);
  } catch (err) {
    if (err instanceof ItemError) throw err;
    throw new ItemError(`Cannot write "${label}": ${describeCause(err)}.`, { cause: err });
  }
}
