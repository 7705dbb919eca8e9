import type { Command } from 'commander';
import type { CliIO, GlobalOptions } from '../io.ts';

export function registerConfigCommand(program: Command, io: CliIO): void {
  const config = program
    .command('config')
    .description('Read or change one setting (dotted keys, e.g. agendas.events.daysPast).');

  config
    .command('get')
    .description('Print a setting, or all settings without KEY.')
    .argument('[key]', 'dotted setting key')
    .action(async (key: string | undefined, _opts: unknown, cmd: Command) => {
      const { configGetAction } = await import('../actions/config.ts');
      configGetAction(key, cmd.optsWithGlobals<GlobalOptions>(), io);
    });

  config
    .command('set')
    .description('Change a setting; the value is checked like the whole file.')
    .argument('<key>', 'dotted setting key')
    .argument('<value>', 'new value (lists: "a;b;c" or JSON)')
    .addHelpText(
      'after',
      `
Examples:
  crm-sync config set schedule.intervalMinutes 15
  crm-sync config set agendas.events.direction import
  crm-sync config set agendas.mail.attachments.allowedExtensions "pdf;docx;xlsx"
  crm-sync config set agendas.events.categoryPairs '[{"crm":"HOTLINE","server":"Hotline"}]'`,
    )
    .action(async (key: string, raw: string, _opts: unknown, cmd: Command) => {
      const { configSetAction } = await import('../actions/config.ts');
      configSetAction(key, raw, cmd.optsWithGlobals<GlobalOptions>(), io);
    });

  config
    .command('keys')
    .description('List every setting key.')
    .action(async (_opts: unknown, cmd: Command) => {
      const { configKeysAction } = await import('../actions/config.ts');
      configKeysAction(cmd.optsWithGlobals<GlobalOptions>(), io);
    });

  config
    .command('path')
    .description('Print which settings file would be used.')
    .action(async (_opts: unknown, cmd: Command) => {
      const { configPathAction } = await import('../actions/config.ts');
      configPathAction(cmd.optsWithGlobals<GlobalOptions>(), io);
    });
}
