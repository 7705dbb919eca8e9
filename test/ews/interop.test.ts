/**
 * Exchange-compatible servers that are not Microsoft's, as the fake Exchange plays them:
 * time zone definitions the client library cannot parse, fields left out of
 * AllProperties, a server that offers only Basic sign-in, ErrorCannotFindUser.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerFolder } from '../../src/core/servers/connector.ts';
import type { ItemData } from '../../src/core/model/items.ts';
import { startFakeEws } from '../support/ews-fake/index.ts';
import type { FakeEws, ZoneDefinitionStyle } from '../support/ews-fake/index.ts';
import { SERVICE, USER, connect, expectValidRequests, failureOf, startFake } from './helpers.ts';

let fake: FakeEws;
beforeAll(async () => {
  fake = await startFake();
});
afterAll(async () => {
  await expectValidRequests(fake);
  await fake.stop();
});

function folderOf(kind: 'calendar' | 'contacts'): ServerFolder {
  const f = fake.mailbox(USER.smtp).folder(kind);
  return {
    id: f.id,
    displayName: f.displayName,
    path: f.displayName,
    kinds: [kind === 'calendar' ? 'events' : 'contacts'],
    isDefault: true,
  };
}

/** What the connector reads of the folder, by subject (events) or first name (contacts). */
async function readAll(
  kind: 'calendar' | 'contacts',
  options: Parameters<typeof connect>[1] = {},
): Promise<Map<string, ItemData>> {
  const { connector } = connect(fake, options);
  try {
    const session = await connector.openFolder(
      folderOf(kind),
      kind === 'calendar' ? 'events' : 'contacts',
    );
    const changes = await session.readChanges(null, new Map());
    expect(changes.failures).toEqual([]);
    const byName = new Map<string, ItemData>();
    for (const r of changes.records) {
      const name =
        r.data.kind === 'event'
          ? r.data.subject
          : r.data.kind === 'contact'
            ? r.data.firstName
            : '';
      byName.set(name, r.data);
    }
    return byName;
  } finally {
    await connector.close();
  }
}

describe('a time zone definition the client library cannot parse', () => {
  beforeAll(() => {
    const cal = fake.mailbox(USER.smtp).folder('calendar');
    // 8–9 December all day: midnights in Tokyo (UTC+9) and in Hawaii (UTC−10).
    cal.create(`<t:CalendarItem><t:Subject>Tokio</t:Subject>
      <t:Start>2026-12-07T15:00:00Z</t:Start><t:End>2026-12-09T15:00:00Z</t:End>
      <t:IsAllDayEvent>true</t:IsAllDayEvent>
      <t:StartTimeZone Id="Tokyo Standard Time"/><t:EndTimeZone Id="Tokyo Standard Time"/>
    </t:CalendarItem>`);
    cal.create(`<t:CalendarItem><t:Subject>Havaj</t:Subject>
      <t:Start>2026-12-08T10:00:00Z</t:Start><t:End>2026-12-10T10:00:00Z</t:End>
      <t:IsAllDayEvent>true</t:IsAllDayEvent>
      <t:StartTimeZone Id="Hawaiian Standard Time"/><t:EndTimeZone Id="Hawaiian Standard Time"/>
    </t:CalendarItem>`);
    // The legacy TimeZone string names the zone too, as Exchange fills it in.
    cal.create(`<t:CalendarItem><t:Subject>Porada</t:Subject>
      <t:Start>2026-12-08T01:00:00Z</t:Start><t:End>2026-12-08T02:00:00Z</t:End>
      <t:TimeZone>(UTC+09:00) Osaka, Sapporo, Tokyo</t:TimeZone>
      <t:StartTimeZone Id="Tokyo Standard Time"/><t:EndTimeZone Id="Tokyo Standard Time"/>
    </t:CalendarItem>`);
  });
  afterAll(() => fake.faults.timeZoneDefinitions('full'));

  it.each<ZoneDefinitionStyle>(['id-only', 'unnamed'])(
    'keeps the days of an all-day event the CRM edits, with %s definitions',
    async (style) => {
      fake.faults.timeZoneDefinitions(style);
      const { connector } = connect(fake);
      const session = await connector.openFolder(folderOf('calendar'), 'events');
      const first = await session.readChanges(null, new Map());
      for (const record of first.records) {
        if (record.data.kind !== 'event' || !['Tokio', 'Havaj'].includes(record.data.subject))
          continue;
        const edited = { ...record.data, location: `Sál ${style}` };
        await session.update(record.serverId, record.version, edited, record.identity);
      }
      const again = await session.readChanges(null, new Map());
      const edited = again.records.filter(
        (r) => r.data.kind === 'event' && r.data.location === `Sál ${style}`,
      );
      expect(edited).toHaveLength(2);
      for (const r of edited) {
        expect(r.data).toMatchObject({
          start: { date: '2026-12-08' },
          end: { date: '2026-12-10' },
        });
      }
      await connector.close();
    },
  );

  it.each<ZoneDefinitionStyle>(['id-only', 'unnamed'])(
    'keeps all-day dates east and west of UTC, and the zone, with %s definitions',
    async (style) => {
      fake.faults.timeZoneDefinitions(style);
      const read = await readAll('calendar');
      for (const subject of ['Tokio', 'Havaj']) {
        expect(read.get(subject)).toMatchObject({
          start: { date: '2026-12-08' },
          end: { date: '2026-12-10' },
        });
      }
      expect(read.get('Porada')).toMatchObject({
        start: { utc: '2026-12-08T01:00:00.000Z', tz: 'Asia/Tokyo' },
        end: { utc: '2026-12-08T02:00:00.000Z', tz: 'Asia/Tokyo' },
      });
    },
  );
});

describe('fields a server leaves out of AllProperties', () => {
  afterAll(() => fake.faults.allPropertiesWithout([]));

  it('still reads the reminder and the address, asked for by name', async () => {
    const mailbox = fake.mailbox(USER.smtp);
    mailbox.folder('calendar').create(`<t:CalendarItem><t:Subject>Připomenout</t:Subject>
      <t:ReminderIsSet>true</t:ReminderIsSet><t:ReminderMinutesBeforeStart>30</t:ReminderMinutesBeforeStart>
      <t:Start>2026-12-09T08:00:00Z</t:Start><t:End>2026-12-09T09:00:00Z</t:End>
      <t:StartTimeZone Id="Central Europe Standard Time"/>
    </t:CalendarItem>`);
    mailbox.folder('contacts')
      .create(`<t:Contact><t:GivenName>Adresa</t:GivenName><t:Surname>Nováková</t:Surname>
      <t:PhysicalAddresses><t:Entry Key="Business"><t:Street>Masarykova 1</t:Street><t:City>Brno</t:City><t:PostalCode>602 00</t:PostalCode><t:CountryOrRegion>CZ</t:CountryOrRegion></t:Entry></t:PhysicalAddresses>
    </t:Contact>`);
    fake.faults.allPropertiesWithout([
      'ReminderIsSet',
      'ReminderMinutesBeforeStart',
      'PhysicalAddresses',
    ]);
    const events = await readAll('calendar');
    expect(events.get('Připomenout')).toMatchObject({ reminderMinutes: 30 });
    const contacts = await readAll('contacts');
    expect(contacts.get('Adresa')).toMatchObject({
      address: { street: 'Masarykova 1', city: 'Brno', postalCode: '602 00', country: 'CZ' },
    });
  });
});

describe('a sign-in method the server does not offer', () => {
  let basicOnly: FakeEws;
  let ntlmOnly: FakeEws;
  const accounts = [{ ...USER, domain: 'FIRMA' }];
  beforeAll(async () => {
    basicOnly = await startFakeEws({ accounts, auth: ['basic'] });
    ntlmOnly = await startFakeEws({ accounts, auth: ['ntlm'] });
  });
  afterAll(async () => {
    await expectValidRequests(basicOnly);
    await expectValidRequests(ntlmOnly);
    await basicOnly.stop();
    await ntlmOnly.stop();
  });

  it('says NTLM (the default) is not offered, only Basic, instead of a wrong password', async () => {
    for (const password of [USER.password, 'spatne']) {
      const { connector } = connect(basicOnly, { auth: 'ntlm', password });
      const err = await failureOf(connector.testConnection());
      expect(err).toMatchObject({
        code: 'auth-method-not-offered',
        params: { server: new URL(basicOnly.ewsUrl).origin, chosen: 'NTLM', offered: 'Basic' },
      });
      expect(err.message).toContain('does not offer NTLM sign-in, only Basic');
      expect(err.message).not.toMatch(/password/i);
      await connector.close();
    }
    // Basic, as it says, signs in.
    const { connector } = connect(basicOnly, { auth: 'basic' });
    await connector.testConnection();
    await connector.close();
  });

  it('says Basic is not offered where only NTLM is', async () => {
    const { connector } = connect(ntlmOnly, { auth: 'basic' });
    const err = await failureOf(connector.testConnection());
    expect(err).toMatchObject({
      code: 'auth-method-not-offered',
      params: { chosen: 'Basic', offered: 'NTLM' },
    });
    await connector.close();
  });

  it('still says the password is wrong where the method is offered', async () => {
    const { connector } = connect(ntlmOnly, {
      auth: 'ntlm',
      user: `FIRMA\\${USER.user}`,
      password: 'spatne',
    });
    expect(await failureOf(connector.testConnection())).toMatchObject({ code: 'auth-failed' });
    await connector.close();
  });
});

describe('ErrorCannotFindUser', () => {
  afterAll(() => fake.faults.unknownMailboxAnswer('ErrorNonExistentMailbox'));

  it('is a mailbox that does not exist, like ErrorNonExistentMailbox', async () => {
    fake.faults.unknownMailboxAnswer('ErrorCannotFindUser');
    const { connector } = connect(fake, {
      user: SERVICE.user,
      password: SERVICE.password,
      impersonate: 'nikdo@firma.test',
    });
    const err = await failureOf(connector.testConnection());
    expect(err).toMatchObject({
      code: 'mailbox-not-found',
      params: { mailbox: 'nikdo@firma.test' },
    });
    await connector.close();
  });
});
