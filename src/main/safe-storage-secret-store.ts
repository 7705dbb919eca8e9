/**
 * The app's SecretStore: values encrypted with Electron `safeStorage` (DPAPI on Windows,
 * Keychain on macOS, the Secret Service or KWallet on Linux), kept base64-encoded in one
 * owner-only JSON file under `app.getPath('userData')`.
 *
 * Electron is only a type here: main passes `safeStorage` in, so tests run this module in
 * plain Node with a fake.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { SafeStorage } from 'electron';
import { z } from 'zod';
import type { SecretStore } from '../core/secrets/secret-store.ts';

/** The part of Electron's `safeStorage` the store uses. */
export type SafeStorageLike = Pick<
  SafeStorage,
  | 'isAsyncEncryptionAvailable'
  | 'encryptStringAsync'
  | 'decryptStringAsync'
  | 'getSelectedStorageBackend'
>;

export interface SafeStorageSecretStoreOptions {
  safeStorage: SafeStorageLike;
  /** The JSON file, e.g. `<userData>/secrets.json`. */
  filePath: string;
  /** `process.platform` of the main process. */
  platform: NodeJS.Platform;
}

/** The file: `{ "version": 1, "secrets": { "<key>": "<base64 of the encrypted bytes>" } }`. */
const SecretsFileSchema = z.strictObject({
  version: z.literal(1),
  secrets: z.record(z.string(), z.base64()),
});

/** Keys look like `server.password` or `m365.msal-cache` (see SecretKey). */
const keyPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * Linux backends that do not really encrypt: `basic_text` uses a fixed, public key (no
 * keyring found); `plain` is what older Electron versions reported for the same case.
 */
const weakLinuxBackends: ReadonlySet<string> = new Set(['basic_text', 'plain']);

const linuxBackendNames: Readonly<Record<string, string>> = {
  gnome_libsecret: 'Secret Service (GNOME Keyring / libsecret)',
  kwallet: 'KWallet',
  kwallet5: 'KWallet 5',
  kwallet6: 'KWallet 6',
};

export class SafeStorageSecretStore implements SecretStore {
  readonly #safeStorage: SafeStorageLike;
  readonly #filePath: string;
  readonly #platform: NodeJS.Platform;
  /** Writes run one after another, so concurrent set/delete calls do not lose updates. */
  #writes: Promise<unknown> = Promise.resolve();

  constructor(options: SafeStorageSecretStoreOptions) {
    this.#safeStorage = options.safeStorage;
    this.#filePath = options.filePath;
    this.#platform = options.platform;
  }

  /** Where the secrets are kept and how they are protected (never the secrets). */
  get description(): string {
    const where = `file ${this.#filePath}`;
    if (this.#platform === 'win32') return `Electron safeStorage (Windows DPAPI), ${where}`;
    if (this.#platform === 'darwin') return `Electron safeStorage (macOS Keychain), ${where}`;
    const backend = this.#linuxBackend();
    if (weakLinuxBackends.has(backend)) {
      return (
        `Electron safeStorage, backend "${backend}", ${where}. WARNING: no OS keyring was ` +
        'found, so secrets are only obfuscated with a fixed key, not really encrypted. Run ' +
        'a Secret Service (GNOME Keyring, KeePassXC) or KWallet, or start the app with ' +
        '--password-store=gnome-libsecret / kwallet6.'
      );
    }
    const name = linuxBackendNames[backend] ?? `backend "${backend}"`;
    return `Electron safeStorage (${name}), ${where}`;
  }

  /**
   * True when the secrets are not really encrypted (Linux without a keyring), so the UI can
   * warn the user.
   */
  get isWeak(): boolean {
    return this.#platform === 'linux' && weakLinuxBackends.has(this.#linuxBackend());
  }

  async get(key: string): Promise<string | undefined> {
    checkKey(key);
    const secrets = await this.#read();
    const stored = secrets.get(key);
    if (stored === undefined) return undefined;
    await this.#requireEncryption();
    let decrypted;
    try {
      decrypted = await this.#safeStorage.decryptStringAsync(Buffer.from(stored, 'base64'));
    } catch (err) {
      throw new Error(
        `The secret "${key}" in ${this.#filePath} cannot be decrypted (was the OS keyring ` +
          'reset, or the file copied from another user or computer?). Enter it again.',
        { cause: err },
      );
    }
    if (decrypted.shouldReEncrypt) {
      // The OS key was rotated: store the value again under the new key, unless it changed
      // in the meantime.
      await this.#update(async (current) => {
        if (current.get(key) === stored) current.set(key, await this.#encrypt(decrypted.result));
      });
    }
    return decrypted.result;
  }

  async set(key: string, value: string): Promise<void> {
    checkKey(key);
    await this.#update(async (secrets) => {
      secrets.set(key, await this.#encrypt(value));
    });
  }

  async delete(key: string): Promise<void> {
    checkKey(key);
    await this.#update((secrets) => {
      secrets.delete(key);
    });
  }

  #linuxBackend(): string {
    try {
      return this.#safeStorage.getSelectedStorageBackend();
    } catch {
      return 'unknown';
    }
  }

  async #requireEncryption(): Promise<void> {
    if (!(await this.#safeStorage.isAsyncEncryptionAvailable())) {
      throw new Error(
        'The OS secret storage is not available (on Linux: no keyring, or the app is not ' +
          'ready yet), so passwords cannot be stored or read.',
      );
    }
  }

  async #encrypt(value: string): Promise<string> {
    await this.#requireEncryption();
    return (await this.#safeStorage.encryptStringAsync(value)).toString('base64');
  }

  async #read(): Promise<Map<string, string>> {
    let text: string;
    try {
      text = await readFile(this.#filePath, 'utf8');
    } catch (err) {
      if (isNodeError(err) && err.code === 'ENOENT') return new Map();
      throw new Error(`The secrets file ${this.#filePath} cannot be read.`, { cause: err });
    }
    let parsed;
    try {
      parsed = SecretsFileSchema.parse(JSON.parse(text));
    } catch (err) {
      // Never overwrite a file we do not understand: it may hold the only copy of a token.
      throw new Error(
        `The secrets file ${this.#filePath} is damaged or of an unknown version; move it ` +
          'away and enter the passwords again.',
        { cause: err },
      );
    }
    return new Map(Object.entries(parsed.secrets));
  }

  /** Read, change and atomically rewrite the file, one change at a time. */
  #update(change: (secrets: Map<string, string>) => void | Promise<void>): Promise<void> {
    const run = async (): Promise<void> => {
      const secrets = await this.#read();
      const before = JSON.stringify([...secrets]);
      await change(secrets);
      if (JSON.stringify([...secrets]) === before) return;
      const file = { version: 1, secrets: Object.fromEntries(secrets) };
      await writeFileAtomic(this.#filePath, `${JSON.stringify(file, null, 2)}\n`);
    };
    const result = this.#writes.then(run, run);
    this.#writes = result.catch(() => undefined);
    return result;
  }
}

function checkKey(key: string): void {
  if (!keyPattern.test(key)) throw new Error(`Invalid secret key: ${JSON.stringify(key)}.`);
}

function isNodeError(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && 'code' in err;
}

/**
 * Write `data` to `path` so that readers see the old or the new file, never a part: a
 * temporary owner-only (0600) file in the same folder, flushed, then renamed over `path`.
 */
async function writeFileAtomic(path: string, data: string): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    try {
      await handle.writeFile(data, 'utf8');
      await handle.chmod(0o600); // the umask cannot loosen it, but make it exact
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  if (process.platform !== 'win32') {
    // Make the rename itself durable.
    const dirHandle = await open(dir, 'r');
    try {
      await dirHandle.sync();
    } catch {
      // Some file systems cannot fsync a directory; the data itself is flushed.
    } finally {
      await dirHandle.close();
    }
  }
}
