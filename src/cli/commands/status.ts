import type { Command } from 'commander';
import type { CliIO, GlobalOptions } from '../io.ts';

export function registerStatusCommand(program: Command, io: CliIO): void {
  program
    .command('status')
    .description('Show the settings in use, the CRM database and whether a sync can run.')
    .action(async (_opts: unknown, cmd: Command) => {
      const { statusAction } = await import('../actions/status.ts');
      await statusAction(cmd.optsWithGlobals<GlobalOptions>(), io);
    });
}
