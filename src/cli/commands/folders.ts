import type { Command } from 'commander';
import { Option } from 'commander';
import type { CliIO, GlobalOptions } from '../io.ts';

export function registerFoldersCommand(program: Command, io: CliIO): void {
  const folders = program
    .command('folders')
    .description("The server's folders per agenda: list them, or create one the server lacks.");
  folders
    .command('list', { isDefault: true })
    .description(
      "List the server's folders per agenda and mark the ones a sync uses (set them with config set agendas.<agenda>.folders).",
    )
    .action(async (_opts: unknown, cmd: Command) => {
      const { foldersListAction } = await import('../actions/folders.ts');
      await foldersListAction(cmd.optsWithGlobals<GlobalOptions>(), io);
    });
  folders
    .command('create')
    .description(
      'Create a calendar, task list or address book on the server (e.g. when it has none) and use it.',
    )
    .addOption(
      new Option('--agenda <name>', 'what the folder is for')
        .choices(['events', 'tasks', 'contacts'])
        .makeOptionMandatory(),
    )
    .option('--name <name>', 'its name on the server (default: CRM and the agenda)')
    .action(
      async (opts: { agenda: 'events' | 'tasks' | 'contacts'; name?: string }, cmd: Command) => {
        const { foldersCreateAction } = await import('../actions/folders.ts');
        await foldersCreateAction(opts, cmd.optsWithGlobals<GlobalOptions>(), io);
      },
    );
}
