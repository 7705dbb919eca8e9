import type { Command } from 'commander';
import { openCrmDatabase } from '../../core/crm/database.ts';
import { importedStatusProblem } from '../../core/crm/event-statuses.ts';
import { ConfigError } from '../../core/errors.ts';
import {
  getSettingValue,
  loadSettings,
  resolveDatabasePath,
  saveSettings,
  setSettingValue,
  settingKeys,
} from '../../core/settings/index.ts';
import type { Settings } from '../../shared/settings/schema.ts';
import type { CliIO, GlobalOptions } from '../io.ts';
import { resolveConfigPath } from '../config-path.ts';
import { emit } from '../output.ts';

export function registerConfigCommand(program: Command, io: CliIO): void {
  const config = program
    .command('config')
    .description('Read or change one setting (dotted keys, e.g. agendas.events.daysPast).');

  config
    .command('get')
    .description('Print a setting, or all settings without KEY.')
    .argument('[key]', 'dotted setting key')
    .action((key: string | undefined, _opts: unknown, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const settings = loadSettings(resolveConfigPath(globals.config, io));
      const value = key === undefined ? settings : getSettingValue(settings, key);
      if (globals.json || typeof value === 'object') {
        io.stdout(JSON.stringify(value, null, 2) + '\n');
      } else {
        io.stdout(`${String(value)}\n`);
      }
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
    .action((key: string, raw: string, _opts: unknown, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const file = resolveConfigPath(globals.config, io);
      const before = loadSettings(file);
      const updated = setSettingValue(before, key, raw);
      checkImportedStatus(file, before, updated);
      saveSettings(file, updated);
      const value = getSettingValue(updated, key);
      emit(io, globals, { key, value }, () => `${key} = ${JSON.stringify(value)}`);
    });

  config
    .command('keys')
    .description('List every setting key.')
    .action((_opts: unknown, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const keys = settingKeys();
      emit(io, globals, keys, () => keys.join('\n'));
    });

  config
    .command('path')
    .description('Print which settings file would be used.')
    .action((_opts: unknown, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const file = resolveConfigPath(globals.config, io);
      emit(io, globals, { config: file }, () => file);
    });
}

/**
 * The status given to imported events is one of the CRM's own (the values its events use),
 * not any text: checked against the CRM database when it changes.
 */
function checkImportedStatus(file: string, before: Settings, after: Settings): void {
  const status = after.agendas.events.importedStatus;
  if (status === '' || status === before.agendas.events.importedStatus) return;
  const db = openCrmDatabase(resolveDatabasePath(file, after), { create: false, readonly: true });
  try {
    const problem = importedStatusProblem(db, status);
    if (problem) throw new ConfigError(problem);
  } finally {
    db.close();
  }
}
