/**
 * VTIMEZONE definitions for the zones we write. Clients that expand a series with the
 * embedded definition (rather than their own tz database) need it to keep "every Monday
 * 9:00 Prague" at 9:00 across DST.
 *
 * The source is timezones-ical-library: compact blocks with the zone's current rules as
 * yearly RRULEs since 1970. Those are wrong for dates before a rule change (Moscow 2011-2014,
 * the US before 2007), so each block is checked against Intl at the instants it has to
 * describe; when it disagrees, a definition with the exact transitions Intl knows for the
 * years concerned is generated instead.
 */
import ICAL from 'ical.js';
import { tzlib_get_ical_block, tzlib_get_timezones } from 'timezones-ical-library';
import type { Component } from './content-lines.ts';
import {
  firstLine,
  makeLine,
  newComponent,
  parseDocument,
  serialiseComponent,
  setValue,
} from './content-lines.ts';
import type { WallClock } from '../../../time/zoned-time.ts';
import {
  utcWallClock,
  wallClockMs,
  zoneOffsetSeconds,
  zoneWallClock,
  zoneWallClockToMs,
} from '../../../time/zoned-time.ts';
import { formatDateTime } from './time-values.ts';

let libNames: Map<string, string> | null = null;

function libraryName(zone: string): string | null {
  if (!libNames) {
    const list = tzlib_get_timezones();
    libNames = new Map((Array.isArray(list) ? list : []).map((n) => [n.toLowerCase(), n]));
  }
  return libNames.get(zone.toLowerCase()) ?? null;
}

const libraryBlocks = new Map<string, { text: string; timezone: ICAL.Timezone } | null>();

function libraryBlock(zone: string): { text: string; timezone: ICAL.Timezone } | null {
  if (libraryBlocks.has(zone)) return libraryBlocks.get(zone) ?? null;
  let result: { text: string; timezone: ICAL.Timezone } | null = null;
  const name = libraryName(zone);
  // Only ask for names it lists: it logs to the console for others.
  const block = name ? tzlib_get_ical_block(name) : null;
  const text = Array.isArray(block) ? block[0] : undefined;
  if (text) {
    const [component] = parseDocument(text);
    if (component) {
      // The library answers aliases with the canonical id ("Europe/Kiev" -> "Europe/Kyiv"):
      // the block must carry the name our TZID parameters use.
      for (const key of ['TZID', 'X-LIC-LOCATION']) {
        const line = firstLine(component, key);
        if (line) setValue(line, zone);
      }
      const renamed = serialiseComponent(component);
      result = { text: renamed, timezone: timezoneOf(renamed) };
    }
  }
  libraryBlocks.set(zone, result);
  return result;
}

/** An ical.js Timezone for a VTIMEZONE text. */
export function timezoneOf(vtimezoneText: string): ICAL.Timezone {
  return new ICAL.Timezone(new ICAL.Component(ICAL.parse(vtimezoneText)));
}

/** The UTC offset (seconds) ical.js computes for a wall clock in a VTIMEZONE. */
export function vtimezoneOffset(timezone: ICAL.Timezone, w: WallClock): number {
  return timezone.utcOffset(new ICAL.Time({ ...w, isDate: false }, ICAL.Timezone.localTimezone));
}

/** True when the definition gives Intl's offset for `zone` at each instant. */
export function agrees(
  timezone: ICAL.Timezone,
  zone: string,
  instants: readonly number[],
): boolean {
  return instants.every((ms) => {
    const wall = zoneWallClock(ms, zone);
    // A wall time that occurs twice (clocks turned back) is read differently by different
    // readers (RFC 5545 says the first, ical.js takes the second): it proves nothing.
    if (occursTwice(wall, zone)) return true;
    return vtimezoneOffset(timezone, wall) === zoneOffsetSeconds(zone, ms);
  });
}

function occursTwice(wall: WallClock, zone: string): boolean {
  const first = zoneWallClockToMs(wall, zone);
  const local = wallClockMs(wall);
  for (let k = 1; k <= 4; k++) {
    if (wallClockMs(zoneWallClock(first + k * 1_800_000, zone)) === local) return true;
  }
  return false;
}

/**
 * The VTIMEZONE for an IANA zone, correct at `instants` (the times written with it); the
 * generated fallback covers the years of those instants and up to `throughYear`.
 */
export function vtimezoneFor(
  zone: string,
  instants: readonly number[],
  throughYear: number,
): Component {
  const block = libraryBlock(zone);
  if (block && agrees(block.timezone, zone, instants)) {
    const [component] = parseDocument(block.text);
    if (component) {
      // Written anew so they fold and end lines like everything else we write.
      for (const item of component.items) if (item.kind === 'line') item.source = null;
      return component;
    }
  }
  const years = instants.map((ms) => utcWallClock(ms).year);
  return generatedVtimezone(zone, Math.min(...years) - 1, Math.max(throughYear, ...years) + 1);
}

function formatOffset(seconds: number): string {
  const sign = seconds < 0 ? '-' : '+';
  const abs = Math.abs(seconds);
  const h = String(Math.floor(abs / 3600)).padStart(2, '0');
  const m = String(Math.floor((abs % 3600) / 60)).padStart(2, '0');
  const s = abs % 60;
  return `${sign}${h}${m}${s ? String(s).padStart(2, '0') : ''}`;
}

const generated = new Map<string, string>();

/** A VTIMEZONE listing every offset change Intl knows between two years (cached). */
export function generatedVtimezone(zone: string, fromYear: number, toYear: number): Component {
  const key = `${zone}\u0000${fromYear}\u0000${toYear}`;
  let text = generated.get(key);
  if (!text) {
    text = serialiseComponent(scanVtimezone(zone, fromYear, toYear));
    if (generated.size > 100) generated.clear();
    generated.set(key, text);
  }
  const [component] = parseDocument(text);
  if (!component) throw new Error('generated VTIMEZONE cannot be read');
  for (const item of component.items) if (item.kind === 'line') item.source = null;
  return component;
}

function scanVtimezone(zone: string, fromYear: number, toYear: number): Component {
  const start = wallClockMs({ year: fromYear, month: 1, day: 1, hour: 0, minute: 0, second: 0 });
  const end = wallClockMs({ year: toYear + 1, month: 1, day: 1, hour: 0, minute: 0, second: 0 });
  const first = zoneOffsetSeconds(zone, start);
  const observances: Component[] = [observance('STANDARD', start + first * 1000, first, first)];
  // Weekly samples, then bisection to the second: offsets change at most a few times a
  // year (a change undone within the same week would be missed; no zone has done that).
  const step = 7 * 86_400_000;
  let previous = first;
  let t = start;
  while (t < end) {
    const ahead = zoneOffsetSeconds(zone, t + step);
    if (ahead === previous) {
      t += step;
      continue;
    }
    let lo = t;
    let hi = t + step;
    while (hi - lo > 1000) {
      const mid = Math.floor((lo + hi) / 2000) * 1000;
      if (zoneOffsetSeconds(zone, mid) === previous) lo = mid;
      else hi = mid;
    }
    const next = zoneOffsetSeconds(zone, hi);
    // DTSTART of an observance is the onset in the wall time before it (RFC 5545 3.6.5).
    observances.push(
      observance(next > previous ? 'DAYLIGHT' : 'STANDARD', hi + previous * 1000, previous, next),
    );
    previous = next;
    // Go on from the change itself: a second change may follow within the same week.
    t = hi;
  }
  return newComponent('VTIMEZONE', [makeLine('TZID', zone), ...observances]);
}

function observance(kind: string, localMs: number, from: number, to: number): Component {
  return newComponent(kind, [
    makeLine('DTSTART', formatDateTime(utcWallClock(localMs), false)),
    makeLine('TZOFFSETFROM', formatOffset(from)),
    makeLine('TZOFFSETTO', formatOffset(to)),
  ]);
}
