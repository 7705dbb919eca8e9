/**
 * Migration 4: what the sync knows of an item's categories, on its pairing row (JSON, see
 * src/core/sync/categories.ts): which server categories the sync itself put there (only
 * those may it take off again) and the CRM category an import gave that never goes to the
 * server. NULL on rows written before: the engine then keeps every server category.
 * Frozen once released, like every migration.
 */
import type Database from 'better-sqlite3';

export const version = 4;
export const name = 'pairing categories';

export function up(db: Database.Database): void {
  db.exec(schemaSql);
}

const schemaSql = `
ALTER TABLE sync_pairings ADD COLUMN categories TEXT;
`;
