/**
 * CRM event rows <-> the model's EventData. The model carries what a server can show; the
 * CRM-only columns (status, owner, group, links, an override's status) are kept by the write
 * side, never derived from EventData.
 */
import type { Attendee, CrmEvent, NewEvent } from '../../crm/types.ts';
import type {
  AttendeeData,
  EventData,
  OccurrenceOverride,
  PersonRef,
  When,
} from '../../model/items.ts';
import { compareText, fromText, isStorableEmail } from './text.ts';
import type { CrmWriteNote } from './types.ts';
import { note } from './types.ts';
import {
  addDays,
  dateOf,
  instantOf,
  isDate,
  normalInstant,
  normalOccurrenceId,
  storableZone,
  whenOf,
} from './when.ts';

export function toEventData(event: CrmEvent, categoryName: string | null): EventData {
  const recurring = event.rrule !== null && event.rrule.trim() !== '';
  const cancelled = new Set(
    recurring ? event.exdates.map((d) => normalOccurrenceId(d, event.allDay)) : [],
  );
  const overrides: OccurrenceOverride[] = recurring
    ? event.overrides
        .map((o) => ({
          recurrenceId: normalOccurrenceId(o.recurrenceId, event.allDay),
          start: whenOf(o.start, o.allDay, event.timeZone),
          end: whenOf(o.end, o.allDay, event.timeZone),
          subject: o.subject,
          location: o.location,
          description: o.description,
        }))
        // The schema's rule: an occurrence both cancelled and changed is cancelled.
        .filter((o) => !cancelled.has(o.recurrenceId))
        .sort((a, b) => compareText(a.recurrenceId, b.recurrenceId))
    : [];
  return {
    kind: 'event',
    subject: event.subject,
    location: event.location ?? '',
    description: event.description ?? '',
    start: whenOf(event.start, event.allDay, event.timeZone),
    end: whenOf(event.end, event.allDay, event.timeZone),
    rrule: recurring ? (event.rrule?.trim() ?? null) : null,
    exdates: [...cancelled].sort(compareText),
    overrides,
    isPrivate: event.isPrivate,
    categories: categoryName ? [categoryName] : [],
    reminderMinutes: event.reminderMinutes,
    organizer: toPersonRef(event.organizerEmail, event.organizerName),
    attendees: toAttendees(event.attendees),
  };
}

function toPersonRef(email: string | null, name: string | null): PersonRef | null {
  const address = email?.trim().toLowerCase() ?? '';
  return address === '' ? null : { email: address, name: name ?? '' };
}

function toAttendees(list: Attendee[]): AttendeeData[] {
  const byEmail = new Map<string, AttendeeData>();
  for (const a of list) {
    const email = a.email.trim().toLowerCase();
    if (!byEmail.has(email)) {
      byEmail.set(email, { email, name: a.name ?? '', role: a.role, response: a.response });
    }
  }
  return [...byEmail.values()].sort((a, b) => compareText(a.email, b.email));
}

/** Start and end in one stored format; a mixed pair is brought to the start's format. */
function storedSpan(
  start: When,
  end: When,
): { allDay: boolean; start: string; end: string; zone: When } {
  if (isDate(start)) {
    let endDate = dateOf(end);
    // All-day ends are exclusive and after the start (the schema checks it).
    if (endDate <= start.date) endDate = addDays(start.date, 1);
    return { allDay: true, start: start.date, end: endDate, zone: start };
  }
  const startUtc = normalInstant(start.utc);
  let endUtc = instantOf(end, start.tz);
  if (endUtc < startUtc) endUtc = startUtc;
  return { allDay: false, start: startUtc, end: endUtc, zone: start };
}

/**
 * The event columns and lists EventData determines, as a patch for insertEvent/updateEvent.
 * `existing` (on update) supplies what the model does not carry: the stored zone of an
 * all-day event, the CRM's attendee order and address spelling, overrides' status.
 */
export function eventFieldsFromData(
  data: EventData,
  existing: CrmEvent | undefined,
  notes: CrmWriteNote[],
): Partial<NewEvent> & Pick<NewEvent, 'subject' | 'allDay' | 'start' | 'end'> {
  const span = storedSpan(data.start, data.end);
  const { zone, dropped } = storableZone(span.zone);
  if (dropped !== null) {
    notes.push(
      note('time-zone-dropped', `Time zone "${dropped}" is not an IANA id; stored as UTC.`, {
        zone: dropped,
      }),
    );
  }
  const recurring = data.rrule !== null && data.rrule.trim() !== '';
  const exdates = recurring
    ? [...new Set(data.exdates.map((d) => normalOccurrenceId(d, span.allDay)))]
    : [];
  const fields: Partial<NewEvent> & Pick<NewEvent, 'subject' | 'allDay' | 'start' | 'end'> = {
    subject: data.subject,
    location: fromText(data.location, existing?.location),
    description: fromText(data.description, existing?.description),
    allDay: span.allDay,
    start: span.start,
    end: span.end,
    // The model has no zone for all-day events: keep the one the CRM row has.
    timeZone: span.allDay ? (existing?.timeZone ?? null) : zone,
    rrule: recurring ? data.rrule : null,
    isPrivate: data.isPrivate,
    reminderMinutes:
      data.reminderMinutes === null ? null : Math.max(0, Math.round(data.reminderMinutes)),
    attendees: mergeAttendees(existing?.attendees ?? [], data.attendees, notes),
    exdates,
    overrides: recurring ? overridesFromData(data, span.allDay, exdates, existing, notes) : [],
  };
  Object.assign(fields, organizerFromData(data.organizer, existing, notes));
  return fields;
}

function organizerFromData(
  organizer: PersonRef | null,
  existing: CrmEvent | undefined,
  notes: CrmWriteNote[],
): Partial<NewEvent> {
  if (organizer === null || !isStorableEmail(organizer.email)) {
    if (organizer !== null) skippedAddress(notes, organizer.email);
    // A CRM organizer name without an address never reached the model: keep it.
    if (existing && !existing.organizerEmail) return {};
    return { organizerEmail: null, organizerName: null };
  }
  const same = existing?.organizerEmail?.toLowerCase() === organizer.email.toLowerCase();
  return {
    organizerEmail: same ? existing?.organizerEmail : organizer.email.trim(),
    organizerName: fromText(organizer.name, existing?.organizerName),
  };
}

function skippedAddress(notes: CrmWriteNote[], email: string): void {
  notes.push(
    note('invalid-address-skipped', `"${email}" is not an e-mail address; skipped.`, { email }),
  );
}

/** The server's attendees in the CRM's order (new ones last), with the CRM's spelling. */
function mergeAttendees(
  current: Attendee[],
  incoming: AttendeeData[],
  notes: CrmWriteNote[],
): NonNullable<NewEvent['attendees']> {
  const byEmail = new Map<string, AttendeeData>();
  for (const a of incoming) {
    if (!isStorableEmail(a.email)) skippedAddress(notes, a.email);
    else if (!byEmail.has(a.email.trim().toLowerCase())) {
      byEmail.set(a.email.trim().toLowerCase(), a);
    }
  }
  const out: NonNullable<NewEvent['attendees']> = [];
  for (const c of current) {
    const key = c.email.toLowerCase();
    const a = byEmail.get(key);
    if (!a) continue;
    byEmail.delete(key);
    out.push({
      email: c.email,
      name: fromText(a.name, c.name),
      role: a.role,
      response: a.response,
    });
  }
  for (const a of byEmail.values()) {
    out.push({
      email: a.email.trim(),
      name: fromText(a.name, null),
      role: a.role,
      response: a.response,
    });
  }
  return out;
}

function overridesFromData(
  data: EventData,
  seriesAllDay: boolean,
  exdates: string[],
  existing: CrmEvent | undefined,
  notes: CrmWriteNote[],
): NonNullable<NewEvent['overrides']> {
  const cancelled = new Set(exdates);
  const previous = new Map(
    (existing?.overrides ?? []).map((o) => [
      normalOccurrenceId(o.recurrenceId, existing?.allDay ?? seriesAllDay),
      o,
    ]),
  );
  const out: NonNullable<NewEvent['overrides']> = [];
  const seen = new Set<string>();
  for (const o of data.overrides) {
    const recurrenceId = normalOccurrenceId(o.recurrenceId, seriesAllDay);
    if (seen.has(recurrenceId)) continue;
    seen.add(recurrenceId);
    if (cancelled.has(recurrenceId)) {
      notes.push(
        note(
          'override-cancelled',
          `Occurrence ${recurrenceId} is both cancelled and changed on the server; kept cancelled.`,
          { recurrenceId },
        ),
      );
      continue;
    }
    const span = storedSpan(o.start, o.end);
    const before = previous.get(recurrenceId);
    out.push({
      recurrenceId,
      allDay: span.allDay,
      start: span.start,
      end: span.end,
      subject: o.subject,
      location: o.location,
      description: o.description,
      // CRM-only: the status of a changed occurrence stays.
      status: before?.status ?? null,
    });
  }
  return out;
}
