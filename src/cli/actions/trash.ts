import { UserError, ExitCode } from '../../core/errors.ts';
import { listTrash, restoreFromTrash } from '../../core/sync/crm-side/index.ts';
import type { CliIO, GlobalOptions } from '../io.ts';
import { openRunContext } from '../open-run-context.ts';
import { emit } from '../output.ts';

/** `crm-sync trash` (list). */
export function trashListAction(globals: GlobalOptions, io: CliIO): void {
  const ctx = openRunContext(globals, io);
  try {
    const entries = listTrash(ctx.db);
    emit(io, globals, entries, () =>
      entries.length
        ? entries
            .map(
              (e) =>
                `#${e.id}  ${e.deletedAt}  ${e.entity} "${e.label}": ${e.reason}${e.restoredAt ? ` (restored ${e.restoredAt})` : ''}`,
            )
            .join('\n')
        : 'The trash is empty.',
    );
  } finally {
    ctx.db.close();
  }
}

/** `crm-sync trash restore ID`. */
export function trashRestoreAction(id: string, globals: GlobalOptions, io: CliIO): void {
  const trashId = Number(id);
  if (!Number.isInteger(trashId))
    throw new UserError(`"${id}" is not a trash entry number.`, ExitCode.usage);
  const ctx = openRunContext(globals, io);
  try {
    let crmId: number;
    try {
      crmId = restoreFromTrash(ctx.db, trashId);
    } catch (err) {
      if (err instanceof RangeError) throw new UserError(err.message, ExitCode.usage);
      throw err;
    }
    emit(
      io,
      globals,
      { trashId, crmId },
      () => `Restored trash entry #${trashId} as CRM item ${crmId}.`,
    );
  } finally {
    ctx.db.close();
  }
}
