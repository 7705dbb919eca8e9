/**
 * The shapes the CRM store hands out and takes in. Column names are snake_case in SQL and
 * camelCase here; the repositories translate. Times follow one rule everywhere: an instant is
 * a UTC ISO-8601 string ("2025-03-30T07:00:00.000Z"), a calendar date is "YYYY-MM-DD".
 */

/** The row kinds the sync engine pairs with server items; change capture covers these. */
export type Entity = 'event' | 'task' | 'person' | 'company';
export const ENTITIES: readonly Entity[] = ['event', 'task', 'person', 'company'];

export type ChangeOp = 'insert' | 'update' | 'delete';

export type CategoryKind = 'event' | 'task' | 'contact' | 'document' | 'any';
export const CATEGORY_KINDS: readonly CategoryKind[] = [
  'event',
  'task',
  'contact',
  'document',
  'any',
];

export type AttendeeRole = 'required' | 'optional' | 'resource' | 'chair';
export type AttendeeResponse = 'needs-action' | 'accepted' | 'declined' | 'tentative';
export type TaskPriority = 'low' | 'normal' | 'high';
export type EmailKind = 'work' | 'home' | 'other';
export type PhoneKind = 'work' | 'mobile' | 'home' | 'fax' | 'other';

export interface CrmUser {
  id: number;
  login: string;
  displayName: string;
  email: string | null;
  active: boolean;
  createdAt: string;
}

export interface NewUser {
  login: string;
  displayName: string;
  email?: string | null;
  password: string;
}

export interface ClassificationNode {
  id: number;
  parentId: number | null;
  name: string;
  position: number;
}

export interface Category {
  id: number;
  name: string;
  kind: CategoryKind;
  icon: string | null;
  color: string | null;
  position: number;
}

export interface NewCategory {
  name: string;
  kind: CategoryKind;
  icon?: string | null;
  color?: string | null;
  position?: number;
}

export interface ActivityGroup {
  id: number;
  name: string;
  note: string | null;
}

export interface PostalAddress {
  street: string | null;
  city: string | null;
  postalCode: string | null;
  region: string | null;
  country: string | null;
}

export interface CompanyFields extends PostalAddress {
  uid: string | null;
  name: string;
  ico: string | null;
  vatNo: string | null;
  phone: string | null;
  email: string | null;
  web: string | null;
  note: string | null;
  ownerId: number | null;
}

export interface Company extends CompanyFields {
  id: number;
  createdAt: string;
  updatedAt: string;
}

/** What insertCompany needs: the name; everything else defaults to null. */
export type NewCompany = Partial<CompanyFields> & { name: string };

export interface PersonEmail {
  email: string;
  kind: EmailKind;
  label: string | null;
}

export interface PersonPhone {
  number: string;
  kind: PhoneKind;
  label: string | null;
}

export interface PersonCompanyLink {
  companyId: number;
  role: string | null;
}

export interface PersonFields extends PostalAddress {
  uid: string | null;
  firstName: string;
  lastName: string;
  /** Academic degree before the name ("Ing.", "Mgr."). */
  title: string | null;
  /** Degree after the name ("Ph.D.", "CSc."). */
  titleAfter: string | null;
  jobTitle: string | null;
  note: string | null;
  ownerId: number | null;
  nodeId: number | null;
  photo: Buffer | null;
  photoType: string | null;
  /** In display order. */
  emails: PersonEmail[];
  /** In display order. */
  phones: PersonPhone[];
  companies: PersonCompanyLink[];
  categoryIds: number[];
}

export interface Person extends PersonFields {
  id: number;
  createdAt: string;
  updatedAt: string;
}

/** Lists may be given as plain strings / ids; kinds default to "work". */
export interface NewPerson extends Partial<Omit<PersonFields, 'emails' | 'phones' | 'companies'>> {
  emails?: (string | (Partial<PersonEmail> & { email: string }))[];
  phones?: (string | (Partial<PersonPhone> & { number: string }))[];
  companies?: (number | (Partial<PersonCompanyLink> & { companyId: number }))[];
}

export interface Attendee {
  email: string;
  name: string | null;
  role: AttendeeRole;
  response: AttendeeResponse;
}

/**
 * One changed occurrence of a recurring event. `recurrenceId` is the occurrence's original
 * start, in the series' format (instant for timed series, date for all-day ones). The start
 * and end are always stored; null text fields mean "as the series". Cancelled occurrences
 * are not overrides: they are exdates.
 */
export interface EventOverride {
  recurrenceId: string;
  allDay: boolean;
  start: string;
  end: string;
  subject: string | null;
  location: string | null;
  description: string | null;
  status: string | null;
}

export interface EventFields {
  uid: string | null;
  subject: string;
  location: string | null;
  description: string | null;
  allDay: boolean;
  /** Timed: UTC instant. All-day: date. */
  start: string;
  /** Timed: UTC instant. All-day: date, exclusive (a one-day event on 3 March ends on 4 March). */
  end: string;
  /** IANA zone the event was created in ("Europe/Prague"); null = unknown (treat as UTC). */
  timeZone: string | null;
  /** RFC 5545 RRULE value without the "RRULE:" prefix, e.g. "FREQ=WEEKLY;BYDAY=MO". */
  rrule: string | null;
  isPrivate: boolean;
  status: string | null;
  categoryId: number | null;
  ownerId: number | null;
  groupId: number | null;
  reminderMinutes: number | null;
  organizerEmail: string | null;
  organizerName: string | null;
  attendees: Attendee[];
  /** Original starts of cancelled occurrences, in the series' format. */
  exdates: string[];
  overrides: EventOverride[];
  personIds: number[];
  companyIds: number[];
}

export interface CrmEvent extends EventFields {
  id: number;
  createdAt: string;
  updatedAt: string;
}

export type NewEvent = Partial<Omit<EventFields, 'attendees' | 'overrides' | 'start' | 'end'>> & {
  subject: string;
  allDay: boolean;
  start: string | Date;
  end: string | Date;
  attendees?: (Partial<Attendee> & { email: string })[];
  overrides?: (Partial<Omit<EventOverride, 'start' | 'end'>> & {
    recurrenceId: string;
    start: string | Date;
    end: string | Date;
  })[];
};

export interface TaskFields {
  uid: string | null;
  subject: string;
  description: string | null;
  /** When true, start and due are dates; otherwise UTC instants. */
  allDay: boolean;
  start: string | null;
  /** Timed: UTC instant. Date-only: the day it is due (inclusive). */
  due: string | null;
  timeZone: string | null;
  /** UTC instant; null while not done. */
  completedAt: string | null;
  percentComplete: number;
  priority: TaskPriority;
  ownerId: number | null;
  groupId: number | null;
  categoryId: number | null;
  showInCalendar: boolean;
  isPrivate: boolean;
}

export interface Task extends TaskFields {
  id: number;
  createdAt: string;
  updatedAt: string;
}

export type NewTask = Partial<Omit<TaskFields, 'start' | 'due' | 'completedAt'>> & {
  subject: string;
  start?: string | Date | null;
  due?: string | Date | null;
  completedAt?: string | Date | null;
};

export interface MailAddress {
  email: string;
  name: string | null;
}

export interface EmailFields {
  messageId: string;
  folder: string;
  fromEmail: string | null;
  fromName: string | null;
  to: MailAddress[];
  cc: MailAddress[];
  subject: string;
  receivedAt: string;
  bodyText: string | null;
  ownerId: number | null;
  personIds: number[];
  companyIds: number[];
}

export interface CrmEmail extends EmailFields {
  id: number;
  createdAt: string;
}

export type NewEmail = Partial<Omit<EmailFields, 'receivedAt'>> & {
  messageId: string;
  folder: string;
  receivedAt: string | Date;
};

export interface DocumentFields {
  emailId: number | null;
  /** Where the file was saved. */
  path: string;
  fileName: string;
  size: number;
  /** Lower-case hex SHA-256 of the content. */
  sha256: string | null;
  mimeType: string | null;
  categoryId: number | null;
}

export interface CrmDocument extends DocumentFields {
  id: number;
  createdAt: string;
}

export type NewDocument = Partial<DocumentFields> & {
  path: string;
  fileName: string;
  size: number;
};

/** What a delete leaves behind in the change log, so the engine can act on the server copy. */
export interface Tombstone {
  uid: string | null;
  /** Subject (events, tasks) or name (persons, companies). */
  label: string;
  ownerId: number | null;
  /** Events and tasks: the start (or due) as stored, if any. */
  start?: string | null;
}

/** One changed item since a watermark, with all its log rows folded into one. */
export interface CrmChange {
  entity: Entity;
  entityId: number;
  /**
   * "insert" when the item is new since the watermark (even if updated since), "delete" when
   * it is gone, else "update".
   */
  op: ChangeOp;
  /** Seq of the item's last change: the watermark to store once it is handled. */
  seq: number;
  /** When the last change happened (SQLite's clock, UTC ISO). */
  changedAt: string;
  /** True when every folded change was written under withSyncOrigin (an echo of sync). */
  allFromSync: boolean;
  /** The distinct sync origins among the folded changes (empty when all came from the CRM). */
  origins: string[];
  /** Present for deletes. */
  tombstone: Tombstone | null;
  /** Inserted and deleted again after the watermark: the server never saw it, nothing to do. */
  createdAndDeleted: boolean;
}
