import { openCrmDatabase } from '../core/crm/database.ts';
import type { CrmDatabase } from '../core/crm/database.ts';
import { ConfigError, ExitCode, UserError } from '../core/errors.ts';
import { createConnector } from '../core/servers/create-connector.ts';
import type { ServerConnector } from '../core/servers/connector.ts';
import { createCliSecretStore } from '../core/secrets/cli-secret-store.ts';
import { loadSettings, resolveDatabasePath } from '../core/settings/index.ts';
import { readinessProblems } from '../shared/settings/readiness.ts';
import type { Settings } from '../shared/settings/schema.ts';
import { unavailableFeatures } from '../shared/settings/unavailable.ts';
import type { CliIO, GlobalOptions } from './io.ts';
import { resolveConfigPath } from './config-path.ts';

export interface RunContext {
  configPath: string;
  settings: Settings;
  db: CrmDatabase;
}

/** Settings and the CRM database, for commands that read or write sync state. */
export function openRunContext(globals: GlobalOptions, io: CliIO): RunContext {
  const configPath = resolveConfigPath(globals.config, io);
  const settings = loadSettings(configPath);
  const db = openCrmDatabase(resolveDatabasePath(configPath, settings), { create: false });
  return { configPath, settings, db };
}

/** Asked for but not in this version: exit 6 before anything is touched, on every server. */
export function refuseUnavailable(settings: Settings): void {
  const unavailable = unavailableFeatures(settings)[0];
  if (unavailable) {
    const message = `${unavailable.message.replace(/\.$/, '')} (${unavailable.cliFix}).`;
    throw new UserError(message, ExitCode.notImplemented, {
      code: unavailable.code,
      params: unavailable.params,
    });
  }
}

/** The server connector for a sync; refuses settings that are not complete yet. */
export async function openConnector(
  ctx: RunContext,
  io: CliIO,
  /** Settings of one user's run with --all-users (default: the file's). */
  settings: Settings = ctx.settings,
): Promise<ServerConnector> {
  refuseUnavailable(settings);
  const problems = readinessProblems(settings);
  if (problems.length) {
    throw new ConfigError(
      `Settings file ${ctx.configPath} is not ready for a sync: ${problems[0]}`,
    );
  }
  return createConnector(settings, createCliSecretStore(ctx.configPath, io.env));
}
