/**
 * The restorable trash for CRM rows the sync engine deletes: the row and everything hanging
 * on it (attendees, e-mails, links...) is snapshotted as JSON in the same transaction as the
 * delete, so a wrong delete on the server never costs CRM data.
 */
import { withSyncOrigin } from '../../crm/changes.ts';
import type { CrmDatabase } from '../../crm/database.ts';
import type { SqlValue } from '../../crm/sql.ts';
import { TABLE_OF } from './stamp.ts';
import type { CrmEntity } from './types.ts';
import { CRM_ENTITIES, CrmRowMissingError } from './types.ts';

export interface TrashEntry {
  id: number;
  entity: CrmEntity;
  crmId: number;
  /** Subject or name, for lists. */
  label: string;
  reason: string;
  runOrigin: string | null;
  deletedAt: string;
  restoredAt: string | null;
  restoredCrmId: number | null;
}

/** A BLOB (a person's photo) inside the JSON. */
type JsonCell = string | number | null | { $base64: string };
type JsonRow = Record<string, JsonCell>;

export interface TrashSnapshot {
  format: 1;
  entity: CrmEntity;
  row: JsonRow;
  /** Rows of other tables that referred to the row (deleted with it by ON DELETE CASCADE). */
  children: { table: string; fk: string; rows: JsonRow[] }[];
}

/**
 * What goes with a row when it is deleted. A person also takes its links FROM events and
 * e-mails, so a restore puts the person back into those meetings and messages.
 */
const DEPENDENTS: Readonly<Record<CrmEntity, readonly { table: string; fk: string }[]>> = {
  event: [
    { table: 'event_attendees', fk: 'event_id' },
    { table: 'event_exdates', fk: 'event_id' },
    { table: 'event_overrides', fk: 'event_id' },
    { table: 'event_persons', fk: 'event_id' },
    { table: 'event_companies', fk: 'event_id' },
  ],
  task: [],
  person: [
    { table: 'person_emails', fk: 'person_id' },
    { table: 'person_phones', fk: 'person_id' },
    { table: 'person_companies', fk: 'person_id' },
    { table: 'person_categories', fk: 'person_id' },
    { table: 'event_persons', fk: 'person_id' },
    { table: 'email_persons', fk: 'person_id' },
  ],
};

const NOW = `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`;

function encodeRow(row: Record<string, unknown>): JsonRow {
  const out: JsonRow = {};
  for (const [k, v] of Object.entries(row)) {
    if (Buffer.isBuffer(v)) out[k] = { $base64: v.toString('base64') };
    else if (typeof v === 'bigint') out[k] = Number(v);
    else if (typeof v === 'string' || typeof v === 'number' || v === null) out[k] = v;
    else out[k] = null;
  }
  return out;
}

function decodeCell(v: JsonCell): SqlValue {
  if (v !== null && typeof v === 'object') return Buffer.from(v.$base64, 'base64');
  return v;
}

function takeSnapshot(db: CrmDatabase, entity: CrmEntity, id: number): TrashSnapshot | undefined {
  const row = db
    .prepare<[number], Record<string, unknown>>(`SELECT * FROM ${TABLE_OF[entity]} WHERE id = ?`)
    .get(id);
  if (!row) return undefined;
  return {
    format: 1,
    entity,
    row: encodeRow(row),
    children: DEPENDENTS[entity].map(({ table, fk }) => ({
      table,
      fk,
      rows: db
        .prepare<[number], Record<string, unknown>>(
          `SELECT * FROM ${table} WHERE ${fk} = ? ORDER BY rowid`,
        )
        .all(id)
        .map(encodeRow),
    })),
  };
}

function labelOf(entity: CrmEntity, row: JsonRow): string {
  const text = (k: string) => (typeof row[k] === 'string' ? (row[k] as string) : '');
  if (entity === 'person') return `${text('first_name')} ${text('last_name')}`.trim();
  return text('subject');
}

interface TrashRow {
  id: number;
  entity: string;
  crm_id: number;
  label: string;
  snapshot: string;
  reason: string;
  run_origin: string | null;
  deleted_at: string;
  restored_at: string | null;
  restored_crm_id: number | null;
}

function toEntry(r: TrashRow): TrashEntry {
  return {
    id: r.id,
    entity: r.entity as CrmEntity,
    crmId: r.crm_id,
    label: r.label,
    reason: r.reason,
    runOrigin: r.run_origin,
    deletedAt: r.deleted_at,
    restoredAt: r.restored_at,
    restoredCrmId: r.restored_crm_id,
  };
}

function trashRow(db: CrmDatabase, id: number): TrashRow | undefined {
  return db.prepare<[number], TrashRow>('SELECT * FROM sync_trash WHERE id = ?').get(id);
}

/**
 * Snapshots the row with its dependents into sync_trash and deletes it, in one transaction
 * marked with the run's origin. Throws CrmRowMissingError when the row is gone.
 */
export function moveToTrash(
  db: CrmDatabase,
  entity: CrmEntity,
  crmId: number,
  ctx: { origin: string; reason: string },
): TrashEntry {
  return withSyncOrigin(db, ctx.origin, () => {
    const snapshot = takeSnapshot(db, entity, crmId);
    if (!snapshot) throw new CrmRowMissingError(entity, crmId);
    const id = Number(
      db
        .prepare(
          `INSERT INTO sync_trash (entity, crm_id, label, snapshot, reason, run_origin, deleted_at)
           VALUES (?, ?, ?, ?, ?, ?, ${NOW})`,
        )
        .run(
          entity,
          crmId,
          labelOf(entity, snapshot.row),
          JSON.stringify(snapshot),
          ctx.reason,
          ctx.origin,
        ).lastInsertRowid,
    );
    db.prepare(`DELETE FROM ${TABLE_OF[entity]} WHERE id = ?`).run(crmId);
    const row = trashRow(db, id);
    if (!row) throw new Error(`Trash entry ${id} vanished.`);
    return toEntry(row);
  });
}

export interface TrashListOptions {
  entity?: CrmEntity;
  /** Also entries already restored (default false). */
  includeRestored?: boolean;
  /** Only what this run deleted. */
  runOrigin?: string;
  limit?: number;
}

/** Newest first. */
export function listTrash(db: CrmDatabase, opts: TrashListOptions = {}): TrashEntry[] {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (opts.entity !== undefined) {
    where.push('entity = ?');
    params.push(opts.entity);
  }
  if (opts.includeRestored !== true) where.push('restored_at IS NULL');
  if (opts.runOrigin !== undefined) {
    where.push('run_origin = ?');
    params.push(opts.runOrigin);
  }
  const limit = opts.limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(opts.limit))}`;
  return db
    .prepare<SqlValue[], TrashRow>(
      `SELECT * FROM sync_trash${where.length ? ` WHERE ${where.join(' AND ')}` : ''}
       ORDER BY deleted_at DESC, id DESC${limit}`,
    )
    .all(...params)
    .map(toEntry);
}

/** The stored snapshot of an entry (for "what exactly was deleted"), or undefined. */
export function trashSnapshot(db: CrmDatabase, trashId: number): TrashSnapshot | undefined {
  const row = trashRow(db, trashId);
  return row && parseSnapshot(row);
}

function parseSnapshot(row: TrashRow): TrashSnapshot {
  const value: unknown = JSON.parse(row.snapshot);
  const s = value as Partial<TrashSnapshot> | null;
  if (
    s === null ||
    typeof s !== 'object' ||
    s.format !== 1 ||
    !CRM_ENTITIES.includes(s.entity as CrmEntity) ||
    typeof s.row !== 'object' ||
    !Array.isArray(s.children)
  ) {
    throw new Error(`Trash entry ${row.id} holds no readable snapshot.`);
  }
  return s as TrashSnapshot;
}

/** Removes entries deleted before `before` (UTC ISO); returns how many went. */
export function purgeTrash(db: CrmDatabase, before: string): number {
  return db.prepare('DELETE FROM sync_trash WHERE deleted_at < ?').run(before).changes;
}

interface ColumnInfo {
  name: string;
  notnull: number;
  pk: number;
  type: string;
}

interface ForeignKey {
  table: string;
  from: string;
  to: string | null;
}

function columnsOf(db: CrmDatabase, table: string): ColumnInfo[] {
  return db.pragma(`table_info(${table})`) as ColumnInfo[];
}

function foreignKeysOf(db: CrmDatabase, table: string): ForeignKey[] {
  return db.pragma(`foreign_key_list(${table})`) as ForeignKey[];
}

function rowExists(db: CrmDatabase, table: string, column: string, value: SqlValue): boolean {
  return db.prepare(`SELECT 1 FROM ${table} WHERE ${column} = ?`).pluck().get(value) !== undefined;
}

/**
 * Inserts a snapshot row: only columns the table has; references to rows deleted since
 * become NULL, or skip the row when the column cannot be NULL (a link to a gone event).
 * `fixed` columns are set as given (the restored parent's id). Returns the rowid, or null
 * when skipped.
 */
function insertSnapshotRow(
  db: CrmDatabase,
  table: string,
  snapshotRow: JsonRow,
  fixed: Record<string, SqlValue>,
  dropColumns: readonly string[],
): number | null {
  const columns = columnsOf(db, table);
  const values: Record<string, SqlValue> = {};
  for (const c of columns) {
    if (dropColumns.includes(c.name)) continue;
    if (c.name in fixed) values[c.name] = fixed[c.name] ?? null;
    else if (Object.hasOwn(snapshotRow, c.name))
      values[c.name] = decodeCell(snapshotRow[c.name] ?? null);
  }
  for (const fk of foreignKeysOf(db, table)) {
    const v = values[fk.from];
    if (v === undefined || v === null || fk.from in fixed) continue;
    if (rowExists(db, fk.table, fk.to ?? 'id', v)) continue;
    const column = columns.find((c) => c.name === fk.from);
    if (column?.notnull) return null;
    values[fk.from] = null;
  }
  const names = Object.keys(values);
  const result = db
    .prepare(
      `INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map((n) => `@${n}`).join(', ')})`,
    )
    .run(values);
  return Number(result.lastInsertRowid);
}

/**
 * Puts a trashed row back with its dependents and its uid. It gets its old id when that is
 * still free (always, unless another program inserted that id explicitly: AUTOINCREMENT
 * never hands an id out twice), so pairings and links keep pointing at it; else a new id.
 *
 * The restore is a CRM-side change like a user's edit, NOT marked with a sync origin by
 * default: the next run then sees an insert and sends the item to the server again (that
 * is what a restore after a server-side delete means). Pass `origin` to mark it anyway.
 * Returns the row's id.
 */
export function restoreFromTrash(
  db: CrmDatabase,
  trashId: number,
  ctx: { origin?: string | null } = {},
): number {
  const run = (): number => {
    const row = trashRow(db, trashId);
    if (!row) throw new RangeError(`There is no trash entry ${trashId}.`);
    if (row.restored_at !== null) {
      throw new RangeError(
        `Trash entry ${trashId} was already restored (as ${row.entity} ${row.restored_crm_id ?? '?'}).`,
      );
    }
    const snapshot = parseSnapshot(row);
    const table = TABLE_OF[snapshot.entity];
    const oldId = Number(snapshot.row.id);
    const idFree = Number.isSafeInteger(oldId) && !rowExists(db, table, 'id', oldId);
    const restoredId = insertSnapshotRow(
      db,
      table,
      snapshot.row,
      { updated_at: new Date().toISOString() },
      idFree ? [] : ['id'],
    );
    if (restoredId === null) throw new Error(`Trash entry ${trashId} cannot be restored.`);
    const allowed = DEPENDENTS[snapshot.entity];
    for (const child of snapshot.children) {
      // Only the dependents this entity has: the snapshot is data, not a list of tables to trust.
      if (!allowed.some((d) => d.table === child.table && d.fk === child.fk)) continue;
      const idColumn = columnsOf(db, child.table).find((c) => c.pk === 1 && c.name === 'id');
      for (const r of child.rows) {
        insertSnapshotRow(db, child.table, r, { [child.fk]: restoredId }, idColumn ? ['id'] : []);
      }
    }
    db.prepare(`UPDATE sync_trash SET restored_at = ${NOW}, restored_crm_id = ? WHERE id = ?`).run(
      restoredId,
      trashId,
    );
    return restoredId;
  };
  return ctx.origin ? withSyncOrigin(db, ctx.origin, run) : db.transaction(run).immediate();
}
