/**
 * Runs the numbered schema migrations listed in index.ts. `PRAGMA user_version` holds the
 * number of the last one applied; each runs in its own IMMEDIATE transaction together with
 * the version bump, so a crash leaves the file at a whole version and two programs opening
 * a new file at once do not both migrate it.
 */
import type Database from 'better-sqlite3';
import { DatabaseError, describeCause } from '../../errors.ts';
import { MIGRATIONS, SCHEMA_VERSION } from './index.ts';
import type { Migration } from './index.ts';

/** `PRAGMA application_id` of a CRM Sync file: "CRMS" in ASCII. */
export const CRM_APPLICATION_ID = 0x43524d53;

export function schemaVersion(db: Database.Database): number {
  return Number(db.pragma('user_version', { simple: true }));
}

export function newerSchemaError(file: string, version: number): DatabaseError {
  return new DatabaseError(
    `Cannot open CRM database ${file}: it was written by a newer CRM Sync (schema version ${version}, this version knows up to ${SCHEMA_VERSION}); update CRM Sync.`,
  );
}

/**
 * Brings the schema to the last of `migrations` (all of them unless a test builds a file of
 * an older version). Safe to call again: applied migrations are skipped. Returns the
 * versions before and after.
 */
export function migrate(
  db: Database.Database,
  migrations: readonly Migration[] = MIGRATIONS,
): { from: number; to: number } {
  const from = schemaVersion(db);
  if (from > SCHEMA_VERSION) throw newerSchemaError(db.name, from);
  for (const migration of migrations) {
    if (migration.version <= from) continue;
    const apply = db.transaction(() => {
      // Re-read under the write lock: another connection may have migrated meanwhile.
      const current = schemaVersion(db);
      if (current >= migration.version) return;
      migration.up(db);
      if (migration.version === 1) db.pragma(`application_id = ${CRM_APPLICATION_ID}`);
      db.pragma(`user_version = ${migration.version}`);
    });
    try {
      apply.immediate();
    } catch (err) {
      throw new DatabaseError(
        `Cannot upgrade CRM database ${db.name} to schema version ${migration.version} (${migration.name}): ${describeCause(err)}.`,
        { cause: err },
      );
    }
  }
  return { from, to: schemaVersion(db) };
}
