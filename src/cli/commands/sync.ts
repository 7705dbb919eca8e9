import type { Command } from 'commander';
import { Option } from 'commander';
import type { SyncOptions } from '../actions/sync.ts';
import type { AgendaKind } from '../../core/model/items.ts';
import type { CliIO, GlobalOptions } from '../io.ts';

/** Every agenda a sync runs (the engine's SYNC_AGENDAS, which --help should not load). */
const AGENDA_CHOICES: readonly AgendaKind[] = ['events', 'tasks', 'contacts'];

export function registerSyncCommand(program: Command, io: CliIO): void {
  program
    .command('sync')
    .description('Synchronise the enabled agendas once.')
    .addOption(new Option('--agenda <name>', 'only this agenda').choices([...AGENDA_CHOICES]))
    .option('--dry-run', 'print the plan with reasons and change nothing')
    .option(
      '--force-deletes',
      'proceed even when the safety guard would refuse a mass deletion (items gone from the server are deleted in the CRM)',
    )
    .addOption(
      new Option(
        '--restore-server',
        "the server was emptied or replaced: put the CRM's items it lost back on it (no CRM item is deleted)",
      ).conflicts('forceDeletes'),
    )
    .option(
      '--all-users',
      "Exchange service account: synchronise every active CRM user's mailbox by impersonation",
    )
    .action(async (options: SyncOptions, cmd: Command) => {
      const { syncAction } = await import('../actions/sync.ts');
      await syncAction(options, cmd.optsWithGlobals<GlobalOptions>(), io);
    });
}
