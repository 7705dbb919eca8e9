// Folders and single items through the real client: what it writes is stored as sent and
// read back intact; ChangeKeys move on every change; conflicts reach the client.
import {
  Appointment,
  BasePropertySet,
  BodyType,
  ConflictResolutionMode,
  Contact,
  DateTime,
  DefaultExtendedPropertySet,
  DeleteMode,
  EmailAddress,
  EmailAddressKey,
  ExtendedPropertyDefinition,
  Folder,
  FolderId,
  FolderTraversal,
  FolderView,
  Guid,
  ItemId,
  MapiPropertyType,
  PhoneNumberKey,
  PropertySet,
  SendCancellationsMode,
  SendInvitationsMode,
  SendInvitationsOrCancellationsMode,
  ServiceError,
  Task,
  UserConfigurationProperties,
  WellKnownFolderName,
  type ExchangeService,
} from 'ews-javascript-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeEws } from '../support/ews-fake/index.ts';
import { basicService, changesOf, PB, rejection, startDefault, stopChecked } from './helpers.ts';

const CRM_ID = new ExtendedPropertyDefinition(
  DefaultExtendedPropertySet.PublicStrings,
  'CrmId',
  MapiPropertyType.String,
);
let ews: FakeEws;
let service: ExchangeService;

beforeAll(async () => {
  ews = await startDefault();
  service = basicService(ews);
});
afterAll(() => stopChecked(ews));

describe('folders', () => {
  it('GetFolder answers distinguished folders and folder ids', async () => {
    const cal = await Folder.Bind(service, WellKnownFolderName.Calendar);
    expect(cal.FolderClass).toBe('IPF.Appointment');
    const again = await Folder.Bind(service, cal.Id);
    expect(again.DisplayName).toBe('Calendar');
    expect(ews.mailbox(PB.smtp).folder('calendar').id).toBe(cal.Id.UniqueId);
  });

  it('FindFolder and SyncFolderHierarchy list folders the phone added', async () => {
    const mb = ews.mailbox(PB.smtp);
    const first = await service.SyncFolderHierarchy(
      PropertySet.FirstClassProperties,
      null as unknown as string,
    );
    const names = changesOf(first).map((c) => c.Folder?.DisplayName);
    expect(names).toEqual(expect.arrayContaining(['Calendar', 'Tasks', 'Contacts']));
    const sub = mb.addFolder(mb.folder('calendar'), 'Team', 'IPF.Appointment');
    const next = await service.SyncFolderHierarchy(
      PropertySet.FirstClassProperties,
      first.SyncState,
    );
    expect(changesOf(next).map((c) => c.Folder?.DisplayName)).toEqual(['Team']);
    expect(changesOf(next)[0]?.FolderId.UniqueId).toBe(sub.id);
    const deep = await service.FindFolders(WellKnownFolderName.MsgFolderRoot, new FolderView(100));
    expect(deep.Folders.map((f) => f.DisplayName)).not.toContain('Team');
    const view = new FolderView(100);
    view.Traversal = FolderTraversal.Deep;
    const all = await service.FindFolders(WellKnownFolderName.MsgFolderRoot, view);
    expect(all.Folders.map((f) => f.DisplayName)).toContain('Team');
  });
});

describe('a single appointment', () => {
  it('is created (invitation mode recorded), read back, updated with a new ChangeKey and deleted', async () => {
    const a = new Appointment(service);
    a.Subject = 'Schůzka s klientem';
    a.Location = 'Brno';
    a.Start = new DateTime(Date.UTC(2026, 10, 23, 8, 0));
    a.End = new DateTime(Date.UTC(2026, 10, 23, 9, 30));
    a.SetExtendedProperty(CRM_ID, 'crm-42');
    await a.Save(WellKnownFolderName.Calendar, SendInvitationsMode.SendToNone);
    expect(ews.calls.at(-1)).toMatchObject({
      operation: 'CreateItem',
      attributes: { SendMeetingInvitations: 'SendToNone' },
    });

    const stored = ews
      .mailbox(PB.smtp)
      .folder('calendar')
      .items()
      .find((i) => i.id === a.Id.UniqueId);
    expect(stored?.field('Subject')).toBe('Schůzka s klientem');
    expect(stored?.field('Start')).toBe('2026-11-23T08:00:00Z');
    expect(stored?.extendedProperty('CrmId')).toBe('crm-42');
    expect(stored?.field('UID')).toMatch(/^[0-9A-F-]{36}$/);

    const read = await Appointment.Bind(
      service,
      a.Id,
      new PropertySet(BasePropertySet.FirstClassProperties, [CRM_ID]),
    );
    expect(read.Subject).toBe('Schůzka s klientem');
    expect(read.Location).toBe('Brno');
    expect(read.Start.ToISOString()).toBe('2026-11-23T08:00:00.000Z');
    expect(read.End.ToISOString()).toBe('2026-11-23T09:30:00.000Z');
    expect(read.ICalUid).toBe(stored?.field('UID'));
    expect(read.StartTimeZone?.Id).toBe('Central Europe Standard Time');
    const prop = read.ExtendedProperties.GetEnumerator().find(
      (p) => p.PropertyDefinition.Name === 'CrmId',
    );
    expect(prop?.Value).toBe('crm-42');

    const keyBefore = read.Id.ChangeKey;
    read.Subject = 'Přesunuto';
    await read.Update(
      ConflictResolutionMode.AutoResolve,
      SendInvitationsOrCancellationsMode.SendToNone,
    );
    expect(read.Id.ChangeKey).not.toBe(keyBefore);
    expect(ews.calls.at(-1)?.attributes).toMatchObject({
      SendMeetingInvitationsOrCancellations: 'SendToNone',
    });
    expect(stored?.changeKey).toBe(read.Id.ChangeKey);
    expect(stored?.field('Subject')).toBe('Přesunuto');

    await read.Delete(DeleteMode.MoveToDeletedItems, SendCancellationsMode.SendToNone);
    expect(
      ews
        .mailbox(PB.smtp)
        .folder('calendar')
        .items()
        .map((i) => i.id),
    ).not.toContain(a.Id.UniqueId);
    // In Deleted Items under a new ItemId, as Exchange moves items; the old id is gone.
    const binnedItems = ews.mailbox(PB.smtp).folder('deleteditems').items();
    expect(binnedItems.map((i) => i.field('Subject'))).toEqual(['Přesunuto']);
    const newId = binnedItems[0]!.id;
    expect(newId).not.toBe(a.Id.UniqueId);
    const gone = await rejection(Appointment.Bind(service, a.Id));
    expect(gone.ErrorCode).toBe(ServiceError.ErrorItemNotFound);
    // Bindable in Deleted Items by the new id; a hard delete there removes it for good.
    const binned = await Appointment.Bind(service, new ItemId(newId));
    expect(binned.Subject).toBe('Přesunuto');
    await binned.Delete(DeleteMode.HardDelete, SendCancellationsMode.SendToNone);
    const missing = await rejection(Appointment.Bind(service, new ItemId(newId)));
    expect(missing.ErrorCode).toBe(ServiceError.ErrorItemNotFound);
  });

  it('a stale ChangeKey after the phone edited the item gives ErrorIrresolvableConflict', async () => {
    const cal = ews.mailbox(PB.smtp).folder('calendar');
    const item = cal.create(`<t:CalendarItem><t:Subject>Porada</t:Subject>
      <t:Start>2026-11-24T09:00:00Z</t:Start><t:End>2026-11-24T10:00:00Z</t:End></t:CalendarItem>`);
    const read = await Appointment.Bind(service, new ItemId(item.id));
    ews.faults.beforeNextWrite(() =>
      cal.update(item.id, '<t:Subject>Porada (telefon)</t:Subject>'),
    );
    read.Subject = 'Porada (CRM)';
    const err = await rejection(
      read.Update(
        ConflictResolutionMode.NeverOverwrite,
        SendInvitationsOrCancellationsMode.SendToNone,
      ),
    );
    expect(err.ErrorCode).toBe(ServiceError.ErrorIrresolvableConflict);
    expect(ews.calls.at(-1)?.responseCode).toBe('ErrorIrresolvableConflict');
    expect(
      cal
        .items()
        .find((i) => i.id === item.id)
        ?.field('Subject'),
    ).toBe('Porada (telefon)');
    // AutoResolve with the same stale key also conflicts: the phone changed the same field.
    const err2 = await rejection(
      read.Update(
        ConflictResolutionMode.AutoResolve,
        SendInvitationsOrCancellationsMode.SendToNone,
      ),
    );
    expect(err2.ErrorCode).toBe(ServiceError.ErrorIrresolvableConflict);
  });

  it('AutoResolve with a stale ChangeKey keeps both edits when the phone changed another field', async () => {
    const cal = ews.mailbox(PB.smtp).folder('calendar');
    const item = cal.create(`<t:CalendarItem><t:Subject>Školení</t:Subject>
      <t:Start>2026-11-25T09:00:00Z</t:Start><t:End>2026-11-25T10:00:00Z</t:End></t:CalendarItem>`);
    const read = await Appointment.Bind(service, new ItemId(item.id));
    cal.update(item.id, '<t:Location>Praha</t:Location>');
    read.Subject = 'Školení BOZP';
    await read.Update(
      ConflictResolutionMode.AutoResolve,
      SendInvitationsOrCancellationsMode.SendToNone,
    );
    const stored = cal.items().find((i) => i.id === item.id)!;
    expect([stored.field('Subject'), stored.field('Location')]).toEqual(['Školení BOZP', 'Praha']);
  });

  it('CreateItem of a calendar item without SendMeetingInvitations is refused', async () => {
    const res = await fetch(ews.ewsUrl, {
      method: 'POST',
      headers: {
        'Content-Type': 'text/xml',
        Authorization: `Basic ${Buffer.from(`${PB.user}:${PB.password}`).toString('base64')}`,
      },
      body:
        '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types">' +
        '<s:Body><m:CreateItem><m:Items><t:CalendarItem><t:Subject>x</t:Subject></t:CalendarItem></m:Items></m:CreateItem></s:Body></s:Envelope>',
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(
      '<m:ResponseCode>ErrorSendMeetingInvitationsRequired</m:ResponseCode>',
    );
  });
});

describe('what Exchange adds', () => {
  it("a phone's HTML body is answered as text when asked for Text; the owner is the organizer", async () => {
    const cal = ews.mailbox(PB.smtp).folder('calendar');
    const item = cal.create(`<t:CalendarItem><t:Subject>Oběd</t:Subject>
      <t:Body BodyType="HTML">&lt;html&gt;&lt;body&gt;&lt;p&gt;Stůl &amp;amp; židle&lt;/p&gt;&lt;/body&gt;&lt;/html&gt;</t:Body>
      <t:Start>2026-11-27T11:00:00Z</t:Start><t:End>2026-11-27T12:00:00Z</t:End></t:CalendarItem>`);
    const props = new PropertySet(BasePropertySet.FirstClassProperties);
    props.RequestedBodyType = BodyType.Text;
    const read = await Appointment.Bind(service, new ItemId(item.id), props);
    expect(read.Body.BodyType).toBe(BodyType.Text);
    expect(read.Body.Text).toBe('Stůl & židle');
    expect(read.Organizer.Address).toBe(PB.smtp);
    expect(read.IsAllDayEvent).toBe(false);
  });
});

describe('field edits', () => {
  const SET_ID = new ExtendedPropertyDefinition(
    new Guid('4c7f2e1a-8b5d-4e3f-9a61-2d0c9b7e5f10'),
    'Origin',
    MapiPropertyType.String,
  );
  const TAG = new ExtendedPropertyDefinition(0x3a45, MapiPropertyType.String);

  it('PropertySetId and PropertyTag extended properties round-trip; cleared fields are deleted', async () => {
    const a = new Appointment(service);
    a.Subject = 'Instalace';
    a.Location = 'Ostrava';
    a.Start = new DateTime(Date.UTC(2026, 10, 26, 12));
    a.End = new DateTime(Date.UTC(2026, 10, 26, 13));
    a.SetExtendedProperty(SET_ID, 'crm');
    a.SetExtendedProperty(TAG, 'tagged');
    await a.Save(WellKnownFolderName.Calendar, SendInvitationsMode.SendToNone);
    const stored = ews
      .mailbox(PB.smtp)
      .folder('calendar')
      .items()
      .find((i) => i.id === a.Id.UniqueId)!;
    expect(stored.extendedProperty('Origin')).toBe('crm');
    const plain = await Appointment.Bind(service, a.Id);
    expect(plain.ExtendedProperties.Count).toBe(0);
    const read = await Appointment.Bind(
      service,
      a.Id,
      new PropertySet(BasePropertySet.FirstClassProperties, [SET_ID, TAG]),
    );
    const values = read.ExtendedProperties.GetEnumerator().map((p) => p.Value);
    expect(values.sort()).toEqual(['crm', 'tagged']);
    const keyBefore = stored.changeKey;

    read.Location = null as unknown as string;
    read.RemoveExtendedProperty(SET_ID);
    await read.Update(
      ConflictResolutionMode.AutoResolve,
      SendInvitationsOrCancellationsMode.SendToNone,
    );
    expect(stored.field('Location')).toBeUndefined();
    expect(stored.extendedProperty('Origin')).toBeUndefined();
    expect(stored.changeKey).not.toBe(keyBefore);
    const again = await Appointment.Bind(service, a.Id);
    expect(again.Location).toBeFalsy();
  });
});

describe('a task and a contact', () => {
  it('a task is created, read, updated and deleted', async () => {
    const t = new Task(service);
    t.Subject = 'Zavolat panu Novákovi';
    t.DueDate = new DateTime(Date.UTC(2026, 10, 25, 0, 0));
    await t.Save(WellKnownFolderName.Tasks);
    const read = await Task.Bind(service, t.Id);
    expect(read.Subject).toBe('Zavolat panu Novákovi');
    expect(read.DueDate?.ToISOString()).toBe('2026-11-25T00:00:00.000Z');
    read.PercentComplete = 100;
    await read.Update(ConflictResolutionMode.AlwaysOverwrite);
    const stored = ews
      .mailbox(PB.smtp)
      .folder('tasks')
      .items()
      .find((i) => i.id === t.Id.UniqueId);
    expect(stored?.field('PercentComplete')).toBe('100');
    await read.Delete(DeleteMode.HardDelete);
    expect(ews.mailbox(PB.smtp).folder('tasks').items()).toHaveLength(0);
  });

  it('a contact keeps indexed fields (e-mail, phone) through create and update', async () => {
    const c = new Contact(service);
    c.GivenName = 'Jana';
    c.Surname = 'Dvořáková';
    c.EmailAddresses._setItem(EmailAddressKey.EmailAddress1, new EmailAddress('jana@klient.test'));
    c.PhoneNumbers._setItem(PhoneNumberKey.MobilePhone, '+420 601 111 222');
    await c.Save(new FolderId(WellKnownFolderName.Contacts));
    const read = await Contact.Bind(service, c.Id);
    expect(read.Surname).toBe('Dvořáková');
    expect(read.EmailAddresses._getItem(EmailAddressKey.EmailAddress1).Address).toBe(
      'jana@klient.test',
    );
    read.PhoneNumbers._setItem(PhoneNumberKey.BusinessPhone, '+420 500 000 000');
    read.EmailAddresses._setItem(
      EmailAddressKey.EmailAddress2,
      new EmailAddress('jana@soukrome.test'),
    );
    await read.Update(ConflictResolutionMode.AutoResolve);
    const again = await Contact.Bind(service, c.Id);
    expect(again.PhoneNumbers._getItem(PhoneNumberKey.MobilePhone)).toBe('+420 601 111 222');
    expect(again.PhoneNumbers._getItem(PhoneNumberKey.BusinessPhone)).toBe('+420 500 000 000');
    expect(again.EmailAddresses._getItem(EmailAddressKey.EmailAddress2).Address).toBe(
      'jana@soukrome.test',
    );
  });
});

describe('categories', () => {
  it('GetUserConfiguration CategoryList returns the master category list as Outlook XML', async () => {
    ews.mailbox(PB.smtp).categories.push('HOTLINE', 'Instalace');
    const config = await service.GetUserConfiguration(
      'CategoryList',
      new FolderId(WellKnownFolderName.Calendar),
      UserConfigurationProperties.XmlData,
    );
    const xml = Buffer.from(String(config.XmlData), 'base64').toString('utf8');
    expect(xml).toContain('<category name="HOTLINE"');
    expect(xml).toContain('<category name="Instalace"');
  });
});
