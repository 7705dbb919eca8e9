/**
 * iCalendar <-> the neutral model, for the CalDAV connector.
 *
 * Decisions (details next to the code):
 * - Times: a "Z" time is { utc, tz: null }; tz null is written back as "Z". A TZID that
 *   names an IANA zone (also "UTC") is read with the tz database and kept as written
 *   (aliases too). Windows names map through windows-iana (the user's own zone first when it
 *   is one of the mapped zones). A TZID only the object defines (Outlook display names,
 *   Lightning paths) takes its instant from that VTIMEZONE and its name from the first IANA
 *   zone that agrees with it over a year, else tz null; such a zone is kept when a tz-null
 *   time is written back, so a series does not drift across DST. Anything else: ItemError.
 *   Floating times are read in `defaultZone` (default: the process zone). Instants are whole
 *   seconds; the second pass through a repeated wall time (clocks turned back) cannot be
 *   written with a TZID and reads back as the first (RFC 5545).
 * - Writing: timed values as TZID=<IANA> with a VTIMEZONE (timezones-ical-library, checked
 *   against Intl; exact transitions generated from Intl where its current-rules block is
 *   wrong for the dates written), all-day as VALUE=DATE with an exclusive DTEND.
 * - Patching in place: a property is rewritten only when what it says differs from the
 *   model; every other line keeps its exact text. ATTENDEE/ORGANIZER always get
 *   SCHEDULE-AGENT=CLIENT. The reminder is the alarm marked X-CRM-SYNC-ALARM:1, else the
 *   first DISPLAY/AUDIO alarm; no reminder removes the DISPLAY/AUDIO alarms only.
 * - An object holding only overrides is read as a single event (its first override) and
 *   patched in place as one; making it a series is refused.
 * - A UID-less object reads as uid "".
 */
export type {
  CalendarParseOptions,
  CalendarRenderOptions,
  ParsedCalendarObject,
} from './calendar-object.ts';
export { PRODID, parseCalendarObject, renderCalendarObject } from './calendar-object.ts';
