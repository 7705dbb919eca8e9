import { spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  BUSY_TIMEOUT_MS,
  SCHEMA_VERSION,
  integrityCheck,
  migrate,
  openCrmDatabase,
  schemaVersion,
} from '../../src/core/crm/database.ts';
import type { OpenCrmDatabaseOptions } from '../../src/core/crm/database.ts';
import { toDatabaseError } from '../../src/core/crm/sqlite-errors.ts';
import { MIGRATIONS } from '../../src/core/crm/migrations/index.ts';
import { CRM_APPLICATION_ID } from '../../src/core/crm/migrations/migrate.ts';
import { tableCounts } from '../../src/core/crm/stats.ts';
import { seedDemoData } from '../../src/demo/demo-crm.ts';
import { DatabaseError, ExitCode } from '../../src/core/errors.ts';
import { newCrm, tempDir, track } from './helpers.ts';

const DATABASE_MODULE = fileURLToPath(new URL('../../src/core/crm/database.ts', import.meta.url));

/** Runs this Node (24: it runs the .ts sources directly) with the arguments. */
function runNode(args: string[]): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolveRun({ stdout, stderr, code }));
  });
}

function schemaObjects(db: Database.Database): string[] {
  return db
    .prepare<[], string>("SELECT type || ' ' || name FROM sqlite_master ORDER BY type, name")
    .pluck()
    .all();
}

function openError(
  file: string,
  options: OpenCrmDatabaseOptions = { create: false },
): DatabaseError {
  try {
    track(openCrmDatabase(file, options));
  } catch (err) {
    expect(err).toBeInstanceOf(DatabaseError);
    return err as DatabaseError;
  }
  throw new Error(`opening ${file} did not fail`);
}

describe('opening and migrating', () => {
  it('migrates a new file to the latest schema version', () => {
    const { db } = newCrm();
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    expect(db.pragma('application_id', { simple: true })).toBe(CRM_APPLICATION_ID);
    expect(schemaObjects(db)).toEqual(
      expect.arrayContaining(['table events', 'table change_log', 'trigger events_log_delete']),
    );
    expect(integrityCheck(db)).toEqual([]);
  });

  it('migrates an existing empty (0-byte) file', () => {
    const file = join(tempDir(), 'empty.sqlite');
    writeFileSync(file, '');
    const db = track(openCrmDatabase(file, { create: false }));
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
  });

  it('is idempotent: migrating and reopening again changes nothing', () => {
    const { db, file } = newCrm();
    seedDemoData(db, { today: new Date('2025-06-10T10:00:00Z'), password: 'x' });
    const objects = schemaObjects(db);
    const counts = tableCounts(db);

    expect(migrate(db)).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION });
    db.close();
    const again = track(openCrmDatabase(file, { create: true }));
    expect(migrate(again)).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION });
    expect(schemaVersion(again)).toBe(SCHEMA_VERSION);
    expect(schemaObjects(again)).toEqual(objects);
    expect(tableCounts(again)).toEqual(counts);
  });

  it('lets several processes create the same new file at once without harm', async () => {
    const file = join(tempDir(), 'race.sqlite');
    const script = `
      import { openCrmDatabase, schemaVersion } from ${JSON.stringify(DATABASE_MODULE)};
      const db = openCrmDatabase(${JSON.stringify(file)}, { create: true });
      process.stdout.write(String(schemaVersion(db)));
      db.close();`;
    const runs = Array.from({ length: 6 }, () => runNode(['--input-type=module', '-e', script]));
    const results = await Promise.all(runs);
    for (const r of results) {
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(String(SCHEMA_VERSION));
    }
    const db = track(openCrmDatabase(file, { create: false }));
    expect(integrityCheck(db)).toEqual([]);
  });

  // The file holds the CRM users' password hashes: only its owner may read it.
  it('creates the file and its -wal and -shm companions readable by the owner only (0600)', () => {
    const { db, file } = newCrm();
    db.prepare('INSERT INTO categories (name) VALUES (?)').run('Mode check');
    for (const path of [file, `${file}-wal`, `${file}-shm`]) {
      expect({ path, mode: (statSync(path).mode & 0o777).toString(8) }).toEqual({
        path,
        mode: '600',
      });
    }
  });

  it('sets WAL mode, foreign keys and a 5 s busy timeout', () => {
    const { db } = newCrm();
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(BUSY_TIMEOUT_MS).toBe(5000);
  });

  it('opens read-only without migrating and refuses writes', () => {
    const { db, file } = newCrm();
    db.close();
    const ro = track(openCrmDatabase(file, { create: false, readonly: true }));
    expect(ro.readonly).toBe(true);
    expect(ro.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(() => ro.prepare("INSERT INTO activity_groups (name) VALUES ('x')").run()).toThrow(
      /readonly/,
    );
  });

  it('opens an older schema read-only as it is', () => {
    const file = join(tempDir(), 'old.sqlite');
    const raw = new Database(file);
    raw.pragma(`application_id = ${CRM_APPLICATION_ID}`);
    raw.pragma('user_version = 0');
    raw.exec('CREATE TABLE users (id INTEGER PRIMARY KEY)');
    raw.close();
    const ro = track(openCrmDatabase(file, { create: false, readonly: true }));
    expect(schemaVersion(ro)).toBe(0);
  });
});

describe('files that cannot be used', () => {
  it('reports a missing file when create is false', () => {
    const file = join(tempDir(), 'missing.sqlite');
    const err = openError(file);
    expect(err.message).toBe(`CRM database ${file} does not exist.`);
    expect(err.exitCode).toBe(ExitCode.database);
  });

  it('reports a missing folder when creating', () => {
    const file = join(tempDir(), 'no-such-folder', 'crm.sqlite');
    expect(openError(file, { create: true }).message).toMatch(
      /folder .*no-such-folder does not exist/,
    );
  });

  it('reports a file that is not SQLite', () => {
    const file = join(tempDir(), 'notes.txt');
    writeFileSync(file, 'Tohle je obyčejný textový soubor, žádná databáze.\n'.repeat(100));
    const err = openError(file, { create: true });
    expect(err.message).toMatch(
      new RegExp(
        `^Cannot open CRM database ${file}: the file is not an SQLite database \\(.+\\)\\.$`,
      ),
    );
  });

  it('reports a corrupt SQLite file', () => {
    const { db, file } = newCrm();
    seedDemoData(db, { today: new Date('2025-06-10T10:00:00Z'), password: 'x' });
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    // Keep the 100-byte header, overwrite the schema page and the rest with garbage.
    const bytes = readFileSync(file);
    for (let i = 100; i < bytes.length; i++) bytes[i] = (i * 7919) % 251;
    writeFileSync(file, bytes);
    const err = openError(file);
    expect(err.message).toMatch(
      /^Cannot open CRM database .*: the file is (corrupt|not an SQLite database)/,
    );
  });

  it('reports an SQLite file of another program', () => {
    const file = join(tempDir(), 'other.sqlite');
    const raw = new Database(file);
    raw.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)');
    raw.close();
    const err = openError(file, { create: true });
    expect(err.message).toBe(
      `Cannot open CRM database ${file}: it is an SQLite database of another program, not a CRM Sync database.`,
    );
    // And it was left alone (not switched to WAL).
    const check = track(new Database(file));
    expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
  });

  it('reports a schema written by a newer CRM Sync', () => {
    const { db, file } = newCrm();
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    for (const readonly of [false, true]) {
      const err = openError(file, { create: false, readonly });
      expect(err.message).toMatch(/written by a newer CRM Sync/);
      expect(err.message).toContain(`schema version ${SCHEMA_VERSION + 1}`);
    }
  });

  it('reports a file locked by another program', () => {
    const { db, file } = newCrm();
    const holder = track(new Database(file));
    holder.exec('BEGIN EXCLUSIVE');
    // openCrmDatabase would wait the full 5 s busy timeout; a 50 ms wait shows the same error.
    db.pragma('busy_timeout = 50');
    let failure: unknown;
    try {
      db.prepare("INSERT INTO activity_groups (name) VALUES ('x')").run();
    } catch (err) {
      failure = err;
    }
    holder.exec('ROLLBACK');
    expect(toDatabaseError(file, 'open', failure).message).toBe(
      `Cannot open CRM database ${file}: the file is locked by another program (database is locked).`,
    );
  });

  it('reports a folder given as the file', () => {
    const dir = tempDir();
    expect(openError(dir, { create: true }).message).toMatch(/it is a folder, not a file/);
  });
});

describe('integrityCheck', () => {
  it('names dropped change-capture triggers and broken references', () => {
    const { db } = newCrm();
    db.exec('DROP TRIGGER events_log_update');
    db.pragma('foreign_keys = OFF');
    db.exec(
      "INSERT INTO events (subject, all_day, starts_at, ends_at, owner_id) VALUES ('x', 1, '2025-01-01', '2025-01-02', 42)",
    );
    db.pragma('foreign_keys = ON');
    const problems = integrityCheck(db);
    expect(problems).toContain(
      'change-capture trigger events_log_update is missing, so sync cannot see some changes',
    );
    expect(problems.some((p) => /^events row \d+ refers to a users row/.test(p))).toBe(true);
  });
});
