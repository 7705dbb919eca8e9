/**
 * Migration 2: the sync engine's own tables. They live in the CRM file so that a CRM row
 * and its pairing row are written in one transaction (an interrupted run resumes without
 * duplicates). Frozen once released, like every migration.
 */
import type Database from 'better-sqlite3';

export const version = 2;
export const name = 'sync state';

export function up(db: Database.Database): void {
  db.exec(schemaSql);
}

const NOW = `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`;

const schemaSql = `
-- One row per synced item and folder pairing ("scope" = CRM user | agenda | server folder).
CREATE TABLE sync_pairings (
  scope TEXT NOT NULL,
  crm_id INTEGER NOT NULL,
  server_id TEXT NOT NULL,
  uid TEXT NOT NULL,
  crm_hash TEXT NOT NULL,
  server_hash TEXT NOT NULL,
  server_version TEXT NOT NULL,
  -- Content hash of a write being sent to the server for this pairing; NULL when none is in
  -- flight. Noted before the write, cleared with the pairing row written after the answer:
  -- should the process die in between, the next run knows the server copy for its own
  -- write, not for a change made on the server. A create not yet answered has the
  -- server_id 'pending:' || the CRM stamp.
  sent_hash TEXT,
  synced_at TEXT NOT NULL DEFAULT (${NOW}),
  PRIMARY KEY (scope, crm_id),
  UNIQUE (scope, server_id)
) WITHOUT ROWID;

-- The last known state of every item of a server folder, kept current with the server's own
-- change tracking, so each run plans from complete data with only the changes downloaded.
-- data is NULL when the item could not be read (error says why): such an item is never
-- taken for deleted.
CREATE TABLE sync_server_items (
  scope TEXT NOT NULL,
  server_id TEXT NOT NULL,
  version TEXT NOT NULL,
  uid TEXT NOT NULL,
  crm_stamp TEXT,
  data TEXT,
  hash TEXT NOT NULL,
  modified_at TEXT,
  error TEXT,
  PRIMARY KEY (scope, server_id)
) WITHOUT ROWID;

CREATE TABLE sync_folders (
  scope TEXT PRIMARY KEY,
  folder_name TEXT NOT NULL,
  token TEXT,
  last_sync_at TEXT
) WITHOUT ROWID;

CREATE TABLE sync_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  started_at TEXT NOT NULL DEFAULT (${NOW}),
  finished_at TEXT,
  trigger TEXT NOT NULL,
  dry_run INTEGER NOT NULL DEFAULT 0 CHECK (dry_run IN (0, 1)),
  status TEXT NOT NULL DEFAULT 'running'
    CHECK (status IN ('running', 'ok', 'partial', 'failed', 'refused', 'interrupted')),
  summary TEXT
);

-- Every action of every run with its reason: "why did this happen to my meeting?"
CREATE TABLE sync_journal (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id INTEGER NOT NULL REFERENCES sync_runs (id) ON DELETE CASCADE,
  at TEXT NOT NULL DEFAULT (${NOW}),
  agenda TEXT NOT NULL,
  scope TEXT NOT NULL,
  action TEXT NOT NULL,
  crm_id INTEGER,
  server_id TEXT,
  label TEXT NOT NULL,
  reason TEXT NOT NULL,
  -- The reason as a stable code and its parameters (JSON object), for translation.
  reason_code TEXT,
  reason_params TEXT,
  outcome TEXT NOT NULL CHECK (outcome IN ('done', 'failed', 'planned', 'skipped')),
  error TEXT,
  -- Changed on both sides since the last run; a policy chose (for the conflicts view).
  conflict INTEGER NOT NULL DEFAULT 0 CHECK (conflict IN (0, 1))
);
CREATE INDEX sync_journal_run ON sync_journal (run_id);
CREATE INDEX sync_journal_crm ON sync_journal (crm_id);

-- CRM rows deleted by sync, restorable (snapshot = the row and its child rows, JSON).
CREATE TABLE sync_trash (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  entity TEXT NOT NULL,
  crm_id INTEGER NOT NULL,
  label TEXT NOT NULL,
  snapshot TEXT NOT NULL,
  reason TEXT NOT NULL,
  run_origin TEXT,
  deleted_at TEXT NOT NULL,
  restored_at TEXT,
  restored_crm_id INTEGER
);
CREATE INDEX sync_trash_deleted_at ON sync_trash (deleted_at);

-- This file's random id: part of the CRM stamp on server items, so a server item stamped
-- from another CRM file never pairs with an unrelated row of this one.
CREATE TABLE sync_database (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  database_id TEXT NOT NULL CHECK (length(database_id) > 0),
  created_at TEXT NOT NULL DEFAULT (${NOW})
);
INSERT INTO sync_database (id, database_id) VALUES (1, lower(hex(randomblob(16))));

-- The change log is read per item for "newer wins".
CREATE INDEX change_log_entity ON change_log (entity, entity_id);
`;
