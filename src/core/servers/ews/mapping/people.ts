/**
 * Organizer and attendees. Exchange keeps required, optional and resource attendees in
 * three lists, each with the attendee's response; the organizer is the mailbox that owns
 * the meeting and cannot be set. Responses are the attendees' own: Exchange sets them when
 * replies arrive, so they are read but never written. "chair" has no Exchange list and is
 * written as required.
 */
import { AppointmentSchema, Attendee, MeetingResponseType } from 'ews-javascript-api';
import type { Appointment, AttendeeCollection, EmailAddress } from 'ews-javascript-api';
import type {
  AttendeeData,
  AttendeeResponse,
  AttendeeRole,
  PersonRef,
} from '../../../model/items.ts';
import { compareText, loaded, text } from './values.ts';

function emailOf(address: EmailAddress): string | null {
  const email = (address.Address ?? '').trim().toLowerCase();
  // Exchange's internal "EX" addresses (/o=…) are no e-mail addresses.
  return email.includes('@') ? email : null;
}

export function readPerson(address: EmailAddress | null): PersonRef | null {
  if (!address) return null;
  const email = emailOf(address);
  return email ? { email, name: text(address.Name).trim() } : null;
}

function responseOf(value: MeetingResponseType): AttendeeResponse {
  switch (value) {
    case MeetingResponseType.Accept:
    case MeetingResponseType.Organizer:
      return 'accepted';
    case MeetingResponseType.Decline:
      return 'declined';
    case MeetingResponseType.Tentative:
      return 'tentative';
    default:
      return 'needs-action';
  }
}

function collectionItems(list: AttendeeCollection | null): Attendee[] {
  if (!list) return [];
  const out: Attendee[] = [];
  for (let i = 0; i < list.Count; i++) out.push(list._getItem(i));
  return out;
}

/**
 * Attendees of all three lists: unique by address (first wins), sorted by address. Where
 * Exchange has no reply from someone, the response the CRM wrote (`written`) stands.
 */
export function readAttendees(
  item: Appointment,
  written: Readonly<Record<string, AttendeeResponse>> = {},
): AttendeeData[] {
  const lists: [AttendeeRole, AttendeeCollection | null][] = [
    ['required', loaded<AttendeeCollection>(item, AppointmentSchema.RequiredAttendees)],
    ['optional', loaded<AttendeeCollection>(item, AppointmentSchema.OptionalAttendees)],
    ['resource', loaded<AttendeeCollection>(item, AppointmentSchema.Resources)],
  ];
  const byEmail = new Map<string, AttendeeData>();
  for (const [role, list] of lists) {
    for (const attendee of collectionItems(list)) {
      const person = readPerson(attendee);
      if (!person || byEmail.has(person.email)) continue;
      const replied = responseOf(attendee.ResponseType);
      const response = replied === 'needs-action' ? (written[person.email] ?? replied) : replied;
      byEmail.set(person.email, { ...person, role, response });
    }
  }
  return [...byEmail.values()].sort((a, b) => compareText(a.email, b.email));
}

/** What of an attendee Exchange lets us write. */
function writable(a: AttendeeData): string {
  return JSON.stringify([a.email, a.name, a.role === 'chair' ? 'required' : a.role]);
}

/** Whether the lists would change: responses do not count (they are not ours to write). */
export function attendeesDiffer(a: readonly AttendeeData[], b: readonly AttendeeData[]): boolean {
  const x = a.map(writable).sort();
  const y = b.map(writable).sort();
  return x.length !== y.length || x.some((v, i) => v !== y[i]);
}

/** The responses to remember for `readAttendees`. */
export function responsesOf(attendees: readonly AttendeeData[]): Record<string, AttendeeResponse> {
  return Object.fromEntries(attendees.map((a) => [a.email, a.response]));
}

/** Replaces the three lists with the attendees (in address order). */
export function writeAttendees(item: Appointment, attendees: readonly AttendeeData[]): void {
  item.RequiredAttendees.Clear();
  item.OptionalAttendees.Clear();
  item.Resources.Clear();
  for (const a of attendees) {
    const list =
      a.role === 'optional'
        ? item.OptionalAttendees
        : a.role === 'resource'
          ? item.Resources
          : item.RequiredAttendees;
    list.Add(new Attendee(a.name, a.email));
  }
}
