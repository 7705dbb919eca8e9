import type { Command } from 'commander';
import type { LogOptions } from '../actions/log.ts';
import type { CliIO, GlobalOptions } from '../io.ts';

export function registerLogCommand(program: Command, io: CliIO): void {
  program
    .command('log')
    .description('Show the last runs, or what one run did to each item and why.')
    .option('--run <id>', 'the journal of this run')
    .option('--find <text>', 'only entries whose item or reason contains this text')
    .option('--limit <n>', 'at most this many lines', '50')
    .action(async (options: LogOptions, cmd: Command) => {
      const { logAction } = await import('../actions/log.ts');
      logAction(options, cmd.optsWithGlobals<GlobalOptions>(), io);
    });
}
