/**
 * The settings file and what is derived from it: loading and saving, migrations, dotted
 * keys, derived values. The schema and the readiness rules are in src/shared/settings.
 */
export { loadSettings, parseSettings, saveSettings } from './file.ts';
export { MIGRATIONS, migrateDocument } from './migrations.ts';
export type { Migration, SettingsDocument } from './migrations.ts';
export { getSettingValue, setSettingValue, settingKeys } from './keys.ts';
export {
  effectiveConflictPolicy,
  impersonatedMailbox,
  resolveAttachmentDirectory,
  resolveDatabasePath,
  trustedFingerprint,
} from './derived.ts';
export { parseExtensionList } from './text-values.ts';
export { renderConfigurationReference } from './reference.ts';
