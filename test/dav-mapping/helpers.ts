import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { expect } from 'vitest';
import { ItemError } from '../../src/core/servers/errors.ts';

/** A fixture as a server sends it: CRLF line ends. */
export function fixture(name: string): string {
  return readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8').replace(
    /\r?\n/g,
    '\r\n',
  );
}

/** A fixed "now" so DTSTAMP/REV are reproducible. */
export const NOW = new Date('2026-04-01T06:00:00Z');

/** The physical lines of a text (folded lines stay as they are). */
export function physicalLines(text: string): string[] {
  return text.split(/\r\n/).filter((l) => l !== '');
}

/** Unfolded content lines. */
export function contentLines(text: string): string[] {
  return text
    .replace(/\r\n[ \t]/g, '')
    .split(/\r\n/)
    .filter((l) => l !== '');
}

/** The physical lines of each folded content line that starts with `prefix`, joined. */
export function foldedLine(text: string, prefix: string): string | undefined {
  const lines = text.split('\r\n');
  const start = lines.findIndex((l) => l.startsWith(prefix));
  if (start < 0) return undefined;
  let end = start + 1;
  while (end < lines.length && /^[ \t]/.test(lines[end] ?? '')) end++;
  return lines.slice(start, end).join('\r\n');
}

/** Runs fn and checks it throws an ItemError whose message contains every part. */
export function expectItemError(fn: () => unknown, ...parts: string[]): ItemError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ItemError);
  const error = caught as ItemError;
  for (const part of parts) expect(error.message).toContain(part);
  return error;
}

/** Occurrence starts (UTC ISO) of the series in an iCalendar text, expanded by ical.js. */
export function expandWithIcalJs(text: string, max = 100): string[] {
  const root = new ICAL.Component(ICAL.parse(text));
  const vevents = root.getAllSubcomponents('vevent');
  const master = vevents.find((v) => !v.hasProperty('recurrence-id'));
  if (!master) throw new Error('no master VEVENT');
  const event = new ICAL.Event(master);
  for (const v of vevents) if (v !== master) event.relateException(v);
  const iterator = event.iterator();
  const starts: string[] = [];
  for (let next = iterator.next(); next && starts.length < max; next = iterator.next()) {
    const details = event.getOccurrenceDetails(next);
    starts.push(new Date(details.startDate.toUnixTime() * 1000).toISOString());
  }
  return starts;
}

/** The wall-clock "HH:MM" of an instant in a zone. */
export function wallTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}
