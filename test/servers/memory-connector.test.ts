/**
 * The in-memory reference connector keeps the connector contract (connector.ts): folders of
 * each kind, a new version on every write, change tokens, refused stale writes, a delete of
 * a gone item that succeeds, what the CRM does not model kept through an update. It is
 * registered only by a test and never offered, and the real engine synchronises with it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCrmDatabase } from '../../src/core/crm/database.ts';
import type { CrmDatabase } from '../../src/core/crm/database.ts';
import { insertEvent, listEvents } from '../../src/core/crm/events.ts';
import { createUser } from '../../src/core/crm/users.ts';
import { MemorySecretStore } from '../../src/core/secrets/memory-secret-store.ts';
import type { ServerFolderSession } from '../../src/core/servers/connector.ts';
import { createConnector } from '../../src/core/servers/create-connector.ts';
import { VersionConflictError } from '../../src/core/servers/errors.ts';
import { MEMORY_KIND, memoryKind } from '../../src/core/servers/memory/kind.ts';
import { createMemoryServer } from '../../src/core/servers/memory/memory-server.ts';
import type { MemoryServer } from '../../src/core/servers/memory/memory-server.ts';
import {
  connectorKind,
  connectorKindOf,
  offeredConnectorKinds,
  registerConnectorKind,
} from '../../src/core/servers/registry.ts';
import { defaultSettings } from '../../src/shared/settings/schema.ts';
import { runSync } from '../../src/core/sync/engine.ts';
import type { EventData, ItemIdentity } from '../../src/core/model/items.ts';
import { plainEvent } from '../support/event-data.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

const event = (subject: string): EventData => plainEvent(subject);

const identity = (uid: string): ItemIdentity => ({ uid, crmStamp: null });

async function calendarOf(server: MemoryServer): Promise<ServerFolderSession> {
  return server.connector().openFolder(server.defaultFolder('events'), 'events');
}

describe('the in-memory reference connector', () => {
  it('offers one default folder per agenda and makes more', async () => {
    const server = createMemoryServer();
    const connector = server.connector();
    const folders = await connector.listFolders();
    expect(folders.map((f) => [f.displayName, f.kinds, f.isDefault])).toEqual([
      ['Calendar', ['events'], true],
      ['Tasks', ['tasks'], true],
      ['Contacts', ['contacts'], true],
    ]);
    const made = await connector.createFolder?.('events', 'Projects');
    expect(made).toMatchObject({ displayName: 'Projects', kinds: ['events'], isDefault: false });
    expect((await connector.listFolders()).map((f) => f.displayName)).toContain('Projects');
  });

  it('gives a created item a UID when it has none, and a new version on every write', async () => {
    const server = createMemoryServer();
    const calendar = await calendarOf(server);
    const created = await calendar.create(event('Porada'), identity(''));
    expect(created.uid).toMatch(/\S/);
    const stored = server.get(calendar.folder.id, created.serverId);
    expect(stored).toMatchObject({ version: created.version, identity: { uid: created.uid } });
    const updated = await calendar.update(
      created.serverId,
      created.version,
      event('Porada 2'),
      identity(created.uid ?? ''),
    );
    expect(updated.version).not.toBe(created.version);
    const phone = server.put(
      calendar.folder.id,
      {
        identity: identity(created.uid ?? ''),
        data: event('Porada 3'),
      },
      created.serverId,
    );
    expect(phone.version).not.toBe(updated.version);
  });

  it('refuses a write with a stale version, and deleting what is gone succeeds', async () => {
    const server = createMemoryServer();
    const calendar = await calendarOf(server);
    const created = await calendar.create(event('Porada'), identity('u1'));
    server.put(
      calendar.folder.id,
      { identity: identity('u1'), data: event('Phone') },
      created.serverId,
    );
    await expect(
      calendar.update(created.serverId, created.version, event('CRM'), identity('u1')),
    ).rejects.toBeInstanceOf(VersionConflictError);
    await expect(calendar.remove(created.serverId, created.version)).rejects.toBeInstanceOf(
      VersionConflictError,
    );
    expect(server.delete(calendar.folder.id, created.serverId)).toBe(true);
    await expect(calendar.remove(created.serverId, created.version)).resolves.toBeUndefined();
  });

  it('keeps what the CRM does not model through an update', async () => {
    const server = createMemoryServer();
    const calendar = await calendarOf(server);
    const { serverId, version } = server.put(calendar.folder.id, {
      identity: identity('u1'),
      data: event('Porada'),
      extra: { 'X-PHONE-COLOR': 'red' },
    });
    await calendar.update(serverId, version, event('Porada (CRM)'), identity('u1'));
    expect(server.get(calendar.folder.id, serverId)).toMatchObject({
      data: { subject: 'Porada (CRM)' },
      extra: { 'X-PHONE-COLOR': 'red' },
    });
  });

  it("hands out each version's server copy, and refuses an update from another version's", async () => {
    const server = createMemoryServer();
    const calendar = await calendarOf(server);
    const folderId = calendar.folder.id;
    const first = server.put(folderId, {
      identity: identity('u1'),
      data: event('Porada'),
      extra: { 'X-PHONE-COLOR': 'red' },
    });
    const read = (await calendar.readChanges(null, new Map())).records[0]!;
    expect(read.source).toBe(JSON.stringify({ 'X-PHONE-COLOR': 'red' }));
    server.put(
      folderId,
      { identity: identity('u1'), data: event('Porada'), extra: { 'X-PHONE-COLOR': 'blue' } },
      first.serverId,
    );
    const current = server.get(folderId, first.serverId)!;
    // The copy read before the phone's edit, with the version of after it: an engine bug.
    await expect(
      calendar.update(first.serverId, current.version, event('CRM'), identity('u1'), read.source),
    ).rejects.toThrow(/not its version/);
    const updated = await calendar.update(
      first.serverId,
      current.version,
      event('CRM'),
      identity('u1'),
      JSON.stringify({ 'X-PHONE-COLOR': 'blue' }),
    );
    expect(updated.source).toBe(JSON.stringify({ 'X-PHONE-COLOR': 'blue' }));
  });

  it('lists everything without a token, then only what changed since it', async () => {
    const server = createMemoryServer();
    const calendar = await calendarOf(server);
    const folderId = calendar.folder.id;
    const a = server.put(folderId, { identity: identity('a'), data: event('A') });
    const b = server.put(folderId, { identity: identity('b'), data: event('B') });
    const first = await calendar.readChanges(null, new Map());
    expect(first).toMatchObject({ full: true, listed: true, deleted: [] });
    expect(first.records.map((r) => r.data.kind === 'event' && r.data.subject).sort()).toEqual([
      'A',
      'B',
    ]);

    server.put(folderId, { identity: identity('a'), data: event('A2') }, a.serverId);
    server.delete(folderId, b.serverId);
    const second = await calendar.readChanges(first.token, new Map());
    expect(second.full).toBe(false);
    expect(second.records.map((r) => r.serverId)).toEqual([a.serverId]);
    expect(second.deleted).toEqual([b.serverId]);

    const third = await calendar.readChanges(second.token, new Map());
    expect(third).toMatchObject({ full: false, records: [], deleted: [] });
  });

  it('lists everything again when its tokens expire, saying why', async () => {
    const server = createMemoryServer();
    const calendar = await calendarOf(server);
    server.put(calendar.folder.id, { identity: identity('a'), data: event('A') });
    const first = await calendar.readChanges(null, new Map());
    server.expireTokens();
    const again = await calendar.readChanges(first.token, new Map());
    expect(again).toMatchObject({ full: true, fallbackReason: 'sync token expired' });
    expect(again.records).toHaveLength(1);
  });

  it('confirms which items a listing left out are really gone', async () => {
    const server = createMemoryServer();
    const calendar = await calendarOf(server);
    const kept = server.put(calendar.folder.id, { identity: identity('a'), data: event('A') });
    const verdicts = await calendar.confirmGone?.([kept.serverId, 'no-such-item']);
    expect(verdicts && Object.fromEntries(verdicts)).toEqual({
      [kept.serverId]: 'present',
      'no-such-item': 'gone',
    });
  });
});

describe('the in-memory kind in the registry', () => {
  it('is not offered and no settings select it, until a test registers it and asks by id', async () => {
    expect(connectorKind(MEMORY_KIND)).toBeUndefined();
    const server = createMemoryServer();
    cleanups.push(registerConnectorKind(memoryKind(server)));
    expect(offeredConnectorKinds().map((k) => k.id)).toEqual(['exchange', 'dav']);
    const settings = defaultSettings();
    expect(connectorKindOf(settings).id).toBe(settings.connection.kind);
    const connector = await createConnector(settings, new MemorySecretStore(), {
      kind: MEMORY_KIND,
    });
    expect(await connector.listFolders()).toHaveLength(3);
    cleanups.pop()?.();
    expect(connectorKind(MEMORY_KIND)).toBeUndefined();
  });
});

describe('the engine with the in-memory connector', () => {
  let db: CrmDatabase | undefined;
  afterEach(() => db?.close());

  it('exports a CRM meeting and imports the phone’s change to it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-sync-memory-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    db = openCrmDatabase(path.join(dir, 'crm.sqlite'), { create: true });
    const ownerId = createUser(db, { login: 'pavel', displayName: 'Pavel', password: 'heslo-123' });
    const id = insertEvent(db, {
      subject: 'Porada',
      allDay: false,
      start: '2026-03-30T07:00:00.000Z',
      end: '2026-03-30T08:00:00.000Z',
      ownerId,
    });
    const settings = defaultSettings();
    settings.crm.user = 'pavel';
    const server = createMemoryServer({ now: () => new Date('2026-03-25T12:00:00.000Z') });
    const now = new Date('2026-03-25T10:00:00.000Z');
    const connector = server.connector();

    await runSync({ db, settings, connector, agendas: ['events'], now });
    const folderId = server.defaultFolder('events').id;
    const [exported] = server.list(folderId);
    if (exported?.data.kind !== 'event') throw new Error('nothing exported');
    expect(exported.data.subject).toBe('Porada');

    server.put(
      folderId,
      { identity: exported.identity, data: { ...exported.data, subject: 'Porada (phone)' } },
      exported.serverId,
    );
    await runSync({ db, settings, connector, agendas: ['events'], now });
    expect(listEvents(db).find((e) => e.id === id)?.subject).toBe('Porada (phone)');
    // Nothing left to do, and the run's own writes were not taken for others'.
    const again = await runSync({ db, settings, connector, agendas: ['events'], now });
    expect(again.status).toBe('ok');
    expect(again.agendas.map((a) => [a.crm, a.server, a.failed])).toEqual([
      [{ created: 0, updated: 0, deleted: 0 }, { created: 0, updated: 0, deleted: 0 }, []],
    ]);
  });
});
