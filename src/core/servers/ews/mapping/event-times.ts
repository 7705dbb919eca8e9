/**
 * An appointment's Start/End/StartTimeZone/EndTimeZone/IsAllDayEvent <-> the model's
 * start and end. Exchange keeps instants plus Windows zones; an all-day event is the local
 * midnights of its days in its start zone, so its dates are read (and written) there.
 */
import { AppointmentSchema } from 'ews-javascript-api';
import type { Appointment, DateTime, TimeZoneInfo } from 'ews-javascript-api';
import { ItemError } from '../../errors.ts';
import { codedItemError } from '../../dav/coded-item-error.ts';
import type { When } from '../../../sync/model.ts';
import { processZone } from '../../dav/ical/zones.ts';
import type { Hints } from './hints.ts';
import { addDays, dateIn, midnightIn } from './wall-time.ts';
import { dateTimeMs, instantDateTime, loaded } from './values.ts';
import { ianaOfWindows, timeZoneInfoOf, windowsOfIana } from './zones.ts';

export interface ReadTimes {
  start: When;
  end: When;
  allDay: boolean;
  /** IANA zone the event is kept in (its start zone); null = UTC. */
  zone: string | null;
  startMs: number;
  endMs: number;
}

/** The IANA zone of a loaded time zone property; null when absent or UTC. */
export function zoneOf(
  zoneInfo: TimeZoneInfo | null,
  hint: string | null | undefined,
  label: string,
): string | null {
  const id = zoneInfo?.Id ?? '';
  if (id === '') return null;
  return ianaOfWindows(id, hint ?? null, label);
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
  const allDay = loaded<boolean>(item, AppointmentSchema.IsAllDayEvent) ?? false;
  // An all-day event without a zone (written by an old client) has the user's days.
  const zone = !startInfo && allDay ? processZone() : zoneOf(startInfo, hints.startZone, label);
  const endInfo = loaded<TimeZoneInfo>(item, AppointmentSchema.EndTimeZone);
  const endZone = endInfo ? zoneOf(endInfo, hints.endZone ?? hints.startZone, label) : zone;
  if (allDay) {
    const startDate = dateIn(startMs, zone);
    let endDate = dateIn(endMs, zone);
    if (endDate <= startDate) endDate = addDays(startDate, 1);
    return { start: { date: startDate }, end: { date: endDate }, allDay, zone, startMs, endMs };
  }
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
