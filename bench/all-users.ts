/**
 * `npm run bench -- --server all-users`: one service account synchronising many CRM users'
 * mailboxes by impersonation (`crm-sync sync --all-users`), against the fake Exchange in a
 * process of its own. Each mailbox starts with a few calendar items and each user with a few
 * CRM events; then a first pass, an idle pass one mailbox at a time (as before mailboxes
 * ran in parallel) and one with the default number in flight. An idle pass must cost one
 * SyncFolderItems per folder per mailbox and nothing else.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCrmDatabase } from '../src/core/crm/database.ts';
import { insertEvent } from '../src/core/crm/events.ts';
import { createUser } from '../src/core/crm/users.ts';
import { MemorySecretStore } from '../src/core/secrets/memory-secret-store.ts';
import { SecretKey } from '../src/core/secrets/secret-store.ts';
import { createConnector } from '../src/core/servers/create-connector.ts';
import { otherMailboxesOf } from '../src/core/servers/registry.ts';
import { MAILBOXES_IN_FLIGHT, runForAllUsers } from '../src/core/sync/all-users.ts';
import type { UserRunResult } from '../src/core/sync/all-users.ts';
import { defaultSettings } from '../src/shared/settings/schema.ts';
import { FakeProcess } from './ews.ts';
import { atHour, BENCH_NOW, BENCH_SERVICE, benchUserMailbox } from './ews-server.ts';
import { collectGarbage, RssSampler } from './memory.ts';

/** Calendar items per mailbox and CRM events per user at the start. */
const PER_MAILBOX = 3;
const PER_USER = 3;
/** Seeded items fall within ±20 days of BENCH_NOW: inside the default window. */
const SEED_WINDOW_DAYS = 20;
/**
 * Added to every answer of the fake, which answers in a fraction of a millisecond: a real
 * Exchange takes tens of milliseconds even for an empty SyncFolderItems, and that wait is
 * what running several mailboxes at once saves.
 */
const ANSWER_DELAY_MS = 20;

interface Pass {
  name: string;
  inFlight: number;
  wallMs: number;
  cpuMs: number;
  rssPeak: number;
  calls: Record<string, number>;
  byMailbox: Record<string, number>;
  results: UserRunResult[];
}

const MB = 1024 * 1024;
const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const secs = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
const total = (calls: Record<string, number>): number =>
  Object.values(calls).reduce((x, y) => x + y, 0);

export async function runAllUsersBench(opts: {
  mailboxes: number;
  log: (m: string) => void;
}): Promise<{ markdown: string; failures: string[] }> {
  const { mailboxes, log } = opts;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-sync-bench-users-'));
  const fake = new FakeProcess(['--mailboxes', String(mailboxes)]);
  const sampler = new RssSampler(50);
  const db = openCrmDatabase(path.join(dir, 'crm.sqlite'), { create: true });
  try {
    const hello = await fake.next();
    if (!hello.ok || !hello.ewsUrl) throw new Error('the fake Exchange did not start');
    log(
      `all users: ${mailboxes} mailboxes, ${PER_MAILBOX} items in each, ${PER_USER} CRM events per user`,
    );
    await fake.ask({ cmd: 'seed-users', perMailbox: PER_MAILBOX, windowDays: SEED_WINDOW_DAYS });
    await fake.ask({ cmd: 'answer-delay', ms: ANSWER_DELAY_MS });
    db.transaction(() => {
      for (let u = 0; u < mailboxes; u++) {
        const ownerId = createUser(db, {
          login: `uzivatel${u}`,
          displayName: `Uživatel ${u}`,
          email: benchUserMailbox(u),
          password: 'x',
        });
        for (let k = 0; k < PER_USER; k++) {
          const start = new Date(atHour(9 + k) + ((u + k) % 10) * 86_400_000);
          insertEvent(db, {
            subject: `Schůzka uživatele ${u} č. ${k}`,
            allDay: false,
            start,
            end: new Date(start.getTime() + 3_600_000),
            timeZone: 'Europe/Prague',
            ownerId,
          });
        }
      }
    })();

    const settings = defaultSettings();
    settings.crm.user = `uzivatel0`;
    settings.connection.kind = 'exchange';
    settings.connection.exchange.ewsUrl = hello.ewsUrl;
    settings.connection.exchange.user = BENCH_SERVICE.user;
    settings.connection.exchange.auth = 'basic';
    settings.connection.exchange.mailboxMode = 'impersonation';
    settings.agendas.tasks.enabled = true;
    settings.agendas.contacts.enabled = true;
    // Tasks in their own folder: each folder is read once per run.
    settings.agendas.tasks.showInCalendarAsEvent = false;
    const secrets = new MemorySecretStore({ [SecretKey.serverPassword]: BENCH_SERVICE.password });

    const passes: Pass[] = [];
    const measure = async (name: string, inFlight: number): Promise<void> => {
      log(`pass: ${name}`);
      await fake.ask({ cmd: 'calls' });
      await collectGarbage();
      sampler.reset();
      const cpu = process.cpuUsage();
      const started = performance.now();
      const results = await runForAllUsers({
        db,
        settings,
        openConnector: (own) => createConnector(own, secrets),
        otherMailboxes: otherMailboxesOf(settings),
        trigger: 'bench',
        now: BENCH_NOW,
        inFlight,
      });
      const wallMs = performance.now() - started;
      const used = process.cpuUsage(cpu);
      const asked = await fake.ask({ cmd: 'calls' });
      passes.push({
        name,
        inFlight,
        wallMs,
        cpuMs: (used.user + used.system) / 1000,
        rssPeak: sampler.peak(),
        calls: asked.calls ?? {},
        byMailbox: asked.byMailbox ?? {},
        results,
      });
      log(`  ${secs(wallMs)}, ${int(total(asked.calls ?? {}))} SOAP calls`);
    };
    await measure('first pass', MAILBOXES_IN_FLIGHT);
    await measure('no change, one at a time', 1);
    await measure('no change', MAILBOXES_IN_FLIGHT);

    const failures = check(passes, mailboxes);
    return { markdown: report(passes, mailboxes, failures), failures };
  } finally {
    db.close();
    await sampler.stop();
    await fake.ask({ cmd: 'stop' }).catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function check(passes: readonly Pass[], mailboxes: number): string[] {
  const failures: string[] = [];
  const [first, ...idle] = passes;
  for (const pass of passes) {
    const notOk = pass.results.filter((r) => r.summary?.status !== 'ok');
    if (pass.results.length !== mailboxes || notOk.length > 0) {
      failures.push(
        `${pass.name}: ${notOk.length} of ${pass.results.length} users not synchronised (${notOk
          .slice(0, 3)
          .map((r) => r.skipped?.message ?? `${r.login}: ${r.summary?.status}`)
          .join('; ')})`,
      );
    }
  }
  if (first) {
    const moved = first.results.map((r) => {
      const sum = (side: 'crm' | 'server') =>
        (r.summary?.agendas ?? []).reduce((n, a) => n + a[side].created, 0);
      return { crm: sum('crm'), server: sum('server') };
    });
    const wrong = moved.filter((m) => m.crm !== PER_MAILBOX || m.server !== PER_USER).length;
    if (wrong > 0) {
      failures.push(`first pass: ${wrong} users did not get every item both ways`);
    }
  }
  for (const pass of idle) {
    const folders = pass.results[0]?.summary?.agendas.length ?? 0;
    const others = Object.entries(pass.calls).filter(([op]) => op !== 'SyncFolderItems');
    const counts = Object.values(pass.byMailbox);
    const uneven = counts.filter((n) => n !== folders).length;
    if (
      others.length > 0 ||
      (pass.calls['SyncFolderItems'] ?? 0) !== folders * mailboxes ||
      counts.length !== mailboxes ||
      uneven > 0
    ) {
      failures.push(
        `${pass.name}: ${int(total(pass.calls))} SOAP calls (${ops(pass.calls)}) for ${mailboxes} mailboxes of ${folders} folders; ${uneven} mailboxes asked other than once per folder`,
      );
    }
  }
  return failures;
}

function ops(calls: Record<string, number>): string {
  return Object.entries(calls)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k} ${int(v)}`)
    .join(', ');
}

function report(passes: readonly Pass[], mailboxes: number, failures: readonly string[]): string {
  const perMailbox = (p: Pass): string => {
    const counts = Object.values(p.byMailbox);
    if (counts.length === 0) return '–';
    const low = Math.min(...counts);
    const high = Math.max(...counts);
    return low === high ? int(low) : `${int(low)}–${int(high)}`;
  };
  return [
    `## All users: ${int(mailboxes)} mailboxes through one service account`,
    '',
    `Each mailbox starts with ${PER_MAILBOX} calendar items and each CRM user with ${PER_USER} events; events, tasks and contacts are synchronised (tasks in their own folder). The fake Exchange runs in its own process (request validation off) and sends each answer ${ANSWER_DELAY_MS} ms late, as a real server takes its time; client CPU and RSS are the syncing process's.`,
    '',
    '| Pass | Mailboxes in flight | Wall | Client CPU | SOAP calls | Per mailbox | By operation | Peak RSS |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
    ...passes.map(
      (p) =>
        `| ${p.name} | ${p.inFlight} | ${secs(p.wallMs)} | ${secs(p.cpuMs)} | ${int(total(p.calls))} | ${perMailbox(p)} | ${ops(p.calls)} | ${(p.rssPeak / MB).toFixed(0)} MB |`,
    ),
    '',
    failures.length === 0
      ? '- **PASS** every user synchronised; an idle pass costs one SyncFolderItems per folder per mailbox and nothing else.'
      : failures.map((f) => `- **FAIL** ${f}`).join('\n'),
    '',
  ].join('\n');
}
