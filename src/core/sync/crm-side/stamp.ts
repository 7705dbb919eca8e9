/**
 * The CRM identity stamped on server items (X-CRM-SYNC-ID and friends), so a lost pairing
 * state re-pairs instead of duplicating. Format: `crm:<entity>:<id>@<databaseId>`, e.g.
 * `crm:event:42@3f9a0c...`. The database id tells two CRM files apart: ids restart at 1 in
 * every file, so without it an item stamped by the demo database would re-pair with an
 * unrelated row of the real one when the user switches files against the same mailbox.
 */
import type { CrmDatabase } from '../../crm/database.ts';
import type { CrmEntity } from './types.ts';

/**
 * One row holding a random id of this CRM file, made once when the table is created. To be
 * moved into a CRM migration by the lead (pure SQL, so it can be).
 */
export const SYNC_DATABASE_DDL = `
CREATE TABLE IF NOT EXISTS sync_database (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  database_id TEXT NOT NULL CHECK (length(database_id) > 0),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
INSERT OR IGNORE INTO sync_database (id, database_id) VALUES (1, lower(hex(randomblob(16))));
`;

export function ensureDatabaseIdTable(db: CrmDatabase): void {
  db.exec(SYNC_DATABASE_DDL);
}

/** This CRM file's random id (32 hex digits). */
export function crmDatabaseId(db: CrmDatabase): string {
  let id: string | undefined;
  try {
    id = db.prepare<[], string>('SELECT database_id FROM sync_database WHERE id = 1').pluck().get();
  } catch (err) {
    throw new Error('The CRM file has no sync_database table (missing migration).', {
      cause: err,
    });
  }
  if (id === undefined) throw new Error('The CRM file has no database id in sync_database.');
  return id;
}

export interface CrmStamp {
  entity: CrmEntity;
  crmId: number;
  databaseId: string;
}

const STAMP_RE = /^crm:(event|task|person):([1-9][0-9]{0,15})@([0-9A-Za-z-]{1,64})$/;

export function crmStampOf(entity: CrmEntity, id: number, databaseId: string): string {
  if (!Number.isSafeInteger(id) || id < 1) throw new RangeError(`Bad CRM id ${id}.`);
  if (!/^[0-9A-Za-z-]{1,64}$/.test(databaseId)) {
    throw new RangeError(`Bad CRM database id "${databaseId}".`);
  }
  return `crm:${entity}:${id}@${databaseId}`;
}

/** The parts of a stamp, or null for anything else (stamps come from servers: never throws). */
export function parseCrmStamp(stamp: string | null | undefined): CrmStamp | null {
  if (stamp == null) return null;
  const m = STAMP_RE.exec(stamp.trim());
  if (!m) return null;
  const crmId = Number(m[2]);
  if (!Number.isSafeInteger(crmId)) return null;
  return { entity: m[1] as CrmEntity, crmId, databaseId: (m[3] ?? '').toLowerCase() };
}

/**
 * The CRM id a server item's stamp points at in THIS file, or null: a stamp of another file,
 * another entity, or of a row that no longer exists does not re-pair.
 */
export function resolveCrmStamp(
  db: CrmDatabase,
  stamp: string | null | undefined,
  entity: CrmEntity,
): number | null {
  const parsed = parseCrmStamp(stamp);
  if (!parsed || parsed.entity !== entity) return null;
  if (parsed.databaseId !== crmDatabaseId(db).toLowerCase()) return null;
  const table = TABLE_OF[entity];
  const found = db.prepare(`SELECT 1 FROM ${table} WHERE id = ?`).pluck().get(parsed.crmId);
  return found === undefined ? null : parsed.crmId;
}

export const TABLE_OF: Readonly<Record<CrmEntity, string>> = {
  event: 'events',
  task: 'tasks',
  person: 'persons',
};
