import type { Command } from 'commander';
import { Option } from 'commander';
import { ExitCode, UserError } from '../../core/errors.ts';
import { loadSettings } from '../../core/settings/index.ts';
import type { CliIO, GlobalOptions } from '../io.ts';
import { resolveConfigPath } from '../config-path.ts';

export function registerSyncCommand(program: Command, io: CliIO): void {
  program
    .command('sync')
    .description('Synchronise the enabled agendas once.')
    .addOption(
      new Option('--agenda <name>', 'only this agenda').choices(['events', 'tasks', 'contacts']),
    )
    .option('--dry-run', 'print the plan with reasons and change nothing')
    .option('--force-deletes', 'proceed even when the safety guard would refuse a mass deletion')
    .action((_opts: unknown, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      // Settings are read first so that a broken file is reported as such.
      loadSettings(resolveConfigPath(globals.config, io));
      throw new UserError(
        'The sync engine is not part of this version yet; nothing was changed.',
        ExitCode.notImplemented,
      );
    });
}
