/**
 * Upgrades of settings files written by older versions. Files are plain JSON edited by
 * people and by older crm-sync builds, so each schema change that would reject or
 * misread an old file adds one function here: it takes the raw document of version n and
 * returns the raw document of version n + 1. The current schema version is one more than
 * the number of migrations, so adding a migration is what bumps the version.
 */
import { ConfigError, describeCause } from '../errors.ts';

/** A settings document as read from JSON, before validation. */
export type SettingsDocument = Record<string, unknown>;

/** Turns a document of version n into one of version n + 1 (the version is stamped after). */
export type Migration = (doc: SettingsDocument) => SettingsDocument;

/** MIGRATIONS[i] upgrades version i + 1 to version i + 2. */
export const MIGRATIONS: readonly Migration[] = [];

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The version a document declares. A file without one is taken as version 1, so a
 * hand-written file needs no boilerplate; crm-sync always writes the field.
 */
export function documentVersion(doc: SettingsDocument, source: string, latest: number): number {
  const declared = doc['version'];
  if (declared === undefined) return 1;
  if (typeof declared !== 'number' || !Number.isInteger(declared) || declared < 1) {
    throw new ConfigError(
      `Settings file ${source}: version must be a whole number from 1 to ${latest} (got ${JSON.stringify(declared)}).`,
    );
  }
  if (declared > latest) {
    throw new ConfigError(
      `Settings file ${source} has version ${declared}, newer than this crm-sync understands (${latest}); update crm-sync or use a file it wrote.`,
    );
  }
  return declared;
}

/**
 * Applies the migrations the document still needs, in order, and returns the document of
 * the latest version. The input is never changed (each step gets its own copy).
 */
export function migrateDocument(
  doc: SettingsDocument,
  source: string,
  migrations: readonly Migration[] = MIGRATIONS,
): SettingsDocument {
  const latest = migrations.length + 1;
  let version = documentVersion(doc, source, latest);
  let current: SettingsDocument = { ...doc, version };
  while (version < latest) {
    const migrate = migrations[version - 1];
    if (migrate === undefined) throw new Error(`No settings migration from version ${version}`);
    let next: unknown;
    try {
      next = migrate(structuredClone(current));
    } catch (err) {
      throw new ConfigError(
        `Settings file ${source} could not be upgraded from version ${version} to ${version + 1}: ${describeCause(err)}.`,
        { cause: err },
      );
    }
    if (!isPlainObject(next)) {
      throw new Error(`Settings migration from version ${version} did not return an object`);
    }
    version += 1;
    current = { ...next, version };
  }
  return current;
}
