/**
 * What a TZID parameter means inside one calendar object. In order:
 * 1. an IANA id Intl knows ("Europe/Prague"): Intl (the tz database) gives the instant;
 * 2. a zone the object defines with a VTIMEZONE (Outlook's "W. Europe Standard Time",
 *    "(UTC+01:00) Amsterdam, Berlin, …", Lightning's "/mozilla.org/…/Europe/Berlin"): that
 *    definition gives the instant, as RFC 5545 says, and the IANA name is the first
 *    candidate (Windows mapping, X-LIC-LOCATION, the path or city names in the TZID, any
 *    Windows zone) whose offsets agree with the definition day by day over a year;
 * 3. a Windows name or such a path with no definition: its IANA zone through Intl;
 * 4. anything else: an ItemError naming the zone.
 */
import type ICAL from 'ical.js';
import { codedItemError } from '../../errors.ts';
import type { Component } from './content-lines.ts';
import { children, firstLine, serialiseComponent } from './content-lines.ts';
import { unescapeText } from './text.ts';
import { addWallDays } from '../../../time/calendar-dates.ts';
import { parseTimeValue } from './time-values.ts';
import { timezoneOf, vtimezoneOffset } from './vtimezone.ts';
import { windowsZones } from '../../../time/windows-zones.ts';
import type { WallClock } from '../../../time/zoned-time.ts';
import {
  utcWallClock,
  wallClockMs,
  zoneOffsetSeconds,
  zoneWallClockToMs,
} from '../../../time/zoned-time.ts';
import { allIanaZones, ianaZone } from '../../../time/zone-names.ts';

export type Zone =
  | { kind: 'iana'; id: string }
  | { kind: 'defined'; tzid: string; timezone: ICAL.Timezone; candidates: string[] };

let cities: Map<string, string> | null = null;

// Lower-case city ("new york") -> zone ("America/New_York").
function cityZones(): Map<string, string> {
  if (!cities) {
    cities = new Map();
    for (const zone of allIanaZones()) {
      const city = zone.split('/').pop()?.replaceAll('_', ' ').toLowerCase();
      if (city && !cities.has(city)) cities.set(city, zone);
    }
  }
  return cities;
}

/**
 * IANA names a non-IANA TZID suggests, best first, unverified. Of a Windows zone's IANA
 * zones the user's own comes first ("Central Europe Standard Time" is Europe/Prague for a
 * user in Prague, Europe/Budapest by default).
 */
export function tzidHints(tzid: string, xLicLocation: string | null, preferred?: string): string[] {
  const hints: string[] = [];
  const add = (name: string | null | undefined): void => {
    const zone = name ? ianaZone(name) : null;
    if (zone && !hints.includes(zone)) hints.push(zone);
  };
  const trimmed = tzid.trim();
  const ofWindowsId = windowsZones().get(trimmed.toLowerCase())?.all ?? [];
  if (preferred && ofWindowsId.includes(preferred)) add(preferred);
  for (const z of ofWindowsId) add(z);
  if (/^tzone:\/\/microsoft\/utc$/i.test(trimmed)) add('UTC');
  add(xLicLocation);
  // "/mozilla.org/20050126_1/Europe/Berlin", "/citadel.org/20190914_1/America/New_York"
  const segments = trimmed.split('/').filter((s) => s !== '');
  for (const n of [3, 2, 1]) if (segments.length >= n) add(segments.slice(-n).join('/'));
  // Outlook display names: "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna"
  const places = trimmed.replace(/^\([^)]*\)\s*/, '');
  for (const place of places.split(/[,;]/)) add(cityZones().get(place.trim().toLowerCase()));
  // "Central Europe Standard Time (Custom)", "Eastern Time (US & Canada)"
  const lower = trimmed.toLowerCase();
  for (const [name, zone] of windowsZones()) {
    const core = name.replace(/ (standard )?time$/, '');
    if (core.length >= 4 && lower.includes(core)) add(zone.primary);
  }
  return hints;
}

function allWindowsPrimaries(): string[] {
  return [...new Set([...windowsZones().values()].map((z) => z.primary).filter((z) => z !== ''))];
}

const agreementCache = new Map<string, boolean>();

/** True when `zone` has the definition's offset at local noon of every day of a year. */
function agreesForAYear(
  definition: Zone & { kind: 'defined' },
  zone: string,
  from: WallClock,
): boolean {
  const key = `${definition.tzid}\u0000${zone}\u0000${from.year}\u0000${from.month}`;
  const cached = agreementCache.get(key);
  if (cached !== undefined) return cached;
  let ok = true;
  const noon = { ...from, day: 1, hour: 12, minute: 0, second: 0 };
  for (let d = 0; d < 366 && ok; d++) {
    const w = addWallDays(noon, d);
    const offset = vtimezoneOffset(definition.timezone, w);
    ok = zoneOffsetSeconds(zone, wallClockMs(w) - offset * 1000) === offset;
  }
  if (agreementCache.size > 5000) agreementCache.clear();
  agreementCache.set(key, ok);
  return ok;
}

/** ical.js reads nonsense observances without complaint (as offset 0): refuse them. */
function checkDefinition(definition: Component): void {
  const observances = children(definition).filter(
    (c) => c.name === 'STANDARD' || c.name === 'DAYLIGHT',
  );
  if (observances.length === 0) throw new Error('no STANDARD or DAYLIGHT');
  for (const observance of observances) {
    const start = firstLine(observance, 'DTSTART');
    if (!start || parseTimeValue(start.value).kind !== 'date-time') throw new Error('bad DTSTART');
    for (const name of ['TZOFFSETFROM', 'TZOFFSETTO']) {
      if (!/^[+-]\d{4}(\d{2})?$/.test(firstLine(observance, name)?.value.trim() ?? '')) {
        throw new Error(`bad ${name}`);
      }
    }
  }
}

const timezoneCache = new Map<string, ICAL.Timezone>();

function cachedTimezone(text: string): ICAL.Timezone {
  let tz = timezoneCache.get(text);
  if (!tz) {
    tz = timezoneOf(text);
    if (timezoneCache.size > 200) timezoneCache.clear();
    timezoneCache.set(text, tz);
  }
  return tz;
}

/** TZID resolution and wall clock <-> instant conversion for one calendar object. */
export class ZoneContext {
  readonly label: string;
  readonly defaultZone: string;
  private readonly definitions = new Map<string, Component>();
  private readonly resolved = new Map<string, Zone>();

  constructor(label: string, defaultZone: string, vtimezones: readonly Component[]) {
    this.label = label;
    this.defaultZone = defaultZone;
    for (const vtimezone of vtimezones) {
      const tzid = firstLine(vtimezone, 'TZID');
      if (tzid) this.definitions.set(unescapeText(tzid.value), vtimezone);
    }
  }

  /** The zone a TZID names; ItemError when neither defined nor known. */
  resolve(tzid: string): Zone {
    const cached = this.resolved.get(tzid);
    if (cached) return cached;
    const zone = this.resolveUncached(tzid);
    this.resolved.set(tzid, zone);
    return zone;
  }

  private resolveUncached(tzid: string): Zone {
    const iana = ianaZone(tzid);
    if (iana) return { kind: 'iana', id: iana };
    const definition = this.definition(tzid);
    if (definition) {
      const location = firstLine(definition, 'X-LIC-LOCATION');
      const candidates = tzidHints(
        tzid,
        location ? unescapeText(location.value) : null,
        this.defaultZone,
      );
      let timezone: ICAL.Timezone;
      try {
        checkDefinition(definition);
        timezone = cachedTimezone(serialiseComponent(definition));
      } catch (err) {
        throw codedItemError(
          `Cannot read "${this.label}": the definition of time zone "${tzid}" is broken.`,
          'item-time-zone-broken',
          { item: this.label, zone: tzid },
          { cause: err },
        );
      }
      return { kind: 'defined', tzid, timezone, candidates };
    }
    const [hint] = tzidHints(tzid, null, this.defaultZone);
    if (hint) return { kind: 'iana', id: hint };
    throw codedItemError(
      `Cannot read "${this.label}": unknown time zone "${tzid}".`,
      'item-unknown-time-zone',
      { item: this.label, zone: tzid },
    );
  }

  private definition(tzid: string): Component | null {
    const exact = this.definitions.get(tzid);
    if (exact) return exact;
    const lower = tzid.toLowerCase();
    for (const [name, component] of this.definitions)
      if (name.toLowerCase() === lower) return component;
    return null;
  }

  /** The instant (ms) of a wall clock in a zone. */
  toMs(w: WallClock, zone: Zone): number {
    if (zone.kind === 'iana') return zoneWallClockToMs(w, zone.id);
    return wallClockMs(w) - vtimezoneOffset(zone.timezone, w) * 1000;
  }

  /** The wall clock of an instant in a zone the object defines. */
  wallClockIn(ms: number, zone: Zone & { kind: 'defined' }): WallClock {
    // Guess with the offset at the instant read as local time, then correct once.
    let offset = vtimezoneOffset(zone.timezone, utcWallClock(ms));
    const guess = utcWallClock(ms + offset * 1000);
    offset = vtimezoneOffset(zone.timezone, guess);
    return utcWallClock(ms + offset * 1000);
  }

  /** The IANA id a zone stands for around a wall clock, or null when none agrees. */
  ianaName(zone: Zone, at: WallClock): string | null {
    if (zone.kind === 'iana') return zone.id;
    for (const candidate of zone.candidates)
      if (agreesForAYear(zone, candidate, at)) return candidate;
    for (const candidate of allWindowsPrimaries()) {
      if (agreesForAYear(zone, candidate, at)) return candidate;
    }
    return null;
  }
}
