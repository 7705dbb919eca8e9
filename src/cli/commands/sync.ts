import type { Command } from 'commander';
import { Option } from 'commander';
import { ExitCode } from '../../core/errors.ts';
import { runSync, SYNC_AGENDAS } from '../../core/sync/engine.ts';
import type { AgendaKind } from '../../core/sync/model.ts';
import type { RunSummary } from '../../core/sync/summary.ts';
import { withRunLock } from '../../core/sync/run-lock.ts';
import type { CliIO, GlobalOptions } from '../io.ts';
import { openConnector, openRunContext } from '../open-run-context.ts';
import { renderPlannedAction, renderSummary } from '../render-summary.ts';

interface SyncOptions {
  agenda?: AgendaKind;
  dryRun?: boolean;
  forceDeletes?: boolean;
}

export function registerSyncCommand(program: Command, io: CliIO): void {
  program
    .command('sync')
    .description('Synchronise the enabled agendas once.')
    .addOption(new Option('--agenda <name>', 'only this agenda').choices([...SYNC_AGENDAS]))
    .option('--dry-run', 'print the plan with reasons and change nothing')
    .option('--force-deletes', 'proceed even when the safety guard would refuse a mass deletion')
    .action(async (options: SyncOptions, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const summary = await syncOnce(options, globals, io, 'cli');
      if (globals.json) io.stdout(JSON.stringify(summary, null, 2) + '\n');
      else io.stdout(renderSummary(summary) + '\n');
      io.setExitCode?.(exitCodeOf(summary));
    });
}

/** One run, as `sync` and `daemon` do it. */
export async function syncOnce(
  options: SyncOptions,
  globals: GlobalOptions,
  io: CliIO,
  trigger: string,
): Promise<RunSummary> {
  const ctx = openRunContext(globals, io);
  try {
    const connector = await openConnector(ctx, io);
    try {
      return await withRunLock(ctx.db.name, () =>
        runSync({
          db: ctx.db,
          settings: ctx.settings,
          connector,
          agendas: options.agenda ? [options.agenda] : undefined,
          dryRun: options.dryRun,
          forceDeletes: options.forceDeletes,
          trigger,
          onProgress: (e) => {
            if (!io.isTTY || globals.json) return;
            const counts = e.total ? ` ${e.done}/${e.total}` : '';
            io.stderr(`\r\x1b[K${e.agenda} (${e.folder}): ${e.phase}${counts}`);
            if (e.phase === 'done') io.stderr('\r\x1b[K');
          },
          onAction: (agenda, r) => {
            if (options.dryRun && !globals.json)
              io.stdout(renderPlannedAction(agenda, r.action) + '\n');
          },
        }),
      );
    } finally {
      await connector.close();
    }
  } finally {
    ctx.db.close();
  }
}

export function exitCodeOf(summary: RunSummary): number {
  if (summary.agendas.some((a) => a.aborted)) return ExitCode.server;
  if (summary.agendas.some((a) => a.refused)) return ExitCode.guard;
  if (summary.agendas.some((a) => a.failed.length > 0)) return ExitCode.itemsFailed;
  return ExitCode.ok;
}
