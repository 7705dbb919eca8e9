/** Binding library items from server-shaped XML, and model values for the tests. */
import { Appointment, Contact, ItemId, Task } from 'ews-javascript-api';
import {
  itemPropertySet,
  exceptionPropertySet,
} from '../../../src/core/servers/ews/mapping/index.ts';
import type { ContactData, EventData, TaskData } from '../../../src/core/model/items.ts';
import { getItemResponse, offlineService } from './offline.ts';
import type { OfflineService } from './offline.ts';
import { plainEvent } from '../../support/event-data.ts';

export async function bindEvent(
  fields: string,
  offline: OfflineService = offlineService(),
): Promise<Appointment> {
  offline.answer(
    getItemResponse(
      `<t:CalendarItem><t:ItemId Id="AAA" ChangeKey="CK1"/>${fields}</t:CalendarItem>`,
    ),
  );
  return Appointment.Bind(offline.service, new ItemId('AAA'), itemPropertySet('events'));
}

export async function bindException(
  id: string,
  fields: string,
  offline: OfflineService = offlineService(),
): Promise<Appointment> {
  offline.answer(
    getItemResponse(
      `<t:CalendarItem><t:ItemId Id="${id}" ChangeKey="CK1"/>${fields}</t:CalendarItem>`,
    ),
  );
  return Appointment.Bind(offline.service, new ItemId(id), exceptionPropertySet());
}

export async function bindTask(
  fields: string,
  offline: OfflineService = offlineService(),
): Promise<Task> {
  offline.answer(getItemResponse(`<t:Task><t:ItemId Id="TTT" ChangeKey="CK1"/>${fields}</t:Task>`));
  return Task.Bind(offline.service, new ItemId('TTT'), itemPropertySet('tasks'));
}

export async function bindContact(
  fields: string,
  offline: OfflineService = offlineService(),
): Promise<Contact> {
  offline.answer(
    getItemResponse(`<t:Contact><t:ItemId Id="CCC" ChangeKey="CK1"/>${fields}</t:Contact>`),
  );
  return Contact.Bind(offline.service, new ItemId('CCC'), itemPropertySet('contacts'));
}

export function stampXml(name: string, value: string): string {
  return `<t:ExtendedProperty><t:ExtendedFieldURI DistinguishedPropertySetId="PublicStrings" PropertyName="${name}" PropertyType="String"/><t:Value>${value}</t:Value></t:ExtendedProperty>`;
}

export function event(overrides: Partial<EventData> = {}): EventData {
  return plainEvent('Porada', { location: 'Zasedačka', description: 'Agenda\nbody', ...overrides });
}

export function task(overrides: Partial<TaskData> = {}): TaskData {
  return {
    kind: 'task',
    subject: 'Zavolat',
    description: '',
    start: null,
    due: null,
    completedAt: null,
    percentComplete: 0,
    priority: 'normal',
    isPrivate: false,
    categories: [],
    ...overrides,
  };
}

export function contact(overrides: Partial<ContactData> = {}): ContactData {
  return {
    kind: 'contact',
    firstName: 'Jan',
    lastName: 'Novák',
    prefix: '',
    suffix: '',
    organization: '',
    jobTitle: '',
    emails: [],
    phones: [],
    address: null,
    note: '',
    categories: [],
    photo: null,
    ...overrides,
  };
}
