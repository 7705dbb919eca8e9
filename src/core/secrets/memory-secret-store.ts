/** Secrets in memory only: for tests and for one-off runs that must leave no trace. */
import type { SecretStore } from './secret-store.ts';

export class MemorySecretStore implements SecretStore {
  readonly description = 'memory (not kept after the program ends)';
  readonly #values: Map<string, string>;

  constructor(initial: Readonly<Record<string, string>> = {}) {
    this.#values = new Map(Object.entries(initial));
  }

  async get(key: string): Promise<string | undefined> {
    return this.#values.get(key);
  }

  async set(key: string, value: string): Promise<void> {
    this.#values.set(key, value);
  }

  async delete(key: string): Promise<void> {
    this.#values.delete(key);
  }
}
