/**
 * Migration 6: per folder, what its last run that found nothing to do saw (the CRM change
 * log's position, a fingerprint of the settings and lookups it planned with, until when no
 * item crosses the day window's edges, the skipped counts), so a run where the CRM log and
 * the server's change token both say nothing changed need not read either side again
 * (src/core/sync/idle-marks.ts). Frozen once released, like every migration.
 */
import type Database from 'better-sqlite3';

export const version = 6;
export const name = 'idle marks';

export function up(db: Database.Database): void {
  db.exec(schemaSql);
}

const schemaSql = `
CREATE TABLE sync_idle_marks (
  scope TEXT PRIMARY KEY,
  crm_seq INTEGER NOT NULL,
  fingerprint TEXT NOT NULL,
  -- Epoch ms: the run's clock, and the first instant an item could enter or leave the day
  -- window (NULL: none can, e.g. contacts).
  valid_from INTEGER NOT NULL,
  valid_until INTEGER,
  -- The run's skipped counts (JSON), reported again by the runs that rely on the mark.
  skipped TEXT NOT NULL
) WITHOUT ROWID;
`;
