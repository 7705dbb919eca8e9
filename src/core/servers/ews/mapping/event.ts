/**
 * Appointment <-> EventData. Texts are plain (Body as Text); Sensitivity Private and
 * Confidential are private (written as Private); the reminder is IsReminderSet +
 * ReminderMinutesBeforeStart; the uid is ICalUid, the CRM stamp an extended property.
 * Writing to a loaded item sets only what differs from `current`, so what the CRM does not
 * model (HTML formatting of an unchanged body, free/busy, online-meeting data…) survives.
 */
import {
  Appointment,
  AppointmentSchema,
  BodyType,
  ItemSchema,
  MessageBody,
  Sensitivity,
  StringList,
} from 'ews-javascript-api';
import type {
  DateTime,
  ExchangeService,
  MessageBody as Body,
  Recurrence,
  TimeZoneInfo,
} from 'ews-javascript-api';
import type { EventData, ItemIdentity } from '../../../model/items.ts';
import {
  attendeesDiffer,
  readAttendees,
  readPerson,
  responsesOf,
  writeAttendees,
} from './people.ts';
import { readTimes, timesToWrite, writeTimes, zoneNameOf, zoneOf } from './event-times.ts';
import type { WrittenTimes } from './event-times.ts';
import { readHints, writeHints } from './hints.ts';
import type { Hints } from './hints.ts';
import { readExdates, readOverrides, seriesRebuilt } from './occurrences.ts';
import { ewsRecurrenceOf, rruleOfEws } from './recurrence-ews.ts';
import { sameRecurrence, specOfRrule } from './recurrence-spec.ts';
import type { SeriesContext } from './recurrence-spec.ts';
import { categoriesOf, isoOf, loaded, same, sameList, text, textOrNull } from './values.ts';
import type { ReadResult } from './read-result.ts';
import { readStamp, writeStamp } from './identity.ts';
import { dateIn } from '../../../time/calendar-dates.ts';

export function labelOf(subject: string | null | undefined): string {
  const s = (subject ?? '').trim();
  return s === '' ? '(no subject)' : s;
}

function isPrivate(value: Sensitivity | null): boolean {
  return value === Sensitivity.Private || value === Sensitivity.Confidential;
}

export function readEvent(
  item: Appointment,
  exceptions: ReadonlyMap<string, Appointment>,
): ReadResult {
  const subject = text(loaded<string>(item, ItemSchema.Subject));
  const label = labelOf(subject);
  const hints = readHints(item);
  const times = readTimes(item, hints, label);
  const location = text(loaded<string>(item, AppointmentSchema.Location));
  const description = text(loaded<Body>(item, ItemSchema.Body)?.Text);
  const recurrence = loaded<Recurrence>(item, AppointmentSchema.Recurrence);
  const ctx: SeriesContext = {
    label,
    allDay: times.allDay,
    zone: times.zone,
    startMs: times.startMs,
  };
  const canonical = recurrence ? rruleOfEws(recurrence, ctx) : null;
  // The rule as the CRM wrote it, while it is still the rule Exchange holds.
  const rrule =
    canonical !== null && hints.rrule && sameRecurrence(hints.rrule, canonical, ctx)
      ? hints.rrule
      : canonical;
  const exdates = rrule ? readExdates(item, times) : [];
  const cancelled = new Set(exdates);
  const overrides = rrule
    ? readOverrides(
        item,
        times,
        { subject, location, description },
        { start: times.start, end: times.end },
        exceptions,
        label,
      ).filter((o) => !cancelled.has(o.recurrenceId))
    : [];
  const reminderSet = loaded<boolean>(item, ItemSchema.IsReminderSet) ?? false;
  const minutes = loaded<number>(item, ItemSchema.ReminderMinutesBeforeStart);
  const data: EventData = {
    kind: 'event',
    subject,
    location,
    description,
    start: times.start,
    end: times.end,
    rrule,
    exdates,
    overrides,
    isPrivate: isPrivate(loaded<Sensitivity>(item, ItemSchema.Sensitivity)),
    categories: categoriesOf(loaded<StringList>(item, ItemSchema.Categories)),
    reminderMinutes: reminderSet ? Math.max(0, Math.round(minutes ?? 0)) : null,
    organizer: null,
    attendees: readAttendees(item, hints.responses),
  };
  // Exchange makes the mailbox owner the organizer of everything it stores: that says
  // something only for a meeting, and the CRM's own choice (kept in the hints) stands.
  if (hints.organizer !== undefined) data.organizer = hints.organizer;
  else if (data.attendees.length > 0)
    data.organizer = readPerson(loaded(item, AppointmentSchema.Organizer));
  const modified = loaded<DateTime>(item, ItemSchema.LastModifiedTime);
  return {
    identity: {
      uid: (loaded<string>(item, AppointmentSchema.ICalUid) ?? '').trim(),
      crmStamp: readStamp(item),
    },
    data,
    modifiedAt: modified ? isoOf(modified) : null,
  };
}

/** The zone hints for a write: the IANA names Exchange's Windows zones cannot carry. */
function zoneHints(times: WrittenTimes): Hints {
  return { startZone: times.startZone, endZone: times.endZone };
}

/** The IANA zone an existing item is in (for its all-day days); undefined when unknown. */
function currentZone(item: Appointment, label: string): string | null | undefined {
  const info = loaded<TimeZoneInfo>(item, AppointmentSchema.StartTimeZone);
  const name = zoneNameOf(item);
  if (!info && !name) return undefined;
  try {
    return zoneOf(info, readHints(item).startZone, label, name);
  } catch {
    return undefined;
  }
}

function writeRecurrence(
  item: Appointment,
  data: EventData,
  times: WrittenTimes,
  label: string,
): void {
  if (data.rrule === null) return;
  const ctx: SeriesContext = {
    label,
    allDay: times.allDay,
    zone: times.startZone,
    startMs: times.startMs,
  };
  const spec = specOfRrule(data.rrule, ctx);
  item.Recurrence = ewsRecurrenceOf(spec, dateIn(times.startMs, times.startZone));
}

function peopleHints(data: EventData): Hints {
  return { organizer: data.organizer, responses: responsesOf(data.attendees) };
}

function rruleHint(data: EventData): Hints {
  return { rrule: data.rrule };
}

/** Fills a new appointment. */
export function writeNewEvent(item: Appointment, data: EventData, identity: ItemIdentity): void {
  const label = labelOf(data.subject);
  if (data.subject !== '') item.Subject = data.subject;
  if (data.location !== '') item.Location = data.location;
  item.Body = new MessageBody(BodyType.Text, data.description);
  const times = timesToWrite(data.start, data.end, undefined, label);
  writeTimes(item, times, label);
  writeRecurrence(item, data, times, label);
  item.Sensitivity = data.isPrivate ? Sensitivity.Private : Sensitivity.Normal;
  item.Categories = new StringList([...data.categories]);
  // Exchange sets a 15-minute reminder on new items unless told otherwise.
  item.IsReminderSet = data.reminderMinutes !== null;
  if (data.reminderMinutes !== null) item.ReminderMinutesBeforeStart = data.reminderMinutes;
  if (data.attendees.length > 0) writeAttendees(item, data.attendees);
  if (identity.uid !== '') item.ICalUid = identity.uid;
  writeStamp(item, identity.crmStamp, true);
  writeHints(item, { ...zoneHints(times), ...rruleHint(data), ...peopleHints(data) }, true);
}

/** Sets on a loaded appointment only what differs between `data` and `current`. */
export function updateEvent(
  item: Appointment,
  data: EventData,
  identity: ItemIdentity,
  current: EventData,
): void {
  const label = labelOf(data.subject);
  if (data.subject !== current.subject) item.Subject = textOrNull(data.subject);
  if (data.location !== current.location) item.Location = textOrNull(data.location);
  if (data.description !== current.description)
    item.Body = new MessageBody(BodyType.Text, data.description);
  const timesChanged = !same(data.start, current.start) || !same(data.end, current.end);
  const rebuild = seriesRebuilt(current, data);
  if (timesChanged || rebuild || (data.rrule === null) !== (current.rrule === null)) {
    const times = timesToWrite(data.start, data.end, currentZone(item, label), label);
    if (timesChanged) {
      writeTimes(item, times, label);
      writeHints(item, zoneHints(times), false);
    }
    if (data.rrule === null) {
      if (current.rrule !== null) item.Recurrence = null as unknown as Recurrence;
    } else {
      writeRecurrence(item, data, times, label);
    }
  }
  if (data.rrule !== current.rrule) {
    // Also when only the spelling changed: the next read gives the CRM's text back.
    writeHints(item, rruleHint(data), false);
  }
  if (data.isPrivate !== current.isPrivate)
    item.Sensitivity = data.isPrivate ? Sensitivity.Private : Sensitivity.Normal;
  if (!sameList(data.categories, current.categories))
    item.Categories = new StringList([...data.categories]);
  if (data.reminderMinutes !== current.reminderMinutes) {
    item.IsReminderSet = data.reminderMinutes !== null;
    if (data.reminderMinutes !== null) item.ReminderMinutesBeforeStart = data.reminderMinutes;
  }
  if (attendeesDiffer(data.attendees, current.attendees)) writeAttendees(item, data.attendees);
  if (!same(data.organizer, current.organizer) || !same(data.attendees, current.attendees))
    writeHints(item, peopleHints(data), false);
  writeStamp(item, identity.crmStamp, false);
}

export function newAppointment(
  service: ExchangeService,
  data: EventData,
  identity: ItemIdentity,
): Appointment {
  const item = new Appointment(service);
  writeNewEvent(item, data, identity);
  return item;
}
