/**
 * Numbered schema migrations. `PRAGMA user_version` holds the number of the last one
 * applied; each runs in its own IMMEDIATE transaction together with the version bump, so a
 * crash leaves the file at a whole version and two programs opening a new file at once do
 * not both migrate it.
 */
import type Database from 'better-sqlite3';
import { DatabaseError, describeCause } from '../errors.ts';
import { initialSchemaSql, initialSchemaTriggers } from './migration-001-initial-schema.ts';
import { syncStateSql } from './migration-002-sync-state.ts';
import { folderDiscoverySql } from './migration-003-folder-discovery.ts';
import { pairingCategoriesSql } from './migration-004-pairing-categories.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial schema', sql: initialSchemaSql },
  { version: 2, name: 'sync state', sql: syncStateSql },
  { version: 3, name: 'folder discovery', sql: folderDiscoverySql },
  { version: 4, name: 'pairing categories', sql: pairingCategoriesSql },
];

/** The schema version this code writes and understands. */
export const SCHEMA_VERSION: number = MIGRATIONS.length;

/** `PRAGMA application_id` of a CRM Sync file: "CRMS" in ASCII. */
export const CRM_APPLICATION_ID = 0x43524d53;

/** Triggers the change capture relies on (see integrityCheck). */
export const CHANGE_CAPTURE_TRIGGERS: readonly string[] = initialSchemaTriggers;

export function schemaVersion(db: Database.Database): number {
  return Number(db.pragma('user_version', { simple: true }));
}

export function newerSchemaError(file: string, version: number): DatabaseError {
  return new DatabaseError(
    `Cannot open CRM database ${file}: it was written by a newer CRM Sync (schema version ${version}, this version knows up to ${SCHEMA_VERSION}); update CRM Sync.`,
  );
}

/**
 * Brings the schema to SCHEMA_VERSION. Safe to call again: applied migrations are skipped.
 * Returns the versions before and after.
 */
export function migrate(db: Database.Database): { from: number; to: number } {
  const from = schemaVersion(db);
  if (from > SCHEMA_VERSION) throw newerSchemaError(db.name, from);
  for (const migration of MIGRATIONS) {
    if (migration.version <= from) continue;
    const apply = db.transaction(() => {
      // Re-read under the write lock: another connection may have migrated meanwhile.
      const current = schemaVersion(db);
      if (current >= migration.version) return;
      db.exec(migration.sql);
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
