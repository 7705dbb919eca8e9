/**
 * Writes against the fake Exchange: create, update and delete of an event, a task and a
 * contact, none of which sends mail; a stale ChangeKey never overwrites the server copy;
 * a series with a cancelled and a moved occurrence, created and then changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerFolder, ServerFolderSession } from '../../src/core/servers/connector.ts';
import { ItemError, VersionConflictError } from '../../src/core/servers/errors.ts';
import type { AgendaKind, EventData } from '../../src/core/model/items.ts';
import type { FakeEws, FakeFolder } from '../support/ews-fake/index.ts';
import {
  USER,
  connect,
  contact,
  event,
  expectValidRequests,
  failureOf,
  startFake,
  task,
} from './helpers.ts';
import type { ConnectorWithCategories } from './helpers.ts';

let fake: FakeEws;
let connector: ConnectorWithCategories;

beforeAll(async () => {
  fake = await startFake();
  ({ connector } = connect(fake));
});
afterAll(async () => {
  await connector.close();
  await expectValidRequests(fake);
  await fake.stop();
});

function folderOf(name: 'calendar' | 'tasks' | 'contacts'): FakeFolder {
  return fake.mailbox(USER.smtp).folder(name);
}

async function open(
  name: 'calendar' | 'tasks' | 'contacts',
  kind: AgendaKind,
): Promise<ServerFolderSession> {
  const f = folderOf(name);
  const folder: ServerFolder = {
    id: f.id,
    displayName: f.displayName,
    path: f.displayName,
    kinds: [kind],
    isDefault: true,
  };
  return connector.openFolder(folder, kind);
}

/** The attributes of the last call of `operation` (what the fake saw on the wire). */
function lastCall(operation: string): Record<string, string> {
  const call = [...fake.calls].reverse().find((c) => c.operation === operation);
  if (call === undefined) throw new Error(`no ${operation} call`);
  return call.attributes;
}

const identity = (n: number) => ({ uid: `crm-uid-${n}`, crmStamp: `crm-${n}` });

describe('an event', () => {
  it('is created, changed and deleted without mail to anyone', async () => {
    const session = await open('calendar', 'events');
    const data = event();
    const created = await session.create(data, identity(1));
    expect(lastCall('CreateItem').SendMeetingInvitations).toBe('SendToNone');
    const stored = folderOf('calendar')
      .items()
      .find((i) => i.id === created.serverId);
    expect(stored?.field('Subject')).toBe('Schůzka s klientem');
    expect(stored?.extendedProperty('X-CRM-SYNC-ID')).toBe('crm-1');
    expect(created.version).toBe(stored?.changeKey);

    const changed = await session.update(
      created.serverId,
      created.version,
      { ...data, location: 'Praha, zasedačka' },
      identity(1),
    );
    expect(lastCall('UpdateItem')).toMatchObject({
      ConflictResolution: 'NeverOverwrite',
      SendMeetingInvitationsOrCancellations: 'SendToNone',
    });
    const after = folderOf('calendar')
      .items()
      .find((i) => i.id === created.serverId);
    expect(after?.field('Location')).toBe('Praha, zasedačka');
    expect(changed.version).toBe(after?.changeKey);
    expect(changed.version).not.toBe(created.version);

    await session.remove(created.serverId, changed.version);
    expect(lastCall('DeleteItem')).toMatchObject({
      DeleteType: 'MoveToDeletedItems',
      SendMeetingCancellations: 'SendToNone',
    });
    expect(
      folderOf('calendar')
        .items()
        .some((i) => i.id === created.serverId),
    ).toBe(false);
    // Deleting what is gone already is fine.
    await session.remove(created.serverId, changed.version);
  });

  it('is not overwritten when it changed on the server since it was read', async () => {
    const session = await open('calendar', 'events');
    const created = await session.create(event({ subject: 'Porada vedení' }), identity(2));
    folderOf('calendar').update(
      created.serverId,
      '<t:Subject>Porada vedení (přesunuto)</t:Subject>',
    );
    const err = await failureOf(
      session.update(
        created.serverId,
        created.version,
        event({ subject: 'Porada CRM' }),
        identity(2),
      ),
    );
    expect(err).toBeInstanceOf(VersionConflictError);
    const stored = folderOf('calendar')
      .items()
      .find((i) => i.id === created.serverId);
    expect(stored?.field('Subject')).toBe('Porada vedení (přesunuto)');
  });

  it('is not overwritten when it changes between the read and the write', async () => {
    const session = await open('calendar', 'events');
    const created = await session.create(event({ subject: 'Školení' }), identity(3));
    fake.faults.beforeNextWrite(() =>
      folderOf('calendar').update(created.serverId, '<t:Subject>Školení (telefon)</t:Subject>'),
    );
    const err = await failureOf(
      session.update(
        created.serverId,
        created.version,
        event({ subject: 'Školení CRM' }),
        identity(3),
      ),
    );
    expect(err).toBeInstanceOf(VersionConflictError);
    const stored = folderOf('calendar')
      .items()
      .find((i) => i.id === created.serverId);
    expect(stored?.field('Subject')).toBe('Školení (telefon)');
  });

  it('is not deleted when it changed on the server since it was read', async () => {
    const session = await open('calendar', 'events');
    const created = await session.create(event({ subject: 'Oběd s dodavatelem' }), identity(7));
    folderOf('calendar').update(created.serverId, '<t:Location>Restaurace U Zlatého</t:Location>');
    const err = await failureOf(session.remove(created.serverId, created.version));
    expect(err).toBeInstanceOf(VersionConflictError);
    expect(
      folderOf('calendar')
        .items()
        .some((i) => i.id === created.serverId),
    ).toBe(true);
  });

  it('names an item deleted on the server when asked to change it', async () => {
    const session = await open('calendar', 'events');
    const created = await session.create(event({ subject: 'Zrušená návštěva' }), identity(8));
    folderOf('calendar').remove(created.serverId);
    const err = await failureOf(
      session.update(
        created.serverId,
        created.version,
        event({ subject: 'Návštěva' }),
        identity(8),
      ),
    );
    expect(err).toBeInstanceOf(ItemError);
    expect(err.code).toBe('item-gone');
    expect(err.message).toContain('"Návštěva" is no longer on the server');
  });
});

describe('a series', () => {
  const weekly = (overrides: Partial<EventData> = {}): EventData =>
    event({
      subject: 'Týdenní porada',
      start: { utc: '2026-11-23T08:00:00.000Z', tz: 'Europe/Prague' },
      end: { utc: '2026-11-23T09:00:00.000Z', tz: 'Europe/Prague' },
      rrule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=6',
      ...overrides,
    });

  it('keeps a cancelled and a moved occurrence, when created and when changed', async () => {
    const session = await open('calendar', 'events');
    const data = weekly({
      exdates: ['2026-11-30T08:00:00.000Z'],
      overrides: [
        {
          recurrenceId: '2026-12-07T08:00:00.000Z',
          start: { utc: '2026-12-08T12:00:00.000Z', tz: 'Europe/Prague' },
          end: { utc: '2026-12-08T13:00:00.000Z', tz: 'Europe/Prague' },
          subject: 'Porada (úterý)',
          location: null,
          description: null,
        },
      ],
    });
    const created = await session.create(data, identity(4));
    const master = folderOf('calendar')
      .items()
      .find((i) => i.id === created.serverId);
    expect(master?.deletedOccurrences()).toHaveLength(1);
    expect(master?.exceptions().map((e) => e.field('Subject'))).toEqual(['Porada (úterý)']);
    expect(created.version).toBe(master?.changeKey);

    // Read back as the engine would, then change: cancel another, move the moved one again.
    const listed = await session.readChanges(null, new Map());
    const record = listed.records.find((r) => r.serverId === created.serverId);
    expect(record?.data).toMatchObject({ exdates: data.exdates, overrides: data.overrides });

    const changed = weekly({
      exdates: ['2026-11-30T08:00:00.000Z', '2026-12-14T08:00:00.000Z'],
      overrides: [{ ...data.overrides[0]!, subject: 'Porada (úterý odpoledne)' }],
    });
    const updated = await session.update(created.serverId, record!.version, changed, identity(4));
    const after = folderOf('calendar')
      .items()
      .find((i) => i.id === created.serverId);
    expect(after?.deletedOccurrences()).toHaveLength(2);
    expect(after?.exceptions().map((e) => e.field('Subject'))).toEqual([
      'Porada (úterý odpoledne)',
    ]);
    expect(updated.version).toBe(after?.changeKey);
    // No mail for any of it.
    const writes = fake.calls.filter((c) =>
      ['CreateItem', 'UpdateItem', 'DeleteItem'].includes(c.operation),
    );
    for (const call of writes) {
      const mode =
        call.attributes.SendMeetingInvitations ??
        call.attributes.SendMeetingInvitationsOrCancellations ??
        call.attributes.SendMeetingCancellations;
      expect(mode).toBe('SendToNone');
    }
  });
});

describe('a task and a contact', () => {
  it('create, update and remove a task', async () => {
    const session = await open('tasks', 'tasks');
    const created = await session.create(task(), identity(5));
    expect(
      folderOf('tasks')
        .items()
        .find((i) => i.id === created.serverId)
        ?.field('Subject'),
    ).toBe('Poslat fakturu');
    const updated = await session.update(
      created.serverId,
      created.version,
      task({ subject: 'Poslat fakturu znovu', percentComplete: 50 }),
      identity(5),
    );
    const stored = folderOf('tasks')
      .items()
      .find((i) => i.id === created.serverId);
    expect(stored?.field('Subject')).toBe('Poslat fakturu znovu');
    expect(updated.version).toBe(stored?.changeKey);
    await session.remove(created.serverId, updated.version);
    expect(lastCall('DeleteItem').AffectedTaskOccurrences).toBe('AllOccurrences');
    expect(
      folderOf('tasks')
        .items()
        .some((i) => i.id === created.serverId),
    ).toBe(false);
  });

  it('create, update and remove a contact', async () => {
    const session = await open('contacts', 'contacts');
    const created = await session.create(contact(), identity(6));
    const stored = folderOf('contacts')
      .items()
      .find((i) => i.id === created.serverId);
    expect(stored?.field('Surname')).toBe('Dvořáková');
    const updated = await session.update(
      created.serverId,
      created.version,
      contact({ jobTitle: 'Ředitelka' }),
      identity(6),
    );
    const after = folderOf('contacts')
      .items()
      .find((i) => i.id === created.serverId);
    expect(after?.field('JobTitle')).toBe('Ředitelka');
    expect(updated.version).toBe(after?.changeKey);
    const listed = await session.readChanges(null, new Map());
    expect(listed.records.find((r) => r.serverId === created.serverId)?.identity).toEqual(
      identity(6),
    );
    await session.remove(created.serverId, updated.version);
    expect(
      folderOf('contacts')
        .items()
        .some((i) => i.id === created.serverId),
    ).toBe(false);
  });
});
