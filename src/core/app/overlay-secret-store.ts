/**
 * A secret store that answers some keys from memory and the rest from another store: the
 * wizard tests a password before the user saves it, and nothing is written anywhere.
 */
import type { SecretStore } from '../secrets/secret-store.ts';

export class OverlaySecretStore implements SecretStore {
  readonly #base: SecretStore;
  readonly #values: ReadonlyMap<string, string>;

  constructor(base: SecretStore, values: Readonly<Record<string, string>>) {
    this.#base = base;
    this.#values = new Map(Object.entries(values));
  }

  get description(): string {
    return `${this.#base.description}, with values being tested in memory`;
  }

  async get(key: string): Promise<string | undefined> {
    return this.#values.has(key) ? this.#values.get(key) : this.#base.get(key);
  }

  async set(): Promise<void> {
    throw new Error('A connection test stores no secrets.');
  }

  async delete(): Promise<void> {
    throw new Error('A connection test stores no secrets.');
  }
}
