// Wall-clock <-> UTC in a named zone (Windows or IANA id), for recurrence expansion.
import { findIana } from 'windows-iana';
import type { XElement } from './xml.ts';

export interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const zones = new Map<string, string>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** IANA zone for a Windows or IANA id; UTC when unknown. */
export function ianaZone(id: string | null | undefined): string {
  if (!id) return 'UTC';
  let zone = zones.get(id);
  if (!zone) {
    try {
      formatter(id);
      zone = id;
    } catch (_) {
      zone = findIana(id)[0] ?? 'UTC';
    }
    zones.set(id, zone);
  }
  return zone;
}

/** The zone of an item's StartTimeZone (TimeZoneDefinition Id). */
export function zoneOfElement(el: XElement | undefined): string {
  return ianaZone(el?.getAttribute('Id'));
}

export function wallOf(utcMs: number, zone: string): Wall {
  const w: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(utcMs))) {
    if (p.type !== 'literal') w[p.type] = Number(p.value);
  }
  return {
    year: w.year ?? 1970,
    month: w.month ?? 1,
    day: w.day ?? 1,
    hour: w.hour ?? 0,
    minute: w.minute ?? 0,
    second: w.second ?? 0,
  };
}

function wallAsUtc(w: Wall): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

export function zonedToUtc(w: Wall, zone: string): number {
  const guess = wallAsUtc(w);
  const off1 = wallAsUtc(wallOf(guess, zone)) - guess;
  const utc = guess - off1;
  const off2 = wallAsUtc(wallOf(utc, zone)) - utc;
  return off2 === off1 ? utc : guess - off2;
}
