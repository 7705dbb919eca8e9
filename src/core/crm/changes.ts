/**
 * Reading the change log the triggers write (see docs/crm-schema.md). The log is append-only
 * and ordered by `seq`; the sync engine keeps the seq it has handled as its watermark and
 * asks for what came after it.
 */
import { z } from 'zod';
import type { CrmDatabase } from './database.ts';
import type { ChangeOp, CrmChange, Entity, Tombstone } from './types.ts';

/** The highest seq ever written (pruning does not lower it), 0 for a new file. */
export function latestChangeSeq(db: CrmDatabase): number {
  const seq = db
    .prepare<[], number>(
      `SELECT max(
         ifnull((SELECT max(seq) FROM change_log), 0),
         ifnull((SELECT seq FROM sqlite_sequence WHERE name = 'change_log'), 0))`,
    )
    .pluck()
    .get();
  return seq ?? 0;
}

/**
 * Whether rows of `entity` may have changed after `afterSeq`: true when the log has one,
 * and also when it cannot tell because it was pruned past `afterSeq` (pruning deletes the
 * oldest rows, so the row right after `afterSeq` is gone exactly when any was pruned).
 */
export function entityChangedSince(db: CrmDatabase, afterSeq: number, entity: Entity): boolean {
  if (latestChangeSeq(db) === afterSeq) return false;
  const row = db
    .prepare<[number, number, Entity], { intact: number; touched: number }>(
      `SELECT EXISTS (SELECT 1 FROM change_log WHERE seq = ? + 1) AS intact,
              EXISTS (SELECT 1 FROM change_log WHERE seq > ? AND entity = ?) AS touched`,
    )
    .get(afterSeq, afterSeq, entity);
  return row === undefined || row.intact === 0 || row.touched === 1;
}

interface ChangeRow {
  seq: number;
  entity: Entity;
  entity_id: number;
  op: ChangeOp;
  changed_at: string;
  origin: string | null;
  tombstone: string | null;
}

// Lenient: a tombstone is read long after it was written, possibly by an older trigger.
const tombstoneSchema = z.object({
  uid: z.string().nullable().catch(null),
  label: z.string().catch(''),
  ownerId: z.number().int().nullable().catch(null),
  start: z.string().nullable().optional().catch(undefined),
});

function parseTombstone(text: string | null): Tombstone {
  let value: unknown;
  try {
    value = text == null ? {} : JSON.parse(text);
  } catch {
    value = {};
  }
  const parsed = tombstoneSchema.safeParse(value);
  if (!parsed.success) return { uid: null, label: '', ownerId: null };
  const t: Tombstone = {
    uid: parsed.data.uid,
    label: parsed.data.label,
    ownerId: parsed.data.ownerId,
  };
  if (parsed.data.start !== undefined) t.start = parsed.data.start;
  return t;
}

interface Fold {
  entity: Entity;
  entityId: number;
  firstOp: ChangeOp;
  lastOp: ChangeOp;
  seq: number;
  changedAt: string;
  allFromSync: boolean;
  origins: Set<string>;
  tombstone: string | null;
}

/**
 * The items changed after `afterSeq`, one per (entity, id), ordered by their last change.
 * An item inserted after the watermark reports "insert" whatever followed, unless it was
 * deleted again: then "delete" with createdAndDeleted set (nothing to do on the server).
 */
export function readChanges(db: CrmDatabase, afterSeq: number, entities?: Entity[]): CrmChange[] {
  if (entities && entities.length === 0) return [];
  const filter = entities ? ` AND entity IN (${entities.map(() => '?').join(', ')})` : '';
  const rows = db
    .prepare<(number | string)[], ChangeRow>(
      `SELECT seq, entity, entity_id, op, changed_at, origin, tombstone
       FROM change_log WHERE seq > ?${filter} ORDER BY seq`,
    )
    .iterate(afterSeq, ...(entities ?? []));

  const folds = new Map<string, Fold>();
  for (const row of rows) {
    const key = `${row.entity}:${row.entity_id}`;
    let fold = folds.get(key);
    if (!fold) {
      fold = {
        entity: row.entity,
        entityId: row.entity_id,
        firstOp: row.op,
        lastOp: row.op,
        seq: row.seq,
        changedAt: row.changed_at,
        allFromSync: true,
        origins: new Set(),
        tombstone: null,
      };
      folds.set(key, fold);
    }
    fold.lastOp = row.op;
    fold.seq = row.seq;
    fold.changedAt = row.changed_at;
    if (row.origin == null) fold.allFromSync = false;
    else fold.origins.add(row.origin);
    if (row.op === 'delete') fold.tombstone = row.tombstone;
  }

  return [...folds.values()]
    .sort((a, b) => a.seq - b.seq)
    .map((f): CrmChange => {
      const deleted = f.lastOp === 'delete';
      const op: ChangeOp = deleted ? 'delete' : f.firstOp === 'insert' ? 'insert' : 'update';
      return {
        entity: f.entity,
        entityId: f.entityId,
        op,
        seq: f.seq,
        changedAt: f.changedAt,
        allFromSync: f.allFromSync,
        origins: [...f.origins],
        tombstone: deleted ? parseTombstone(f.tombstone) : null,
        createdAndDeleted: deleted && f.firstOp === 'insert',
      };
    });
}

/**
 * Runs fn in one transaction (IMMEDIATE, or a savepoint when already inside one) and stamps
 * `origin` on every change_log row written meanwhile, so the engine can skip its own echoes.
 * The origin sits in the change_origin table only inside that transaction: it is removed
 * before commit, and rolled back with everything else if fn throws.
 */
export function withSyncOrigin<T>(db: CrmDatabase, origin: string, fn: () => T): T {
  if (origin.length === 0) throw new RangeError('A sync origin must not be empty.');
  const run = db.transaction((): T => {
    const previous = db
      .prepare<[], string>('SELECT origin FROM change_origin WHERE id = 1')
      .pluck()
      .get();
    setOrigin(db, origin);
    const result = fn();
    if (previous === undefined) db.prepare('DELETE FROM change_origin WHERE id = 1').run();
    else setOrigin(db, previous);
    return result;
  });
  return run.immediate();
}

function setOrigin(db: CrmDatabase, origin: string): void {
  db.prepare(
    `INSERT INTO change_origin (id, origin) VALUES (1, ?)
     ON CONFLICT (id) DO UPDATE SET origin = excluded.origin`,
  ).run(origin);
}

/** Deletes log rows up to and including upToSeq; returns how many went. */
export function pruneChanges(db: CrmDatabase, upToSeq: number): number {
  return db.prepare('DELETE FROM change_log WHERE seq <= ?').run(upToSeq).changes;
}

/** Log rows not pruned yet. */
export function pendingChangeCount(db: CrmDatabase): number {
  return db.prepare<[], number>('SELECT count(*) FROM change_log').pluck().get() ?? 0;
}
