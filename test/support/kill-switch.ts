/**
 * Killing the real `crm-sync sync` at a chosen point of its run, for crash-safety tests.
 *
 * The command talks to the DAV server through a small recording proxy in the test process,
 * so a kill can be pinned to the wire: as the n-th write request arrives (the server never
 * sees it), or once the server has carried out the n-th write but before its answer reaches
 * the command (the server changed, the command never learns it did). Other kill points: a
 * wall-clock delay after the start, or the moment the run's journal holds n entries (CRM
 * writes happen there, between server requests). The proxy's log and the journal then say
 * where the kill landed.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';

const BIN = path.resolve(import.meta.dirname, '../../bin/crm-sync.mjs');

export type RequestKind = 'read' | 'write';

export interface ProxiedRequest {
  method: string;
  path: string;
  kind: RequestKind;
  /** The server's answer; null when the request never reached it (killed on arrival). */
  status: number | null;
  /** Whether the answer reached the command (false: killed in between). */
  relayed: boolean;
}

export type KillTrigger =
  /** SIGKILL this long after the command was started. */
  | { at: 'delay'; ms: number }
  /** SIGKILL as the n-th request of this kind arrives; the server never sees it. */
  | { at: 'request'; kind: RequestKind; n: number }
  /** SIGKILL once the server answered the n-th request of this kind, before the command hears. */
  | { at: 'response'; kind: RequestKind; n: number }
  /** SIGKILL as soon as the run's journal holds n entries (polled every few ms). */
  | { at: 'journal'; n: number };

const WRITE_METHODS = new Set(['PUT', 'DELETE', 'POST', 'PATCH', 'PROPPATCH', 'MKCOL', 'MOVE']);

export interface KillProxy {
  /** Give this to the command as the server URL. */
  url: string;
  /** Starts a fresh log; a request/response trigger calls `kill` once when it fires. */
  arm(trigger: KillTrigger | null, kill: () => void): void;
  /** The requests since the last `arm`. */
  log(): readonly ProxiedRequest[];
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
  let entries: ProxiedRequest[] = [];
  let trigger: KillTrigger | null = null;
  let kill: () => void = () => {};
  const seen = { read: 0, write: 0 };

  const fire = (): void => {
    trigger = null;
    kill();
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
    const kind: RequestKind = WRITE_METHODS.has(method) ? 'write' : 'read';
    const entry: ProxiedRequest = {
      method,
      path: req.url ?? '/',
      kind,
      status: null,
      relayed: false,
    };
    entries.push(entry);
    const n = ++seen[kind];
    const body = await readBody(req);
    const t = trigger;
    if (t && t.at === 'request' && t.kind === kind && t.n === n) {
      fire();
      req.socket.destroy();
      return;
    }
    let answer;
    try {
      answer = await forward(method, entry.path, endToEnd(req.headers), body);
    } catch {
      req.socket.destroy();
      return;
    }
    entry.status = answer.status;
    const t2 = trigger;
    if (t2 && t2.at === 'response' && t2.kind === kind && t2.n === n) {
      fire();
      req.socket.destroy();
      return;
    }
    // A command killed meanwhile (a delay or journal trigger) never reads this answer.
    entry.relayed = !req.socket.destroyed;
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
    arm(next, onFire) {
      entries = [];
      seen.read = 0;
      seen.write = 0;
      trigger = next && (next.at === 'request' || next.at === 'response') ? next : null;
      kill = onFire;
    },
    log: () => entries,
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
  /** The requests the command made (from the proxy). */
  requests: readonly ProxiedRequest[];
  /** Journal entries the run wrote before it died, by action and outcome ("create-server done"). */
  journal: string[];
  /** The run's status row as it was left ("running" when killed before it finished). */
  runStatus: string | null;
}

export interface CrashRunOptions {
  config: string;
  database: string;
  proxy: KillProxy;
  /** Null: let the run finish. */
  trigger: KillTrigger | null;
  args?: string[];
}

/** The newest run's id in the CRM file (0 when none): to find the run a child made. */
export function maxRunId(database: string): number {
  const db = new Database(database, { readonly: true });
  try {
    return (db.prepare('SELECT coalesce(max(id), 0) AS n FROM sync_runs').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/**
 * Runs `crm-sync sync --config …` in a child process and SIGKILLs it at the trigger; resolves
 * when the child is gone, with where it got to.
 */
export async function runAndKill(options: CrashRunOptions): Promise<CrashRunResult> {
  const { proxy, trigger, database } = options;
  const before = maxRunId(database);
  const env: Record<string, string | undefined> = { ...process.env };
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
  proxy.arm(trigger, killNow);

  const stopWatching = watchForKill(trigger, database, before, killNow);
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  exited = true;
  stopWatching();
  const requests = [...proxy.log()];
  proxy.arm(null, () => {});

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
      requests,
      journal,
      runStatus: run?.status ?? null,
    };
  } finally {
    db.close();
  }
}

/**
 * The kill points both crash suites share: a delay after the start, or the n-th journal
 * entry of the run (between its CRM writes). Returns what stops watching.
 */
export function watchForKill(
  trigger: { at: string; ms?: number; n?: number } | null,
  database: string,
  runsBefore: number,
  killNow: () => void,
): () => void {
  if (trigger?.at === 'delay') {
    const timer = setTimeout(killNow, trigger.ms ?? 0);
    return () => clearTimeout(timer);
  }
  if (trigger?.at === 'journal') {
    const n = trigger.n ?? 1;
    const watcher = new Database(database, { readonly: true });
    const count = watcher
      .prepare<[number], number>('SELECT count(*) FROM sync_journal WHERE run_id > ?')
      .pluck();
    const timer = setInterval(() => {
      if ((count.get(runsBefore) ?? 0) >= n) killNow();
    }, 2);
    return () => {
      clearInterval(timer);
      watcher.close();
    };
  }
  return () => {};
}
