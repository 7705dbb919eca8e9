import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  SECRETS_FILE_ENV,
  createCliSecretStore,
  secretsFileFor,
} from '../../src/core/secrets/cli-secret-store.ts';
import { SecretKey } from '../../src/core/secrets/secret-store.ts';
import { loadSettings, saveSettings } from '../../src/core/settings/file.ts';
import { setSettingValue } from '../../src/core/settings/keys.ts';
import { defaultSettings } from '../../src/shared/settings/schema.ts';
import { configErrorOf, useTempDir } from '../settings/helpers.ts';

const tempDir = useTempDir();

describe('secretsFileFor', () => {
  it('puts the secrets next to the settings file', () => {
    expect(secretsFileFor('/x/demo.json', {})).toBe(resolve('/x/demo.secrets.json'));
    expect(secretsFileFor('/x/settings', {})).toBe(resolve('/x/settings.secrets.json'));
  });

  it('follows CRM_SYNC_SECRETS_FILE when set', () => {
    expect(secretsFileFor('/x/demo.json', { [SECRETS_FILE_ENV]: '/vault/crm.json' })).toBe(
      resolve('/vault/crm.json'),
    );
    expect(secretsFileFor('/x/demo.json', { [SECRETS_FILE_ENV]: '' })).toBe(
      resolve('/x/demo.secrets.json'),
    );
  });
});

describe('createCliSecretStore', () => {
  it('stores a password in the secrets file and never in the settings file', async () => {
    const dir = tempDir();
    const settingsFile = join(dir, 'demo.json');
    let settings = setSettingValue(defaultSettings(), 'connection.kind', 'dav');
    settings = setSettingValue(settings, 'connection.dav.user', 'pbartos');
    saveSettings(settingsFile, settings);

    const store = createCliSecretStore(settingsFile, {});
    await store.set(SecretKey.serverPassword, 'hunter2-ÄÖ');
    saveSettings(settingsFile, loadSettings(settingsFile));

    for (const name of readdirSync(dir).filter((n) => !n.includes('.secrets.'))) {
      expect(readFileSync(join(dir, name), 'utf8'), name).not.toContain('hunter2');
    }
    const secretsFile = join(dir, 'demo.secrets.json');
    expect(JSON.parse(readFileSync(secretsFile, 'utf8'))).toEqual({
      'server.password': 'hunter2-ÄÖ',
    });
    if (process.platform !== 'win32') expect(statSync(secretsFile).mode & 0o777).toBe(0o600);
    expect(await createCliSecretStore(settingsFile, {}).get(SecretKey.serverPassword)).toBe(
      'hunter2-ÄÖ',
    );
    expect(loadSettings(settingsFile)).toEqual(settings);
  });

  it('lets an environment variable override the file', async () => {
    const settingsFile = join(tempDir(), 'demo.json');
    await createCliSecretStore(settingsFile, {}).set(SecretKey.serverPassword, 'from-file');
    const store = createCliSecretStore(settingsFile, { CRM_SYNC_SERVER_PASSWORD: 'from-env' });
    expect(await store.get(SecretKey.serverPassword)).toBe('from-env');
    expect(store.description).toBe(
      `environment variables (CRM_SYNC_...), then owner-only file ${settingsFile.replace(/\.json$/, '.secrets.json')}`,
    );
  });

  it('writes to the file named by CRM_SYNC_SECRETS_FILE', async () => {
    const dir = tempDir();
    const vault = join(dir, 'vault', 'crm.json');
    const store = createCliSecretStore(join(dir, 'demo.json'), { [SECRETS_FILE_ENV]: vault });
    await store.set(SecretKey.proxyPassword, 'p');
    expect(JSON.parse(readFileSync(vault, 'utf8'))).toEqual({ 'proxy.password': 'p' });
  });

  it('refuses a secrets file that is the settings file itself', () => {
    const settingsFile = join(tempDir(), 'demo.json');
    expect(
      configErrorOf(() => createCliSecretStore(settingsFile, { [SECRETS_FILE_ENV]: settingsFile })),
    ).toBe(
      `CRM_SYNC_SECRETS_FILE names the settings file ${settingsFile} itself; point it at a separate file.`,
    );
  });
});
