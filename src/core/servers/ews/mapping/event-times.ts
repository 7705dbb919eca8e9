/**
 * An appointment's Start/End/StartTimeZone/EndTimeZone/IsAllDayEvent <-> the model's
 * start and end. Exchange keeps instants plus Windows zones; an all-day event is the local
 * midnights of its days in its start zone, so its dates are read (and written) there.
 */
import { AppointmentSchema } from 'ews-javascript-api';
import type { Appointment, DateTime, TimeZoneInfo } from 'ews-javascript-api';
import { codedItemError, ItemError } from '../../errors.ts';
import type { When } from '../../../model/items.ts';
import { processZone } from '../../../time/zone-names.ts';
import type { Hints } from './hints.ts';
import { addDays, dateIn, midnightIn } from '../../../time/calendar-dates.ts';
import { nearestDate, nearestMidnight } from './midnights.ts';
import { dateTimeMs, instantDateTime, loaded } from './values.ts';
import { ianaOfWindows, ianaOfZoneName, timeZoneInfoOf, windowsOfIana } from './zones.ts';

export interface ReadTimes {
  start: When;
  end: When;
  allDay: boolean;
  /** IANA zone the event is kept in (its start zone); null = UTC. */
  zone: string | null;
  startMs: number;
  endMs: number;
}

/**
 * The IANA zone of a loaded time zone property; null when absent or UTC. Its Id, else its
 * name, else `alsoNamed` (the item's legacy TimeZone string) names it: servers that are
 * not Microsoft's send ids the library cannot resolve (lenient-time-zones.ts). Throws
 * ItemError naming the zone when none of them is one we know.
 */
export function zoneOf(
  zoneInfo: TimeZoneInfo | null,
  hint: string | null | undefined,
  label: string,
  alsoNamed?: string | null,
): string | null {
  const id = (zoneInfo?.Id ?? '').replace(/^NoId_/, '');
  const names = [id, zoneInfo?.DisplayName ?? '', alsoNamed ?? ''].filter((n) => n.trim() !== '');
  const first = names[0];
  if (first === undefined) return null;
  for (const name of names) {
    const zone = ianaOfZoneName(name, hint ?? null, label);
    if (zone !== undefined) return zone;
  }
  return ianaOfWindows(first, hint ?? null, label);
}

/** The item's legacy TimeZone string (a display name on Exchange), when loaded. */
export function zoneNameOf(item: Appointment): string | null {
  return loaded<string>(item, AppointmentSchema.TimeZone) ?? null;
}

function isMidnightIn(ms: number, zone: string | null): boolean {
  return midnightIn(dateIn(ms, zone), zone) === ms;
}

/**
 * The zone whose days an all-day event's stored midnights are: its own zone, else the
 * user's (an old client wrote it without a zone), else (a zone we could not read) the
 * nearest midnight, as the task mapping rounds, in a fixed-offset zone when the offset is
 * whole hours, so its occurrences are read in the same days.
 */
function allDayZone(startMs: number, named: () => string | null): string | null {
  let zone: string | null | undefined;
  try {
    zone = named();
  } catch {
    zone = undefined;
  }
  if (zone !== undefined && isMidnightIn(startMs, zone)) return zone;
  const own = processZone();
  if (isMidnightIn(startMs, own)) return own;
  const hours = Math.round((nearestMidnight(startMs) - startMs) / 3_600_000);
  if (hours === 0) return null;
  const fixed = `Etc/GMT${hours > 0 ? '-' : '+'}${Math.abs(hours)}`;
  return isMidnightIn(startMs, fixed) ? fixed : null;
}

function instant(ms: number): string {
  return new Date(ms).toISOString();
}

export function readTimes(item: Appointment, hints: Hints, label: string): ReadTimes {
  const start = loaded<DateTime>(item, AppointmentSchema.Start);
  const end = loaded<DateTime>(item, AppointmentSchema.End);
  if (!start) {
    throw codedItemError(`Cannot read "${label}": it has no start.`, 'item-no-start', {
      item: label,
    });
  }
  const startMs = dateTimeMs(start);
  const endMs = end ? Math.max(dateTimeMs(end), startMs) : startMs;
  const startInfo = loaded<TimeZoneInfo>(item, AppointmentSchema.StartTimeZone);
  const zoneName = zoneNameOf(item);
  const allDay = loaded<boolean>(item, AppointmentSchema.IsAllDayEvent) ?? false;
  const named = (): string | null => zoneOf(startInfo, hints.startZone, label, zoneName);
  const zone = allDay ? allDayZone(startMs, named) : named();
  if (allDay) {
    const exact = isMidnightIn(startMs, zone);
    const dayOf = (ms: number): string => (exact ? dateIn(ms, zone) : nearestDate(ms));
    const startDate = dayOf(startMs);
    let endDate = dayOf(endMs);
    if (endDate <= startDate) endDate = addDays(startDate, 1);
    return { start: { date: startDate }, end: { date: endDate }, allDay, zone, startMs, endMs };
  }
  const endInfo = loaded<TimeZoneInfo>(item, AppointmentSchema.EndTimeZone);
  const endZone = endInfo ? zoneOf(endInfo, hints.endZone ?? hints.startZone, label) : zone;
  return {
    start: { utc: instant(startMs), tz: zone },
    end: { utc: instant(endMs), tz: endZone },
    allDay,
    zone,
    startMs,
    endMs,
  };
}

export interface WrittenTimes {
  startMs: number;
  endMs: number;
  allDay: boolean;
  startZone: string | null;
  endZone: string | null;
}

/**
 * The instants and zones to write. An all-day event keeps the zone it is in (`keepZone`,
 * the item's current start zone) or takes the user's own: its days are that zone's days.
 */
export function timesToWrite(
  start: When,
  end: When,
  keepZone: string | null | undefined,
  label: string,
): WrittenTimes {
  if ('date' in start) {
    const zone = keepZone === undefined ? processZone() : keepZone;
    const endDate = 'date' in end && end.date > start.date ? end.date : addDays(start.date, 1);
    return {
      startMs: midnightIn(start.date, zone),
      endMs: midnightIn(endDate, zone),
      allDay: true,
      startZone: zone,
      endZone: zone,
    };
  }
  const startMs = Date.parse(start.utc);
  const endMs = 'utc' in end ? Date.parse(end.utc) : startMs;
  if (Number.isNaN(startMs) || Number.isNaN(endMs))
    throw new ItemError(`Cannot write "${label}": its start or end is not an instant.`);
  return {
    startMs,
    endMs: Math.max(endMs, startMs),
    allDay: false,
    startZone: start.tz,
    endZone: 'utc' in end ? end.tz : start.tz,
  };
}

/** Sets Start, End, IsAllDayEvent and both zones on an appointment. */
export function writeTimes(item: Appointment, times: WrittenTimes, label: string): void {
  item.StartTimeZone = timeZoneInfoOf(windowsOfIana(times.startZone, label));
  item.EndTimeZone = timeZoneInfoOf(windowsOfIana(times.endZone, label));
  item.Start = instantDateTime(times.startMs);
  item.End = instantDateTime(times.endMs);
  item.IsAllDayEvent = times.allDay;
}
