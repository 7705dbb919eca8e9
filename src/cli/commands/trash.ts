import type { Command } from 'commander';
import { UserError, ExitCode } from '../../core/errors.ts';
import { listTrash, restoreFromTrash } from '../../core/sync/crm-side/index.ts';
import type { CliIO, GlobalOptions } from '../io.ts';
import { openRunContext } from '../open-run-context.ts';
import { emit } from '../output.ts';

export function registerTrashCommand(program: Command, io: CliIO): void {
  const trash = program
    .command('trash')
    .description(
      'CRM items the sync deleted (because they were deleted on the server), restorable.',
    );

  trash
    .command('list', { isDefault: true })
    .description('List the trash.')
    .action((_opts: unknown, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
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
    });

  trash
    .command('restore')
    .description('Put an item back into the CRM; the next sync sends it to the server again.')
    .argument('<id>', 'trash entry number (from `crm-sync trash`)')
    .action((id: string, _opts: unknown, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
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
    });
}
