/**
 * The secret store of the command-line program: environment variables first (servers,
 * CI), then an owner-only file next to the settings file, where `crm-sync` writes. The
 * app uses Electron's safeStorage instead (src/main).
 */
import { resolve } from 'node:path';
import { ConfigError } from '../errors.ts';
import { ChainedSecretStore } from './chained-secret-store.ts';
import { EnvSecretStore } from './env-secret-store.ts';
import { FileSecretStore } from './file-secret-store.ts';
import type { SecretStore } from './secret-store.ts';

/** Names another secrets file than the default one next to the settings file. */
export const SECRETS_FILE_ENV = 'CRM_SYNC_SECRETS_FILE';

/** "/x/demo.json" -> "/x/demo.secrets.json" (or CRM_SYNC_SECRETS_FILE when set). */
export function secretsFileFor(settingsFile: string, env: NodeJS.ProcessEnv = process.env): string {
  const override = env[SECRETS_FILE_ENV];
  if (override !== undefined && override !== '') return resolve(override);
  return `${resolve(settingsFile).replace(/\.json$/i, '')}.secrets.json`;
}

export function createCliSecretStore(
  settingsFile: string,
  env: NodeJS.ProcessEnv = process.env,
): SecretStore {
  const file = secretsFileFor(settingsFile, env);
  // Writing secrets over the settings file would put passwords exactly where they must not be.
  if (file === resolve(settingsFile)) {
    throw new ConfigError(
      `${SECRETS_FILE_ENV} names the settings file ${file} itself; point it at a separate file.`,
    );
  }
  const fileStore = new FileSecretStore(file);
  return new ChainedSecretStore([new EnvSecretStore(env), fileStore], fileStore);
}
