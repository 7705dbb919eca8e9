/** The settings module: schema, file, keys, readiness and derived values. */
export {
  AGENDA_CONFLICT_POLICIES,
  CATEGORY_MODES,
  CONFLICT_POLICIES,
  CONNECTION_KINDS,
  DIRECTIONS,
  EXCHANGE_VERSIONS,
  SETTINGS_VERSION,
  defaultSettings,
  settingsSchema,
} from './schema.ts';
export type { ConflictPolicy, ConnectionKind, Direction, Settings } from './schema.ts';
export { loadSettings, parseSettings, saveSettings } from './file.ts';
export { MIGRATIONS, migrateDocument } from './migrations.ts';
export type { Migration, SettingsDocument } from './migrations.ts';
export { getSettingValue, setSettingValue, settingKeys } from './keys.ts';
export { readinessProblems } from './readiness.ts';
export {
  effectiveConflictPolicy,
  impersonatedMailbox,
  resolveAttachmentDirectory,
  resolveDatabasePath,
  trustedFingerprint,
} from './derived.ts';
export type { TwoWayAgenda } from './derived.ts';
export { parseExtensionList } from './text-values.ts';
export { renderConfigurationReference } from './reference.ts';
