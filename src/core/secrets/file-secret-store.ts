/**
 * Secrets in a JSON file only its owner may read, for the CLI on machines without an OS
 * keyring it can use. The file is a flat object {"server.password": "..."}. A file that
 * other users can read is refused rather than used: its secrets may already be exposed,
 * and the user should know.
 */
import { open } from 'node:fs/promises';
import { ConfigError, describeCause } from '../errors.ts';
import { writeFileAtomic } from '../atomic-write.ts';
import type { SecretStore } from './secret-store.ts';

export interface FileSecretStoreOptions {
  /** The platform whose permission rules apply; Windows has no POSIX mode bits. */
  readonly platform?: NodeJS.Platform;
}

type Secrets = Record<string, string>;

function isMissing(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === 'ENOENT';
}

export class FileSecretStore implements SecretStore {
  readonly file: string;
  readonly description: string;
  readonly #checkMode: boolean;
  /** Operations run one after another, so concurrent sets do not lose each other. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(file: string, options: FileSecretStoreOptions = {}) {
    this.file = file;
    this.description = `owner-only file ${file}`;
    this.#checkMode = (options.platform ?? process.platform) !== 'win32';
  }

  #serial<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(operation, operation);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async #read(): Promise<Secrets> {
    let handle;
    try {
      handle = await open(this.file, 'r');
    } catch (err) {
      if (isMissing(err)) return {};
      throw new ConfigError(`Secrets file ${this.file} cannot be read: ${describeCause(err)}.`, {
        cause: err,
      });
    }
    let text: string;
    try {
      // Checked on the open file, so it cannot be swapped between the check and the read.
      const stat = await handle.stat();
      if (!stat.isFile()) throw new ConfigError(`Secrets file ${this.file} is not a file.`);
      if (this.#checkMode) {
        const mode = stat.mode & 0o777;
        if ((mode & 0o077) !== 0) {
          throw new ConfigError(
            `Secrets file ${this.file} can be read or changed by other users (mode ${mode.toString(8)}); run \`chmod 600 ${this.file}\` and try again.`,
          );
        }
        const uid = process.getuid?.();
        if (uid !== undefined && uid !== 0 && stat.uid !== uid) {
          throw new ConfigError(
            `Secrets file ${this.file} belongs to another user (uid ${stat.uid}); use your own file (CRM_SYNC_SECRETS_FILE).`,
          );
        }
      }
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
    return this.#parse(text);
  }

  #parse(text: string): Secrets {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new ConfigError(
        `Secrets file ${this.file} is not valid JSON (${describeCause(err)}); fix it, or delete it and store the secrets again.`,
        { cause: err },
      );
    }
    const valid =
      typeof parsed === 'object' &&
      parsed !== null &&
      !Array.isArray(parsed) &&
      Object.values(parsed).every((v) => typeof v === 'string');
    if (!valid) {
      throw new ConfigError(
        `Secrets file ${this.file} must hold a JSON object of text values like {"server.password": "..."}; fix it, or delete it and store the secrets again.`,
      );
    }
    return parsed as Secrets;
  }

  #write(secrets: Secrets): void {
    try {
      writeFileAtomic(this.file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
    } catch (err) {
      throw new ConfigError(`Secrets file ${this.file} cannot be written: ${describeCause(err)}.`, {
        cause: err,
      });
    }
  }

  get(key: string): Promise<string | undefined> {
    return this.#serial(async () => {
      const secrets = await this.#read();
      return Object.hasOwn(secrets, key) ? secrets[key] : undefined;
    });
  }

  set(key: string, value: string): Promise<void> {
    return this.#serial(async () => {
      const secrets = await this.#read();
      secrets[key] = value;
      this.#write(secrets);
    });
  }

  delete(key: string): Promise<void> {
    return this.#serial(async () => {
      const secrets = await this.#read();
      if (!Object.hasOwn(secrets, key)) return;
      delete secrets[key];
      this.#write(secrets);
    });
  }
}
