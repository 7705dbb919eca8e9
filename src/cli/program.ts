import { Command, CommanderError, Option } from 'commander';
import { ExitCode, UserError, describeCause } from '../core/errors.ts';
import type { CliIO, GlobalOptions } from './io.ts';
import { registerInitCommand } from './commands/init.ts';
import { registerConfigCommand } from './commands/config.ts';
import { registerStatusCommand } from './commands/status.ts';
import { registerSyncCommand } from './commands/sync.ts';
import { registerLogCommand } from './commands/log.ts';
import { registerTrashCommand } from './commands/trash.ts';
import { registerDaemonCommand } from './commands/daemon.ts';
import { registerFoldersCommand } from './commands/folders.ts';
import { registerPasswordCommand } from './commands/password.ts';
import { PRODUCT_VERSION } from '../core/version.ts';
import { resolveConfigPath } from './config-path.ts';

const EXIT_CODES_HELP = `
Exit codes:
  0   success
  1   the sync ran, but some items failed (each is named in the output)
  2   wrong command line
  3   settings file missing, unreadable or invalid
  4   CRM database missing, locked, corrupt or from a newer version
  5   server unreachable or credentials refused
  6   command not available in this version
  7   the safety guard refused a mass deletion (see --force-deletes and --restore-server)
  8   another synchronisation is running on this CRM database
  9   the CRM user does not exist or its password is wrong
  70  internal error (a bug): run again with --verbose and report it

Environment:
  CRM_SYNC_CONFIG           settings file (instead of --config)
  CRM_SYNC_SERVER_PASSWORD  server password (instead of the secret store)
  CRM_SYNC_CRM_PASSWORD     CRM user's password for init (instead of a prompt)
`;

/** Builds the `crm-sync` command tree; `run` in main.ts parses process.argv with it. */
export function createProgram(io: CliIO): Command {
  const program = new Command('crm-sync')
    .description(
      'Keeps a local CRM database in step with an Exchange, Microsoft 365 or CalDAV/CardDAV mailbox.',
    )
    .version(PRODUCT_VERSION, '-V, --version', 'print the version')
    .addOption(
      new Option('-c, --config <file>', 'settings file').env('CRM_SYNC_CONFIG').default(undefined),
    )
    .option('--json', 'print machine-readable JSON instead of text')
    .option('-v, --verbose', 'print details, and stack traces of errors')
    .addHelpText('after', EXIT_CODES_HELP)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
    })
    .exitOverride();

  // Only the command lines: each command imports its work (src/cli/actions/) when it runs,
  // so --help, --version and a command that never talks to a server start quickly.
  registerInitCommand(program, io);
  registerConfigCommand(program, io);
  registerStatusCommand(program, io);
  registerSyncCommand(program, io);
  registerDaemonCommand(program, io);
  registerLogCommand(program, io);
  registerTrashCommand(program, io);
  registerFoldersCommand(program, io);
  registerPasswordCommand(program, io);
  for (const cmd of program.commands) cmd.exitOverride().configureOutput(program.configureOutput());
  return program;
}

/** Runs one command line; resolves to the process exit code and never throws. */
export async function runCli(argv: readonly string[], baseIO: CliIO): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const io: CliIO = { ...baseIO, setExitCode: (code) => (exitCode = code) };
  const program = createProgram(io);
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return exitCode;
  } catch (err) {
    return await reportError(err, io, program.opts<GlobalOptions>());
  }
}

async function reportError(thrown: unknown, io: CliIO, opts: GlobalOptions): Promise<number> {
  if (thrown instanceof CommanderError) {
    // Help and version are "errors" to commander; they have already been printed.
    if (thrown.exitCode === 0) return ExitCode.ok;
    return ExitCode.usage;
  }
  // A locked or corrupt CRM file met by any command (status, log, trash) is exit 4, not a bug.
  // Loaded here, not at start: --help and --version need neither SQLite nor the settings.
  const { asCrmFileFailure, isSqliteError } = await import('../core/crm/sqlite-errors.ts');
  const err = isSqliteError(thrown) ? asCrmFileFailure(await crmFileOf(opts, io), thrown) : thrown;
  if (err instanceof UserError) {
    if (opts.json) io.stdout(JSON.stringify({ error: err.message, exitCode: err.exitCode }) + '\n');
    io.stderr(`crm-sync: ${err.message}\n`);
    if (opts.verbose && err.cause) io.stderr(`cause: ${describeCause(err.cause)}\n`);
    if (opts.verbose && err.stack) io.stderr(err.stack + '\n');
    return err.exitCode;
  }
  io.stderr(
    `crm-sync: internal error: ${describeCause(err)}. Run again with --verbose and report it.\n`,
  );
  if (opts.verbose && err instanceof Error && err.stack) io.stderr(err.stack + '\n');
  return ExitCode.internal;
}

/** The CRM database the settings name, for a message about it (the settings load again). */
async function crmFileOf(opts: GlobalOptions, io: CliIO): Promise<string> {
  const { loadSettings, resolveDatabasePath } = await import('../core/settings/index.ts');
  try {
    const configPath = resolveConfigPath(opts.config, io);
    return resolveDatabasePath(configPath, loadSettings(configPath));
  } catch {
    return '(the one in the settings)';
  }
}
