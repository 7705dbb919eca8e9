/**
 * Times for the scenario and conformance tests, independent of the machine's zone: instants
 * relative to one clock reading (`NOW`, taken once per test file), wall times in a named
 * zone, days, and the two wire forms (iCalendar, Exchange's xs:dateTime). The zone
 * arithmetic uses Intl only, so a test checks the program's own time code rather than
 * sharing it.
 */
import { findIana, findWindows } from 'windows-iana';

/** The one clock reading every relative time of a test file is counted from. */
export const NOW = new Date();

/** An instant `days` from now at the given UTC hour, for items inside the sync window. */
export function daysFromNow(days: number, hourUtc = 9): Date {
  const d = new Date(NOW);
  d.setUTCDate(d.getUTCDate() + days);
  d.setUTCHours(hourUtc, 0, 0, 0);
  return d;
}

/** The day `days` from now, 'YYYY-MM-DD' (the UTC date at noon). */
export function dayFromNow(days: number): string {
  return daysFromNow(days, 12).toISOString().slice(0, 10);
}

/** Windows zone names (as Outlook writes them) the suite uses, and their IANA zones. */
const WINDOWS_ZONES: Record<string, string> = {
  'Central Europe Standard Time': 'Europe/Prague',
  UTC: 'UTC',
};

/** The IANA zone of a Windows name; an IANA name (or an unknown one) as it is. */
export function ianaZone(zone: string): string {
  return WINDOWS_ZONES[zone] ?? findIana(zone)[0] ?? zone;
}

/** The Windows name of an IANA zone; any other name as it is. */
export function windowsZone(zone: string): string {
  return (
    Object.entries(WINDOWS_ZONES).find(([, iana]) => iana === zone)?.[0] ??
    findWindows(zone)[0] ??
    zone
  );
}

function knownZone(zone: string): string {
  const iana = ianaZone(zone);
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: iana });
    return iana;
  } catch {
    return 'UTC';
  }
}

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall clock in `zone` at `instant` (an unknown zone reads as UTC). */
export function wallTime(instant: Date, zone: string): WallTime {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: knownZone(zone),
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const n = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return {
    year: n('year'),
    month: n('month'),
    day: n('day'),
    hour: n('hour'),
    minute: n('minute'),
    second: n('second'),
  };
}

/** The instant whose wall clock in `zone` reads `w`. */
export function fromWallTime(w: WallTime, zone: string): Date {
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  let guess = asUtc;
  for (let i = 0; i < 3; i++) {
    const seen = wallTime(new Date(guess), zone);
    const seenUtc = Date.UTC(
      seen.year,
      seen.month - 1,
      seen.day,
      seen.hour,
      seen.minute,
      seen.second,
    );
    guess += asUtc - seenUtc;
  }
  return new Date(guess);
}

/** `hour`:00 wall time in `zone` on the day `days` from now. */
export function zonedAt(days: number, hour: number, zone = 'Europe/Prague'): Date {
  const day = wallTime(daysFromNow(days, 12), zone);
  return fromWallTime({ ...day, hour, minute: 0, second: 0 }, zone);
}

/** The wall-clock time of an instant in `zone`, 'HH:MM:SS'. */
export function clockIn(instant: string | Date, zone = 'Europe/Prague'): string {
  const w = wallTime(new Date(instant), zone);
  return [w.hour, w.minute, w.second].map((v) => String(v).padStart(2, '0')).join(':');
}

/** The day of an instant in `zone`, 'YYYY-MM-DD'. */
export function dayIn(instant: Date, zone: string): string {
  const w = wallTime(instant, zone);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/** Local midnight in `zone` of a day 'YYYY-MM-DD'. */
export function midnightOf(day: string, zone: string): Date {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return fromWallTime({ year, month, day: date, hour: 0, minute: 0, second: 0 }, zone);
}

/** iCalendar UTC form: 20260110T090000Z. */
export function icsUtc(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** iCalendar local form in `zone`: 20260110T100000. */
export function icsLocal(d: Date, zone: string): string {
  const w = wallTime(d, zone);
  const p = (v: number, n = 2) => String(v).padStart(n, '0');
  return `${p(w.year, 4)}${p(w.month)}${p(w.day)}T${p(w.hour)}${p(w.minute)}${p(w.second)}`;
}

/** iCalendar date form of a day 'YYYY-MM-DD': 20260110. */
export function icsDay(day: string): string {
  return day.replace(/-/g, '');
}

/** xs:dateTime in UTC without milliseconds, as Exchange writes it. */
export function ewsTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
