import { describe, expect, it } from 'vitest';
import { ConflictResolutionMode, FolderId, WellKnownFolderName } from 'ews-javascript-api';
import type { Contact } from 'ews-javascript-api';
import {
  applyToServerItem,
  newServerItem,
  readServerItem,
} from '../../src/core/servers/ews/mapping/index.ts';
import type { ContactData } from '../../src/core/model/items.ts';
import { createItemResponse, offlineService, updateItemResponse } from './support/offline.ts';
import { bindContact, contact, stampXml } from './support/items.ts';

const identity = { uid: 'card-uid', crmStamp: '9' };

function readContact(item: Contact): ContactData {
  const data = readServerItem('contacts', item, new Map()).data;
  if (data.kind !== 'contact') throw new Error('not a contact');
  return data;
}

const outlookContact =
  '<t:Subject>Novák, Jan</t:Subject><t:Body BodyType="Text">Met at the fair</t:Body><t:Categories><t:String>VIP</t:String></t:Categories>' +
  '<t:ExtendedProperty><t:ExtendedFieldURI PropertyTag="0x3a45" PropertyType="String"/><t:Value>Ing.</t:Value></t:ExtendedProperty>' +
  '<t:ExtendedProperty><t:ExtendedFieldURI PropertyTag="0x3a05" PropertyType="String"/><t:Value>Ph.D.</t:Value></t:ExtendedProperty>' +
  stampXml('X-CRM-SYNC-ID', '9') +
  stampXml('X-CRM-SYNC-UID', 'card-uid') +
  '<t:FileAs>Novák, Jan</t:FileAs><t:DisplayName>Ing. Jan Novák, Ph.D.</t:DisplayName><t:GivenName>Jan</t:GivenName><t:CompanyName>ACME s.r.o.</t:CompanyName>' +
  '<t:EmailAddresses><t:Entry Key="EmailAddress1">Jan.Novak@Acme.cz</t:Entry><t:Entry Key="EmailAddress2">jan@home.cz</t:Entry></t:EmailAddresses>' +
  '<t:PhysicalAddresses><t:Entry Key="Home"><t:Street>Domácí 1</t:Street><t:City>Brno</t:City></t:Entry><t:Entry Key="Business"><t:Street>Na Poříčí 12</t:Street><t:City>Praha</t:City><t:State>Praha</t:State><t:CountryOrRegion>Česko</t:CountryOrRegion><t:PostalCode>110 00</t:PostalCode></t:Entry></t:PhysicalAddresses>' +
  '<t:PhoneNumbers><t:Entry Key="HomePhone">+420 500 000 000</t:Entry><t:Entry Key="MobilePhone">+420 600 000 000</t:Entry><t:Entry Key="BusinessPhone">+420 200 000 000</t:Entry><t:Entry Key="BusinessFax">+420 200 000 001</t:Entry><t:Entry Key="OtherTelephone">+420 700 000 000</t:Entry></t:PhoneNumbers>' +
  '<t:JobTitle>Jednatel</t:JobTitle><t:Surname>Novák</t:Surname>';

describe('contacts', () => {
  it('reads names, degrees, company, e-mails, phones, the business address and the note', async () => {
    const read = readServerItem('contacts', await bindContact(outlookContact), new Map());
    expect(read.identity).toEqual(identity);
    expect(read.data).toEqual({
      kind: 'contact',
      firstName: 'Jan',
      lastName: 'Novák',
      prefix: 'Ing.',
      suffix: 'Ph.D.',
      organization: 'ACME s.r.o.',
      jobTitle: 'Jednatel',
      emails: [
        { value: 'jan.novak@acme.cz', type: 'other' },
        { value: 'jan@home.cz', type: 'other' },
      ],
      phones: [
        { value: '+420 200 000 000', type: 'work' },
        { value: '+420 600 000 000', type: 'mobile' },
        { value: '+420 500 000 000', type: 'home' },
        { value: '+420 200 000 001', type: 'fax' },
        { value: '+420 700 000 000', type: 'other' },
      ],
      address: {
        street: 'Na Poříčí 12',
        city: 'Praha',
        postalCode: '110 00',
        region: 'Praha',
        country: 'Česko',
      },
      note: 'Met at the fair',
      categories: ['VIP'],
      photo: null,
    });
  });

  it('takes the home address when there is no business one', async () => {
    const data = readContact(
      await bindContact(
        '<t:GivenName>Eva</t:GivenName><t:PhysicalAddresses><t:Entry Key="Home"><t:Street>Domácí 1</t:Street><t:City>Brno</t:City></t:Entry></t:PhysicalAddresses>',
      ),
    );
    expect(data.address).toEqual({
      street: 'Domácí 1',
      city: 'Brno',
      postalCode: '',
      region: '',
      country: '',
    });
  });

  it('comes back as written, e-mail kinds and phone order included', () => {
    const { service } = offlineService();
    const data = contact({
      prefix: 'Mgr.',
      suffix: 'MBA',
      organization: 'ACME',
      jobTitle: 'Nákupčí',
      emails: [
        { value: 'eva@acme.cz', type: 'work' },
        { value: 'eva@home.cz', type: 'home' },
      ],
      phones: [
        { value: '+420 600 111 222', type: 'mobile' },
        { value: '+420 200 111 222', type: 'work' },
        { value: '+420 200 111 223', type: 'work' },
        { value: '+420 200 111 224', type: 'fax' },
      ],
      address: {
        street: 'Ulice 1',
        city: 'Plzeň',
        postalCode: '301 00',
        region: '',
        country: 'CZ',
      },
      note: 'Note\nsecond line',
      categories: ['A', 'B'],
    });
    const item = newServerItem(service, data, identity) as Contact;
    expect(readServerItem('contacts', item, new Map())).toMatchObject({ identity, data });
  });

  it('files a new contact sensibly and stores degrees in the MAPI properties', async () => {
    const offline = offlineService();
    const item = newServerItem(
      offline.service,
      contact({
        prefix: 'Ing.',
        suffix: 'Ph.D.',
        emails: [{ value: 'jan@acme.cz', type: 'work' }],
      }),
      identity,
    );
    offline.answer(createItemResponse('Contact'));
    await item.Save(new FolderId(WellKnownFolderName.Contacts));
    const soap = offline.requests[0] ?? '';
    expect(soap).toContain('<t:FileAs>Novák, Jan</t:FileAs>');
    expect(soap).toContain('<t:DisplayName>Ing. Jan Novák, Ph.D.</t:DisplayName>');
    expect(soap).toMatch(
      /PropertyTag="14917" PropertyType="String"><\/t:ExtendedFieldURI><t:Value>Ing\.<\/t:Value>/,
    );
    expect(soap).toMatch(
      /PropertyTag="14853" PropertyType="String"><\/t:ExtendedFieldURI><t:Value>Ph\.D\.<\/t:Value>/,
    );
    expect(soap).toContain('<t:Entry Key="EmailAddress1">jan@acme.cz</t:Entry>');
    expect(soap).not.toContain('Photo');
  });

  it('changes nothing when nothing changed, and only the changed phone otherwise', async () => {
    const offline = offlineService();
    const item = await bindContact(outlookContact, offline);
    const current = readContact(item);
    applyToServerItem(item, structuredClone(current), identity, current);
    expect(item.IsDirty).toBe(false);
    const phones = current.phones.map((p) =>
      p.type === 'mobile' ? { ...p, value: '+420 777 000 000' } : p,
    );
    applyToServerItem(item, { ...current, phones }, identity, current);
    offline.answer(updateItemResponse());
    await item.Update(ConflictResolutionMode.NeverOverwrite);
    const soap = offline.requests[1] ?? '';
    expect(soap).toContain('FieldIndex="MobilePhone"');
    expect(soap).toContain('+420 777 000 000');
    expect(soap).not.toContain('FieldIndex="BusinessPhone"');
    expect(soap).not.toContain('contacts:GivenName');
  });

  it('writes a changed address back where it was read from', async () => {
    const offline = offlineService();
    const item = await bindContact(
      '<t:GivenName>Eva</t:GivenName><t:PhysicalAddresses><t:Entry Key="Home"><t:Street>Domácí 1</t:Street><t:City>Brno</t:City></t:Entry></t:PhysicalAddresses>',
      offline,
    );
    const current = readContact(item);
    applyToServerItem(
      item,
      {
        ...current,
        address: { street: 'Nová 2', city: 'Brno', postalCode: '', region: '', country: '' },
      },
      identity,
      current,
    );
    offline.answer(updateItemResponse());
    await item.Update(ConflictResolutionMode.NeverOverwrite);
    const soap = offline.requests[1] ?? '';
    expect(soap).toMatch(
      /<t:SetItemField><t:IndexedFieldURI FieldURI="contacts:PhysicalAddress:Street" FieldIndex="Home">.*<t:Street>Nová 2<\/t:Street>/,
    );
    expect(soap).not.toContain('contacts:PhysicalAddress:City');
    expect(soap).not.toContain('FieldIndex="Business"');
  });

  it('clears an address field the CRM emptied', async () => {
    const offline = offlineService();
    const item = await bindContact(outlookContact, offline);
    const current = readContact(item);
    const address = {
      street: 'Na Poříčí 12',
      city: 'Praha',
      postalCode: '110 00',
      region: '',
      country: 'Česko',
    };
    applyToServerItem(item, { ...current, address }, identity, current);
    offline.answer(updateItemResponse());
    await item.Update(ConflictResolutionMode.NeverOverwrite);
    const soap = offline.requests[1] ?? '';
    expect(soap).toMatch(
      /<t:DeleteItemField><t:IndexedFieldURI FieldURI="contacts:PhysicalAddress:State" FieldIndex="Business"/,
    );
    expect(soap).not.toContain('contacts:PhysicalAddress:Street');
  });
});

describe('contact slots Outlook filled its own way', () => {
  it("adds an e-mail without losing one in a later slot or Exchange's internal address", async () => {
    const offline = offlineService();
    const item = await bindContact(
      '<t:GivenName>Eva</t:GivenName><t:EmailAddresses><t:Entry Key="EmailAddress1">/o=ExchangeLabs/ou=Exchange Administrative Group/cn=Recipients/cn=eva</t:Entry><t:Entry Key="EmailAddress3">eva@acme.cz</t:Entry></t:EmailAddresses>',
      offline,
    );
    const { identity: held } = readServerItem('contacts', item, new Map());
    const current = readContact(item);
    expect(current.emails).toEqual([{ value: 'eva@acme.cz', type: 'other' }]);
    const emails = [...current.emails, { value: 'eva@home.cz', type: 'home' }];
    applyToServerItem(item, { ...current, emails }, held, current);
    offline.answer(updateItemResponse());
    await item.Update(ConflictResolutionMode.NeverOverwrite);
    const soap = offline.requests[1] ?? '';
    // eva@acme.cz moves up to the first free slot, the new one follows; the EX one stays.
    expect(soap).not.toContain('FieldIndex="EmailAddress1"');
    expect(soap).toMatch(/FieldIndex="EmailAddress2".*eva@acme\.cz/);
    expect(soap).toMatch(/FieldIndex="EmailAddress3".*eva@home\.cz/);
  });

  it('edits one phone in place, leaving the others in the slots Outlook chose', async () => {
    const offline = offlineService();
    const item = await bindContact(
      '<t:GivenName>Eva</t:GivenName><t:PhoneNumbers><t:Entry Key="CompanyMainPhone">+420 100</t:Entry><t:Entry Key="CarPhone">+420 200</t:Entry></t:PhoneNumbers>',
      offline,
    );
    const { identity: held } = readServerItem('contacts', item, new Map());
    const current = readContact(item);
    expect(current.phones).toEqual([
      { value: '+420 100', type: 'work' },
      { value: '+420 200', type: 'mobile' },
    ]);
    const phones = current.phones.map((p) =>
      p.type === 'mobile' ? { ...p, value: '+420 300' } : p,
    );
    applyToServerItem(item, { ...current, phones }, held, current);
    offline.answer(updateItemResponse());
    await item.Update(ConflictResolutionMode.NeverOverwrite);
    const soap = offline.requests[1] ?? '';
    expect(soap).not.toContain('FieldIndex="CompanyMainPhone"');
    expect(soap).toMatch(/FieldIndex="MobilePhone".*\+420 300/);
    expect(soap).toMatch(
      /<t:DeleteItemField><t:IndexedFieldURI FieldURI="contacts:PhoneNumber" FieldIndex="CarPhone"/,
    );
  });
});
