/**
 * The extended properties the mapping reads and writes, and what GetItem must load for each
 * agenda. Tasks and contacts have no ICalUid, so their uid lives in an extended property;
 * events use ICalUid. Contacts' degree before/after the name are MAPI properties, as EWS
 * has no writable first-class fields for them.
 */
import {
  AppointmentSchema,
  BasePropertySet,
  BodyType,
  ContactSchema,
  DefaultExtendedPropertySet,
  ExtendedPropertyDefinition,
  ItemSchema,
  MapiPropertyType,
  PropertySet,
  TaskSchema,
} from 'ews-javascript-api';
import type { PropertyDefinitionBase } from 'ews-javascript-api';
import type { AgendaKind } from '../../../model/items.ts';

/** The CRM id stamped on a server item (the same name the CalDAV connector uses). */
export const CRM_STAMP_PROPERTY = 'X-CRM-SYNC-ID';
/** The uid of tasks and contacts. */
export const CRM_UID_PROPERTY = 'X-CRM-SYNC-UID';
/**
 * What Exchange cannot store but the model holds (an event's IANA zone, e-mail kinds, the
 * order of phones, the exact completion time), as JSON. Used on read only while it still
 * agrees with what the item says, so edits in Outlook win.
 */
export const CRM_HINTS_PROPERTY = 'X-CRM-SYNC-HINTS';

export const stampProperty = new ExtendedPropertyDefinition(
  DefaultExtendedPropertySet.PublicStrings,
  CRM_STAMP_PROPERTY,
  MapiPropertyType.String,
);
export const uidProperty = new ExtendedPropertyDefinition(
  DefaultExtendedPropertySet.PublicStrings,
  CRM_UID_PROPERTY,
  MapiPropertyType.String,
);
export const hintsProperty = new ExtendedPropertyDefinition(
  DefaultExtendedPropertySet.PublicStrings,
  CRM_HINTS_PROPERTY,
  MapiPropertyType.String,
);
/** PidTagDisplayNamePrefix: "Ing.", shown by Outlook as the contact's title. */
export const prefixProperty = new ExtendedPropertyDefinition(0x3a45, MapiPropertyType.String);
/** PidTagGeneration: "Ph.D.", Outlook's suffix. */
export const suffixProperty = new ExtendedPropertyDefinition(0x3a05, MapiPropertyType.String);

function firstClassWith(extra: PropertyDefinitionBase[]): PropertySet {
  const set = new PropertySet(BasePropertySet.FirstClassProperties, extra);
  // The model's texts are plain; HTML bodies would not compare equal run to run.
  set.RequestedBodyType = BodyType.Text;
  return set;
}

export function itemPropertySet(kind: AgendaKind): PropertySet {
  switch (kind) {
    case 'events':
      return firstClassWith([
        AppointmentSchema.ICalUid,
        AppointmentSchema.StartTimeZone,
        AppointmentSchema.EndTimeZone,
        AppointmentSchema.IsAllDayEvent,
        AppointmentSchema.Recurrence,
        AppointmentSchema.ModifiedOccurrences,
        AppointmentSchema.DeletedOccurrences,
        AppointmentSchema.Organizer,
        AppointmentSchema.RequiredAttendees,
        AppointmentSchema.OptionalAttendees,
        AppointmentSchema.Resources,
        // The zone's name where a server's definition cannot be parsed (event-times.ts).
        AppointmentSchema.TimeZone,
        // Named, not left to AllProperties: Exchange-compatible servers that are not
        // Microsoft's leave them out of it.
        ItemSchema.IsReminderSet,
        ItemSchema.ReminderMinutesBeforeStart,
        ItemSchema.LastModifiedTime,
        stampProperty,
        hintsProperty,
      ]);
    case 'tasks':
      return firstClassWith([
        // Whose the task is (agendas.tasks.ownerOnly).
        TaskSchema.Owner,
        TaskSchema.DelegationState,
        ItemSchema.LastModifiedTime,
        stampProperty,
        uidProperty,
        hintsProperty,
      ]);
    case 'contacts':
      return firstClassWith([
        // Named, not left to AllProperties (see events).
        ContactSchema.PhysicalAddresses,
        ItemSchema.LastModifiedTime,
        stampProperty,
        uidProperty,
        hintsProperty,
        prefixProperty,
        suffixProperty,
      ]);
  }
}

export function exceptionPropertySet(): PropertySet {
  const set = new PropertySet(BasePropertySet.IdOnly, [
    ItemSchema.Subject,
    ItemSchema.Body,
    AppointmentSchema.Location,
    AppointmentSchema.Start,
    AppointmentSchema.End,
    AppointmentSchema.IsAllDayEvent,
    AppointmentSchema.StartTimeZone,
    AppointmentSchema.EndTimeZone,
    AppointmentSchema.OriginalStart,
  ]);
  set.RequestedBodyType = BodyType.Text;
  return set;
}
