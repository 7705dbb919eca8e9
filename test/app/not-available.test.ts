/**
 * The app says plainly that Microsoft 365 and e-mail import are not in this version: the
 * status names them first (coded, worded in the UI language), "Synchronize now" is refused
 * with that reason, and "Test connection" on Microsoft 365 says so instead of signing in.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineService } from '../../src/core/app/engine-service.ts';
import { openCrmDatabase } from '../../src/core/crm/database.ts';
import { createUser } from '../../src/core/crm/users.ts';
import { MemorySecretStore } from '../../src/core/secrets/memory-secret-store.ts';
import { defaultSettings } from '../../src/shared/settings/schema.ts';
import type { Settings } from '../../src/shared/settings/schema.ts';
import { translator } from '../ui/labels.ts';
import { APP_INFO } from './helpers.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** Settings complete for a DAV server (never contacted), with `change` applied. */
function service(change: (s: Settings) => void): EngineService {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-sync-not-available-'));
  dirs.push(dir);
  const db = openCrmDatabase(path.join(dir, 'crm.sqlite'), { create: true });
  createUser(db, { login: 'pbartos', displayName: 'Pavel Bartoš', password: 'demo' });
  db.close();
  const settings = defaultSettings();
  settings.crm.user = 'pbartos';
  settings.connection.kind = 'dav';
  settings.connection.dav.url = 'https://dav.example.invalid/';
  settings.connection.dav.user = 'pbartos';
  settings.connection.m365.clientId = '12345678-1234-1234-1234-1234567890ab';
  change(settings);
  const file = path.join(dir, 'settings.json');
  fs.writeFileSync(file, JSON.stringify(settings, null, 2));
  return new EngineService({
    settingsFile: file,
    secrets: new MemorySecretStore({ 'server.password': 'pw' }),
    appInfo: APP_INFO,
  });
}

describe('not available in this version, in the app', () => {
  it('e-mail import on: the status says so first and Synchronize now is refused', async () => {
    const engine = service((s) => {
      s.agendas.mail.enabled = true;
    });
    const status = await engine.status();
    expect(status.configured).toBe(false);
    expect(status.problemDetails?.[0]).toMatchObject({
      field: 'agendas.mail.enabled',
      code: 'readiness-mail-unavailable',
    });
    const first = status.problemDetails?.[0];
    expect(translator('cs')(`error.${first?.code}`, first?.params)).toContain(
      'Import e-mailů (agendas.mail.enabled) v této verzi není k dispozici',
    );
    const now = await engine.syncNow();
    expect(now.accepted).toBe(false);
    expect(now.reasonCode).toBe('readiness-mail-unavailable');
  });

  it('Microsoft 365: Test connection says it is not available, and nothing is signed in', async () => {
    const engine = service((s) => {
      s.connection.kind = 'm365';
    });
    const status = await engine.status();
    expect(status.problemDetails?.[0]?.code).toBe('readiness-m365-unavailable');
    const test = await engine.testConnection({
      connection: { ...defaultSettings().connection, kind: 'm365' },
      password: '',
    });
    expect(test.ok).toBe(false);
    expect(JSON.stringify(test)).toContain('readiness-m365-unavailable');
  });
});
