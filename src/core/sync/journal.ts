/**
 * Runs and their journal: every action with its reason and outcome, so the user can ask
 * "why did this happen to my meeting?" (`crm-sync log`, the app's history window).
 */
import type { CrmDatabase } from '../crm/database.ts';

export type RunStatus = 'running' | 'ok' | 'partial' | 'failed' | 'refused' | 'interrupted';
export type JournalOutcome = 'done' | 'failed' | 'planned' | 'skipped';

export interface JournalEntry {
  agenda: string;
  scope: string;
  action: string;
  crmId: number | null;
  serverId: string | null;
  label: string;
  reason: string;
  /** The reason as a code (reasons.ts) with its parameters; null for entries without one. */
  reasonCode: string | null;
  reasonParams: Record<string, string | number>;
  outcome: JournalOutcome;
  error: string | null;
  /** Changed on both sides since the last run; a policy chose. */
  conflict: boolean;
}

export interface RunRecord {
  id: number;
  startedAt: string;
  finishedAt: string | null;
  trigger: string;
  dryRun: boolean;
  status: RunStatus;
  summary: unknown;
}

/** Runs this process started and has not finished: alive (every user's at once, --all-users). */
const runsUnderWay = new WeakMap<CrmDatabase, Set<number>>();

/**
 * Starts a run. Only one process runs at a time (the run lock), so a run still marked
 * running that this process did not start is one whose process died: it is marked
 * interrupted.
 */
export function startRun(db: CrmDatabase, trigger: string, dryRun: boolean): number {
  let underWay = runsUnderWay.get(db);
  if (underWay === undefined) runsUnderWay.set(db, (underWay = new Set()));
  db.prepare(
    `UPDATE sync_runs SET status = 'interrupted', finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
     WHERE status = 'running' AND id NOT IN (SELECT value FROM json_each(?))`,
  ).run(JSON.stringify([...underWay]));
  const runId = Number(
    db
      .prepare('INSERT INTO sync_runs (trigger, dry_run) VALUES (?, ?)')
      .run(trigger, dryRun ? 1 : 0).lastInsertRowid,
  );
  underWay.add(runId);
  return runId;
}

export function finishRun(
  db: CrmDatabase,
  runId: number,
  status: RunStatus,
  summary: unknown,
): void {
  db.prepare(
    `UPDATE sync_runs SET status = ?, summary = ?, finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
     WHERE id = ?`,
  ).run(status, JSON.stringify(summary), runId);
  runsUnderWay.get(db)?.delete(runId);
}

export function addJournalEntry(db: CrmDatabase, runId: number, e: JournalEntry): void {
  db.prepare(
    `INSERT INTO sync_journal (run_id, agenda, scope, action, crm_id, server_id, label, reason, reason_code, reason_params, outcome, error, conflict)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    runId,
    e.agenda,
    e.scope,
    e.action,
    e.crmId,
    e.serverId,
    e.label,
    e.reason,
    e.reasonCode,
    JSON.stringify(e.reasonParams),
    e.outcome,
    e.error,
    e.conflict ? 1 : 0,
  );
}

interface RunRow {
  id: number;
  started_at: string;
  finished_at: string | null;
  trigger: string;
  dry_run: number;
  status: RunStatus;
  summary: string | null;
}

function toRun(r: RunRow): RunRecord {
  return {
    id: r.id,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    trigger: r.trigger,
    dryRun: r.dry_run === 1,
    status: r.status,
    summary: r.summary ? (JSON.parse(r.summary) as unknown) : null,
  };
}

export function listRuns(db: CrmDatabase, limit = 20): RunRecord[] {
  return db
    .prepare<[number], RunRow>('SELECT * FROM sync_runs ORDER BY id DESC LIMIT ?')
    .all(limit)
    .map(toRun);
}

export function getRun(db: CrmDatabase, runId: number): RunRecord | undefined {
  const row = db.prepare<[number], RunRow>('SELECT * FROM sync_runs WHERE id = ?').get(runId);
  return row ? toRun(row) : undefined;
}

export interface JournalRow extends JournalEntry {
  id: number;
  runId: number;
  at: string;
}

interface JournalDbRow {
  id: number;
  run_id: number;
  at: string;
  agenda: string;
  scope: string;
  action: string;
  crm_id: number | null;
  server_id: string | null;
  label: string;
  reason: string;
  reason_code: string | null;
  reason_params: string | null;
  outcome: JournalOutcome;
  error: string | null;
  conflict: number;
}

/** Stored reason parameters: a JSON object of strings and numbers; anything else is dropped. */
function paramsOf(json: string | null): Record<string, string | number> {
  if (!json) return {};
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return {};
  }
  const params: Record<string, string | number> = {};
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'string' || typeof v === 'number') params[k] = v;
    }
  }
  return params;
}

export interface JournalFilter {
  runId?: number;
  crmId?: number;
  /** Case-insensitive text in the label or reason. */
  text?: string;
  /** Only items that changed on both sides. */
  conflictsOnly?: boolean;
  limit?: number;
}

export function readJournal(db: CrmDatabase, f: JournalFilter = {}): JournalRow[] {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (f.runId !== undefined) {
    where.push('run_id = ?');
    params.push(f.runId);
  }
  if (f.crmId !== undefined) {
    where.push('crm_id = ?');
    params.push(f.crmId);
  }
  if (f.conflictsOnly) where.push('conflict = 1');
  if (f.text) {
    where.push('(label LIKE ? OR reason LIKE ?)');
    params.push(`%${f.text}%`, `%${f.text}%`);
  }
  const sql = `SELECT * FROM sync_journal ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
    ORDER BY id DESC LIMIT ?`;
  params.push(f.limit ?? 500);
  return db
    .prepare<(string | number)[], JournalDbRow>(sql)
    .all(...params)
    .reverse()
    .map((r) => ({
      id: r.id,
      runId: r.run_id,
      at: r.at,
      agenda: r.agenda,
      scope: r.scope,
      action: r.action,
      crmId: r.crm_id,
      serverId: r.server_id,
      label: r.label,
      reason: r.reason,
      reasonCode: r.reason_code,
      reasonParams: paramsOf(r.reason_params),
      outcome: r.outcome,
      error: r.error,
      conflict: r.conflict === 1,
    }));
}
