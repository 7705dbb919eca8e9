/**
 * Killing the real `crm-sync sync` at a chosen point of its run, for crash-safety tests.
 *
 * A kill can be pinned to the wire: as the n-th read or write call arrives (the server never
 * carries it out), or once the server has carried out the n-th call (or the n-th creation)
 * but before its answer reaches the command (the server changed, the command never learns
 * it did). A `KillWire` watches the calls: `startKillProxy` is a recording HTTP proxy in
 * front of a server (DAV); a fake server in the test process can watch its own calls
 * (ews-kill.ts). Other kill points: a wall-clock delay after the start, or the moment the
 * run's journal holds n entries (CRM writes happen there, between server calls). The call
 * log and the journal then say where the kill landed.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';

const BIN = path.resolve(import.meta.dirname, '../../bin/crm-sync.mjs');

export type CallKind = 'read' | 'write';

/** One call the command made, as the wire saw it. */
export interface WireCall {
  /** The HTTP method (DAV) or SOAP operation (EWS). */
  name: string;
  kind: CallKind;
  /** Whether the call creates an item (a PUT with If-None-Match: *, a CreateItem). */
  creates: boolean;
  /** The request path, where the wire knows an item by it (DAV); null otherwise. */
  path: string | null;
  /** 'not carried out': killed as it arrived; 'answer lost': carried out, never answered. */
  outcome: 'answered' | 'not carried out' | 'answer lost' | 'in flight';
}

export type KillTrigger =
  /** SIGKILL this long after the command was started. */
  | { at: 'delay'; ms: number }
  /** SIGKILL as soon as the run's journal holds n entries (polled every few ms). */
  | { at: 'journal'; n: number }
  /** SIGKILL as the n-th call of this kind arrives; the server never carries it out. */
  | { at: 'arrived'; kind: CallKind; n: number }
  /**
   * SIGKILL once the server has carried out the n-th call of this kind (the n-th creation,
   * with `creates`), before the command hears the answer.
   */
  | { at: 'answer-lost'; kind: CallKind; n: number; creates?: boolean };

/** Where a kill pinned to a call is decided. */
export interface KillWire {
  /** Starts a fresh call log; an arrived/answer-lost trigger calls `kill` once when it fires. */
  arm(trigger: KillTrigger | null, kill: () => void): void;
  /** The calls since the last `arm`. */
  calls(): readonly WireCall[];
  /** Stops watching for the trigger. */
  disarm(): void;
}

/** Counts calls as they arrive and as they are carried out, and says when a trigger fires. */
export class TriggerCounter {
  private readonly arrived = { read: 0, write: 0 };
  private readonly done = { read: 0, write: 0 };
  private created = 0;
  private readonly trigger: KillTrigger | null;
  constructor(trigger: KillTrigger | null) {
    this.trigger = trigger;
  }

  /** True when the call that just arrived is the one to kill on. */
  arrives(kind: CallKind): boolean {
    const n = ++this.arrived[kind];
    const t = this.trigger;
    return t?.at === 'arrived' && t.kind === kind && t.n === n;
  }

  /** True when the call the server just carried out is the one whose answer must be lost. */
  carriedOut(kind: CallKind, creates: boolean): boolean {
    const n = ++this.done[kind];
    if (creates) this.created++;
    const t = this.trigger;
    if (t?.at !== 'answer-lost' || t.kind !== kind) return false;
    return t.creates ? creates && t.n === this.created : t.n === n;
  }
}

export interface KillProxy extends KillWire {
  /** Give this to the command as the server URL. */
  url: string;
  close(): Promise<void>;
}

function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

const WRITE_METHODS = new Set(['PUT', 'DELETE', 'POST', 'PATCH', 'PROPPATCH', 'MKCOL', 'MOVE']);
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);

function endToEnd(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}

/** A recording HTTP proxy in front of `targetUrl` (an http://host:port/ root). */
export async function startKillProxy(targetUrl: string): Promise<KillProxy> {
  const target = new URL(targetUrl);
  const agent = new http.Agent({ keepAlive: true });
  let entries: WireCall[] = [];
  let counter = new TriggerCounter(null);
  let kill: (() => void) | null = null;

  const fire = (): void => {
    const k = kill;
    kill = null;
    k?.();
  };

  const forward = (method: string, url: string, headers: http.OutgoingHttpHeaders, body: Buffer) =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>(
      (resolve, reject) => {
        const out = http.request(
          {
            host: target.hostname,
            port: target.port,
            method,
            path: url,
            agent,
            headers: { ...headers, 'content-length': String(body.length) },
          },
          (res) => {
            readBody(res).then(
              (b) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: b }),
              reject,
            );
          },
        );
        out.once('error', reject);
        out.end(body);
      },
    );

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const kind: CallKind = WRITE_METHODS.has(method) ? 'write' : 'read';
    const entry: WireCall = {
      name: method,
      kind,
      creates: method === 'PUT' && req.headers['if-none-match'] === '*',
      path: req.url ?? '/',
      outcome: 'in flight',
    };
    entries.push(entry);
    const current = counter;
    const body = await readBody(req);
    if (current.arrives(kind)) {
      entry.outcome = 'not carried out';
      fire();
      req.socket.destroy();
      return;
    }
    let answer;
    try {
      answer = await forward(method, entry.path ?? '/', endToEnd(req.headers), body);
    } catch {
      req.socket.destroy();
      return;
    }
    // The server carried it out; a command killed meanwhile never reads the answer.
    entry.outcome = 'answer lost';
    if (current.carriedOut(kind, entry.creates)) {
      fire();
      req.socket.destroy();
      return;
    }
    if (req.socket.destroyed) return;
    entry.outcome = 'answered';
    res.writeHead(answer.status, {
      ...endToEnd(answer.headers),
      'content-length': String(answer.body.length),
    });
    res.end(answer.body);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => req.socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    arm(trigger, onFire) {
      entries = [];
      counter = new TriggerCounter(trigger);
      kill = onFire;
    },
    calls: () => entries,
    disarm() {
      counter = new TriggerCounter(null);
      kill = null;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

export interface CrashRunResult {
  /** True when the SIGKILL ended the command; false when it had exited by itself before. */
  killed: boolean;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** The calls the command made, in order (from the wire). */
  calls: readonly WireCall[];
  /** Journal entries the run wrote before it died, by action and outcome ("create-server done"). */
  journal: string[];
  /** The run's status row as it was left ("running" when killed before it finished). */
  runStatus: string | null;
}

export interface CrashRunOptions {
  config: string;
  database: string;
  wire: KillWire;
  /** Extra environment (the server password: CRM_SYNC_SERVER_PASSWORD). */
  env?: Record<string, string>;
  /** Null: let the run finish. */
  trigger: KillTrigger | null;
  args?: string[];
}

/** The newest run's id in the CRM file (0 when none): to find the run a child made. */
function maxRunId(database: string): number {
  const db = new Database(database, { readonly: true });
  try {
    return (db.prepare('SELECT coalesce(max(id), 0) AS n FROM sync_runs').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/**
 * Runs `crm-sync sync --json --config …` in a child process (asynchronously: a server in
 * this process must keep answering) and SIGKILLs it at the trigger; resolves when the child
 * is gone, with where it got to.
 */
export async function runAndKill(options: CrashRunOptions): Promise<CrashRunResult> {
  const { wire, trigger, database } = options;
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
  wire.arm(trigger, killNow);

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
    wire.disarm();
  }
  const calls = [...wire.calls()];

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

/** The kill points off the wire: a delay after the start, or the run's n-th journal entry. */
function watchForKill(
  trigger: KillTrigger | null,
  database: string,
  runsBefore: number,
  killNow: () => void,
): () => void {
  if (trigger?.at === 'delay') {
    const timer = setTimeout(killNow, trigger.ms);
    return () => clearTimeout(timer);
  }
  if (trigger?.at === 'journal') {
    const watcher = new Database(database, { readonly: true });
    const count = watcher
      .prepare<[number], number>('SELECT count(*) FROM sync_journal WHERE run_id > ?')
      .pluck();
    const timer = setInterval(() => {
      if ((count.get(runsBefore) ?? 0) >= trigger.n) killNow();
    }, 2);
    return () => {
      clearInterval(timer);
      watcher.close();
    };
  }
  return () => {};
}
