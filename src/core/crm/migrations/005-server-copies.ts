/**
 * Migration 5: the server's own text of each mirrored item (the iCalendar or vCard of that
 * version), so a CRM edit patches what the mirror holds and sends one guarded write instead
 * of reading the item first. NULL on rows written before: their next update reads the item
 * as before, and a copy is stored from then on. Frozen once released, like every migration.
 */
import type Database from 'better-sqlite3';

export const version = 5;
export const name = 'server copies';

export function up(db: Database.Database): void {
  db.exec(schemaSql);
}

const schemaSql = `
ALTER TABLE sync_server_items ADD COLUMN source TEXT;
`;
