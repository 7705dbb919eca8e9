/**
 * What the app's status says is missing before a sync can run, and why the settings file
 * cannot be used, carries codes next to the English (SyncStatus.problemDetails), so the
 * main window words it in the UI's language.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineService } from '../../src/core/app/engine-service.ts';
import { MemorySecretStore } from '../../src/core/secrets/memory-secret-store.ts';
import { defaultSettings } from '../../src/shared/settings/schema.ts';
import type { SyncStatus } from '../../src/shared/app-api.ts';
import { translator } from '../ui/labels.ts';

const APP_INFO = { name: 'CRM Sync', version: '0.0.0', platform: 'linux', locale: 'cs-CZ' };
const dirs: string[] = [];

function service(settings?: unknown): { engine: EngineService; file: string; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-sync-readiness-'));
  dirs.push(dir);
  const file = path.join(dir, 'settings.json');
  if (settings !== undefined) fs.writeFileSync(file, JSON.stringify(settings, null, 2));
  const engine = new EngineService({
    settingsFile: file,
    secrets: new MemorySecretStore(),
    appInfo: APP_INFO,
  });
  return { engine, file, dir };
}

afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** The problems as the main window words them in `language` (their codes' texts). */
function worded(status: SyncStatus, language: 'en' | 'cs'): string {
  const t = translator(language);
  return (status.problemDetails ?? []).map((p) => t(`error.${p.code}`, p.params)).join(' ');
}

describe('readiness in the status', () => {
  it('each missing setting has its code and key; the main window words them in Czech', async () => {
    const settings = defaultSettings();
    settings.crm.databasePath = 'missing.sqlite';
    settings.connection.kind = 'dav';
    const { engine, dir } = service(settings);
    const status = await engine.status();
    const missingDb = path.join(dir, 'missing.sqlite');
    expect(status.configured).toBe(false);
    // The English stays as it was (the CLI's words).
    expect(status.problems).toEqual([
      'crm.user is empty: set the CRM login whose data is synchronised.',
      'connection.dav.url is empty: set the CalDAV/CardDAV server address.',
      'connection.dav.user is empty: set the user name on the CalDAV/CardDAV server.',
      `crm.databasePath: the CRM database ${missingDb} does not exist.`,
    ]);
    expect(status.problemDetails).toEqual([
      {
        field: 'crm.user',
        message: status.problems[0],
        code: 'readiness-crm-user',
        params: { field: 'crm.user' },
      },
      {
        field: 'connection.dav.url',
        message: status.problems[1],
        code: 'readiness-dav-url',
        params: { field: 'connection.dav.url' },
      },
      {
        field: 'connection.dav.user',
        message: status.problems[2],
        code: 'readiness-dav-user',
        params: { field: 'connection.dav.user' },
      },
      {
        field: 'crm.databasePath',
        message: status.problems[3],
        code: 'readiness-crm-database-missing',
        params: { field: 'crm.databasePath', path: missingDb },
      },
    ]);
    // In English the app says what the CLI says; in Czech, Czech.
    expect(worded(status, 'en')).toBe(status.problems.join(' '));
    expect(worded(status, 'cs')).toBe(
      'crm.user je prázdné: zadejte přihlašovací jméno v CRM, jehož data se synchronizují. ' +
        'connection.dav.url je prázdné: zadejte adresu serveru CalDAV/CardDAV. ' +
        'connection.dav.user je prázdné: zadejte jméno uživatele na serveru CalDAV/CardDAV. ' +
        `crm.databasePath: databáze CRM ${missingDb} neexistuje.`,
    );
    // "Synchronize now" refused for the first of them, with its code.
    expect(await engine.syncNow()).toEqual({
      accepted: false,
      reason: status.problems[0],
      reasonCode: 'readiness-crm-user',
      reasonParams: { field: 'crm.user' },
    });
  });

  it('no settings file yet: coded too', async () => {
    const { engine, file } = service();
    const status = await engine.status();
    expect(status.problemDetails).toEqual([
      { field: '', message: status.problems[0], code: 'settings-none', params: { file } },
    ]);
    expect(worded(status, 'cs')).toBe(
      `Nastavení zatím neexistuje (${file}): spusťte průvodce nastavením.`,
    );
  });

  it('an invalid settings file: one English sentence, and each problem coded for the app', async () => {
    const settings = defaultSettings() as unknown as Record<string, unknown> & {
      schedule: Record<string, unknown>;
    };
    settings.schedule.intervalMinutes = 0;
    settings.colour = 'blue';
    const { engine, file } = service(settings);
    const status = await engine.status();
    expect(status.problems).toEqual([
      `Settings file ${file}: schedule.intervalMinutes must be a whole number from 1 to 1440 (got 0); colour is not a known setting.`,
    ]);
    expect(status.problemDetails?.map((p) => p.code)).toEqual([
      'settings-file-invalid',
      'setting-invalid',
      'setting-unknown',
    ]);
    expect(status.problemDetails?.[2]).toEqual({
      field: 'colour',
      message: 'colour is not a known setting.',
      code: 'setting-unknown',
      params: { field: 'colour' },
    });
    expect(worded(status, 'cs')).toMatch(
      /^Soubor nastavení .* obsahuje chyby: schedule\.intervalMinutes musí být .* colour není známé nastavení\.$/,
    );
  });
});
