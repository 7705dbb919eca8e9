/**
 * The change feed of a folder against the fake Exchange: a first full listing, then only
 * what "the phone" changed, paged; a rejected sync state, unreadable items, throttling.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerFolder } from '../../src/core/servers/connector.ts';
import type { FakeEws, FakeFolder } from '../support/ews-fake/index.ts';
import { USER, connect, expectValidRequests, failureOf, startFake } from './helpers.ts';

let fake: FakeEws;
let calendar: FakeFolder;
let folder: ServerFolder;

beforeAll(async () => {
  fake = await startFake();
  calendar = fake.mailbox(USER.smtp).folder('calendar');
  folder = {
    id: calendar.id,
    displayName: 'Calendar',
    path: 'Calendar',
    kinds: ['events'],
    isDefault: true,
  };
});
afterAll(async () => {
  await expectValidRequests(fake);
  await fake.stop();
});

function phoneEvent(subject: string, day: number): string {
  const d = String(day).padStart(2, '0');
  return `<t:CalendarItem>
    <t:Subject>${subject}</t:Subject>
    <t:Start>2026-11-${d}T08:00:00Z</t:Start><t:End>2026-11-${d}T09:00:00Z</t:End>
    <t:StartTimeZone Id="Central Europe Standard Time"/>
  </t:CalendarItem>`;
}

describe('readChanges', () => {
  it('lists everything first, then only what changed since, in pages', async () => {
    const kept = calendar.create(phoneEvent('Porada', 23));
    const edited = calendar.create(phoneEvent('Zubař', 24));
    const dropped = calendar.create(phoneEvent('Oběd', 25));
    for (let i = 0; i < 4; i++) calendar.create(phoneEvent(`Návštěva ${i}`, 10 + i));
    fake.faults.maxPageSize(3);
    const { connector, stats } = connect(fake);
    const session = await connector.openFolder(folder, 'events');

    const first = await session.readChanges(null, new Map());
    expect(first.full).toBe(true);
    expect(first.listed).toBe(true);
    expect(first.failures).toEqual([]);
    const subjects = first.records.map((r) => (r.data.kind === 'event' ? r.data.subject : ''));
    expect(subjects).toEqual(expect.arrayContaining(['Porada', 'Zubař', 'Oběd', 'Návštěva 3']));
    expect(first.records).toHaveLength(calendar.items().length);
    const porada = first.records.find((r) => r.serverId === kept.id);
    expect(porada?.version).toBe(kept.changeKey);
    // Seven items, three per page: three SyncFolderItems calls.
    expect(stats.byOperation.SyncFolderItems).toBe(3);
    expect(first.token).not.toBeNull();

    const updated = calendar.update(edited.id, '<t:Location>Ordinace 2</t:Location>');
    calendar.remove(dropped.id);
    const added = calendar.create(phoneEvent('Nový termín', 26));
    const next = await session.readChanges(first.token, new Map());
    expect(next.full).toBe(false);
    expect(next.listed).toBeFalsy();
    expect(next.deleted).toEqual([dropped.id]);
    expect(next.records.map((r) => r.serverId).sort()).toEqual([added.id, edited.id].sort());
    const zubar = next.records.find((r) => r.serverId === edited.id);
    expect(zubar?.version).toBe(updated.changeKey);
    expect(zubar?.data.kind === 'event' && zubar.data.location).toBe('Ordinace 2');

    const quiet = await session.readChanges(next.token, new Map());
    expect(quiet).toMatchObject({ full: false, records: [], deleted: [], failures: [] });
    fake.faults.maxPageSize(null);
    await connector.close();
  });

  it('reads a large folder in GetItem batches of 100', async () => {
    const mailbox = fake.mailbox(USER.smtp);
    const big = mailbox.addFolder(calendar, 'Archiv', 'IPF.Appointment');
    for (let i = 0; i < 120; i++) big.create(phoneEvent(`Archivní schůzka ${i}`, 1 + (i % 28)));
    const { connector, stats } = connect(fake);
    const session = await connector.openFolder(
      {
        id: big.id,
        displayName: 'Archiv',
        path: 'Calendar/Archiv',
        kinds: ['events'],
        isDefault: false,
      },
      'events',
    );
    const changes = await session.readChanges(null, new Map());
    expect(changes.records).toHaveLength(120);
    expect(new Set(changes.records.map((r) => r.serverId)).size).toBe(120);
    expect(stats.byOperation.GetItem).toBe(2);
    await connector.close();
  });

  it('falls back to a full listing when the server rejects the sync state', async () => {
    const { connector } = connect(fake);
    const session = await connector.openFolder(folder, 'events');
    const first = await session.readChanges(null, new Map());
    fake.faults.invalidSyncState(calendar.id);
    const again = await session.readChanges(first.token, new Map());
    expect(again.full).toBe(true);
    expect(again.listed).toBe(true);
    expect(again.fallbackReason).toBe('the server no longer accepts the saved sync state');
    expect(again.records).toHaveLength(calendar.items().length);
    expect(again.deleted).toEqual([]);
    await connector.close();
  });

  it('reports an item it cannot read as a failure named by its subject, not as deleted', async () => {
    const { connector } = connect(fake);
    const session = await connector.openFolder(folder, 'events');
    const first = await session.readChanges(null, new Map());
    const broken = calendar.create(phoneEvent('Nečitelná schůzka', 27));
    fake.faults.itemNotFound(broken.id);
    const next = await session.readChanges(first.token, new Map());
    expect(next.deleted).toEqual([]);
    expect(next.records.some((r) => r.serverId === broken.id)).toBe(false);
    expect(next.failures).toEqual([
      expect.objectContaining({ serverId: broken.id, label: 'Nečitelná schůzka' }),
    ]);
    await connector.close();
  });

  it('waits as a busy server asks and then gets the answer', async () => {
    const { connector, stats } = connect(fake, { maxBackOffMs: 1_000 });
    const session = await connector.openFolder(folder, 'events');
    fake.faults.serverBusy(2, 50, 'SyncFolderItems');
    const changes = await session.readChanges(null, new Map());
    // (The item made unreadable above still fails, and is still not taken for deleted.)
    expect(changes.records.length + changes.failures.length).toBe(calendar.items().length);
    // Two refused calls, then the one that was answered.
    expect(stats.byOperation.SyncFolderItems).toBe(3);
    await connector.close();
  });

  it('gives up with a transient error naming the call when the server stays busy too long', async () => {
    const { connector } = connect(fake, { maxBackOffMs: 100 });
    const session = await connector.openFolder(folder, 'events');
    fake.faults.serverBusy(3, 80, 'SyncFolderItems');
    const err = await failureOf(session.readChanges(null, new Map()));
    expect(err).toMatchObject({ code: 'server-busy', transient: true });
    expect(err.message).toContain('SyncFolderItems');
    await connector.close();
    // Use up what is left of the fault for the next test.
    fake.faults.serverBusy(0, 0);
  });

  it('retries after HTTP 503 and after a dropped connection', async () => {
    const { connector } = connect(fake);
    const session = await connector.openFolder(folder, 'events');
    fake.faults.http503(1);
    expect((await session.readChanges(null, new Map())).full).toBe(true);
    fake.faults.dropConnection(1);
    expect((await session.readChanges(null, new Map())).full).toBe(true);
    await connector.close();
  });
});
