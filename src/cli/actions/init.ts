import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, UserError, ExitCode } from '../../core/errors.ts';
import { resolveDatabasePath, saveSettings, setSettingValue } from '../../core/settings/index.ts';
import { defaultSettings } from '../../shared/settings/schema.ts';
import { readinessProblems } from '../../shared/settings/readiness.ts';
import type { Settings } from '../../shared/settings/schema.ts';
import { openCrmDatabase } from '../../core/crm/database.ts';
import { createUser, findUserByLogin, verifyUserPassword } from '../../core/crm/users.ts';
import type { DemoCounts } from '../../demo/demo-crm.ts';
import { tableCounts } from '../../core/crm/stats.ts';
import { SecretKey } from '../../core/secrets/secret-store.ts';
import { createCliSecretStore } from '../../core/secrets/cli-secret-store.ts';
import type { CliIO, GlobalOptions } from '../io.ts';
import { INIT_AGENDAS } from '../init-agendas.ts';
import { resolveConfigPath } from '../config-path.ts';
import { emit } from '../output.ts';
import { readinessIssues } from '../../shared/settings/readiness.ts';
import { checkConnectionAtInit, describeUsedFolders } from '../server-folders.ts';
import { connectorFor } from './folders.ts';
import { refuseUnavailable } from '../open-run-context.ts';
import { checkTakingRedirect } from '../redirect-offer.ts';
import { serverFieldKey, serverKind } from '../../shared/server-kinds.ts';
import type { ServerKindId } from '../../shared/server-kinds.ts';

export interface InitOptions {
  database?: string;
  crmUser?: string;
  crmUserName?: string;
  server?: ServerKindId;
  url?: string;
  email?: string;
  user?: string;
  domain?: string;
  auth?: string;
  tenant?: string;
  clientId?: string;
  passwordStdin?: boolean;
  interval?: string;
  agendas?: string;
  startAtLogin: boolean;
  demo?: boolean;
  force?: boolean;
  /** false with --no-check: do not ask the server for its folders. */
  check: boolean;
  /** Take the server address a CalDAV .well-known redirect offers (redirect-offer.ts). */
  useRedirect?: boolean;
}

/** Password of the demo CRM users unless CRM_SYNC_CRM_PASSWORD says otherwise. */
export const DEMO_PASSWORD = 'demo';
const DEMO_USER = 'pbartos';

/** `crm-sync init`. */
export async function initAction(
  options: InitOptions,
  globals: GlobalOptions,
  io: CliIO,
): Promise<void> {
  const configPath = resolveConfigPath(globals.config, io);
  if (fs.existsSync(configPath) && !options.force) {
    throw new ConfigError(
      `Settings file ${configPath} already exists; use --force to overwrite it, or \`crm-sync config set\` to change one value.`,
    );
  }

  let settings = applyFlags(defaultSettings(), options, configPath, io);
  // Microsoft 365 and e-mail import are not in this version: say so (exit 6), create nothing.
  refuseUnavailable(settings);
  const dbPath = resolveDatabasePath(configPath, settings);
  fs.mkdirSync(path.dirname(dbPath), { recursive: true });

  const createdDatabase = !fs.existsSync(dbPath);
  const db = openCrmDatabase(dbPath, { create: true });
  let demo: DemoCounts | undefined;
  try {
    if (options.demo) {
      demo = await fillDemo(db, dbPath, io);
      if (!options.crmUser) settings = setSettingValue(settings, 'crm.user', DEMO_USER);
    }
    if (settings.crm.user) await checkOrCreateCrmUser(db, dbPath, settings.crm.user, options, io);
    db.close();
  } catch (err) {
    db.close();
    // A failed init leaves no half-made database behind (only one it created itself).
    if (createdDatabase) removeDatabaseFiles(dbPath);
    throw err;
  }

  if (options.passwordStdin) {
    const password = (await io.readStdin()).replace(/\r?\n$/, '');
    if (!password)
      throw new UserError(
        '--password-stdin was given but standard input was empty.',
        ExitCode.usage,
      );
    await createCliSecretStore(configPath).set(SecretKey.serverPassword, password);
  }

  fs.mkdirSync(path.dirname(configPath), { recursive: true });
  saveSettings(configPath, settings);

  const problems = readinessProblems(settings);
  // Check the connection now rather than at the first sync, and say which folders are used.
  const connectionComplete = !readinessIssues(settings).some((p) =>
    p.field.startsWith('connection.'),
  );
  const folders =
    options.check && connectionComplete
      ? await checkTakingRedirect(
          () =>
            checkConnectionAtInit(
              () => connectorFor(settings, configPath, io),
              settings,
              configPath,
            ),
          options.useRedirect === true,
          (target) => {
            // The server named another address for itself (a CalDAV .well-known redirect).
            const key = serverFieldKey(settings.connection.kind, 'address') ?? 'connection.kind';
            settings = setSettingValue(settings, key, target);
            saveSettings(configPath, settings);
          },
        )
      : null;
  const report = { config: configPath, database: dbPath, demo: demo ?? null, problems, folders };
  emit(io, globals, report, () => {
    const lines = [`Created settings ${configPath}`, `CRM database ${dbPath}`];
    if (demo) {
      lines.push(
        `Demo data: ${demo.users} users, ${demo.companies} companies, ${demo.persons} persons, ${demo.events} events, ${demo.tasks} tasks (CRM user ${settings.crm.user}, password "${DEMO_PASSWORD}" unless CRM_SYNC_CRM_PASSWORD was set).`,
      );
    }
    if (folders)
      lines.push('Connection checked; folders to be used:', ...describeUsedFolders(folders));
    if (problems.length) lines.push('Before the first sync:', ...problems.map((p) => `  - ${p}`));
    else lines.push('Ready: run `crm-sync sync --dry-run` to preview the first synchronisation.');
    return lines.join('\n');
  });
}

/** Translates the wizard's flags into settings keys, so validation names the right field. */
function applyFlags(base: Settings, o: InitOptions, configPath: string, io: CliIO): Settings {
  let s = base;
  const set = (key: string, value: string | undefined): void => {
    if (value !== undefined) s = setSettingValue(s, key, value);
  };
  if (o.database) {
    const abs = path.resolve(io.cwd, o.database);
    const rel = path.relative(path.dirname(configPath), abs);
    set('crm.databasePath', rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel);
  }
  set('crm.user', o.crmUser);
  set('connection.kind', o.server);
  const kind = s.connection.kind;
  // Each flag sets the field of that role in the chosen kind's settings (shared/server-kinds).
  const setField = (role: FlagRole, value: string | undefined): void => {
    if (value === undefined) return;
    const key = serverFieldKey(kind, role);
    if (key === undefined) throw new UserError(flagNotUsed(role, kind), ExitCode.usage);
    set(key, value);
  };
  setField('address', o.url);
  setField('email', o.email);
  setField('user', o.user);
  setField('auth', o.auth);
  if (o.domain !== undefined) set('connection.exchange.domain', o.domain);
  if (o.tenant !== undefined) set('connection.m365.tenantId', o.tenant);
  if (o.clientId !== undefined) set('connection.m365.clientId', o.clientId);
  set('schedule.intervalMinutes', o.interval);
  set('schedule.startAtLogin', String(o.startAtLogin));
  if (o.agendas !== undefined) {
    const wanted = o.agendas.split(/[,;\s]+/).filter(Boolean);
    const unknown = wanted.filter((a) => !(INIT_AGENDAS as readonly string[]).includes(a));
    if (unknown.length) {
      throw new UserError(
        `--agendas: unknown agenda ${unknown.map((u) => `"${u}"`).join(', ')}; choose from ${INIT_AGENDAS.join(', ')}.`,
        ExitCode.usage,
      );
    }
    for (const agenda of INIT_AGENDAS)
      set(`agendas.${agenda}.enabled`, String(wanted.includes(agenda)));
  }
  return s;
}

type FlagRole = 'address' | 'email' | 'user' | 'auth';
const FLAG_OF_ROLE: Record<FlagRole, string> = {
  address: '--url',
  email: '--email',
  user: '--user',
  auth: '--auth',
};

/** Why a flag does not apply to the kind, and what to give instead. */
function flagNotUsed(role: FlagRole, kind: ServerKindId): string {
  const { name, signIn } = serverKind(kind);
  const flag = FLAG_OF_ROLE[role];
  if (role === 'address' || role === 'email') {
    const other = FLAG_OF_ROLE[role === 'address' ? 'email' : 'address'];
    return `${flag} is not used for ${name}; give ${other} instead.`;
  }
  if (signIn.length === 0) {
    return role === 'user'
      ? `${flag} is not used for ${name}: sign-in goes through the browser.`
      : `${flag} is not used for ${name} (always OAuth sign-in).`;
  }
  return `${flag} is not used for ${name}.`;
}

async function fillDemo(
  db: ReturnType<typeof openCrmDatabase>,
  dbPath: string,
  io: CliIO,
): Promise<DemoCounts> {
  const counts = tableCounts(db);
  if ((counts['users'] ?? 0) > 0 || (counts['persons'] ?? 0) > 0) {
    throw new UserError(
      `CRM database ${dbPath} already contains data; --demo fills only a new database (choose another --database).`,
      ExitCode.database,
    );
  }
  // The sample data is loaded only when asked for: no other command needs it.
  const { seedDemoData } = await import('../../demo/demo-crm.ts');
  return seedDemoData(db, {
    today: new Date(),
    password: io.env['CRM_SYNC_CRM_PASSWORD'] || DEMO_PASSWORD,
  });
}

/**
 * The wizard's first step: the CRM user must exist and the password must match. In a new,
 * empty database the user is created instead.
 */
async function checkOrCreateCrmUser(
  db: ReturnType<typeof openCrmDatabase>,
  dbPath: string,
  login: string,
  options: InitOptions,
  io: CliIO,
): Promise<void> {
  const existing = findUserByLogin(db, login);
  if (options.demo && existing) return; // just created with the known demo password
  const password = await crmPassword(login, io);
  if (existing) {
    if (!verifyUserPassword(db, login, password)) {
      throw new UserError(
        `Wrong password for CRM user "${login}" in ${dbPath}; check the password (CRM_SYNC_CRM_PASSWORD or the prompt) and the login.`,
        ExitCode.crmLogin,
      );
    }
    return;
  }
  if ((tableCounts(db)['users'] ?? 0) > 0) {
    throw new UserError(`CRM user "${login}" does not exist in ${dbPath}.`, ExitCode.crmLogin);
  }
  createUser(db, { login, displayName: options.crmUserName ?? login, password });
}

async function crmPassword(login: string, io: CliIO): Promise<string> {
  const fromEnv = io.env['CRM_SYNC_CRM_PASSWORD'];
  if (fromEnv) return fromEnv;
  if (io.promptSecret) return io.promptSecret(`Password of CRM user ${login}: `);
  throw new UserError(
    `The password of CRM user "${login}" is needed: set CRM_SYNC_CRM_PASSWORD or run init in a terminal.`,
    ExitCode.usage,
  );
}

function removeDatabaseFiles(dbPath: string): void {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(dbPath + suffix, { force: true });
}
