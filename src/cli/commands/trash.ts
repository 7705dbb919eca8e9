import type { Command } from 'commander';
import type { CliIO, GlobalOptions } from '../io.ts';

export function registerTrashCommand(program: Command, io: CliIO): void {
  const trash = program
    .command('trash')
    .description(
      'CRM items the sync deleted (because they were deleted on the server), restorable.',
    );

  trash
    .command('list', { isDefault: true })
    .description('List the trash.')
    .action(async (_opts: unknown, cmd: Command) => {
      const { trashListAction } = await import('../actions/trash.ts');
      trashListAction(cmd.optsWithGlobals<GlobalOptions>(), io);
    });

  trash
    .command('restore')
    .description('Put an item back into the CRM; the next sync sends it to the server again.')
    .argument('<id>', 'trash entry number (from `crm-sync trash`)')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const { trashRestoreAction } = await import('../actions/trash.ts');
      trashRestoreAction(id, cmd.optsWithGlobals<GlobalOptions>(), io);
    });
}
