/**
 * The Exchange benchmark: the real engine and EWS connector against the fake Exchange
 * (bench/ews-server.ts, another process). Half of the calendar items start in the mailbox,
 * half in the CRM; then three measured runs: initial, no change, 1 % changed on each side.
 * Reports SOAP calls by operation, wall and client CPU time, and the client's RSS.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCrmDatabase } from '../src/core/crm/database.ts';
import { insertEvent, updateEvent } from '../src/core/crm/events.ts';
import { createUser } from '../src/core/crm/users.ts';
import { MemorySecretStore } from '../src/core/secrets/memory-secret-store.ts';
import { SecretKey } from '../src/core/secrets/secret-store.ts';
import { createConnector } from '../src/core/servers/create-connector.ts';
import { createEwsStats } from '../src/core/servers/ews/index.ts';
import { defaultSettings } from '../src/shared/settings/schema.ts';
import { runSync } from '../src/core/sync/engine.ts';
import type { RunSummary } from '../src/core/sync/summary.ts';
import { atHour, BENCH_MAILBOX, BENCH_NOW } from './ews-server.ts';
import type { BenchReply, BenchRequest } from './ews-server.ts';
import { collectGarbage, maxRssBytes, RssSampler } from './memory.ts';

const WINDOW_DAYS = 400;

export interface EwsRun {
  name: 'initial' | 'no-change' | '1 % changed';
  wallMs: number;
  cpuMs: number;
  soapCalls: number;
  byOperation: Record<string, number>;
  rssStart: number;
  rssPeak: number;
  maxRss: number;
  crm: { created: number; updated: number; deleted: number };
  server: { created: number; updated: number; deleted: number };
  failed: number;
  status: string;
  folders: number;
}

export interface EwsResult {
  items: number;
  seedServerMs: number;
  edits: { server: number; crm: number };
  holdings: { server: number; crm: number };
  runs: EwsRun[];
}

/** The fake Exchange of bench/ews-server.ts in a child process, asked over IPC. */
export class FakeProcess {
  private readonly child: ChildProcess;
  private pending: ((r: BenchReply) => void)[] = [];
  constructor(args: string[] = []) {
    this.child = fork(path.join(import.meta.dirname, 'ews-server.ts'), args, {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (r: BenchReply) => this.pending.shift()?.(r));
  }
  next(): Promise<BenchReply> {
    return new Promise((resolve) => this.pending.push(resolve));
  }
  async ask(req: BenchRequest): Promise<BenchReply & { ok: true }> {
    const answer = this.next();
    this.child.send(req);
    const r = await answer;
    if (!r.ok) throw new Error(`fake Exchange: ${r.error}`);
    return r;
  }
}

export async function runEwsScenario(
  items: number,
  log: (message: string) => void,
): Promise<EwsResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-sync-bench-ews-'));
  const fake = new FakeProcess();
  const sampler = new RssSampler(50);
  const db = openCrmDatabase(path.join(dir, 'crm.sqlite'), { create: true });
  try {
    const hello = await fake.next();
    if (!hello.ok || !hello.ewsUrl) throw new Error('the fake Exchange did not start');
    const onServer = Math.floor(items / 2);
    const inCrm = items - onServer;
    log(`seeding ${onServer} calendar items in the mailbox, ${inCrm} events in the CRM`);
    const seed = await fake.ask({ cmd: 'seed', count: onServer, windowDays: WINDOW_DAYS });
    const ownerId = createUser(db, {
      login: BENCH_MAILBOX.user,
      displayName: 'Bench',
      email: BENCH_MAILBOX.smtp,
      password: 'x',
    });
    const crmIds: number[] = [];
    db.transaction(() => {
      for (let k = 0; k < inCrm; k++) {
        const day = ((k * 6007) % (2 * WINDOW_DAYS - 20)) - WINDOW_DAYS + 10;
        const start = new Date(atHour(7 + (k % 10)) + day * 86_400_000);
        crmIds.push(
          insertEvent(db, {
            subject: `Událost z CRM ${k}`,
            location: `Kancelář ${k % 5}`,
            description: `Popis ${k}`,
            allDay: false,
            start,
            end: new Date(start.getTime() + 5_400_000),
            timeZone: 'Europe/Prague',
            ownerId,
            ...(k % 6 === 0 ? { rrule: 'FREQ=DAILY;COUNT=3' } : {}),
          }),
        );
      }
    })();

    const settings = defaultSettings();
    settings.crm.user = BENCH_MAILBOX.user;
    settings.connection.kind = 'exchange';
    settings.connection.exchange.ewsUrl = hello.ewsUrl;
    settings.connection.exchange.user = BENCH_MAILBOX.user;
    settings.connection.exchange.auth = 'basic';
    settings.agendas.events.daysPast = WINDOW_DAYS;
    settings.agendas.events.daysFuture = WINDOW_DAYS;
    settings.agendas.tasks.enabled = false;
    settings.agendas.contacts.enabled = false;
    const secrets = new MemorySecretStore({ [SecretKey.serverPassword]: BENCH_MAILBOX.password });

    const runs: EwsRun[] = [];
    const measure = async (name: EwsRun['name']): Promise<void> => {
      log(`run: ${name}`);
      await fake.ask({ cmd: 'calls' });
      const stats = createEwsStats();
      await collectGarbage();
      sampler.reset();
      const rssStart = process.memoryUsage().rss;
      const cpu = process.cpuUsage();
      const started = performance.now();
      const connector = await createConnector(settings, secrets, { ewsStats: stats });
      let summary: RunSummary;
      try {
        summary = await runSync({ db, settings, connector, trigger: 'bench', now: BENCH_NOW });
      } finally {
        await connector.close();
      }
      const wallMs = performance.now() - started;
      const used = process.cpuUsage(cpu);
      const calls = (await fake.ask({ cmd: 'calls' })).calls ?? {};
      const crm = { created: 0, updated: 0, deleted: 0 };
      const server = { created: 0, updated: 0, deleted: 0 };
      let failed = 0;
      for (const a of summary.agendas) {
        for (const k of ['created', 'updated', 'deleted'] as const) {
          crm[k] += a.crm[k];
          server[k] += a.server[k];
        }
        failed += a.failed.length;
        for (const f of a.failed.slice(0, 3)) log(`  failed: ${f.label}: ${f.cause}`);
        if (a.aborted) log(`  aborted: ${a.aborted}`);
      }
      runs.push({
        name,
        wallMs,
        cpuMs: (used.user + used.system) / 1000,
        soapCalls: Object.values(calls).reduce((x, y) => x + y, 0),
        byOperation: calls,
        rssStart,
        rssPeak: sampler.peak(),
        maxRss: maxRssBytes(),
        crm,
        server,
        failed,
        status: summary.status,
        folders: summary.agendas.length,
      });
      log(
        `  ${(wallMs / 1000).toFixed(1)} s, ${runs.at(-1)!.soapCalls} SOAP calls, ${summary.status}`,
      );
    };

    await measure('initial');
    const holdings = {
      server: (await fake.ask({ cmd: 'count' })).count ?? 0,
      crm:
        (db
          .prepare('SELECT count(*) FROM events WHERE owner_id = ?')
          .pluck()
          .get(ownerId) as number) ?? 0,
    };
    await measure('no-change');
    // 1 % of the items on each side, as the CalDAV benchmark does.
    const onePercent = Math.max(1, Math.round(items / 100));
    const edits = { server: onePercent, crm: onePercent };
    await fake.ask({ cmd: 'edit', count: edits.server });
    db.transaction(() => {
      const step = crmIds.length / edits.crm;
      for (let k = 0; k < edits.crm; k++) {
        updateEvent(db, crmIds[Math.floor(k * step)]!, { location: 'Zasedačka 5 (změna)' });
      }
    })();
    await measure('1 % changed');
    return { items, seedServerMs: seed.ms ?? 0, edits, holdings, runs };
  } finally {
    db.close();
    await sampler.stop();
    await fake.ask({ cmd: 'stop' }).catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const MB = 1024 * 1024;
const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const secs = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

export interface EwsCheck {
  name: string;
  pass: boolean;
  detail: string;
}

export function evaluateEws(r: EwsResult): EwsCheck[] {
  const run = (name: EwsRun['name']) => r.runs.find((x) => x.name === name)!;
  const initial = run('initial');
  const idle = run('no-change');
  const changed = run('1 % changed');
  const sync = (x: EwsRun) => x.byOperation['SyncFolderItems'] ?? 0;
  const writes = (x: EwsRun) =>
    (x.byOperation['CreateItem'] ?? 0) +
    (x.byOperation['UpdateItem'] ?? 0) +
    (x.byOperation['DeleteItem'] ?? 0);
  return [
    {
      name: 'initial sync moves everything both ways',
      pass: r.holdings.server === r.items && r.holdings.crm === r.items && initial.failed === 0,
      detail: `mailbox holds ${int(r.holdings.server)}/${int(r.items)} items, CRM ${int(r.holdings.crm)}/${int(r.items)} events; ${initial.failed} failed, status ${initial.status}`,
    },
    {
      name: 'no-change costs one SyncFolderItems call per folder',
      // The folders found by the initial run are kept: nothing else is asked.
      pass: sync(idle) === idle.folders && idle.soapCalls === idle.folders,
      detail: `${idle.soapCalls} SOAP calls (${ops(idle.byOperation)}) for ${idle.folders} folder; SyncFolderItems ${sync(idle)}, GetItem ${idle.byOperation['GetItem'] ?? 0}, writes ${writes(idle)}`,
    },
    {
      name: '1 % changed: exactly the changed items are written',
      pass:
        changed.crm.updated === r.edits.server &&
        changed.server.updated === r.edits.crm &&
        changed.failed === 0,
      detail: `CRM updated ${changed.crm.updated} (expected ${r.edits.server}), mailbox updated ${changed.server.updated} (expected ${r.edits.crm}), failed ${changed.failed}`,
    },
  ];
}

function ops(byOperation: Record<string, number>): string {
  return Object.entries(byOperation)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k} ${int(v)}`)
    .join(', ');
}

export function ewsMarkdown(r: EwsResult, checks: readonly EwsCheck[], header: string): string {
  const lines = [
    `## Exchange (EWS): ${int(r.items)} calendar items`,
    '',
    header,
    `Half of the items start in the mailbox (every 5th a weekly series, every 3rd with a guest), half in the CRM (every 6th a daily series); the window is ${WINDOW_DAYS} days back and ahead. The fake Exchange runs in its own process (request validation off); wall time includes its work, client CPU and RSS are the syncing process only.`,
    '',
    '| Run | Wall | Client CPU | SOAP calls | By operation | RSS start → peak | CRM created / updated | Mailbox created / updated |',
    '| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |',
    ...r.runs.map(
      (x) =>
        `| ${x.name} | ${secs(x.wallMs)} | ${secs(x.cpuMs)} | ${int(x.soapCalls)} | ${ops(x.byOperation)} | ${(x.rssStart / MB).toFixed(1)} MB → ${(x.rssPeak / MB).toFixed(1)} MB | ${int(x.crm.created)} / ${int(x.crm.updated)} | ${int(x.server.created)} / ${int(x.server.updated)} |`,
    ),
    '',
    `1 % changed = ${r.edits.server} items edited in the mailbox (Subject) and ${r.edits.crm} events edited in the CRM (location). Seeding the mailbox (not measured): ${secs(r.seedServerMs)}.`,
    '',
    '### Targets',
    '',
    ...checks.map((c) => `- **${c.pass ? 'PASS' : 'FAIL'}** ${c.name}: ${c.detail}`),
    '',
  ];
  return lines.join('\n');
}
