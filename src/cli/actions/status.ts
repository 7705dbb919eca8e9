import { loadSettings, resolveDatabasePath } from '../../core/settings/index.ts';
import { readinessProblems } from '../../shared/settings/readiness.ts';
import type { Settings } from '../../shared/settings/schema.ts';
import {
  SCHEMA_VERSION,
  integrityCheck,
  openCrmDatabase,
  schemaVersion,
} from '../../core/crm/database.ts';
import { findUserByLogin } from '../../core/crm/users.ts';
import { tableCounts } from '../../core/crm/stats.ts';
import { listRuns } from '../../core/sync/journal.ts';
import { lastDiscoveredFolders } from '../../core/sync/discovery.ts';
import { agendaFolders, describeUsedFolders } from '../server-folders.ts';
import type { RunRecord } from '../../core/sync/journal.ts';
import { SecretKey } from '../../core/secrets/secret-store.ts';
import { createCliSecretStore } from '../../core/secrets/cli-secret-store.ts';
import type { CliIO, GlobalOptions } from '../io.ts';
import { resolveConfigPath } from '../config-path.ts';
import { emit, table } from '../output.ts';
import { NOT_AVAILABLE } from '../../shared/settings/unavailable.ts';
import { connectorKind } from '../../core/servers/registry.ts';
import { serverFieldValue, serverKind } from '../../shared/server-kinds.ts';

/** `crm-sync status`. */
export async function statusAction(globals: GlobalOptions, io: CliIO): Promise<void> {
  const configPath = resolveConfigPath(globals.config, io);
  const settings = loadSettings(configPath);
  const report = await collectStatus(configPath, settings);
  emit(io, globals, report, () => renderStatus(report));
}

interface StatusReport {
  config: string;
  server: { kind: string; address: string; user: string; auth: string };
  crm: {
    database: string;
    schemaVersion: number;
    latestSchemaVersion: number;
    integrity: string[];
    user: string;
    userFound: boolean;
    counts: Record<string, number>;
  };
  lastRun: Pick<RunRecord, 'id' | 'startedAt' | 'status'> | null;
  /** The folders the enabled agendas use, as the last run found the server; null: not yet. */
  folders: string[] | null;
  schedule: { intervalMinutes: number; startAtLogin: boolean };
  /** `available` false: the agenda exists in the settings but not in this version. */
  agendas: Record<string, { enabled: boolean; direction: string; available: boolean }>;
  secrets: { store: string; serverPassword: 'set' | 'not set' };
  problems: string[];
  ready: boolean;
}

async function collectStatus(configPath: string, settings: Settings): Promise<StatusReport> {
  const dbPath = resolveDatabasePath(configPath, settings);
  const db = openCrmDatabase(dbPath, { create: false, readonly: true });
  let crm: StatusReport['crm'];
  let lastRun: StatusReport['lastRun'] = null;
  let folders: StatusReport['folders'] = null;
  try {
    // The list the last run found (no server contact here): which folders are in use.
    const kept = schemaVersion(db) >= 3 ? lastDiscoveredFolders(db, settings) : null;
    if (kept) folders = describeUsedFolders(agendaFolders(settings, kept)).map((l) => l.trim());
    // Sync tables exist from schema 2 on; a read-only open does not upgrade an older file.
    const last = schemaVersion(db) >= 2 ? listRuns(db, 1)[0] : undefined;
    if (last) lastRun = { id: last.id, startedAt: last.startedAt, status: last.status };
    crm = {
      database: dbPath,
      schemaVersion: schemaVersion(db),
      latestSchemaVersion: SCHEMA_VERSION,
      integrity: integrityCheck(db),
      user: settings.crm.user,
      userFound: settings.crm.user ? findUserByLogin(db, settings.crm.user) !== undefined : false,
      counts: tableCounts(db),
    };
  } finally {
    db.close();
  }

  const secretStore = createCliSecretStore(configPath);
  const hasPassword = (await secretStore.get(SecretKey.serverPassword)) !== undefined;
  const problems = [...readinessProblems(settings)];
  if (crm.user && !crm.userFound)
    problems.push(`CRM user "${crm.user}" does not exist in ${dbPath}.`);
  if (crm.integrity.length) problems.push(`CRM database ${dbPath} is damaged: ${crm.integrity[0]}`);

  const agendas: StatusReport['agendas'] = {};
  for (const [name, agenda] of Object.entries(settings.agendas)) {
    agendas[name] = {
      enabled: agenda.enabled,
      direction: 'direction' in agenda ? agenda.direction : 'import',
      available: name !== 'mail',
    };
  }
  return {
    config: configPath,
    server: describeServer(settings),
    crm,
    schedule: { ...settings.schedule },
    agendas,
    secrets: { store: secretStore.description, serverPassword: hasPassword ? 'set' : 'not set' },
    problems,
    ready: problems.length === 0,
    lastRun,
    folders,
  };
}

function describeServer(settings: Settings): StatusReport['server'] {
  const registered = connectorKind(settings.connection.kind);
  if (registered !== undefined) return registered.describe(settings);
  // A kind this version lacks: said plainly, with what its settings hold.
  const c = settings.connection;
  const kind = serverKind(c.kind);
  const email = serverFieldValue(c, 'email');
  return {
    kind: kind.label.endsWith(')')
      ? `${kind.label.slice(0, -1)}, ${NOT_AVAILABLE})`
      : `${kind.label} (${NOT_AVAILABLE})`,
    address: email,
    user: serverFieldValue(c, 'user') || email,
    // No sign-in method of its own: it signs in in the browser, by OAuth.
    auth: serverFieldValue(c, 'auth') || (kind.signIn.length === 0 ? 'oauth' : ''),
  };
}

function renderStatus(r: StatusReport): string {
  const counts = r.crm.counts;
  const schema =
    r.crm.schemaVersion === r.crm.latestSchemaVersion
      ? `v${r.crm.schemaVersion}`
      : `v${r.crm.schemaVersion} (upgraded to v${r.crm.latestSchemaVersion} on the next sync)`;
  const agendaText = Object.entries(r.agendas)
    .map(([name, a]) => {
      if (!a.available) return `${name} ${NOT_AVAILABLE}${a.enabled ? ' (but turned on)' : ''}`;
      return a.enabled ? `${name} (${a.direction})` : `${name} off`;
    })
    .join(', ');
  const rows: [string, string][] = [
    ['Settings', r.config],
    ['Server', `${r.server.kind} ${r.server.address || '(not set)'}`],
    ['Server user', `${r.server.user || '(not set)'}, auth ${r.server.auth}`],
    ['Password', `${r.secrets.serverPassword} (${r.secrets.store})`],
    ['CRM database', `${r.crm.database}, schema ${schema}`],
    ['Integrity', r.crm.integrity.length ? r.crm.integrity.join('; ') : 'ok'],
    [
      'CRM user',
      r.crm.user ? `${r.crm.user}${r.crm.userFound ? '' : ' (not found)'}` : '(not set)',
    ],
    [
      'CRM data',
      `${counts['persons'] ?? 0} persons, ${counts['companies'] ?? 0} companies, ${counts['events'] ?? 0} events, ${counts['tasks'] ?? 0} tasks, ${counts['emails'] ?? 0} e-mails`,
    ],
    [
      'Interval',
      `every ${r.schedule.intervalMinutes} min${r.schedule.startAtLogin ? ', starts at login' : ''}`,
    ],
    ['Agendas', agendaText],
    ['Folders', r.folders ? r.folders.join('; ') : 'not known yet (see crm-sync folders)'],
    [
      'Last sync',
      r.lastRun ? `#${r.lastRun.id} at ${r.lastRun.startedAt}: ${r.lastRun.status}` : 'never',
    ],
  ];
  const out = [table(rows)];
  if (r.problems.length)
    out.push('', 'Before a sync can run:', ...r.problems.map((p) => `  - ${p}`));
  else out.push('', 'Ready to synchronise.');
  return out.join('\n');
}
