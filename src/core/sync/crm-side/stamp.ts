/**
 * The CRM identity stamped on server items (X-CRM-SYNC-ID and friends), so a lost pairing
 * state re-pairs instead of duplicating. Format: `crm:<entity>:<id>@<databaseId>`, e.g.
 * `crm:event:42@3f9a0c...`. The database id tells two CRM files apart: ids restart at 1 in
 * every file, so without it an item stamped by the demo database would re-pair with an
 * unrelated row of the real one when the user switches files against the same mailbox.
 */
import type { CrmDatabase } from '../../crm/database.ts';
import type { CrmEntity } from './types.ts';

/** This CRM file's random id (32 hex digits; table sync_database, migration 2). */
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
