import { ExitCode, UserError } from '../../core/errors.ts';
import { createCliSecretStore, secretsFileFor } from '../../core/secrets/cli-secret-store.ts';
import { SecretKey } from '../../core/secrets/secret-store.ts';
import { loadSettings } from '../../core/settings/index.ts';
import type { CliIO, GlobalOptions } from '../io.ts';
import { resolveConfigPath } from '../config-path.ts';
import { emit } from '../output.ts';

export interface PasswordSetOptions {
  stdin?: boolean;
  proxy?: boolean;
}

/**
 * `crm-sync password set`: a new password without touching the settings (`init --force`
 * would start the settings over). The password goes to the secret store, never into the settings file.
 */
export async function passwordSetAction(
  options: PasswordSetOptions,
  globals: GlobalOptions,
  io: CliIO,
): Promise<void> {
  const configPath = resolveConfigPath(globals.config, io);
  // The password belongs to these settings: refuse a missing or broken file first.
  loadSettings(configPath);
  const what = options.proxy ? 'proxy password' : 'server password';
  const value = await readPassword(options, what, io);
  const key = options.proxy ? SecretKey.proxyPassword : SecretKey.serverPassword;
  await createCliSecretStore(configPath, io.env).set(key, value);
  const file = secretsFileFor(configPath, io.env);
  const shadowed = !options.proxy && Boolean(io.env['CRM_SYNC_SERVER_PASSWORD']);
  emit(io, globals, { stored: key, file, shadowedByEnvironment: shadowed }, () =>
    [
      `Stored the new ${what} in ${file}; the settings were not changed.`,
      ...(shadowed
        ? ['Note: CRM_SYNC_SERVER_PASSWORD is set and is used before the stored password.']
        : []),
    ].join('\n'),
  );
}

async function readPassword(options: PasswordSetOptions, what: string, io: CliIO): Promise<string> {
  let value: string;
  if (options.stdin) value = (await io.readStdin()).replace(/\r?\n$/, '');
  else if (io.promptSecret) value = await io.promptSecret(`New ${what}: `);
  else {
    throw new UserError(
      `No terminal to ask for the ${what}: give it on standard input with --stdin.`,
      ExitCode.usage,
    );
  }
  if (value === '')
    throw new UserError(`The new ${what} is empty; nothing was stored.`, ExitCode.usage);
  return value;
}
