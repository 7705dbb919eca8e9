/**
 * The neutral item model the engine works in. Both sides translate to and from it: the CRM
 * store (src/core/sync/crm-side) and each server connector (src/core/servers/*). Content
 * hashes are taken over these shapes, so every field here is normalised: no undefined,
 * lists in a stable order where order carries no meaning.
 *
 * Times follow the CRM store's rule: an instant is a UTC ISO-8601 string with milliseconds
 * and "Z" ("2026-03-30T07:00:00.000Z"), a calendar date is "YYYY-MM-DD".
 */

export type AgendaKind = 'events' | 'tasks' | 'contacts';

/** A start or end as the user meant it. */
export type When = { readonly date: string } | { readonly utc: string; readonly tz: string | null };

export type AttendeeRole = 'required' | 'optional' | 'resource' | 'chair';
export type AttendeeResponse = 'needs-action' | 'accepted' | 'declined' | 'tentative';

export interface PersonRef {
  /** Lower-case e-mail address. */
  email: string;
  name: string;
}

export interface AttendeeData extends PersonRef {
  role: AttendeeRole;
  response: AttendeeResponse;
}

/** A changed occurrence of a series. Text fields null = as the series. */
export interface OccurrenceOverride {
  /** The occurrence's original start: a date for all-day series, a UTC instant otherwise. */
  recurrenceId: string;
  start: When;
  end: When;
  subject: string | null;
  location: string | null;
  description: string | null;
}

export interface EventData {
  kind: 'event';
  subject: string;
  location: string;
  description: string;
  /** Both { date } for all-day events (end exclusive), both { utc, tz } otherwise. */
  start: When;
  end: When;
  /** RRULE value without "RRULE:", e.g. "FREQ=WEEKLY;BYDAY=MO"; null for single events. */
  rrule: string | null;
  /** Original starts of cancelled occurrences, sorted (same format as recurrenceId). */
  exdates: string[];
  /** Sorted by recurrenceId. */
  overrides: OccurrenceOverride[];
  isPrivate: boolean;
  /** Category names on the server's side of the category pairing, sorted. */
  categories: string[];
  /** Minutes before start; null = no reminder. */
  reminderMinutes: number | null;
  organizer: PersonRef | null;
  /** Sorted by email. */
  attendees: AttendeeData[];
}

export type TaskPriority = 'low' | 'normal' | 'high';

/**
 * Whose a server task is, as the server says (CalDAV: ORGANIZER; Exchange: Owner of an
 * assigned task). A fact for agendas.tasks.ownerOnly, not content: it is left out of the
 * content hash, never written to either side, and absent on CRM items.
 */
export interface TaskOwner {
  /** Lower-case e-mail address; '' when the server gives only a name. */
  email: string;
  name: string;
}

export interface TaskData {
  kind: 'task';
  subject: string;
  description: string;
  start: When | null;
  /** For a date-only task, the day it is due (inclusive). */
  due: When | null;
  /** UTC instant it was completed; null while open. */
  completedAt: string | null;
  percentComplete: number;
  priority: TaskPriority;
  isPrivate: boolean;
  categories: string[];
  /** Server tasks only: someone named as owner; absent = the mailbox's own task. */
  owner?: TaskOwner;
}

export interface TypedValue {
  value: string;
  /** Lower-case: work, home, mobile, fax, other. */
  type: string;
}

export interface PostalAddressData {
  street: string;
  city: string;
  postalCode: string;
  region: string;
  country: string;
}

export interface ContactData {
  kind: 'contact';
  firstName: string;
  lastName: string;
  /** Degree before the name ("Ing."). */
  prefix: string;
  /** Degree after the name ("Ph.D."). */
  suffix: string;
  /** Name of the (first) company the person works for. */
  organization: string;
  jobTitle: string;
  /** In preference order; addresses lower-case. */
  emails: TypedValue[];
  phones: TypedValue[];
  address: PostalAddressData | null;
  note: string;
  categories: string[];
  /** Base64 image with its media type, or null. */
  photo: { mediaType: string; base64: string } | null;
}

export type ItemData = EventData | TaskData | ContactData;

/** The identity both sides carry, so a lost pairing state re-pairs instead of duplicating. */
export interface ItemIdentity {
  /** iCalendar/vCard UID (also kept on the CRM row). */
  uid: string;
  /** The CRM id stamped on the server item (X-CRM-SYNC-ID), when it has one. */
  crmStamp: string | null;
}
