import { describe, expect, it } from 'vitest';
import {
  ConflictResolutionMode,
  FolderId,
  SendInvitationsMode,
  SendInvitationsOrCancellationsMode,
  WellKnownFolderName,
} from 'ews-javascript-api';
import type { Appointment } from 'ews-javascript-api';
import { ItemError } from '../../src/core/servers/errors.ts';
import {
  applyToServerItem,
  newServerItem,
  readServerItem,
} from '../../src/core/servers/ews/mapping/index.ts';
import type { EventData } from '../../src/core/model/items.ts';
import {
  createItemResponse,
  offlineService,
  updateItemResponse,
  zoneXml,
} from './support/offline.ts';
import { bindContact, bindEvent, bindException, event, stampXml } from './support/items.ts';

const identity = { uid: 'uid-1', crmStamp: '42' };

function readEvent(item: Appointment, exceptions = new Map<string, Appointment>()): EventData {
  const data = readServerItem('events', item, exceptions).data;
  if (data.kind !== 'event') throw new Error('not an event');
  return data;
}

/** The CreateItem SOAP a new item would send. */
async function createSoap(data: EventData): Promise<string> {
  const offline = offlineService();
  const item = newServerItem(offline.service, data, identity);
  offline.answer(createItemResponse('CalendarItem'));
  await item.Save(new FolderId(WellKnownFolderName.Calendar), SendInvitationsMode.SendToNone);
  return offline.requests[0] ?? '';
}

const zones = (start: string, end = start): string =>
  zoneXml('StartTimeZone', start) + zoneXml('EndTimeZone', end);

const timed = (extra = '', zone = 'Central Europe Standard Time'): string =>
  `<t:Subject>Porada</t:Subject><t:Start>2026-03-30T07:00:00Z</t:Start><t:End>2026-03-30T08:00:00Z</t:End><t:IsAllDayEvent>false</t:IsAllDayEvent>${extra}${zones(zone)}`;

describe('time zones', () => {
  it.each([
    ['Central Europe Standard Time', 'Europe/Prague'], // the user's own zone (TZ=Europe/Prague)
    ['Eastern Standard Time', 'America/New_York'],
    ['India Standard Time', 'Asia/Calcutta'],
    ['UTC', null],
  ])('reads Windows zone %s as %s', async (windows, iana) => {
    const data = readEvent(await bindEvent(timed('', windows)));
    expect(data.start).toEqual({ utc: '2026-03-30T07:00:00.000Z', tz: iana });
    expect(data.end).toEqual({ utc: '2026-03-30T08:00:00.000Z', tz: iana });
  });

  it('refuses an unknown Windows zone, naming it', async () => {
    const item = await bindEvent(timed('', 'Foo Standard Time'));
    expect(() => readServerItem('events', item, new Map())).toThrow(ItemError);
    expect(() => readServerItem('events', item, new Map())).toThrow(
      'Cannot read "Porada": unknown time zone "Foo Standard Time".',
    );
    // The app words it from the code: the item and the zone.
    expect(() => readServerItem('events', item, new Map())).toThrow(
      expect.objectContaining({
        code: 'item-unknown-time-zone',
        params: { item: 'Porada', zone: 'Foo Standard Time' },
      }),
    );
  });

  it.each([
    ['Europe/Prague', 'Central Europe Standard Time'],
    ['America/New_York', 'Eastern Standard Time'],
    ['Asia/Kolkata', 'India Standard Time'],
    [null, 'UTC'],
  ])('sends %s as the Windows zone %s, with the instants in UTC', async (tz, windows) => {
    const soap = await createSoap(
      event({
        start: { utc: '2026-03-30T07:00:00.000Z', tz },
        end: { utc: '2026-03-30T08:00:00.000Z', tz },
      }),
    );
    expect(soap).toMatch(new RegExp(`<t:StartTimeZone [^>]*Id="${windows}"`));
    expect(soap).toMatch(new RegExp(`<t:EndTimeZone [^>]*Id="${windows}"`));
    expect(soap).toContain('<t:Start>2026-03-30T07:00:00.000+00:00</t:Start>');
    expect(soap).toContain('<t:End>2026-03-30T08:00:00.000+00:00</t:End>');
  });

  it('refuses an IANA zone Exchange has no Windows zone for', () => {
    const { service } = offlineService();
    const tz = 'Nowhere/Atlantis';
    const write = (): unknown =>
      newServerItem(
        service,
        event({
          start: { utc: '2026-03-30T07:00:00.000Z', tz },
          end: { utc: '2026-03-30T08:00:00.000Z', tz },
        }),
        identity,
      );
    expect(write).toThrow('time zone "Nowhere/Atlantis" has no Windows equivalent');
  });

  it('gives back the exact IANA name the CRM wrote (an alias of the same Windows zone)', () => {
    const { service } = offlineService();
    const data = event({
      start: { utc: '2026-03-30T07:00:00.000Z', tz: 'Europe/Bratislava' },
      end: { utc: '2026-03-30T08:00:00.000Z', tz: 'Europe/Bratislava' },
    });
    const item = newServerItem(service, data, identity) as Appointment;
    expect(readEvent(item)).toEqual(data);
  });
});

describe('all-day events in Europe/Prague across DST', () => {
  it.each([
    // Clocks go forward on 29 March 2026, back on 25 October 2026.
    ['2026-03-29', '2026-03-30', '2026-03-28T23:00:00.000+00:00', '2026-03-29T22:00:00.000+00:00'],
    ['2026-10-24', '2026-10-26', '2026-10-23T22:00:00.000+00:00', '2026-10-25T23:00:00.000+00:00'],
  ])('writes %s..%s as local midnights', async (from, to, start, end) => {
    const soap = await createSoap(event({ start: { date: from }, end: { date: to } }));
    expect(soap).toContain(`<t:Start>${start}</t:Start>`);
    expect(soap).toContain(`<t:End>${end}</t:End>`);
    expect(soap).toContain('<t:IsAllDayEvent>true</t:IsAllDayEvent>');
    expect(soap).toMatch(/<t:StartTimeZone [^>]*Id="Central Europe Standard Time"/);
  });

  it('reads local midnights as the dates they start, end exclusive', async () => {
    const item = await bindEvent(
      `<t:Subject>Výlet</t:Subject><t:Start>2026-03-28T23:00:00Z</t:Start><t:End>2026-03-29T22:00:00Z</t:End><t:IsAllDayEvent>true</t:IsAllDayEvent>${zones('Central Europe Standard Time')}`,
    );
    const data = readEvent(item);
    expect(data.start).toEqual({ date: '2026-03-29' });
    expect(data.end).toEqual({ date: '2026-03-30' });
  });

  it("reads an all-day event in its own zone's days, not the user's", async () => {
    // Midnight in New York is 04:00/05:00 UTC: the same dates there.
    const item = await bindEvent(
      `<t:Subject>NY</t:Subject><t:Start>2026-03-30T04:00:00Z</t:Start><t:End>2026-03-31T04:00:00Z</t:End><t:IsAllDayEvent>true</t:IsAllDayEvent>${zones('Eastern Standard Time')}`,
    );
    expect(readEvent(item).start).toEqual({ date: '2026-03-30' });
  });
});

describe("a time zone definition the client library cannot parse (a server not Microsoft's)", () => {
  // The library drops a StartTimeZone without Periods/Transitions (or with elements it
  // does not know) as unreadable; the zone the item names must still be used.
  const idOnly = (id: string, name = id): string =>
    `<t:StartTimeZone Id="${id}" Name="${name}"/><t:EndTimeZone Id="${id}" Name="${name}"/>`;
  const unnamed =
    '<t:StartTimeZone><t:Rules>custom</t:Rules></t:StartTimeZone><t:EndTimeZone><t:Rules>custom</t:Rules></t:EndTimeZone>';
  const allDay = (start: string, end: string, zone: string): string =>
    `<t:Subject>Veletrh</t:Subject><t:Start>${start}</t:Start><t:End>${end}</t:End><t:IsAllDayEvent>true</t:IsAllDayEvent>${zone}`;

  it.each([
    ['a Windows id', idOnly('Tokyo Standard Time', 'Tokyo'), 'Asia/Tokyo'],
    ['an IANA name', idOnly('Asia/Tokyo'), 'Asia/Tokyo'],
    ['only a display name', idOnly('', '(UTC+09:00) Osaka, Sapporo, Tokyo'), 'Asia/Tokyo'],
    [
      'the legacy TimeZone string',
      `<t:TimeZone>(UTC-10:00) Hawaii</t:TimeZone>${unnamed}`,
      'Pacific/Honolulu',
    ],
  ])('keeps a timed event in the zone named by %s', async (_what, zone, iana) => {
    const data = readEvent(
      await bindEvent(
        `<t:Subject>Porada</t:Subject><t:Start>2026-12-07T01:00:00Z</t:Start><t:End>2026-12-07T02:00:00Z</t:End><t:IsAllDayEvent>false</t:IsAllDayEvent>${zone}`,
      ),
    );
    expect(data.start).toEqual({ utc: '2026-12-07T01:00:00.000Z', tz: iana });
    expect(data.end).toEqual({ utc: '2026-12-07T02:00:00.000Z', tz: iana });
  });

  it.each([
    // East of UTC: 8 December starts at 15:00 UTC on the 7th in Tokyo.
    ['Tokyo, by id', '2026-12-07T15:00:00Z', '2026-12-09T15:00:00Z', idOnly('Tokyo Standard Time')],
    ['Tokyo, unnamed', '2026-12-07T15:00:00Z', '2026-12-09T15:00:00Z', unnamed],
    [
      'Hawaii, by id',
      '2026-12-08T10:00:00Z',
      '2026-12-10T10:00:00Z',
      idOnly('Hawaiian Standard Time'),
    ],
    ['Hawaii, unnamed', '2026-12-08T10:00:00Z', '2026-12-10T10:00:00Z', unnamed],
  ])('keeps the dates of an all-day event in %s', async (_what, start, end, zone) => {
    const data = readEvent(await bindEvent(allDay(start, end, zone)));
    expect(data.start).toEqual({ date: '2026-12-08' });
    expect(data.end).toEqual({ date: '2026-12-10' });
  });

  it('still names a zone nobody knows, for a timed event', async () => {
    const item = await bindEvent(
      timed('', 'Foo Standard Time').replace(/<t:StartTimeZone.*$/, idOnly('Foo Standard Time')),
    );
    expect(() => readServerItem('events', item, new Map())).toThrow(
      'Cannot read "Porada": unknown time zone "Foo Standard Time".',
    );
  });

  it('asks for the zone name, reminder and address fields by name, not only AllProperties', async () => {
    const offline = offlineService();
    await bindEvent(timed(), offline);
    for (const field of [
      'calendar:TimeZone',
      'item:ReminderIsSet',
      'item:ReminderMinutesBeforeStart',
    ])
      expect(offline.requests[0]).toContain(`FieldURI="${field}"`);
    const contacts = offlineService();
    await bindContact('<t:GivenName>Jan</t:GivenName>', contacts);
    expect(contacts.requests[0]).toContain('FieldURI="contacts:PhysicalAddresses"');
  });
});

describe('people, privacy, reminders, categories, identity', () => {
  const people =
    '<t:Organizer><t:Mailbox><t:Name>Petr Bartoš</t:Name><t:EmailAddress>PBartos@Example.com</t:EmailAddress><t:RoutingType>SMTP</t:RoutingType></t:Mailbox></t:Organizer>' +
    '<t:RequiredAttendees><t:Attendee><t:Mailbox><t:Name>Zuzana</t:Name><t:EmailAddress>Zuzana@Example.com</t:EmailAddress></t:Mailbox><t:ResponseType>Accept</t:ResponseType></t:Attendee>' +
    '<t:Attendee><t:Mailbox><t:Name>Adam</t:Name><t:EmailAddress>adam@example.com</t:EmailAddress></t:Mailbox><t:ResponseType>Decline</t:ResponseType></t:Attendee></t:RequiredAttendees>' +
    '<t:OptionalAttendees><t:Attendee><t:Mailbox><t:Name>Eva</t:Name><t:EmailAddress>eva@example.com</t:EmailAddress></t:Mailbox><t:ResponseType>Tentative</t:ResponseType></t:Attendee>' +
    '<t:Attendee><t:Mailbox><t:Name>Adam again</t:Name><t:EmailAddress>ADAM@example.com</t:EmailAddress></t:Mailbox><t:ResponseType>Accept</t:ResponseType></t:Attendee></t:OptionalAttendees>' +
    '<t:Resources><t:Attendee><t:Mailbox><t:Name>Room 1</t:Name><t:EmailAddress>room1@example.com</t:EmailAddress></t:Mailbox><t:ResponseType>NoResponseReceived</t:ResponseType></t:Attendee></t:Resources>';

  it('reads organizer and attendees with roles and responses, lower-case and sorted', async () => {
    const data = readEvent(await bindEvent(timed(people)));
    expect(data.organizer).toEqual({ email: 'pbartos@example.com', name: 'Petr Bartoš' });
    expect(data.attendees).toEqual([
      { email: 'adam@example.com', name: 'Adam', role: 'required', response: 'declined' },
      { email: 'eva@example.com', name: 'Eva', role: 'optional', response: 'tentative' },
      { email: 'room1@example.com', name: 'Room 1', role: 'resource', response: 'needs-action' },
      { email: 'zuzana@example.com', name: 'Zuzana', role: 'required', response: 'accepted' },
    ]);
  });

  it('writes attendees into the list of their role (chair as required)', async () => {
    const soap = await createSoap(
      event({
        attendees: [
          { email: 'a@example.com', name: 'A', role: 'chair', response: 'accepted' },
          { email: 'b@example.com', name: 'B', role: 'optional', response: 'needs-action' },
          { email: 'room@example.com', name: 'Room', role: 'resource', response: 'needs-action' },
        ],
      }),
    );
    expect(soap).toMatch(/<t:RequiredAttendees>.*a@example\.com.*<\/t:RequiredAttendees>/);
    expect(soap).toMatch(/<t:OptionalAttendees>.*b@example\.com.*<\/t:OptionalAttendees>/);
    expect(soap).toMatch(/<t:Resources>.*room@example\.com.*<\/t:Resources>/);
    expect(soap).toContain('SendMeetingInvitations="SendToNone"');
  });

  it.each([
    ['Private', true],
    ['Confidential', true],
    ['Personal', false],
    ['Normal', false],
  ])('reads Sensitivity %s as private = %s', async (sensitivity, isPrivate) => {
    const data = readEvent(await bindEvent(timed(`<t:Sensitivity>${sensitivity}</t:Sensitivity>`)));
    expect(data.isPrivate).toBe(isPrivate);
  });

  it('writes private as Sensitivity Private', async () => {
    expect(await createSoap(event({ isPrivate: true }))).toContain(
      '<t:Sensitivity>Private</t:Sensitivity>',
    );
    expect(await createSoap(event({ isPrivate: false }))).toContain(
      '<t:Sensitivity>Normal</t:Sensitivity>',
    );
  });

  it('reads reminders only when set', async () => {
    const on =
      '<t:ReminderIsSet>true</t:ReminderIsSet><t:ReminderMinutesBeforeStart>30</t:ReminderMinutesBeforeStart>';
    const off =
      '<t:ReminderIsSet>false</t:ReminderIsSet><t:ReminderMinutesBeforeStart>15</t:ReminderMinutesBeforeStart>';
    expect(readEvent(await bindEvent(timed(on))).reminderMinutes).toBe(30);
    expect(readEvent(await bindEvent(timed(off))).reminderMinutes).toBeNull();
  });

  it("turns Exchange's default reminder off for an event without one", async () => {
    const soap = await createSoap(event({ reminderMinutes: null }));
    expect(soap).toContain('<t:ReminderIsSet>false</t:ReminderIsSet>');
    const with10 = await createSoap(event({ reminderMinutes: 10 }));
    expect(with10).toContain('<t:ReminderIsSet>true</t:ReminderIsSet>');
    expect(with10).toContain('<t:ReminderMinutesBeforeStart>10</t:ReminderMinutesBeforeStart>');
  });

  it('reads categories sorted, the uid, the CRM stamp and when it changed', async () => {
    const data = readServerItem(
      'events',
      await bindEvent(
        timed(
          '<t:Categories><t:String>Zákazník</t:String><t:String>Hotline</t:String></t:Categories><t:LastModifiedTime>2026-03-01T10:00:00Z</t:LastModifiedTime>' +
            stampXml('X-CRM-SYNC-ID', '42') +
            '<t:UID>040000008200E00074C5B7101A82E008</t:UID>',
        ),
      ),
      new Map(),
    );
    expect(data.data.kind === 'event' && data.data.categories).toEqual(['Hotline', 'Zákazník']);
    expect(data.identity).toEqual({ uid: '040000008200E00074C5B7101A82E008', crmStamp: '42' });
    expect(data.modifiedAt).toBe('2026-03-01T10:00:00.000Z');
  });

  it('stamps a new item with its uid and CRM id', async () => {
    const soap = await createSoap(event());
    expect(soap).toContain('<t:UID>uid-1</t:UID>');
    expect(soap).toMatch(
      /PropertyName="X-CRM-SYNC-ID" PropertyType="String"><\/t:ExtendedFieldURI><t:Value>42<\/t:Value>/,
    );
  });

  it('reads the body as plain text with line breaks normalised', async () => {
    const data = readEvent(
      await bindEvent(timed('<t:Body BodyType="Text">Line 1\r\nLine 2\r\n\r\n</t:Body>')),
    );
    expect(data.description).toBe('Line 1\nLine 2');
  });
});

describe('applyToServerItem', () => {
  const full =
    '<t:Body BodyType="Text">Agenda</t:Body><t:Location>Room</t:Location><t:Sensitivity>Private</t:Sensitivity><t:Categories><t:String>A</t:String></t:Categories>' +
    '<t:ReminderIsSet>true</t:ReminderIsSet><t:ReminderMinutesBeforeStart>15</t:ReminderMinutesBeforeStart>' +
    '<t:RequiredAttendees><t:Attendee><t:Mailbox><t:Name>Eva</t:Name><t:EmailAddress>eva@example.com</t:EmailAddress></t:Mailbox><t:ResponseType>Accept</t:ResponseType></t:Attendee></t:RequiredAttendees>' +
    stampXml('X-CRM-SYNC-ID', '42') +
    '<t:UID>uid-1</t:UID>';

  it('changes nothing on the item when the data equals what it holds', async () => {
    for (const extra of [
      full,
      full +
        '<t:Recurrence><t:WeeklyRecurrence><t:Interval>1</t:Interval><t:DaysOfWeek>Monday</t:DaysOfWeek><t:FirstDayOfWeek>Monday</t:FirstDayOfWeek></t:WeeklyRecurrence><t:NoEndRecurrence><t:StartDate>2026-03-30+02:00</t:StartDate></t:NoEndRecurrence></t:Recurrence>' +
        '<t:DeletedOccurrences><t:DeletedOccurrence><t:Start>2026-04-06T07:00:00Z</t:Start></t:DeletedOccurrence></t:DeletedOccurrences>',
    ]) {
      const item = await bindEvent(timed(extra));
      const current = readEvent(item);
      applyToServerItem(item, structuredClone(current), identity, current);
      expect(item.IsDirty).toBe(false);
    }
  });

  it('sends only what changed, keeping what the CRM does not model', async () => {
    const offline = offlineService();
    const item = await bindEvent(timed(full), offline);
    const current = readEvent(item);
    applyToServerItem(
      item,
      { ...current, subject: 'Porada 2', reminderMinutes: null },
      identity,
      current,
    );
    offline.answer(updateItemResponse());
    await item.Update(
      ConflictResolutionMode.NeverOverwrite,
      SendInvitationsOrCancellationsMode.SendToNone,
    );
    const soap = offline.requests[1] ?? '';
    const fields = [...soap.matchAll(/<t:FieldURI FieldURI="([^"]+)"/g)].map((m) => m[1]);
    expect(fields.sort()).toEqual(['item:ReminderIsSet', 'item:Subject']);
    expect(soap).toContain('<t:Subject>Porada 2</t:Subject>');
  });

  it('clears a location by deleting it (Exchange keeps no empty strings)', async () => {
    const offline = offlineService();
    const item = await bindEvent(timed(full), offline);
    const current = readEvent(item);
    applyToServerItem(item, { ...current, location: '' }, identity, current);
    offline.answer(updateItemResponse());
    await item.Update(
      ConflictResolutionMode.NeverOverwrite,
      SendInvitationsOrCancellationsMode.SendToNone,
    );
    expect(offline.requests[1]).toMatch(
      /<t:DeleteItemField><t:FieldURI FieldURI="calendar:Location"/,
    );
  });

  it('moves an event to another zone with its start and end', async () => {
    const offline = offlineService();
    const item = await bindEvent(timed(full), offline);
    const current = readEvent(item);
    const moved = {
      ...current,
      start: { utc: '2026-03-30T13:00:00.000Z', tz: 'America/New_York' },
      end: { utc: '2026-03-30T14:00:00.000Z', tz: 'America/New_York' },
    };
    applyToServerItem(item, moved, identity, current);
    offline.answer(updateItemResponse());
    await item.Update(
      ConflictResolutionMode.NeverOverwrite,
      SendInvitationsOrCancellationsMode.SendToNone,
    );
    const soap = offline.requests[1] ?? '';
    expect(soap).toMatch(/<t:StartTimeZone [^>]*Id="Eastern Standard Time"/);
    expect(soap).toContain('2026-03-30T13:00:00.000+00:00');
    expect(readEvent(item)).toEqual(moved);
  });
});

describe('cancelled and changed occurrences', () => {
  const master =
    '<t:Body BodyType="Text">Agenda</t:Body><t:Location>Room</t:Location>' +
    '<t:Recurrence><t:WeeklyRecurrence><t:Interval>1</t:Interval><t:DaysOfWeek>Monday</t:DaysOfWeek><t:FirstDayOfWeek>Monday</t:FirstDayOfWeek></t:WeeklyRecurrence><t:NumberedRecurrence><t:StartDate>2026-03-30+02:00</t:StartDate><t:NumberOfOccurrences>6</t:NumberOfOccurrences></t:NumberedRecurrence></t:Recurrence>' +
    '<t:ModifiedOccurrences>' +
    '<t:Occurrence><t:ItemId Id="OCC1" ChangeKey="c"/><t:Start>2026-04-06T09:00:00Z</t:Start><t:End>2026-04-06T10:00:00Z</t:End><t:OriginalStart>2026-04-06T07:00:00Z</t:OriginalStart></t:Occurrence>' +
    '<t:Occurrence><t:ItemId Id="OCC2" ChangeKey="c"/><t:Start>2026-04-20T07:00:00Z</t:Start><t:End>2026-04-20T08:00:00Z</t:End><t:OriginalStart>2026-04-20T07:00:00Z</t:OriginalStart></t:Occurrence>' +
    '</t:ModifiedOccurrences>' +
    '<t:DeletedOccurrences><t:DeletedOccurrence><t:Start>2026-04-13T07:00:00Z</t:Start></t:DeletedOccurrence></t:DeletedOccurrences>';

  it('reads exdates, and overrides with texts null where the series says the same', async () => {
    const moved = await bindException(
      'OCC1',
      `<t:Subject>Porada</t:Subject><t:Body BodyType="Text">Agenda</t:Body><t:Location>Room 2</t:Location><t:Start>2026-04-06T09:00:00Z</t:Start><t:End>2026-04-06T10:00:00Z</t:End><t:IsAllDayEvent>false</t:IsAllDayEvent>${zones('Central Europe Standard Time')}`,
    );
    // Changed, then put back as it was: Exchange still lists it; it changes nothing.
    const reset = await bindException(
      'OCC2',
      `<t:Subject>Porada</t:Subject><t:Body BodyType="Text">Agenda</t:Body><t:Location>Room</t:Location><t:Start>2026-04-20T07:00:00Z</t:Start><t:End>2026-04-20T08:00:00Z</t:End><t:IsAllDayEvent>false</t:IsAllDayEvent>${zones('Central Europe Standard Time')}`,
    );
    const data = readEvent(
      await bindEvent(timed(master)),
      new Map([
        ['OCC1', moved],
        ['OCC2', reset],
      ]),
    );
    expect(data.rrule).toBe('FREQ=WEEKLY;COUNT=6;BYDAY=MO');
    expect(data.exdates).toEqual(['2026-04-13T07:00:00.000Z']);
    expect(data.overrides).toEqual([
      {
        recurrenceId: '2026-04-06T07:00:00.000Z',
        start: { utc: '2026-04-06T09:00:00.000Z', tz: 'Europe/Prague' },
        end: { utc: '2026-04-06T10:00:00.000Z', tz: 'Europe/Prague' },
        subject: null,
        location: 'Room 2',
        description: null,
      },
    ]);
  });

  it('keys occurrences of an all-day series by date', async () => {
    const item = await bindEvent(
      `<t:Subject>Služba</t:Subject><t:Start>2026-03-29T22:00:00Z</t:Start><t:End>2026-03-30T22:00:00Z</t:End><t:IsAllDayEvent>true</t:IsAllDayEvent>` +
        '<t:Recurrence><t:DailyRecurrence><t:Interval>1</t:Interval></t:DailyRecurrence><t:NumberedRecurrence><t:StartDate>2026-03-30+02:00</t:StartDate><t:NumberOfOccurrences>5</t:NumberOfOccurrences></t:NumberedRecurrence></t:Recurrence>' +
        '<t:DeletedOccurrences><t:DeletedOccurrence><t:Start>2026-03-31T22:00:00Z</t:Start></t:DeletedOccurrence></t:DeletedOccurrences>' +
        zones('Central Europe Standard Time'),
    );
    const data = readEvent(item);
    expect(data.start).toEqual({ date: '2026-03-30' });
    expect(data.rrule).toBe('FREQ=DAILY;COUNT=5');
    expect(data.exdates).toEqual(['2026-04-01']);
  });
});

describe('applyToServerItem on series and attendees', () => {
  const weeklyXml =
    '<t:Recurrence><t:WeeklyRecurrence><t:Interval>1</t:Interval><t:DaysOfWeek>Monday</t:DaysOfWeek><t:FirstDayOfWeek>Monday</t:FirstDayOfWeek></t:WeeklyRecurrence><t:NoEndRecurrence><t:StartDate>2026-03-30+02:00</t:StartDate></t:NoEndRecurrence></t:Recurrence>' +
    '<t:RequiredAttendees><t:Attendee><t:Mailbox><t:Name>Eva</t:Name><t:EmailAddress>eva@example.com</t:EmailAddress></t:Mailbox><t:ResponseType>Accept</t:ResponseType></t:Attendee></t:RequiredAttendees>' +
    stampXml('X-CRM-SYNC-ID', '42') +
    '<t:UID>uid-1</t:UID>';

  async function updateSoap(change: (current: EventData) => EventData): Promise<string> {
    const offline = offlineService();
    const item = await bindEvent(timed(weeklyXml), offline);
    const current = readEvent(item);
    applyToServerItem(item, change(current), identity, current);
    offline.answer(updateItemResponse());
    await item.Update(
      ConflictResolutionMode.NeverOverwrite,
      SendInvitationsOrCancellationsMode.SendToNone,
    );
    return offline.requests[1] ?? '';
  }

  it('turns a series into a single event by deleting its recurrence', async () => {
    const soap = await updateSoap((c) => ({ ...c, rrule: null }));
    expect(soap).toMatch(/<t:DeleteItemField><t:FieldURI FieldURI="calendar:Recurrence"/);
  });

  it('writes the recurrence anew to bring back a cancelled occurrence', async () => {
    const offline = offlineService();
    const item = await bindEvent(
      timed(
        weeklyXml +
          '<t:DeletedOccurrences><t:DeletedOccurrence><t:Start>2026-04-06T07:00:00Z</t:Start></t:DeletedOccurrence></t:DeletedOccurrences>',
      ),
      offline,
    );
    const current = readEvent(item);
    expect(current.exdates).toEqual(['2026-04-06T07:00:00.000Z']);
    applyToServerItem(item, { ...current, exdates: [] }, identity, current);
    offline.answer(updateItemResponse());
    await item.Update(
      ConflictResolutionMode.NeverOverwrite,
      SendInvitationsOrCancellationsMode.SendToNone,
    );
    expect(offline.requests[1]).toMatch(
      /<t:SetItemField><t:FieldURI FieldURI="calendar:Recurrence"/,
    );
  });

  it('changes the rule in place', async () => {
    const soap = await updateSoap((c) => ({ ...c, rrule: 'FREQ=WEEKLY;BYDAY=MO,TH;COUNT=4' }));
    expect(soap).toContain('<t:DaysOfWeek>Monday Thursday</t:DaysOfWeek>');
    expect(soap).toContain('<t:NumberOfOccurrences>4</t:NumberOfOccurrences>');
  });

  it('rewrites the attendee lists when someone is added, but not for a changed response', async () => {
    const same = await updateSoap((c) => ({
      ...c,
      attendees: c.attendees.map((a) => ({ ...a, response: 'declined' as const })),
    }));
    expect(same).not.toContain('RequiredAttendees');
    const added = await updateSoap((c) => ({
      ...c,
      attendees: [
        ...c.attendees,
        { email: 'adam@example.com', name: 'Adam', role: 'optional', response: 'needs-action' },
      ],
    }));
    expect(added).toMatch(/<t:OptionalAttendees>.*adam@example\.com/);
  });
});

describe('what Exchange keeps differently: organizer and responses', () => {
  const organizer =
    '<t:Organizer><t:Mailbox><t:Name>Petr</t:Name><t:EmailAddress>petr@example.com</t:EmailAddress></t:Mailbox></t:Organizer>';
  const attendee = (response: string): string =>
    `<t:RequiredAttendees><t:Attendee><t:Mailbox><t:Name>Eva</t:Name><t:EmailAddress>eva@example.com</t:EmailAddress></t:Mailbox><t:ResponseType>${response}</t:ResponseType></t:Attendee></t:RequiredAttendees>`;
  const hints = (json: string): string =>
    `<t:ExtendedProperty><t:ExtendedFieldURI DistinguishedPropertySetId="PublicStrings" PropertyName="X-CRM-SYNC-HINTS" PropertyType="String"/><t:Value>${json.replaceAll('"', '&quot;')}</t:Value></t:ExtendedProperty>`;

  it('reads no organizer for an appointment without attendees (Exchange names the owner)', async () => {
    expect(readEvent(await bindEvent(timed(organizer))).organizer).toBeNull();
    expect(readEvent(await bindEvent(timed(organizer + attendee('Accept')))).organizer).toEqual({
      email: 'petr@example.com',
      name: 'Petr',
    });
  });

  it("keeps the response the CRM wrote until Exchange receives the attendee's reply", async () => {
    const written = hints('{"responses":{"eva@example.com":"accepted"},"organizer":null}');
    const noReply = readEvent(
      await bindEvent(timed(organizer + attendee('NoResponseReceived') + written)),
    );
    expect(noReply.attendees[0]?.response).toBe('accepted');
    expect(noReply.organizer).toBeNull();
    const declined = readEvent(await bindEvent(timed(organizer + attendee('Decline') + written)));
    expect(declined.attendees[0]?.response).toBe('declined');
  });
});
