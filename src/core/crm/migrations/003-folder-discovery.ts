/**
 * Migration 3: the server's folder list as last discovered, so a run with nothing to do
 * does not pay for finding the folders again (CalDAV: 5 PROPFINDs; Exchange: a hierarchy
 * sync and 4 GetFolder). Frozen once released, like every migration.
 */
import type Database from 'better-sqlite3';

export const version = 3;
export const name = 'folder discovery';

export function up(db: Database.Database): void {
  db.exec(schemaSql);
}

const schemaSql = `
-- One row per connection and CRM user ("key" = a hash of both): the folders as JSON.
CREATE TABLE sync_discovery (
  key TEXT PRIMARY KEY,
  folders TEXT NOT NULL,
  discovered_at TEXT NOT NULL
) WITHOUT ROWID;
`;
