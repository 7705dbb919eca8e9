/**
 * Wall-clock time in an IANA zone <-> UTC, with Node's Intl data. Used to expand recurring
 * series in the zone they were defined in, so "every Monday 9:00 Prague" stays 9:00 across
 * daylight-saving changes.
 */

export interface WallTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
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

/** Whether Intl knows the zone. */
export function isKnownZone(zone: string): boolean {
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

export function wallTimeIn(zone: string | null, epochMs: number): WallTime {
  if (!zone) {
    const d = new Date(epochMs);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
    };
  }
  const parts: Record<string, number> = {};
  for (const p of formatterFor(zone).formatToParts(new Date(epochMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts['year'] ?? 1970,
    month: parts['month'] ?? 1,
    day: parts['day'] ?? 1,
    hour: parts['hour'] ?? 0,
    minute: parts['minute'] ?? 0,
    second: parts['second'] ?? 0,
  };
}

function wallAsUtcMs(w: WallTime): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

/**
 * The instant a wall-clock time in `zone` denotes. In the hour skipped by DST the result
 * moves forward (as calendar programs do); in the repeated hour it takes the first one.
 */
export function utcOfWallTime(zone: string | null, w: WallTime): number {
  const naive = wallAsUtcMs(w);
  if (!zone) return naive;
  // Two rounds of offset correction settle every real zone.
  let guess = naive - (wallAsUtcMs(wallTimeIn(zone, naive)) - naive);
  guess = naive - (wallAsUtcMs(wallTimeIn(zone, guess)) - guess);
  return guess;
}
