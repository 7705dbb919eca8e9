/**
 * Writers shared by events and tasks. Each reads what the component says now and rewrites
 * its lines only when that differs from the model, so an unchanged field keeps its exact
 * text (its TZID, parameters, escaping) and a patch changes as little as it can.
 */
import type { When } from '../../../model/items.ts';
import type { Component, ContentLine } from './content-lines.ts';
import { firstLine, lines, makeLine, replaceLines, setParam, setValue } from './content-lines.ts';
import { readCategories, readPrivate, readText } from './fields.ts';
import { normaliseCategories, normaliseText } from '../../text.ts';
import { escapeText, unescapeText } from './text.ts';
import { formatDateTime } from './time-values.ts';
import type { TimeFormat } from './when.ts';
import { formatFor, formatOf, readTime, sameWhen, setWhen, toWhen } from './when.ts';
import type { ZoneContext } from './zone-context.ts';
import { utcWallClock } from '../../../time/zoned-time.ts';
import { sameContent as same } from '../../../model/content-hash.ts';

/** Deep equality of model values (plain data). */
export { same };

/** Runs a reader; an unreadable value (an unknown zone, say) reads as null: "differs". */
export function attempt<T>(read: () => T): T | null {
  try {
    return read();
  } catch {
    return null;
  }
}

/** Sets a text property; '' removes it unless `emptyLine` (an override clearing a field). */
export function patchText(
  component: Component,
  name: string,
  value: string,
  emptyLine = false,
): void {
  const text = normaliseText(value);
  const line = firstLine(component, name);
  if (line && readText(component, name) === text) return;
  if (!line && text === '' && !emptyLine) return;
  if (text === '' && !emptyLine) {
    replaceLines(component, name, null);
  } else {
    const next = line ?? makeLine(name, '');
    setParam(next, 'ALTREP', null);
    setValue(next, escapeText(text));
    replaceLines(component, name, next);
  }
  // Outlook's HTML copy of the description would show the old text.
  if (name === 'DESCRIPTION') replaceLines(component, 'X-ALT-DESC', null);
}

/** The format an existing time line is written in (its zone), or null. */
export function existingFormat(line: ContentLine | null, ctx: ZoneContext): TimeFormat | null {
  return line ? attempt(() => formatOf(line, ctx)) : null;
}

/** Writes a When into the named line (reusing it and its parameters). */
export function writeWhenLine(
  component: Component,
  name: string,
  when: When,
  keep: TimeFormat | null,
  ctx: ZoneContext,
): void {
  const line = firstLine(component, name) ?? makeLine(name, '');
  setWhen(line, when, formatFor(when, keep, ctx), ctx);
  replaceLines(component, name, line);
}

/** Sets a single time property (DTSTART of a task, say) or removes it. */
export function patchWhen(
  component: Component,
  name: string,
  when: When | null,
  ctx: ZoneContext,
): boolean {
  const line = firstLine(component, name);
  const current = line ? attempt(() => toWhen(readTime(line, ctx), ctx)) : null;
  if (
    (line === null && when === null) ||
    (line !== null && current !== null && sameWhen(current, when))
  ) {
    return false;
  }
  if (when === null) replaceLines(component, name, null);
  else writeWhenLine(component, name, when, existingFormat(line, ctx), ctx);
  return true;
}

export function patchCategories(component: Component, categories: readonly string[]): void {
  const wanted = normaliseCategories(categories);
  if (same(readCategories(component), wanted)) return;
  const line = lines(component, 'CATEGORIES')[0] ?? makeLine('CATEGORIES', '');
  setValue(line, wanted.map(escapeText).join(','));
  replaceLines(component, 'CATEGORIES', wanted.length > 0 ? line : null);
}

/** CLASS: PRIVATE/PUBLIC; an existing CONFIDENTIAL stays while the item stays private. */
export function patchClass(component: Component, isPrivate: boolean): void {
  if (readPrivate(component) === isPrivate) return;
  replaceLines(component, 'CLASS', makeLine('CLASS', isPrivate ? 'PRIVATE' : 'PUBLIC'));
}

/** A property holding plain text that must equal `value` (UID, X-CRM-SYNC-ID), or none. */
export function patchPlain(component: Component, name: string, value: string | null): void {
  const line = firstLine(component, name);
  if (
    line &&
    value !== null &&
    unescapeText(line.value) === value &&
    lines(component, name).length === 1
  )
    return;
  if (!line && value === null) return;
  replaceLines(component, name, value === null ? null : makeLine(name, escapeText(value)));
}

export function utcStamp(ms: number): string {
  return formatDateTime(utcWallClock(ms), true);
}

/** DTSTAMP and LAST-MODIFIED: the object was revised now. */
export function stamp(component: Component, nowMs: number): void {
  for (const name of ['DTSTAMP', 'LAST-MODIFIED']) {
    replaceLines(component, name, makeLine(name, utcStamp(nowMs)));
  }
}

/** A copy of a line that can be changed without touching the original. */
export function cloneLine(line: ContentLine): ContentLine {
  return { ...line, params: line.params.map((p) => ({ ...p })) };
}
