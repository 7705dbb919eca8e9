import { UserError, ExitCode } from '../../core/errors.ts';
import { getRun, listRuns, readJournal } from '../../core/sync/journal.ts';
import type { CliIO, GlobalOptions } from '../io.ts';
import { openRunContext } from '../open-run-context.ts';
import { emit } from '../output.ts';

export interface LogOptions {
  run?: string;
  find?: string;
  limit: string;
}

/** `crm-sync log`. */
export function logAction(options: LogOptions, globals: GlobalOptions, io: CliIO): void {
  const limit = Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1) {
    throw new UserError('--limit must be a whole number above 0.', ExitCode.usage);
  }
  const ctx = openRunContext(globals, io);
  try {
    if (options.run === undefined && options.find === undefined) {
      const runs = listRuns(ctx.db, limit);
      emit(io, globals, runs, () =>
        runs.length
          ? runs
              .map((r) => `#${r.id}  ${r.startedAt}  ${r.trigger.padEnd(6)}  ${r.status}`)
              .join('\n')
          : 'No synchronisation has run yet.',
      );
      return;
    }
    const runId = options.run === undefined ? undefined : Number(options.run);
    if (runId !== undefined && (!Number.isInteger(runId) || !getRun(ctx.db, runId))) {
      throw new UserError(
        `There is no run ${options.run}; \`crm-sync log\` lists them.`,
        ExitCode.usage,
      );
    }
    const entries = readJournal(ctx.db, { runId, text: options.find, limit });
    emit(io, globals, entries, () =>
      entries.length
        ? entries
            .map(
              (e) =>
                `#${e.runId} ${e.agenda} ${e.action} "${e.label}" ${e.outcome}: ${e.reason}` +
                (e.error ? ` — ${e.error}` : ''),
            )
            .join('\n')
        : 'No journal entries match.',
    );
  } finally {
    ctx.db.close();
  }
}
