/**
 * The wizard's server step with Exchange, as the UI calls the engine: "Test connection"
 * against the fake Exchange (the real EWS client over HTTP) names the wrong field for each
 * failure, lists the mailbox's folders when it works, and the category pairing editor gets
 * the mailbox's master category list.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EngineService } from '../../src/core/app/engine-service.ts';
import { openCrmDatabase } from '../../src/core/crm/database.ts';
import { createUser } from '../../src/core/crm/users.ts';
import { MemorySecretStore } from '../../src/core/secrets/memory-secret-store.ts';
import { SecretKey } from '../../src/core/secrets/secret-store.ts';
import { defaultSettings } from '../../src/shared/settings/schema.ts';
import type { Settings } from '../../src/shared/settings/schema.ts';
import { startFakeEws } from '../support/ews-fake/index.ts';
import type { FakeEws } from '../support/ews-fake/index.ts';
import { APP_INFO } from './helpers.ts';

let fake: FakeEws;
let dir: string;
let service: EngineService;
let secrets: MemorySecretStore;
let settings: Settings;

beforeEach(async () => {
  fake = await startFakeEws({
    accounts: [
      { user: 'pbartos', password: 'Heslo-2026', smtp: 'pbartos@firma.test' },
      { user: 'svc-crm', password: 'Servis-2026', smtp: 'svc@firma.test', canImpersonate: true },
    ],
  });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-sync-app-ews-'));
  const db = openCrmDatabase(path.join(dir, 'crm.sqlite'), { create: true });
  createUser(db, { login: 'pbartos', displayName: 'Pavel Bartoš', password: 'heslo' });
  db.close();
  settings = defaultSettings();
  settings.crm.databasePath = 'crm.sqlite';
  settings.crm.user = 'pbartos';
  settings.connection.kind = 'exchange';
  settings.connection.exchange.ewsUrl = fake.ewsUrl;
  settings.connection.exchange.user = 'pbartos';
  secrets = new MemorySecretStore();
  service = new EngineService({
    settingsFile: path.join(dir, 'settings.json'),
    secrets,
    appInfo: APP_INFO,
  });
});

afterEach(async () => {
  await service.stop();
  const invalid = await fake.invalidRequests();
  await fake.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  expect(invalid).toEqual([]);
});

describe('Test connection with Exchange', () => {
  it('puts a wrong password on the password field, and lists the folders with the right one', async () => {
    const connection = settings.connection;
    const wrong = await service.testConnection({ connection, password: 'spatne' });
    expect(wrong).toMatchObject({
      ok: false,
      problems: [{ field: 'connection.password', code: 'auth-failed' }],
    });
    const right = await service.testConnection({ connection, password: 'Heslo-2026' });
    expect(right.ok).toBe(true);
    const folders = right.ok ? right.value : [];
    expect(folders).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'Calendar', kinds: ['events'], isDefault: true }),
        expect.objectContaining({ path: 'Tasks', kinds: ['tasks'], isDefault: true }),
        expect.objectContaining({ path: 'Contacts', kinds: ['contacts'], isDefault: true }),
      ]),
    );
    // Tested, not stored.
    expect(await secrets.get(SecretKey.serverPassword)).toBeUndefined();
  });

  it('puts a mailbox the service account cannot find on the mailbox field', async () => {
    const connection = structuredClone(settings.connection);
    connection.exchange.user = 'svc-crm';
    connection.exchange.mailboxMode = 'impersonation';
    connection.exchange.mailbox = 'nikdo@firma.test';
    const result = await service.testConnection({ connection, password: 'Servis-2026' });
    expect(result).toMatchObject({
      ok: false,
      problems: [
        {
          field: 'connection.exchange.mailbox',
          code: 'mailbox-not-found',
          message: expect.stringContaining('nikdo@firma.test') as unknown as string,
        },
      ],
    });
  });

  it('puts a sign-in method the server does not offer on the method field', async () => {
    const basicOnly = await startFakeEws({
      accounts: [{ user: 'pbartos', password: 'Heslo-2026', smtp: 'pbartos@firma.test' }],
      auth: ['basic'],
    });
    try {
      const connection = structuredClone(settings.connection);
      connection.exchange.ewsUrl = basicOnly.ewsUrl;
      connection.exchange.auth = 'ntlm';
      const result = await service.testConnection({ connection, password: 'Heslo-2026' });
      expect(result).toMatchObject({
        ok: false,
        problems: [
          {
            field: 'connection.exchange.auth',
            code: 'auth-method-not-offered',
            params: { chosen: 'NTLM', offered: 'Basic' },
          },
        ],
      });
      expect(await basicOnly.invalidRequests()).toEqual([]);
    } finally {
      await basicOnly.stop();
    }
  });

  it("offers the mailbox's master category list for category pairing", async () => {
    fake.mailbox('pbartos@firma.test').categories.push('Hotline', 'Registrace');
    expect(await service.saveSettings(settings)).toEqual({ ok: true });
    await service.setServerPassword('Heslo-2026');
    expect(await service.listServerCategories()).toEqual({
      ok: true,
      value: ['Hotline', 'Registrace'],
    });
  });
});
