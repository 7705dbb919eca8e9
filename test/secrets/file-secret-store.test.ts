import { chmodSync, existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.ts';
import { FileSecretStore } from '../../src/core/secrets/file-secret-store.ts';
import { SecretKey } from '../../src/core/secrets/secret-store.ts';
import { useTempDir } from '../settings/helpers.ts';

const tempDir = useTempDir();
const posix = process.platform !== 'win32';

describe('FileSecretStore', () => {
  it('round-trips secrets through the file', async () => {
    const file = join(tempDir(), 'demo.secrets.json');
    const store = new FileSecretStore(file);
    expect(await store.get(SecretKey.serverPassword)).toBeUndefined();
    await store.set(SecretKey.serverPassword, 'pässwörd "quoted"\n');
    await store.set(SecretKey.proxyPassword, 'proxy');
    const again = new FileSecretStore(file);
    expect(await again.get(SecretKey.serverPassword)).toBe('pässwörd "quoted"\n');
    expect(await again.get(SecretKey.proxyPassword)).toBe('proxy');
    await again.delete(SecretKey.serverPassword);
    expect(await store.get(SecretKey.serverPassword)).toBeUndefined();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ 'proxy.password': 'proxy' });
    await again.delete('not.there');
  });

  it('does not answer for inherited object properties', async () => {
    const store = new FileSecretStore(join(tempDir(), 's.json'));
    await store.set('a', 'b');
    expect(await store.get('toString')).toBeUndefined();
    expect(await store.get('__proto__')).toBeUndefined();
  });

  it.skipIf(!posix)('creates the file owner-only, in a private folder it creates', async () => {
    const dir = join(tempDir(), 'private');
    const file = join(dir, 'secrets.json');
    await new FileSecretStore(file).set(SecretKey.serverPassword, 'x');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readdirSync(dir)).toEqual(['secrets.json']);
  });

  it.skipIf(!posix)('refuses a file others can read, saying how to fix it', async () => {
    const file = join(tempDir(), 'secrets.json');
    writeFileSync(file, '{"server.password": "x"}');
    chmodSync(file, 0o644);
    const store = new FileSecretStore(file);
    const expected = `Secrets file ${file} can be read or changed by other users (mode 644); run \`chmod 600 ${file}\` and try again.`;
    await expect(store.get(SecretKey.serverPassword)).rejects.toThrow(ConfigError);
    await expect(store.get(SecretKey.serverPassword)).rejects.toThrow(expected);
    await expect(store.set(SecretKey.serverPassword, 'y')).rejects.toThrow(expected);
    expect(readFileSync(file, 'utf8')).toBe('{"server.password": "x"}');
    chmodSync(file, 0o640);
    await expect(store.get(SecretKey.serverPassword)).rejects.toThrow('(mode 640)');
    chmodSync(file, 0o600);
    expect(await store.get(SecretKey.serverPassword)).toBe('x');
  });

  it('does not check POSIX modes on Windows', async () => {
    const file = join(tempDir(), 'secrets.json');
    writeFileSync(file, '{"server.password": "x"}');
    chmodSync(file, 0o644);
    expect(
      await new FileSecretStore(file, { platform: 'win32' }).get(SecretKey.serverPassword),
    ).toBe('x');
  });

  it('refuses a damaged file instead of overwriting it', async () => {
    const file = join(tempDir(), 'secrets.json');
    writeFileSync(file, '{"server.password": ', { mode: 0o600 });
    const store = new FileSecretStore(file);
    await expect(store.set(SecretKey.serverPassword, 'y')).rejects.toThrow(
      new RegExp(`^Secrets file ${file} is not valid JSON \\(`),
    );
    writeFileSync(file, '{"server.password": 5}');
    await expect(store.get(SecretKey.serverPassword)).rejects.toThrow(
      'must hold a JSON object of text values',
    );
    expect(readFileSync(file, 'utf8')).toBe('{"server.password": 5}');
  });

  it('loses no update when several are made at once', async () => {
    const file = join(tempDir(), 'secrets.json');
    const store = new FileSecretStore(file);
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.set(`key.${i}`, `value ${i}`)));
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    expect(Object.keys(saved)).toHaveLength(20);
    expect(existsSync(`${file}.bak`)).toBe(false);
  });

  it('says where it keeps secrets, never what they are', async () => {
    const file = join(tempDir(), 'secrets.json');
    const store = new FileSecretStore(file);
    await store.set(SecretKey.serverPassword, 'hunter2');
    expect(store.description).toBe(`owner-only file ${file}`);
  });
});
