/** The app's secret store, run in plain Node with a stand-in for Electron's safeStorage. */
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecretKey } from '../../src/core/secrets/secret-store.ts';
import {
  SafeStorageSecretStore,
  type SafeStorageLike,
} from '../../src/main/safe-storage-secret-store.ts';

type Backend = ReturnType<SafeStorageLike['getSelectedStorageBackend']>;

/** "Encrypts" by XOR with a key byte; `keyVersion` changes simulate an OS key rotation. */
class FakeSafeStorage implements SafeStorageLike {
  available = true;
  backend: Backend = 'gnome_libsecret';
  keyVersion = 1;

  async isAsyncEncryptionAvailable(): Promise<boolean> {
    return this.available;
  }
  async encryptStringAsync(plainText: string): Promise<Buffer> {
    const data = Buffer.from(plainText, 'utf8').map((byte) => byte ^ 0x5a);
    return Buffer.concat([Buffer.from([this.keyVersion]), data]);
  }
  async decryptStringAsync(encrypted: Buffer) {
    const version = encrypted[0];
    if (version !== 1 && version !== 2) throw new Error('bad ciphertext');
    const result = Buffer.from(encrypted.subarray(1).map((byte) => byte ^ 0x5a)).toString('utf8');
    return { result, shouldReEncrypt: version < this.keyVersion };
  }
  getSelectedStorageBackend(): Backend {
    return this.backend;
  }
}

let dir: string;
let file: string;
let safeStorage: FakeSafeStorage;
let store: SafeStorageSecretStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-sync-secrets-'));
  file = join(dir, 'userData', 'secrets.json');
  safeStorage = new FakeSafeStorage();
  store = new SafeStorageSecretStore({ safeStorage, filePath: file, platform: 'linux' });
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('SafeStorageSecretStore', () => {
  it('stores, reads and deletes secrets, never in plain text', async () => {
    expect(await store.get(SecretKey.serverPassword)).toBeUndefined();
    await store.set(SecretKey.serverPassword, 'Tajné heslo €');
    await store.set(SecretKey.serverToken, 'token-123');
    expect(await store.get(SecretKey.serverPassword)).toBe('Tajné heslo €');
    expect(await store.get(SecretKey.serverToken)).toBe('token-123');

    const text = await readFile(file, 'utf8');
    expect(text).not.toContain('Tajné');
    expect(text).not.toContain('token-123');
    expect(JSON.parse(text)).toEqual({
      version: 1,
      secrets: { 'server.password': expect.any(String), 'server.token': expect.any(String) },
    });

    await store.delete(SecretKey.serverPassword);
    expect(await store.get(SecretKey.serverPassword)).toBeUndefined();
    expect(await store.get(SecretKey.serverToken)).toBe('token-123');
    await store.delete('never.stored');
  });

  it.skipIf(process.platform === 'win32')('keeps the file owner-only (0600)', async () => {
    await store.set(SecretKey.proxyPassword, 'p');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('loses no update when calls overlap', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.set(`agenda.${i}.password`, `secret ${i}`)),
    );
    for (let i = 0; i < 20; i++)
      expect(await store.get(`agenda.${i}.password`)).toBe(`secret ${i}`);
  });

  it('re-encrypts a value when the OS key was rotated', async () => {
    await store.set(SecretKey.msalCache, '{"cache":1}');
    const before = await readFile(file, 'utf8');
    safeStorage.keyVersion = 2;
    expect(await store.get(SecretKey.msalCache)).toBe('{"cache":1}');
    const after = await readFile(file, 'utf8');
    expect(after).not.toBe(before);
    expect(await store.get(SecretKey.msalCache)).toBe('{"cache":1}');
  });

  it('refuses to work when encryption is not available', async () => {
    safeStorage.available = false;
    await expect(store.set(SecretKey.serverPassword, 'x')).rejects.toThrow(/not available/);
  });

  it('refuses a damaged file instead of overwriting it', async () => {
    await store.set(SecretKey.serverPassword, 'x');
    await writeFile(file, '{ not json');
    await expect(store.get(SecretKey.serverPassword)).rejects.toThrow(/damaged/);
    await expect(store.set(SecretKey.serverToken, 'y')).rejects.toThrow(/damaged/);
    expect(await readFile(file, 'utf8')).toBe('{ not json');
  });

  it('names a value it cannot decrypt', async () => {
    await mkdir(join(dir, 'userData'));
    await writeFile(file, JSON.stringify({ version: 1, secrets: { 'server.token': 'AAAA' } }));
    await expect(store.get(SecretKey.serverToken)).rejects.toThrow(
      /"server.token".*cannot be decrypted/,
    );
  });

  it('rejects malformed keys', async () => {
    await expect(store.set('', 'x')).rejects.toThrow(/Invalid secret key/);
    await expect(store.get('../x')).rejects.toThrow(/Invalid secret key/);
  });

  it('describes the backend and warns when Linux has no keyring', () => {
    expect(store.description).toContain('Secret Service');
    expect(store.description).toContain(file);
    expect(store.isWeak).toBe(false);

    safeStorage.backend = 'basic_text';
    expect(store.description).toMatch(/WARNING.*not really encrypted/);
    expect(store.isWeak).toBe(true);

    const windows = new SafeStorageSecretStore({ safeStorage, filePath: file, platform: 'win32' });
    expect(windows.description).toContain('DPAPI');
    expect(windows.isWeak).toBe(false);
    const mac = new SafeStorageSecretStore({ safeStorage, filePath: file, platform: 'darwin' });
    expect(mac.description).toContain('Keychain');
  });
});
