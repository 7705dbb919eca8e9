/**
 * The server's folders per agenda, and which of them a sync will use: what `init` names
 * after its connection check and what `crm-sync folders` lists.
 */
import { describeCause, UserError } from '../core/errors.ts';
import { isDefaultFor } from '../core/servers/connector.ts';
import type { ServerConnector, ServerFolder } from '../core/servers/connector.ts';
import type { Settings } from '../shared/settings/schema.ts';
import { foldersFor, SYNC_AGENDAS } from '../core/sync/engine.ts';
import type { AgendaKind } from '../core/model/items.ts';

export interface AgendaFolders {
  agenda: AgendaKind;
  enabled: boolean;
  /** Every server folder that can hold the agenda's items. */
  folders: ServerFolder[];
  /** Paths of the folders a sync uses (the first receives new CRM items). */
  used: string[];
  /** Why none can be used (no such folder on the server, a configured one missing). */
  problem: string | null;
}

export function agendaFolders(settings: Settings, all: readonly ServerFolder[]): AgendaFolders[] {
  return SYNC_AGENDAS.map((agenda) => {
    const folders = all.filter((f) => f.kinds.includes(agenda));
    let used: string[] = [];
    let problem: string | null = null;
    try {
      used = foldersFor(settings, agenda, all).map((f) => f.path);
    } catch (err) {
      problem = describeCause(err);
      // A server with no folder for the agenda yet: say how to make one.
      if (folders.length === 0) {
        problem = `${problem.replace(/\.$/, '')}; create one with \`crm-sync folders create --agenda ${agenda}\` (or in the server's web interface).`;
      }
    }
    return { agenda, enabled: settings.agendas[agenda].enabled, folders, used, problem };
  });
}

/** Asks the server for its folders (this checks the address and the credentials too). */
export async function listServerFolders(connector: ServerConnector): Promise<ServerFolder[]> {
  try {
    return await connector.listFolders();
  } finally {
    await connector.close();
  }
}

/** "events: Kalendář (server default)" lines for the enabled agendas. */
export function describeUsedFolders(list: readonly AgendaFolders[]): string[] {
  return list
    .filter((a) => a.enabled)
    .map((a) => {
      if (a.problem !== null) return `  ${a.agenda}: ${a.problem}`;
      const labels = a.used.map((p) => {
        const folder = a.folders.find((f) => f.path === p);
        return folder && isDefaultFor(folder, a.agenda)
          ? `"${p}" (the server's default)`
          : `"${p}"`;
      });
      return `  ${a.agenda}: ${labels.join(', ')}`;
    });
}

/** Every folder per agenda, the used ones marked, for `crm-sync folders`. */
export function renderAgendaFolders(list: readonly AgendaFolders[]): string {
  const lines: string[] = [];
  for (const a of list) {
    lines.push(`${a.agenda}${a.enabled ? '' : ' (off)'}:`);
    if (a.folders.length === 0) lines.push('  (the server has no folder for it)');
    for (const f of a.folders) {
      const marks = [
        ...(a.used.includes(f.path) ? ['used'] : []),
        ...(isDefaultFor(f, a.agenda) ? ['server default'] : []),
        ...(f.kinds.length > 1 ? [`holds ${f.kinds.join(' and ')}`] : []),
      ];
      lines.push(
        `  ${a.used.includes(f.path) ? '*' : ' '} ${f.path}${marks.length ? `  (${marks.join(', ')})` : ''}`,
      );
      lines.push(`      ${f.id}`);
    }
    if (a.enabled && a.problem !== null) lines.push(`  ! ${a.problem}`);
  }
  return lines.join('\n');
}

/**
 * init's connection check: the folders each enabled agenda will use, in lines to print. A
 * failure keeps the saved settings and says how to go on (exit code of the failure).
 */
export async function checkConnectionAtInit(
  connect: () => Promise<ServerConnector>,
  settings: Settings,
  configPath: string,
): Promise<AgendaFolders[]> {
  try {
    return agendaFolders(settings, await listServerFolders(await connect()));
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    throw new UserError(
      `Settings saved in ${configPath}, but the connection check failed: ${err.message.replace(/\.?$/, '.')} Correct it (crm-sync config set …, crm-sync password set), then see the folders with crm-sync folders.`,
      err.exitCode,
      {
        cause: err,
        ...(err.code === undefined ? {} : { code: err.code }),
        params: err.params,
      },
    );
  }
}
