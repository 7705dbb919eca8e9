/**
 * The idle fast path. A folder whose run found nothing to do (every action a filter's
 * skip, nothing failed, no write in flight) leaves a mark (migration 6): the CRM change
 * log's position when its rows were read, a fingerprint of everything else the plan was
 * made from (settings, lookups, the product version), until when the day window keeps
 * every item where it is (window-edges.ts), and the run's skipped counts. A later run
 * whose CRM log holds no change of the agenda's rows since, with the same fingerprint,
 * inside that span, and whose server answers the change token with nothing, would plan
 * the same nothing: it reads neither the CRM rows nor the mirror, and reports the counts
 * again. A run that goes on to plan drops the mark in the transaction that stores the
 * server's changes, so a run that dies before it is done leaves none.
 */
import { createHash } from 'node:crypto';
import type { CrmDatabase } from '../crm/database.ts';
import { canonicalJson } from '../model/content-hash.ts';
import type { ServerChanges } from '../servers/connector.ts';
import type { FilterCode } from './reasons.ts';

export interface IdleMark {
  /** The CRM change log's highest seq when the run read the agenda's rows. */
  crmSeq: number;
  fingerprint: string;
  /** Epoch ms: the run's clock, and when the day window may first move an item (null: never). */
  validFrom: number;
  validUntil: number | null;
  skipped: number;
  skippedBy: Partial<Record<FilterCode, number>>;
}

interface MarkRow {
  crm_seq: number;
  fingerprint: string;
  valid_from: number;
  valid_until: number | null;
  skipped: string;
}

export function loadIdleMark(db: CrmDatabase, scope: string): IdleMark | null {
  const row = db
    .prepare<[string], MarkRow>(
      'SELECT crm_seq, fingerprint, valid_from, valid_until, skipped FROM sync_idle_marks WHERE scope = ?',
    )
    .get(scope);
  if (!row) return null;
  const counts = skippedCountsOf(row.skipped);
  if (!counts) return null;
  return {
    crmSeq: row.crm_seq,
    fingerprint: row.fingerprint,
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    ...counts,
  };
}

function skippedCountsOf(json: string): Pick<IdleMark, 'skipped' | 'skippedBy'> | null {
  try {
    const v = JSON.parse(json) as { skipped?: unknown; skippedBy?: unknown };
    if (typeof v.skipped !== 'number' || typeof v.skippedBy !== 'object' || !v.skippedBy) {
      return null;
    }
    const skippedBy: Partial<Record<FilterCode, number>> = {};
    for (const [code, n] of Object.entries(v.skippedBy)) {
      if (typeof n === 'number') skippedBy[code as FilterCode] = n;
    }
    return { skipped: v.skipped, skippedBy };
  } catch {
    return null; // a mark this code cannot read is as good as none: the run plans
  }
}

export function saveIdleMark(db: CrmDatabase, scope: string, mark: IdleMark): void {
  db.prepare(
    `INSERT INTO sync_idle_marks (scope, crm_seq, fingerprint, valid_from, valid_until, skipped)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (scope) DO UPDATE SET crm_seq = excluded.crm_seq,
       fingerprint = excluded.fingerprint, valid_from = excluded.valid_from,
       valid_until = excluded.valid_until, skipped = excluded.skipped`,
  ).run(
    scope,
    mark.crmSeq,
    mark.fingerprint,
    mark.validFrom,
    mark.validUntil,
    JSON.stringify({ skipped: mark.skipped, skippedBy: mark.skippedBy }),
  );
}

export function dropIdleMark(db: CrmDatabase, scope: string): void {
  db.prepare('DELETE FROM sync_idle_marks WHERE scope = ?').run(scope);
}

/** A hash of what a plan depends on besides the two sides' items (sets in any order). */
export function planFingerprint(parts: unknown): string {
  const plain = JSON.parse(
    JSON.stringify(parts, (_key, v: unknown) =>
      v instanceof Set ? [...(v as Set<unknown>)].map(String).sort() : v,
    ),
  ) as unknown;
  return createHash('sha256').update(canonicalJson(plain)).digest('hex').slice(0, 32);
}

/** The server's answer to the change token names nothing: no change, deletion or failure. */
export function serverReportsNothing(changes: ServerChanges): boolean {
  return (
    !changes.full &&
    changes.records.length === 0 &&
    changes.deleted.length === 0 &&
    changes.failures.length === 0
  );
}

/** Whether the mark still stands for this run (the server's answer aside). */
export function idleMarkHolds(
  mark: IdleMark | null,
  now: { fingerprint: string; nowMs: number; crmChangedSince: (seq: number) => boolean },
): mark is IdleMark {
  if (!mark || mark.fingerprint !== now.fingerprint) return false;
  // A clock set back could bring back items the window had left: plan again.
  if (now.nowMs < mark.validFrom) return false;
  if (mark.validUntil !== null && now.nowMs >= mark.validUntil) return false;
  return !now.crmChangedSince(mark.crmSeq);
}
