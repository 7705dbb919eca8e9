/**
 * Killing the real `crm-sync sync` at a chosen point of its run against the fake Exchange,
 * for crash-safety tests: the EWS counterpart of kill-switch.ts.
 *
 * The fake runs in the test process, so the command is spawned asynchronously (a blocking
 * spawn would stop the fake from answering). Kill points are pinned to the fake's SOAP
 * calls through its onRequest hook: as the n-th call of a kind arrives (the fake never
 * carries it out), or once the fake has carried out the n-th call of a kind (or of one
 * operation, e.g. CreateItem) but before it answers: the mailbox changed, the command never
 * learns it did. In both cases the fake hangs up instead of answering. Other kill points: a
 * wall-clock delay after the start, or the moment the run's journal holds n entries (CRM
 * writes happen there, between server calls). The call log and the journal then say where
 * the kill landed.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { FakeEws, FakeRequestEvent } from './ews-fake/index.ts';
import { maxRunId, watchForKill } from './kill-switch.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/crm-sync.mjs');

export type CallKind = 'read' | 'write';

/** The EWS operations that change the mailbox. */
export const WRITE_OPERATIONS: ReadonlySet<string> = new Set([
  'CreateItem',
  'UpdateItem',
  'DeleteItem',
  'MoveItem',
  'CopyItem',
  'CreateFolder',
  'UpdateFolder',
  'DeleteFolder',
  'CreateUserConfiguration',
  'UpdateUserConfiguration',
]);

export const kindOf = (operation: string): CallKind =>
  WRITE_OPERATIONS.has(operation) ? 'write' : 'read';

export type EwsKillTrigger =
  /** SIGKILL this long after the command was started. */
  | { at: 'delay'; ms: number }
  /** SIGKILL as the n-th call of this kind arrives; the fake never carries it out. */
  | { at: 'arrived'; kind: CallKind; n: number }
  /**
   * SIGKILL once the fake has carried out the n-th call of this kind (of `operation`, when
   * given), before it answers: the answer is lost.
   */
  | { at: 'done'; kind: CallKind; n: number; operation?: string }
  /** SIGKILL as soon as the run's journal holds n entries (polled every few ms). */
  | { at: 'journal'; n: number };

export interface EwsCall {
  operation: string;
  kind: CallKind;
  /** 'answered'; 'not carried out' (killed as it arrived); 'answer lost' (carried out). */
  outcome: 'answered' | 'not carried out' | 'answer lost' | 'in flight';
}

export interface EwsCrashRunResult {
  /** True when the SIGKILL ended the command; false when it had exited by itself before. */
  killed: boolean;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** The SOAP calls the command made, in order. */
  calls: readonly EwsCall[];
  /** Journal entries the run wrote before it died, by action and outcome ("create-server done"). */
  journal: string[];
  /** The run's status row as it was left ("running" when killed before it finished). */
  runStatus: string | null;
}

export interface EwsCrashRunOptions {
  fake: FakeEws;
  config: string;
  database: string;
  /** Extra environment (the server password: CRM_SYNC_SERVER_PASSWORD). */
  env: Record<string, string>;
  /** Null: let the run finish. */
  trigger: EwsKillTrigger | null;
  args?: string[];
}

/**
 * Runs `crm-sync sync --json --config …` in a child process and SIGKILLs it at the trigger;
 * resolves when the child is gone, with where it got to.
 */
export async function runAndKillEws(options: EwsCrashRunOptions): Promise<EwsCrashRunResult> {
  const { fake, trigger, database } = options;
  const before = maxRunId(database);
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  delete env['CRM_SYNC_CONFIG'];
  const child = spawn(
    process.execPath,
    [BIN, 'sync', '--json', '--config', options.config, ...(options.args ?? [])],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  let exited = false;
  let killed = false;
  const killNow = (): void => {
    if (exited || killed) return;
    killed = child.kill('SIGKILL');
  };

  const calls: EwsCall[] = [];
  const arrived = { read: 0, write: 0 };
  const done = { read: 0, write: 0 };
  const doneOf = new Map<string, number>();
  fake.faults.onRequest((event: FakeRequestEvent) => {
    const kind = kindOf(event.operation);
    if (event.stage === 'arrived') {
      const call: EwsCall = { operation: event.operation, kind, outcome: 'in flight' };
      calls.push(call);
      const n = ++arrived[kind];
      if (killed) return 'hang-up';
      if (trigger?.at === 'arrived' && trigger.kind === kind && trigger.n === n) {
        killNow();
        call.outcome = 'not carried out';
        return 'hang-up';
      }
      return undefined;
    }
    const call = calls.findLast((c) => c.operation === event.operation);
    const n = ++done[kind];
    const m = (doneOf.get(event.operation) ?? 0) + 1;
    doneOf.set(event.operation, m);
    const fires =
      trigger?.at === 'done' &&
      trigger.kind === kind &&
      (trigger.operation === undefined
        ? trigger.n === n
        : trigger.operation === event.operation && trigger.n === m);
    if (fires) killNow();
    if (killed) {
      if (call) call.outcome = 'answer lost';
      return 'hang-up';
    }
    if (call) call.outcome = 'answered';
    return undefined;
  });

  const stopWatching = watchForKill(trigger, database, before, killNow);
  let exitCode: number | null;
  try {
    exitCode = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => resolve(code));
    });
  } finally {
    exited = true;
    stopWatching();
    fake.faults.onRequest(null);
  }

  const db = new Database(database, { readonly: true });
  try {
    const journal = db
      .prepare<[number], { action: string; outcome: string }>(
        'SELECT action, outcome FROM sync_journal WHERE run_id > ? ORDER BY id',
      )
      .all(before)
      .map((j) => `${j.action} ${j.outcome}`);
    const run = db
      .prepare<[number], { status: string }>('SELECT status FROM sync_runs WHERE id > ? LIMIT 1')
      .get(before);
    return {
      killed: killed && exitCode === null,
      exitCode,
      stdout,
      stderr,
      calls,
      journal,
      runStatus: run?.status ?? null,
    };
  } finally {
    db.close();
  }
}
