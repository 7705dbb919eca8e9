import { ExitCode } from '../../core/errors.ts';
import { runForAllUsers } from '../../core/sync/all-users.ts';
import { otherMailboxesOf } from '../../core/servers/registry.ts';
import type { UserRunResult } from '../../core/sync/all-users.ts';
import { runSync } from '../../core/sync/engine.ts';
import type { SyncRequest } from '../../core/sync/engine.ts';
import type { AgendaKind } from '../../core/model/items.ts';
import type { RunSummary } from '../../core/sync/summary.ts';
import { skippedFilter } from '../../core/sync/reasons.ts';
import { withRunLock } from '../../core/sync/run-lock.ts';
import type { CliIO, GlobalOptions } from '../io.ts';
import { openConnector, openRunContext, refuseUnavailable } from '../open-run-context.ts';
import { renderPlannedAction, renderSummary } from '../render-summary.ts';

export interface SyncOptions {
  agenda?: AgendaKind;
  dryRun?: boolean;
  forceDeletes?: boolean;
  restoreServer?: boolean;
  allUsers?: boolean;
}

/** `crm-sync sync`. */
export async function syncAction(
  options: SyncOptions,
  globals: GlobalOptions,
  io: CliIO,
): Promise<void> {
  if (options.allUsers) {
    const results = await syncAllUsers(options, globals, io, 'cli');
    if (globals.json) io.stdout(JSON.stringify({ users: results }, null, 2) + '\n');
    else io.stdout(renderUserResults(results) + '\n');
    io.setExitCode?.(exitCodeOfUsers(results));
    return;
  }
  const summary = await syncOnce(options, globals, io, 'cli');
  if (globals.json) io.stdout(JSON.stringify(summary, null, 2) + '\n');
  else io.stdout(renderSummary(summary) + '\n');
  io.setExitCode?.(exitCodeOf(summary));
}

function progressReporter(globals: GlobalOptions, io: CliIO): SyncRequest['onProgress'] {
  return (e) => {
    if (!io.isTTY || globals.json) return;
    const counts = e.total ? ` ${e.done}/${e.total}` : '';
    io.stderr(`\r\x1b[K${e.agenda} (${e.folder}): ${e.phase}${counts}`);
    if (e.phase === 'done') io.stderr('\r\x1b[K');
  };
}

/** One run per CRM user's mailbox (Exchange impersonation), as `sync --all-users` does it. */
export async function syncAllUsers(
  options: SyncOptions,
  globals: GlobalOptions,
  io: CliIO,
  trigger: string,
): Promise<UserRunResult[]> {
  const ctx = openRunContext(globals, io);
  try {
    refuseUnavailable(ctx.settings);
    return await withRunLock(ctx.db.name, () =>
      runForAllUsers({
        db: ctx.db,
        settings: ctx.settings,
        openConnector: (settings) => openConnector(ctx, io, settings),
        otherMailboxes: otherMailboxesOf(ctx.settings),
        agendas: options.agenda ? [options.agenda] : undefined,
        dryRun: options.dryRun,
        forceDeletes: options.forceDeletes,
        restoreServer: options.restoreServer,
        trigger,
        onUser: (u) => {
          if (io.isTTY && !globals.json) io.stderr(`\r\x1b[K${u.login}…`);
        },
        onProgress: progressReporter(globals, io),
      }),
    );
  } finally {
    ctx.db.close();
  }
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
          restoreServer: options.restoreServer,
          trigger,
          onProgress: progressReporter(globals, io),
          onAction: (agenda, r) => {
            // Items a filter keeps out are counted in the summary, not listed.
            if (options.dryRun && !globals.json && skippedFilter(r.action.reasonCode) === null)
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

export function renderUserResults(results: readonly UserRunResult[]): string {
  if (results.length === 0) return 'The CRM has no active user: nothing to synchronise.';
  return results
    .map((r) => {
      const head = `== ${r.login}${r.mailbox ? ` (${r.mailbox})` : ''}`;
      if (r.summary === null) return `${head}: skipped: ${r.skipped?.message ?? 'unknown reason'}`;
      return `${head}\n${renderSummary(r.summary)}`;
    })
    .join('\n');
}

/** The most serious outcome among the users: a skipped user counts as a server failure. */
export function exitCodeOfUsers(results: readonly UserRunResult[]): number {
  const codes = results.map((r) => (r.summary === null ? ExitCode.server : exitCodeOf(r.summary)));
  const order: number[] = [ExitCode.server, ExitCode.guard, ExitCode.itemsFailed];
  return order.find((c) => codes.includes(c)) ?? ExitCode.ok;
}

export function exitCodeOf(summary: RunSummary): number {
  if (summary.agendas.some((a) => a.aborted)) return ExitCode.server;
  if (summary.agendas.some((a) => a.refused)) return ExitCode.guard;
  if (summary.agendas.some((a) => a.failed.length > 0)) return ExitCode.itemsFailed;
  return ExitCode.ok;
}
