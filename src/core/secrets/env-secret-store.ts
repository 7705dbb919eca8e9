/**
 * Secrets from environment variables, for servers, containers and CI where a file or an
 * OS keyring is unwelcome. Read-only: a program cannot set its parent's environment.
 */
import { ConfigError } from '../errors.ts';
import type { SecretStore } from './secret-store.ts';

export const SECRET_ENV_PREFIX = 'CRM_SYNC_';

/** The variable holding a secret: "server.password" -> "CRM_SYNC_SERVER_PASSWORD". */
export function secretEnvVar(key: string): string {
  return `${SECRET_ENV_PREFIX}${key.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}

export class EnvSecretStore implements SecretStore {
  readonly description = `environment variables (${SECRET_ENV_PREFIX}...)`;
  readonly #env: NodeJS.ProcessEnv;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.#env = env;
  }

  /** An empty variable counts as unset, as shells make unsetting awkward. */
  async get(key: string): Promise<string | undefined> {
    const value = this.#env[secretEnvVar(key)];
    return value === undefined || value === '' ? undefined : value;
  }

  async set(key: string, _value: string): Promise<void> {
    throw new ConfigError(
      `Secret ${key} cannot be stored in environment variables: set ${secretEnvVar(key)} in the environment that starts crm-sync instead.`,
    );
  }

  async delete(key: string): Promise<void> {
    throw new ConfigError(
      `Secret ${key} cannot be removed from environment variables by crm-sync: unset ${secretEnvVar(key)} in the environment that starts it.`,
    );
  }
}
