import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  SCHEMA_VERSION,
  integrityCheck,
  openCrmDatabase,
  schemaVersion,
} from '../../src/core/crm/database.ts';
import { MIGRATIONS } from '../../src/core/crm/migrations/index.ts';
import { migrate } from '../../src/core/crm/migrations/migrate.ts';
import { newCrm, tempDir, track } from './helpers.ts';

type Row = Record<string, unknown>;

/**
 * Rows a user of each released version could have, written with plain SQL of that version's
 * schema (frozen, like the migrations): what a later version must keep.
 */
const ROWS_WRITTEN_AT: Record<number, string> = {
  1: `
    INSERT INTO users (id, login, display_name, password_hash) VALUES (1, 'pbartos', 'Petr Bartoš', 'scrypt$x');
    INSERT INTO categories (id, name, kind) VALUES (1, 'HOTLINE', 'event');
    INSERT INTO companies (id, name, city, owner_id) VALUES (1, 'Pekárna Novák s.r.o.', 'Brno', 1);
    INSERT INTO persons (id, first_name, last_name, owner_id) VALUES (1, 'Jana', 'Nováková', 1);
    INSERT INTO person_emails (person_id, email) VALUES (1, 'jana@pekarna.example');
    INSERT INTO person_companies (person_id, company_id, role) VALUES (1, 1, 'jednatelka');
    INSERT INTO events (id, uid, subject, starts_at, ends_at, time_zone, category_id, owner_id)
      VALUES (1, 'ev-1', 'Instalace pokladny', '2025-06-10T08:00:00Z', '2025-06-10T09:30:00Z', 'Europe/Prague', 1, 1);
    INSERT INTO event_persons (event_id, person_id) VALUES (1, 1);
    INSERT INTO tasks (id, subject, all_day, due_at, owner_id) VALUES (1, 'Poslat nabídku', 1, '2025-06-12', 1);
    DELETE FROM tasks WHERE id = 1;`,
  2: `
    INSERT INTO sync_pairings (scope, crm_id, server_id, uid, crm_hash, server_hash, server_version)
      VALUES ('pbartos|events|/cal/', 1, '/cal/ev-1.ics', 'ev-1', 'c1', 's1', 'etag-1');
    INSERT INTO sync_server_items (scope, server_id, version, uid, data, hash)
      VALUES ('pbartos|events|/cal/', '/cal/ev-1.ics', 'etag-1', 'ev-1', 'BEGIN:VCALENDAR', 's1');
    INSERT INTO sync_folders (scope, folder_name, token) VALUES ('pbartos|events|/cal/', 'Kalendář', 'tok-7');
    INSERT INTO sync_runs (id, trigger, status, finished_at) VALUES (1, 'manual', 'ok', '2025-06-10T10:00:00Z');
    INSERT INTO sync_journal (run_id, agenda, scope, action, crm_id, label, reason, outcome)
      VALUES (1, 'events', 'pbartos|events|/cal/', 'create-server', 1, 'Instalace pokladny', 'new in the CRM', 'done');`,
  3: `
    INSERT INTO sync_discovery (key, folders, discovered_at)
      VALUES ('k1', '{"events":[{"href":"/cal/"}]}', '2025-06-10T10:00:00Z');`,
  4: `
    UPDATE sync_server_items SET version = 'etag-2' WHERE server_id = '/cal/ev-1.ics';`,
  5: `
    UPDATE sync_folders SET token = 'tok-8' WHERE scope = 'pbartos|events|/cal/';`,
};

function tablesOf(db: Database.Database): string[] {
  return db
    .prepare<[], string>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .pluck()
    .all();
}

function rowsOf(db: Database.Database): Record<string, Row[]> {
  const out: Record<string, Row[]> = {};
  for (const table of tablesOf(db)) {
    out[table] = db.prepare<[], Row>(`SELECT * FROM ${table} ORDER BY 1, 2`).all();
  }
  return out;
}

/** The schema as SQLite stores it, without page numbers (they depend on the file's history). */
function schemaOf(db: Database.Database): unknown[] {
  return db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name').all();
}

/** A CRM file as version `version` of CRM Sync left it, with that version's rows in it. */
function fileAtVersion(version: number): string {
  const file = join(tempDir(), `v${version}.sqlite`);
  const raw = new Database(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('foreign_keys = ON');
  migrate(raw, MIGRATIONS.slice(0, version));
  for (let v = 1; v <= version; v++) raw.exec(ROWS_WRITTEN_AT[v] ?? '');
  raw.close();
  return file;
}

describe('schema migrations', () => {
  it('lists one migration per version, numbered from 1 without gaps, each named', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.at(-1)?.version);
    for (const m of MIGRATIONS) expect(m.name.trim()).not.toBe('');
    expect(new Set(MIGRATIONS.map((m) => m.name)).size).toBe(MIGRATIONS.length);
  });

  it('has rows to write for every version a user could still have', () => {
    for (let v = 1; v < SCHEMA_VERSION; v++) expect(ROWS_WRITTEN_AT[v]).toBeDefined();
  });

  const olderVersions = Array.from({ length: SCHEMA_VERSION - 1 }, (_, i) => i + 1);

  it.each(olderVersions)(
    'upgrades a file of schema version %i to the newest, keeping its rows',
    (version) => {
      const file = fileAtVersion(version);
      const old = new Database(file, { readonly: true });
      expect(schemaVersion(old)).toBe(version);
      const before = rowsOf(old);
      old.close();

      const db = track(openCrmDatabase(file, { create: false }));
      expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
      expect(integrityCheck(db)).toEqual([]);
      // The same schema a new file gets, object for object.
      expect(schemaOf(db)).toEqual(schemaOf(newCrm().db));

      const after = rowsOf(db);
      for (const [table, rows] of Object.entries(before)) {
        const columns = Object.keys(rows[0] ?? {});
        const kept = (after[table] ?? []).map((row) =>
          Object.fromEntries(columns.map((c) => [c, row[c]])),
        );
        expect({ table, rows: kept }).toEqual({ table, rows });
      }
      expect(after['users']).toHaveLength(1);
      expect(after['change_log']?.map((r) => r['op'])).toEqual(
        expect.arrayContaining(['insert', 'delete']),
      );
      if (version >= 2) {
        // Pairings made before categories were recorded: none known, so none are taken off.
        expect(after['sync_pairings']?.map((r) => r['categories'])).toEqual([null]);
        // Mirror rows stored before server copies were kept: none, so an update reads first.
        expect(after['sync_server_items']?.map((r) => r['source'])).toEqual([null]);
      }
    },
  );
});
