/**
 * Opening the CRM file: the pragmas every connection needs, a check that the file really is
 * a CRM Sync database, and the schema migrations.
 */
import { closeSync, existsSync, openSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { DatabaseError } from '../errors.ts';
import { CHANGE_CAPTURE_TRIGGERS, SCHEMA_VERSION } from './migrations/index.ts';
import {
  CRM_APPLICATION_ID,
  migrate,
  newerSchemaError,
  schemaVersion,
} from './migrations/migrate.ts';
import { toDatabaseError } from './sqlite-errors.ts';
import { cacheStatements } from './statement-cache.ts';

export type CrmDatabase = Database.Database;

export { SCHEMA_VERSION, schemaVersion, migrate };

/** How long a statement waits for another program's write lock before failing. */
export const BUSY_TIMEOUT_MS = 5000;

export interface OpenCrmDatabaseOptions {
  /** Create the file (and the schema) when it does not exist. */
  create: boolean;
  /** Open read-only: no writes and no migrations (an older schema stays as it is). */
  readonly?: boolean;
}

/**
 * Opens (and if asked creates) the CRM file, sets WAL mode, foreign keys and the busy
 * timeout, and migrates the schema to SCHEMA_VERSION. Every failure a user can cause (missing
 * file, not SQLite, not a CRM file, corrupt, locked, newer schema) is a DatabaseError.
 */
export function openCrmDatabase(file: string, options: OpenCrmDatabaseOptions): CrmDatabase {
  const path = resolve(file);
  const readonly = options.readonly === true;
  if (existsSync(path)) {
    if (statSync(path).isDirectory()) {
      throw new DatabaseError(`Cannot open CRM database ${path}: it is a folder, not a file.`);
    }
  } else {
    if (!options.create || readonly) {
      throw new DatabaseError(`CRM database ${path} does not exist.`);
    }
    if (!existsSync(dirname(path))) {
      throw new DatabaseError(
        `Cannot create CRM database ${path}: the folder ${dirname(path)} does not exist.`,
      );
    }
    createPrivateFile(path);
  }

  let db: CrmDatabase;
  try {
    db = new Database(path, {
      readonly,
      fileMustExist: readonly || !options.create,
      timeout: BUSY_TIMEOUT_MS,
    });
  } catch (err) {
    throw toDatabaseError(path, 'open', err);
  }
  cacheStatements(db);
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Identify the file before changing anything in it (WAL mode is a change).
    checkIsCrmDatabase(db, path, readonly);
    configureConnection(db, path, readonly);
    if (!readonly) migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw toDatabaseError(path, 'open', err);
  }
}

/**
 * Creates the empty file readable by its owner only: it holds the CRM users' password
 * hashes. SQLite gives the -wal and -shm files it creates next to it the same mode.
 * 'a' does not fail when another process created the file meanwhile.
 */
function createPrivateFile(path: string): void {
  try {
    closeSync(openSync(path, 'a', 0o600));
  } catch (err) {
    throw toDatabaseError(path, 'open', err);
  }
}

function configureConnection(db: CrmDatabase, path: string, readonly: boolean): void {
  if (!readonly) {
    const mode = String(db.pragma('journal_mode = WAL', { simple: true }));
    if (mode.toLowerCase() !== 'wal') {
      throw new DatabaseError(
        `Cannot open CRM database ${path}: it cannot be switched to WAL mode (it stays in "${mode}" mode); keep the file on a local disk.`,
      );
    }
    // NORMAL is durable enough in WAL mode and much faster than FULL.
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('foreign_keys = ON');
}

interface FileIdentity {
  applicationId: number;
  version: number;
  objects: number;
}

/**
 * The header fields and schema size, read in one transaction: another program may be
 * creating the schema right now, and separate reads could mix its before and after.
 * This is the first read of the file: a non-SQLite file fails here with SQLITE_NOTADB.
 */
function readIdentity(db: CrmDatabase): FileIdentity {
  return db.transaction((): FileIdentity => ({
    applicationId: Number(db.pragma('application_id', { simple: true })),
    version: schemaVersion(db),
    objects:
      db
        .prepare<[], number>(
          "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
        )
        .pluck()
        .get() ?? 0,
  }))();
}

function checkIsCrmDatabase(db: CrmDatabase, path: string, readonly: boolean): void {
  const { applicationId, version, objects } = readIdentity(db);
  if (applicationId !== CRM_APPLICATION_ID) {
    if (applicationId !== 0 || objects > 0 || version !== 0) {
      throw new DatabaseError(
        `Cannot open CRM database ${path}: it is an SQLite database of another program, not a CRM Sync database.`,
      );
    }
    if (readonly) {
      throw new DatabaseError(
        `Cannot open CRM database ${path} read-only: the file is empty (no CRM schema yet).`,
      );
    }
    return;
  }
  // A read-only connection keeps an older schema as it is (schemaVersion tells); the next
  // writable open upgrades it.
  if (version > SCHEMA_VERSION) throw newerSchemaError(path, version);
}

/**
 * Problems found in the file, in words; empty when all is well. Runs SQLite's integrity and
 * foreign-key checks and confirms the change-capture triggers are all still there.
 */
export function integrityCheck(db: CrmDatabase): string[] {
  const problems: string[] = [];
  const integrity = db.pragma('integrity_check') as { integrity_check: string }[];
  for (const row of integrity) {
    if (row.integrity_check !== 'ok') problems.push(row.integrity_check);
  }
  const foreignKeys = db.pragma('foreign_key_check') as {
    table: string;
    rowid: number | null;
    parent: string;
  }[];
  for (const row of foreignKeys) {
    problems.push(
      `${row.table} row ${row.rowid ?? '?'} refers to a ${row.parent} row that does not exist`,
    );
  }
  const present = new Set(
    db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'trigger'").pluck().all(),
  );
  for (const name of CHANGE_CAPTURE_TRIGGERS) {
    if (!present.has(name)) {
      problems.push(`change-capture trigger ${name} is missing, so sync cannot see some changes`);
    }
  }
  return problems;
}
