/**
 * Several stores seen as one: reads ask each in turn and take the first answer (so an
 * environment variable overrides the file), writes go to one writable store.
 */
import type { SecretStore } from './secret-store.ts';

export class ChainedSecretStore implements SecretStore {
  readonly description: string;
  readonly #readers: readonly SecretStore[];
  readonly #writer: SecretStore;

  constructor(readers: readonly SecretStore[], writer: SecretStore) {
    this.#readers = readers;
    this.#writer = writer;
    this.description = readers.map((r) => r.description).join(', then ');
  }

  async get(key: string): Promise<string | undefined> {
    for (const store of this.#readers) {
      const value = await store.get(key);
      if (value !== undefined) return value;
    }
    return undefined;
  }

  async set(key: string, value: string): Promise<void> {
    await this.#writer.set(key, value);
  }

  async delete(key: string): Promise<void> {
    await this.#writer.delete(key);
  }
}
