/**
 * EventData -> the VEVENTs of a calendar object, patched in place: the master's model-owned
 * properties, one VEVENT per override (existing ones keep their other properties), EXDATE
 * for cancelled occurrences. Overrides the model no longer has are removed.
 */
import { ItemError } from '../../errors.ts';
import type { EventData, ItemIdentity, OccurrenceOverride, When } from '../../../model/items.ts';
import type { Component, ContentLine } from './content-lines.ts';
import {
  appendLines,
  children,
  firstLine,
  lines,
  makeLine,
  newComponent,
  paramValue,
  replaceLines,
} from './content-lines.ts';
import { readReminder, writeReminder } from './alarm.ts';
import { overrideKeys, readExdates, splitEvents } from './event-parse.ts';
import { normaliseRrule } from '../../recurrence-rule.ts';
import type { Span } from './fields.ts';
import { isCancelled, readEventTimes, readRrule, spanOf } from './fields.ts';
import {
  attempt,
  cloneLine,
  existingFormat,
  patchCategories,
  patchClass,
  patchPlain,
  patchText,
  same,
  stamp,
  writeWhenLine,
} from './patch.ts';
import {
  clientScheduling,
  emailOf,
  readAttendee,
  readPerson,
  writeAttendee,
  writeOrganizer,
} from './people.ts';
import { escapeText } from './text.ts';
import type { ReadTime, TimeFormat } from './when.ts';
import {
  formatOf,
  formatValue,
  instantOf,
  normaliseInstant,
  normaliseWhen,
  readTime,
  sameWhen,
  setTimeValues,
  toWhen,
} from './when.ts';
import type { ZoneContext } from './zone-context.ts';

function writeError(label: string, cause: string): ItemError {
  return new ItemError(`Cannot write "${label}": ${cause}.`);
}

/** An occurrence key of the model as a date or an instant. */
function keyTime(key: string): { date: string } | { ms: number } {
  return /^\d{4}-\d{2}-\d{2}$/.test(key) ? { date: key } : { ms: Date.parse(key) };
}

function normaliseKey(key: string, label: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(key) ? key : normaliseInstant(key, label);
}

/** The model with instants in stored form; throws ItemError for what cannot be written. */
function normaliseEvent(data: EventData, label: string): EventData {
  const rrule = data.rrule === null ? null : attempt(() => normaliseRrule(data.rrule ?? ''));
  if (data.rrule !== null && rrule === null)
    throw writeError(label, `its RRULE "${data.rrule}" is not valid`);
  return {
    ...data,
    start: normaliseWhen(data.start, label),
    end: normaliseWhen(data.end, label),
    rrule,
    exdates: data.exdates.map((k) => normaliseKey(k, label)),
    overrides: data.overrides.map((o) => ({
      ...o,
      recurrenceId: normaliseKey(o.recurrenceId, label),
      start: normaliseWhen(o.start, label),
      end: normaliseWhen(o.end, label),
    })),
  };
}

/**
 * DTSTART and DTEND of a component. DTEND is written when the end changed, or when the
 * start changed and the end was implied (DURATION, or none): the end must not move with it.
 */
function patchTimes(
  component: Component,
  start: When,
  end: When,
  current: { start: When; end: When } | null,
  fallbackFormat: TimeFormat | null,
  ctx: ZoneContext,
): boolean {
  const dtstart = firstLine(component, 'DTSTART');
  const dtend = firstLine(component, 'DTEND');
  const startChanged = !current || !sameWhen(current.start, start);
  const endChanged = !current || !sameWhen(current.end, end);
  if (startChanged) {
    writeWhenLine(component, 'DTSTART', start, existingFormat(dtstart, ctx) ?? fallbackFormat, ctx);
  }
  if (endChanged || (startChanged && !dtend)) {
    writeWhenLine(
      component,
      'DTEND',
      end,
      existingFormat(dtend ?? dtstart, ctx) ?? fallbackFormat,
      ctx,
    );
    replaceLines(component, 'DURATION', null);
  }
  return startChanged || endChanged;
}

function currentTimes(
  component: Component,
  ctx: ZoneContext,
  occurrence?: { recurrenceId: ReadTime; span: Span },
): { start: When; end: When } | null {
  return attempt(() => {
    const { start, end } = readEventTimes(component, ctx, occurrence);
    return { start: toWhen(start, ctx), end: toWhen(end, ctx) };
  });
}

function patchOrganizer(component: Component, data: EventData): void {
  const line = firstLine(component, 'ORGANIZER');
  const current = line ? readPerson(line) : null;
  const wanted = data.organizer;
  if (wanted === null) {
    if (current !== null) replaceLines(component, 'ORGANIZER', null);
    return;
  }
  if (current && current.email === wanted.email && current.name === wanted.name) return;
  replaceLines(
    component,
    'ORGANIZER',
    writeOrganizer(wanted, line && emailOf(line) === wanted.email ? line : null),
  );
}

/**
 * One ATTENDEE line per model attendee: the line of the same address is kept (or changed
 * where the model differs), lines of other addresses go, new ones are added after the rest.
 * Lines without any address are not ours to judge and stay.
 */
function patchAttendees(component: Component, data: EventData): void {
  const wanted = new Map(
    data.attendees.map((a) => [a.email.toLowerCase(), { ...a, email: a.email.toLowerCase() }]),
  );
  const done = new Set<string>();
  const items: Component['items'] = [];
  let lastAttendee = -1;
  for (const item of component.items) {
    if (item.kind !== 'line' || item.name !== 'ATTENDEE') {
      items.push(item);
      continue;
    }
    const email = emailOf(item);
    if (email === null) {
      items.push(item);
      lastAttendee = items.length - 1;
      continue;
    }
    const attendee = wanted.get(email);
    if (!attendee || done.has(email)) continue;
    done.add(email);
    const current = readAttendee(item);
    const same =
      current !== null &&
      current.name === attendee.name &&
      current.role === attendee.role &&
      current.response === attendee.response;
    items.push(same ? item : writeAttendee(attendee, item));
    lastAttendee = items.length - 1;
  }
  const added = [...wanted.values()]
    .filter((a) => !done.has(a.email))
    .map((a) => writeAttendee(a, null));
  if (lastAttendee >= 0) {
    items.splice(lastAttendee + 1, 0, ...added);
    component.items = items;
  } else {
    component.items = items;
    const at = component.items.findIndex((item) => item.kind === 'component');
    component.items.splice(at < 0 ? component.items.length : at, 0, ...added);
  }
}

/** Text of an override: null means the series' text; '' against a series text is written empty. */
function patchOverrideText(
  component: Component,
  name: string,
  own: string | null,
  series: string,
): void {
  const text = own ?? series;
  patchText(component, name, text, text === '' && series !== '');
}

function patchOverride(
  component: Component,
  override: OccurrenceOverride,
  data: EventData,
  seriesFormat: TimeFormat,
  occurrence: { recurrenceId: ReadTime; span: Span },
  ctx: ZoneContext,
): boolean {
  const changed = patchTimes(
    component,
    override.start,
    override.end,
    currentTimes(component, ctx, occurrence),
    seriesFormat,
    ctx,
  );
  patchOverrideText(component, 'SUMMARY', override.subject, data.subject);
  patchOverrideText(component, 'LOCATION', override.location, data.location);
  patchOverrideText(component, 'DESCRIPTION', override.description, data.description);
  // An occurrence must not stay public when the series became private.
  patchClass(component, data.isPrivate);
  return changed;
}

function newOverride(
  master: Component,
  override: OccurrenceOverride,
  seriesFormat: TimeFormat,
  ctx: ZoneContext,
): Component {
  const component = newComponent('VEVENT');
  const copied = (name: string): ContentLine[] => lines(master, name).map(cloneLine);
  const rid = makeLine('RECURRENCE-ID', '');
  const key = override.recurrenceId;
  setTimeValues(rid, [formatValue(keyTime(key), seriesFormat, ctx)]);
  // A new occurrence starts as a copy of the series' people and settings.
  component.items.push(...copied('UID'), rid, ...copied('SEQUENCE'), ...copied('CLASS'));
  component.items.push(...copied('CATEGORIES'), ...copied('ORGANIZER'), ...copied('ATTENDEE'));
  return component;
}

/** Overrides and EXDATEs of a series. Returns whether any occurrence's timing changed. */
function patchOccurrences(
  calendar: Component,
  master: Component,
  data: EventData,
  ctx: ZoneContext,
): boolean {
  const startLine = firstLine(master, 'DTSTART');
  if (!startLine) throw new Error('DTSTART was just written');
  const seriesStart = readTime(startLine, ctx);
  const seriesFormat = formatOf(startLine, ctx);
  const { end } = readEventTimes(master, ctx);
  const span = spanOf(seriesStart, end);
  const wanted = new Map(data.overrides.map((o) => [o.recurrenceId, o]));
  const exdates = new Set(data.exdates);
  const handled = new Set<string>();
  const keptCancelled = new Set<string>();
  let changed = false;
  const existing = splitEvents(children(calendar, 'VEVENT')).overrides;
  for (const component of existing) {
    const key = attempt(() => overrideKeys([component], seriesStart, ctx)[0]?.key ?? null);
    const override = key === null ? undefined : wanted.get(key);
    if (key !== null && override && !handled.has(key) && !exdates.has(key)) {
      handled.add(key);
      const rid = firstLine(component, 'RECURRENCE-ID');
      const recurrenceId = rid ? (attempt(() => readTime(rid, ctx)) ?? seriesStart) : seriesStart;
      if (isCancelled(component)) replaceLines(component, 'STATUS', null);
      if (rid && recurrenceId.kind !== seriesStart.kind) {
        // The series became all-day (or timed): RECURRENCE-ID must be of the DTSTART's type.
        setTimeValues(rid, [formatValue(keyTime(key), seriesFormat, ctx)]);
      }
      changed =
        patchOverride(component, override, data, seriesFormat, { recurrenceId, span }, ctx) ||
        changed;
    } else if (
      key !== null &&
      exdates.has(key) &&
      isCancelled(component) &&
      !keptCancelled.has(key)
    ) {
      // Already says "cancelled": it stays, and needs no EXDATE.
      keptCancelled.add(key);
    } else {
      calendar.items = calendar.items.filter((item) => item !== component);
      changed = true;
    }
  }
  const lastEvent = calendar.items.findLastIndex(
    (item) => item.kind === 'component' && item.name === 'VEVENT',
  );
  const created = data.overrides
    .filter((o) => !handled.has(o.recurrenceId) && !exdates.has(o.recurrenceId))
    .map((o) => {
      const component = newOverride(master, o, seriesFormat, ctx);
      patchOverride(component, o, data, seriesFormat, { recurrenceId: seriesStart, span }, ctx);
      return component;
    });
  calendar.items.splice(lastEvent + 1, 0, ...created);
  changed = changed || created.length > 0;

  const wantedExdates = [...exdates].filter((k) => !keptCancelled.has(k)).sort();
  const current = attempt(() => [...new Set(readExdates(master, seriesStart, ctx))].sort());
  // EXDATE must be of the DTSTART's type too (the series may have become all-day).
  const typeMatches = lines(master, 'EXDATE').every(
    (line) =>
      (paramValue(line, 'VALUE')?.toUpperCase() === 'DATE') === (seriesStart.kind === 'date'),
  );
  if (!same(current, wantedExdates) || !typeMatches) {
    const exdateLines = wantedExdates.map((key) => {
      const line = makeLine('EXDATE', '');
      setTimeValues(line, [formatValue(keyTime(key), seriesFormat, ctx)]);
      return line;
    });
    replaceLines(master, 'EXDATE', null);
    const rrule = master.items.findIndex((item) => item.kind === 'line' && item.name === 'RRULE');
    if (rrule >= 0) master.items.splice(rrule + 1, 0, ...exdateLines);
    else appendLines(master, exdateLines);
    changed = true;
  }
  return changed;
}

/** Patches (or fills) the VEVENTs of `calendar` to hold `data`. */
export function renderEvent(
  calendar: Component,
  input: EventData,
  identity: ItemIdentity,
  ctx: ZoneContext,
  nowMs: number,
): void {
  const data = normaliseEvent(input, ctx.label);
  const vevents = children(calendar, 'VEVENT');
  const found = splitEvents(vevents).master;
  if (
    !found &&
    vevents.length > 0 &&
    (data.rrule !== null || data.overrides.length > 0 || data.exdates.length > 0)
  ) {
    throw writeError(
      ctx.label,
      'the server holds one occurrence of a series organised elsewhere; it cannot become a series',
    );
  }
  const master =
    found ?? vevents[0] ?? newComponent('VEVENT', [makeLine('UID', escapeText(identity.uid))]);
  if (vevents.length === 0) calendar.items.push(master);
  const isSeries = firstLine(master, 'RECURRENCE-ID') === null;

  const before = currentTimes(master, ctx);
  let timing = patchTimes(master, data.start, data.end, before, null, ctx);
  patchText(master, 'SUMMARY', data.subject);
  patchText(master, 'LOCATION', data.location);
  patchText(master, 'DESCRIPTION', data.description);
  // Before the occurrences: a new override copies the series' people and settings.
  patchClass(master, data.isPrivate);
  patchCategories(master, data.categories);
  patchOrganizer(master, data);
  patchAttendees(master, data);
  if (isSeries) {
    // An unreadable RRULE reads as something no model value equals: it gets replaced.
    const rrule = firstLine(master, 'RRULE')
      ? (attempt(() => readRrule(master, ctx)) ?? '\u0000')
      : null;
    if (rrule !== data.rrule) {
      replaceLines(master, 'RRULE', data.rrule === null ? null : makeLine('RRULE', data.rrule));
      timing = true;
    }
    timing = patchOccurrences(calendar, master, data, ctx) || timing;
  }
  const now = readEventTimes(master, ctx);
  const span = { startMs: instantOf(now.start, ctx), endMs: instantOf(now.end, ctx) };
  if (readReminder(master, span) !== data.reminderMinutes)
    writeReminder(master, data.reminderMinutes, span);

  if (identity.uid !== '') {
    for (const component of children(calendar, 'VEVENT'))
      patchPlain(component, 'UID', identity.uid);
  }
  patchPlain(master, 'X-CRM-SYNC-ID', identity.crmStamp);
  if (timing && before !== null) {
    const sequence = Number.parseInt(firstLine(master, 'SEQUENCE')?.value ?? '0', 10);
    replaceLines(
      master,
      'SEQUENCE',
      makeLine('SEQUENCE', String((Number.isFinite(sequence) ? sequence : 0) + 1)),
    );
  }
  for (const component of children(calendar, 'VEVENT')) {
    stamp(component, nowMs);
    for (const line of component.items) {
      if (line.kind === 'line' && (line.name === 'ATTENDEE' || line.name === 'ORGANIZER'))
        clientScheduling(line);
    }
  }
}
