import type { Command } from 'commander';
import type { CliIO, GlobalOptions } from '../io.ts';

export function registerDaemonCommand(program: Command, io: CliIO): void {
  program
    .command('daemon')
    .description('Synchronise now and then every schedule.intervalMinutes, until stopped (Ctrl+C).')
    .option(
      '--all-users',
      "Exchange service account: synchronise every active CRM user's mailbox by impersonation",
    )
    .action(async (opts: { allUsers?: boolean }, cmd: Command) => {
      const { daemonAction } = await import('../actions/daemon.ts');
      await daemonAction(opts, cmd.optsWithGlobals<GlobalOptions>(), io);
    });
}
