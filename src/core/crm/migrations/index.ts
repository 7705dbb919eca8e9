/**
 * Every CRM schema migration, oldest first: a new one is a new numbered file in this folder
 * and one line here. SCHEMA_VERSION follows from the list, so adding a file is what bumps it.
 */
import * as initialSchema from './001-initial-schema.ts';
import * as syncState from './002-sync-state.ts';
import * as folderDiscovery from './003-folder-discovery.ts';
import * as pairingCategories from './004-pairing-categories.ts';
import * as serverCopies from './005-server-copies.ts';
import * as idleMarks from './006-idle-marks.ts';
import type Database from 'better-sqlite3';

/** One file of this folder: the version it brings the schema to, and how. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: Database.Database): void;
}

export const MIGRATIONS: readonly Migration[] = [
  initialSchema,
  syncState,
  folderDiscovery,
  pairingCategories,
  serverCopies,
  idleMarks,
];

/** The schema version this code writes and understands. */
export const SCHEMA_VERSION: number = MIGRATIONS.length;

/** Triggers the change capture relies on (see integrityCheck). */
export const CHANGE_CAPTURE_TRIGGERS: readonly string[] = initialSchema.changeCaptureTriggers;
