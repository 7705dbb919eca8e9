/** Converting the store's time columns to the model's When and back. */
import { addDays } from '../../time/calendar-dates.ts';
import { isValidTimeZone } from '../../time/zone-names.ts';
import { dateInZone, zonedTimeToUtc } from '../../crm/time.ts';
import type { When } from '../../model/items.ts';

/** The model's instant form (milliseconds and Z); the store also accepts it without ms. */
export function normalInstant(value: string): string {
  const t = new Date(value);
  if (Number.isNaN(t.getTime())) throw new RangeError(`"${value}" is not an instant.`);
  return t.toISOString();
}

/** A stored start/end as a When: a date for all-day rows, else the instant with the zone. */
export function whenOf(value: string, allDay: boolean, timeZone: string | null): When {
  return allDay ? { date: value } : { utc: normalInstant(value), tz: timeZone };
}

export function isDate(w: When): w is { readonly date: string } {
  return 'date' in w;
}

/** A recurrence id / exdate in the series' stored format, normalised like the model wants. */
export function normalOccurrenceId(value: string, allDay: boolean): string {
  return allDay ? value : normalInstant(value);
}

/** The calendar date of a When (an instant's date in its zone, UTC when it has none). */
export function dateOf(w: When): string {
  return isDate(w) ? w.date : dateInZone(w.utc, zoneOrUtc(w.tz));
}

/** The instant of a When (a date's midnight in `zone`). */
export function instantOf(w: When, zone: string | null): string {
  return isDate(w) ? zonedTimeToUtc(w.date, '00:00', zoneOrUtc(zone)) : normalInstant(w.utc);
}

function zoneOrUtc(zone: string | null): string {
  return zone != null && isValidTimeZone(zone) ? zone : 'UTC';
}

/** The zone of a When if the store can keep it (an IANA id), else null. */
export function storableZone(w: When | null): { zone: string | null; dropped: string | null } {
  if (w === null || isDate(w) || w.tz === null) return { zone: null, dropped: null };
  return isValidTimeZone(w.tz) ? { zone: w.tz, dropped: null } : { zone: null, dropped: w.tz };
}

export { addDays };
