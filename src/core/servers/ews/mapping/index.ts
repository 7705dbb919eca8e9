/**
 * Exchange (EWS) items <-> the neutral model, for the EWS connector, on ews-javascript-api
 * 0.15.3. Decisions (details next to the code):
 * - Times: Start/End are instants; StartTimeZone/EndTimeZone Windows ids map to IANA names
 *   through windows-iana (the user's own zone when it is one of the Windows zone's, else its
 *   main one); "UTC" is tz null. Unknown ids: ItemError naming them. All-day events are the
 *   local midnights of their days in the start zone (new ones: the user's zone).
 * - Recurrence: every Exchange pattern and range <-> RRULE (recurrence-spec.ts,
 *   recurrence-ews.ts); RRULEs Exchange cannot hold are refused with an ItemError saying
 *   why. Cancelled occurrences are exdates, exceptions overrides (texts null when as the
 *   series; an exception that changes nothing is left out).
 * - Tasks: Exchange keeps days only (start, due, completion) and they read as { date }.
 * - Contacts: prefix/suffix in MAPI properties 0x3A45/0x3A05; three e-mail slots; phones by
 *   kind; Business address (else Home); the photo is not mapped (null on read, untouched).
 * - Identity: ICalUid (events) or the X-CRM-SYNC-UID property (tasks, contacts); the CRM
 *   stamp in X-CRM-SYNC-ID.
 * - What Exchange cannot hold but the CRM wrote (the exact IANA zone, the RRULE's spelling,
 *   the organizer and attendees' responses, e-mail kinds and phone order, the completion
 *   instant) is kept in X-CRM-SYNC-HINTS and read back while the item still agrees with it,
 *   so what was written reads back equal (same content hash) and edits in Outlook still win.
 * Importing this module also makes the library work on Node 24 (compat.ts).
 */
import './compat.ts';
import { Appointment, Contact, ItemSchema, Task } from 'ews-javascript-api';
import type { ExchangeService, Item } from 'ews-javascript-api';
import { ItemError } from '../../errors.ts';
import type { AgendaKind, ItemData, ItemIdentity } from '../../../model/items.ts';
import { labelOf, newAppointment, readEvent, updateEvent } from './event.ts';
import { newContact, readContact, updateContact } from './contact.ts';
import { newTask, readTask, updateTask } from './task.ts';
import type { ReadResult } from './read-result.ts';
import { loaded } from './values.ts';

export {
  CRM_HINTS_PROPERTY,
  CRM_STAMP_PROPERTY,
  CRM_UID_PROPERTY,
  exceptionPropertySet,
  itemPropertySet,
} from './properties.ts';
export {
  applyOverrideToOccurrence,
  instanceIndex,
  occurrenceWrites,
  resetOverride,
} from './occurrences.ts';
export type { ReadResult } from './read-result.ts';

export function readServerItem(
  kind: AgendaKind,
  item: Item,
  exceptions: ReadonlyMap<string, Appointment>,
): ReadResult {
  switch (kind) {
    case 'events':
      if (!(item instanceof Appointment))
        throw new ItemError(
          `Cannot read "${labelOf(subjectOf(item))}": it is not a calendar item.`,
        );
      return readEvent(item, exceptions);
    case 'tasks':
      if (!(item instanceof Task))
        throw new ItemError(`Cannot read "${labelOf(subjectOf(item))}": it is not a task.`);
      return readTask(item);
    case 'contacts':
      if (!(item instanceof Contact))
        throw new ItemError(`Cannot read "${labelOf(subjectOf(item))}": it is not a contact.`);
      return readContact(item);
  }
}

export function newServerItem(
  service: ExchangeService,
  data: ItemData,
  identity: ItemIdentity,
): Appointment | Task | Contact {
  switch (data.kind) {
    case 'event':
      return newAppointment(service, data, identity);
    case 'task':
      return newTask(service, data, identity);
    case 'contact':
      return newContact(service, data, identity);
  }
}

export function applyToServerItem(
  item: Item,
  data: ItemData,
  identity: ItemIdentity,
  current: ItemData,
): void {
  if (data.kind !== current.kind) {
    throw new ItemError(
      `Cannot write "${labelOf(subjectOf(item))}": a ${data.kind} cannot replace a ${current.kind}.`,
    );
  }
  if (data.kind === 'event' && current.kind === 'event' && item instanceof Appointment) {
    updateEvent(item, data, identity, current);
  } else if (data.kind === 'task' && current.kind === 'task' && item instanceof Task) {
    updateTask(item, data, identity, current);
  } else if (data.kind === 'contact' && current.kind === 'contact' && item instanceof Contact) {
    updateContact(item, data, identity, current);
  } else {
    throw new ItemError(
      `Cannot write "${labelOf(subjectOf(item))}": the server item is not a ${data.kind}.`,
    );
  }
}

function subjectOf(item: Item): string | null {
  return loaded<string>(item, ItemSchema.Subject);
}
