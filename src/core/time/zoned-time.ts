/**
 * Wall clock <-> instant in IANA time zones, through Intl (Node's ICU carries the full tz
 * database). Nothing here uses the process's local time, so the results are the same
 * whatever TZ the process runs in. The one place wall-time <-> UTC conversion is done: the
 * CRM store, the engine (recurrence expansion) and every connector use it.
 */

/** A local date and time as written in an iCalendar value (month 1-12). */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const DAY_MS = 86_400_000;

/** Milliseconds since the epoch for a wall clock read as UTC (years 0-99 included). */
export function wallClockMs(w: WallClock): number {
  const d = new Date(0);
  d.setUTCFullYear(w.year, w.month - 1, w.day);
  d.setUTCHours(w.hour, w.minute, w.second, 0);
  return d.getTime();
}

/** The wall clock of an instant read in UTC. */
export function utcWallClock(ms: number): WallClock {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      era: 'short',
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

/** The wall clock of an instant in a zone (seconds precision). */
export function zoneWallClock(ms: number, zone: string): WallClock {
  const parts: Record<string, string> = {};
  for (const p of formatter(zone).formatToParts(new Date(Math.floor(ms / 1000) * 1000))) {
    parts[p.type] = p.value;
  }
  const year = Number(parts.year);
  return {
    year: parts.era === 'BC' || parts.era === 'B' ? 1 - year : year,
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** UTC offset of the zone at an instant, in seconds (east positive). */
export function zoneOffsetSeconds(zone: string, ms: number): number {
  const whole = Math.floor(ms / 1000) * 1000;
  return Math.round((wallClockMs(zoneWallClock(whole, zone)) - whole) / 1000);
}

/**
 * The instant a wall clock in a zone stands for, as RFC 5545 3.3.5 rules: a time that
 * occurs twice (clocks turned back) is the first occurrence; a time that does not exist
 * (clocks turned forward) is read with the offset before the gap.
 */
export function zoneWallClockToMs(w: WallClock, zone: string): number {
  const local = wallClockMs(w);
  const before = zoneOffsetSeconds(zone, local - DAY_MS);
  const after = zoneOffsetSeconds(zone, local + DAY_MS);
  const candidates = [...new Set([before, after, zoneOffsetSeconds(zone, local)])]
    .map((offset) => local - offset * 1000)
    .filter((ms) => wallClockMs(zoneWallClock(ms, zone)) === local);
  if (candidates.length > 0) return Math.min(...candidates);
  return local - before * 1000;
}

/** The wall clock of an instant in a zone, or in UTC for null (a floating or UTC time). */
export function wallOf(ms: number, zone: string | null): WallClock {
  return zone ? zoneWallClock(ms, zone) : utcWallClock(ms);
}

/** The instant of a wall clock in a zone, or in UTC for null. */
export function msOfWall(w: WallClock, zone: string | null): number {
  return zone ? zoneWallClockToMs(w, zone) : wallClockMs(w);
}

/** "YYYY-MM-DDTHH:MM:SS.sssZ" */
export function isoInstant(ms: number): string {
  return new Date(ms).toISOString();
}
