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

/** `crm-sync config get [KEY]`. */
export function configGetAction(key: string | undefined, globals: GlobalOptions, io: CliIO): void {
  const settings = loadSettings(resolveConfigPath(globals.config, io));
  const value = key === undefined ? settings : getSettingValue(settings, key);
  if (globals.json || typeof value === 'object') {
    io.stdout(JSON.stringify(value, null, 2) + '\n');
  } else {
    io.stdout(`${String(value)}\n`);
  }
}

/** `crm-sync config set KEY VALUE`. */
export function configSetAction(key: string, raw: string, globals: GlobalOptions, io: CliIO): void {
  const file = resolveConfigPath(globals.config, io);
  const before = loadSettings(file);
  const updated = setSettingValue(before, key, raw);
  checkImportedStatus(file, before, updated);
  saveSettings(file, updated);
  const value = getSettingValue(updated, key);
  emit(io, globals, { key, value }, () => `${key} = ${JSON.stringify(value)}`);
}

/** `crm-sync config keys`. */
export function configKeysAction(globals: GlobalOptions, io: CliIO): void {
  const keys = settingKeys();
  emit(io, globals, keys, () => keys.join('\n'));
}

/** `crm-sync config path`. */
export function configPathAction(globals: GlobalOptions, io: CliIO): void {
  const file = resolveConfigPath(globals.config, io);
  emit(io, globals, { config: file }, () => file);
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
