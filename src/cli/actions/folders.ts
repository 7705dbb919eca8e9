import { ConfigError, ExitCode, UserError } from '../../core/errors.ts';
import { createConnector } from '../../core/servers/create-connector.ts';
import type { ServerConnector, ServerFolder } from '../../core/servers/connector.ts';
import { createCliSecretStore } from '../../core/secrets/cli-secret-store.ts';
import { loadSettings, saveSettings, setSettingValue } from '../../core/settings/index.ts';
import type { Settings } from '../../shared/settings/schema.ts';
import { readinessIssues } from '../../shared/settings/readiness.ts';
import type { CliIO, GlobalOptions } from '../io.ts';
import { resolveConfigPath } from '../config-path.ts';
import { emit } from '../output.ts';
import { agendaFolders, listServerFolders, renderAgendaFolders } from '../server-folders.ts';

/** `crm-sync folders` (list). */
export async function foldersListAction(globals: GlobalOptions, io: CliIO): Promise<void> {
  const configPath = resolveConfigPath(globals.config, io);
  const settings = loadSettings(configPath);
  const list = agendaFolders(
    settings,
    await listServerFolders(await connectorFor(settings, configPath, io)),
  );
  emit(io, globals, { agendas: list }, () => renderAgendaFolders(list));
}

/** `crm-sync folders create`. */
export async function foldersCreateAction(
  opts: { agenda: 'events' | 'tasks' | 'contacts'; name?: string },
  globals: GlobalOptions,
  io: CliIO,
): Promise<void> {
  const configPath = resolveConfigPath(globals.config, io);
  const settings = loadSettings(configPath);
  const connector = await connectorFor(settings, configPath, io);
  let folder: ServerFolder;
  try {
    if (!connector.createFolder) {
      throw new UserError(
        `${connector.description} cannot create folders from here; create it in the server's own interface.`,
        ExitCode.notImplemented,
      );
    }
    folder = await connector.createFolder(opts.agenda, opts.name ?? DEFAULT_NAMES[opts.agenda]);
  } finally {
    await connector.close();
  }
  // A new folder is meant to be used: take it where no folder was chosen yet.
  const chosen = settings.agendas[opts.agenda].folders;
  const use = chosen.length === 0;
  if (use)
    saveSettings(
      configPath,
      setSettingValue(settings, `agendas.${opts.agenda}.folders`, JSON.stringify([folder.id])),
    );
  emit(io, globals, { created: folder, used: use }, () =>
    [
      `Created ${opts.agenda} folder "${folder.path}" (${folder.id}).`,
      use
        ? `agendas.${opts.agenda}.folders now names it.`
        : `agendas.${opts.agenda}.folders already names other folders; add it there to use it.`,
    ].join('\n'),
  );
}

const DEFAULT_NAMES = { events: 'CRM', tasks: 'CRM tasks', contacts: 'CRM contacts' } as const;

/** The connector of the settings' server; refuses a connection that is not complete yet. */
export function connectorFor(
  settings: Settings,
  configPath: string,
  io: CliIO,
): Promise<ServerConnector> {
  const missing = readinessIssues(settings).filter((p) => p.field.startsWith('connection.'));
  if (missing.length > 0) {
    throw new ConfigError(
      `Settings file ${configPath} has no complete server connection yet: ${missing[0]!.message}`,
    );
  }
  return createConnector(settings, createCliSecretStore(configPath, io.env));
}
