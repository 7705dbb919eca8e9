/**
 * One benchmark size, in this process: a Radicale with N/2 events and M/2 contacts, a CRM
 * with the other halves, then three measured runs of the real engine and connector:
 * initial, no change, 1 % changed on each side.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCrmDatabase } from '../src/core/crm/database.ts';
import type { CrmDatabase } from '../src/core/crm/database.ts';
import { updateEvent } from '../src/core/crm/events.ts';
import { updatePerson } from '../src/core/crm/persons.ts';
import { MemorySecretStore } from '../src/core/secrets/memory-secret-store.ts';
import { SecretKey } from '../src/core/secrets/secret-store.ts';
import { createConnector } from '../src/core/servers/create-connector.ts';
import { createDavTransport, createRequestStats } from '../src/core/servers/dav/transport/index.ts';
import type { DavTransport, RequestStats } from '../src/core/servers/dav/transport/index.ts';
import { defaultSettings } from '../src/shared/settings/schema.ts';
import type { Settings } from '../src/shared/settings/schema.ts';
import { runSync } from '../src/core/sync/engine.ts';
import type { RunSummary } from '../src/core/sync/summary.ts';
import { collectGarbage, maxRssBytes, RssSampler } from './memory.ts';
import { listHrefs, startBenchRadicale } from './radicale.ts';
import type { BenchServer } from './radicale.ts';
import { CRM_LOGIN, OUTCOME_FILE } from './seed.ts';
import type { SeedOutcome } from './seed.ts';

export type RunName = 'initial' | 'no-change' | '1 % changed';

export interface SideCounts {
  created: number;
  updated: number;
  deleted: number;
}

export interface RunResult {
  name: RunName;
  wallMs: number;
  /** CPU time of this process (user + system): the client's share of the wall time. */
  cpuMs: number;
  requests: number;
  byMethod: Record<string, number>;
  bytesSent: number;
  bytesReceived: number;
  /** RSS when the run started, its sampled peak, and when it ended (bytes). */
  rssStart: number;
  rssPeak: number;
  rssEnd: number;
  /** process.resourceUsage().maxRSS after the run: the process's peak so far (bytes). */
  maxRss: number;
  /** At the end of the run, before and after a full GC (bytes): what the run left behind. */
  heapUsedEnd: number;
  externalEnd: number;
  rssAfterGc: number;
  heapUsedAfterGc: number;
  samples: number;
  crm: SideCounts;
  server: SideCounts;
  linked: number;
  skipped: number;
  failed: number;
  status: string;
  notes: string[];
}

export interface ScenarioResult {
  events: number;
  contacts: number;
  radicale: 'tuned' | 'stock';
  setup: {
    generateMs: number;
    crmInsertMs: number;
    seedMs: number;
    /** Radicale parsing the files written behind its back (not part of any run). */
    serverIndexMs: number;
    /** RSS and V8 heap after seeding, after a GC: the baseline of the runs (bytes). */
    rssAfterSeed: number;
    heapAfterSeed: number;
    /** Raw iCalendar/vCard text put on the server, and the CRM file after seeding (bytes). */
    serverDataBytes: number;
    crmFileBytes: number;
  };
  /** What finding the folders costs (every run starts with it). */
  discovery: { requests: number; byMethod: Record<string, number> };
  edits: { serverEvents: number; serverContacts: number; crmEvents: number; crmContacts: number };
  /** After the initial run: what each side holds (each should hold everything). */
  holdings: {
    serverEvents: number;
    serverContacts: number;
    crmEvents: number;
    crmPersons: number;
    /** Imported events linked to CRM persons by attendee e-mail. */
    linkedEvents: number;
  };
  runs: RunResult[];
}

export interface ScenarioOptions {
  events: number;
  contacts: number;
  tunedRadicale: boolean;
  log: (message: string) => void;
}

/** The sync window (days back and ahead): a little wider than the events' spread. */
const WINDOW_DAYS = 400;

/** 1 % of n, at least one when there is anything. */
export function onePercent(n: number): number {
  return n === 0 ? 0 : Math.max(1, Math.round(n / 100));
}

/** k items spread evenly over a list. */
function spread<T>(list: readonly T[], k: number): T[] {
  if (k <= 0 || list.length === 0) return [];
  const step = list.length / k;
  const out: T[] = [];
  for (let i = 0; i < k && i < list.length; i++) {
    const item = list[Math.floor(i * step)];
    if (item !== undefined) out.push(item);
  }
  return out;
}

export async function runScenario(options: ScenarioOptions): Promise<ScenarioResult> {
  const { log } = options;
  const sampler = new RssSampler(50);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-sync-bench-'));
  let bench: BenchServer | undefined;
  let db: CrmDatabase | undefined;
  let phone: DavTransport | undefined;
  try {
    bench = await startBenchRadicale(options.tunedRadicale);
    const server = bench.server;
    const calendarUrl = await server.createCalendar('bench-calendar', ['VEVENT'], 'Kalendář');
    const addressBookUrl = await server.createAddressBook('bench-contacts', 'Kontakty');

    // ---- seeding, in another process: this one starts the runs without its traces ----
    const dbFile = path.join(dir, 'crm.sqlite');
    const seedDir = path.join(dir, 'seed');
    log(`seeding ${options.events} events and ${options.contacts} contacts (child process)`);
    const seeded = await seedInChild(dbFile, seedDir, options.events, options.contacts);
    let t = performance.now();
    // In slices, so that this process never holds all the text at once.
    for (const [url, folder, names] of [
      [calendarUrl, 'events', seeded.serverEvents],
      [addressBookUrl, 'cards', seeded.serverCards],
    ] as const) {
      for (let i = 0; i < names.length; i += 500) {
        await server.seedObjects(url, readObjects(seedDir, folder, names.slice(i, i + 500)));
      }
    }
    fs.rmSync(seedDir, { recursive: true, force: true });
    const seedMs = performance.now() - t;

    db = openCrmDatabase(dbFile, { create: false });
    const crmDb = db;
    const ownerId = seeded.ownerId;
    const settings = benchSettings(server.url, server.user, calendarUrl, addressBookUrl);
    const secrets = new MemorySecretStore({ [SecretKey.serverPassword]: server.password });

    t = performance.now();
    log('letting Radicale index the seeded files');
    await listHrefs(server, calendarUrl);
    await listHrefs(server, addressBookUrl);
    const serverIndexMs = performance.now() - t;

    // What each run pays before its first collection request.
    const discoveryStats = createRequestStats();
    const probe = await createConnector(settings, secrets, { stats: discoveryStats });
    try {
      await probe.listFolders();
    } finally {
      await probe.close();
    }

    // The baseline: what this process read while seeding is garbage now.
    await collectGarbage();
    const rssAfterSeed = process.memoryUsage().rss;
    const heapAfterSeed = process.memoryUsage().heapUsed;
    const crmFileBytes = fileBytes(dbFile);

    const runs: RunResult[] = [];
    const measure = async (name: RunName): Promise<RunResult> => {
      log(`run: ${name}`);
      const stats = createRequestStats();
      await collectGarbage();
      sampler.reset();
      const rssStart = process.memoryUsage().rss;
      const cpu = process.cpuUsage();
      const started = performance.now();
      const connector = await createConnector(settings, secrets, { stats });
      let summary: RunSummary;
      try {
        summary = await runSync({ db: crmDb, settings, connector, trigger: 'bench' });
      } finally {
        await connector.close();
      }
      const wallMs = performance.now() - started;
      const used = process.cpuUsage(cpu);
      const end = process.memoryUsage();
      await collectGarbage();
      const afterGc = process.memoryUsage();
      const result = runResult(name, summary, stats, {
        wallMs,
        cpuMs: (used.user + used.system) / 1000,
        rssStart,
        rssPeak: sampler.peak(),
        rssEnd: end.rss,
        maxRss: maxRssBytes(),
        heapUsedEnd: end.heapUsed,
        externalEnd: end.external,
        rssAfterGc: afterGc.rss,
        heapUsedAfterGc: afterGc.heapUsed,
        samples: sampler.samples(),
      });
      runs.push(result);
      log(
        `  ${(wallMs / 1000).toFixed(1)} s, ${stats.requests} requests, status ${summary.status}`,
      );
      return result;
    };

    await measure('initial');
    const holdings = {
      serverEvents: (await listHrefs(server, calendarUrl)).length,
      serverContacts: (await listHrefs(server, addressBookUrl)).length,
      crmEvents: count(crmDb, 'SELECT count(*) FROM events WHERE owner_id = ?', ownerId),
      crmPersons: count(crmDb, 'SELECT count(*) FROM persons'),
      linkedEvents: count(crmDb, 'SELECT count(DISTINCT event_id) FROM event_persons'),
    };

    await measure('no-change');

    // ---- 1 % changed on each side ----
    phone = createDavTransport({
      url: server.url,
      user: server.user,
      password: server.password,
      auth: 'basic',
    });
    // 1 % of all events and of all contacts on each side, spread over the ones born there.
    const serverEventEdits = spread(seeded.serverEvents, onePercent(options.events));
    const serverCardEdits = spread(seeded.serverCards, onePercent(options.contacts));
    const crmEventEdits = spread(seeded.crmEventIds, onePercent(options.events));
    const crmPersonEdits = spread(seeded.crmPersonIds, onePercent(options.contacts));
    const edits = {
      serverEvents: serverEventEdits.length,
      serverContacts: serverCardEdits.length,
      crmEvents: crmEventEdits.length,
      crmContacts: crmPersonEdits.length,
    };
    log(
      `changing ${edits.serverEvents} events and ${edits.serverContacts} contacts on the server, ` +
        `${edits.crmEvents} events and ${edits.crmContacts} persons in the CRM`,
    );
    for (const name of serverEventEdits) {
      await editOnServer(phone, calendarUrl, name, 'text/calendar; charset=utf-8', (text) =>
        text.replace(/^SUMMARY([;:][^\r\n]*)$/m, 'SUMMARY$1 (upraveno)'),
      );
    }
    for (const name of serverCardEdits) {
      await editOnServer(phone, addressBookUrl, name, 'text/vcard; charset=utf-8', (text) =>
        /^TITLE:/m.test(text)
          ? text.replace(/^TITLE:[^\r\n]*/m, 'TITLE:Vedoucí nákupu')
          : text.replace(/^END:VCARD/m, 'TITLE:Vedoucí nákupu\r\nEND:VCARD'),
      );
    }
    crmDb.transaction(() => {
      for (const id of crmEventEdits) {
        updateEvent(crmDb, id, { location: 'Zasedačka 5 (změna)' });
      }
      for (const id of crmPersonEdits) {
        updatePerson(crmDb, id, { jobTitle: 'Vedoucí obchodu' });
      }
    })();

    await measure('1 % changed');

    return {
      events: options.events,
      contacts: options.contacts,
      radicale: bench.tuned ? 'tuned' : 'stock',
      setup: {
        generateMs: seeded.generateMs,
        crmInsertMs: seeded.crmInsertMs,
        seedMs,
        serverIndexMs,
        rssAfterSeed,
        heapAfterSeed,
        serverDataBytes: seeded.serverDataBytes,
        crmFileBytes,
      },
      discovery: { requests: discoveryStats.requests, byMethod: discoveryStats.byMethod },
      edits,
      holdings,
      runs,
    };
  } finally {
    await phone?.close();
    db?.close();
    await bench?.stop();
    await sampler.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the seeder (`run.ts --seed`) and reads what it did. */
async function seedInChild(
  dbFile: string,
  outDir: string,
  events: number,
  contacts: number,
): Promise<SeedOutcome> {
  const args = [
    path.join(import.meta.dirname, 'run.ts'),
    '--seed',
    outDir,
    '--db',
    dbFile,
    '--events',
    String(events),
    '--contacts',
    String(contacts),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (c, signal) => resolve(signal ? 128 : c));
  });
  if (code !== 0) throw new Error(`the seeder exited with ${code}`);
  return JSON.parse(fs.readFileSync(path.join(outDir, OUTCOME_FILE), 'utf8')) as SeedOutcome;
}

function readObjects(
  seedDir: string,
  folder: string,
  names: readonly string[],
): { name: string; data: string }[] {
  return names.map((name) => ({
    name,
    data: fs.readFileSync(path.join(seedDir, folder, name), 'utf8'),
  }));
}

function benchSettings(
  url: string,
  user: string,
  calendarUrl: string,
  addressBookUrl: string,
): Settings {
  const settings = defaultSettings();
  settings.crm.user = CRM_LOGIN;
  settings.connection.kind = 'dav';
  settings.connection.dav.url = url;
  settings.connection.dav.user = user;
  settings.connection.dav.auth = 'basic';
  settings.agendas.events.folders = [calendarUrl];
  settings.agendas.events.daysPast = WINDOW_DAYS;
  settings.agendas.events.daysFuture = WINDOW_DAYS;
  settings.agendas.tasks.enabled = false;
  settings.agendas.contacts.folders = [addressBookUrl];
  return settings;
}

async function editOnServer(
  phone: DavTransport,
  collectionUrl: string,
  name: string,
  contentType: string,
  edit: (text: string) => string,
): Promise<void> {
  const href = new URL(encodeURIComponent(name), collectionUrl).href;
  const current = await phone.getObject(href);
  if (!current) throw new Error(`${href} is not on the server`);
  const changed = edit(current.data);
  if (changed === current.data) throw new Error(`editing ${href} changed nothing`);
  await phone.putObject(collectionUrl, href, changed, contentType, { ifMatch: current.etag });
}

function runResult(
  name: RunName,
  summary: RunSummary,
  stats: RequestStats,
  measured: Pick<
    RunResult,
    | 'wallMs'
    | 'cpuMs'
    | 'rssStart'
    | 'rssPeak'
    | 'rssEnd'
    | 'maxRss'
    | 'samples'
    | 'heapUsedEnd'
    | 'externalEnd'
    | 'rssAfterGc'
    | 'heapUsedAfterGc'
  >,
): RunResult {
  const crm: SideCounts = { created: 0, updated: 0, deleted: 0 };
  const server: SideCounts = { created: 0, updated: 0, deleted: 0 };
  let linked = 0;
  let skipped = 0;
  let failed = 0;
  const notes: string[] = [];
  for (const a of summary.agendas) {
    for (const k of ['created', 'updated', 'deleted'] as const) {
      crm[k] += a.crm[k];
      server[k] += a.server[k];
    }
    linked += a.linked;
    skipped += a.skipped;
    failed += a.failed.length;
    for (const f of a.failed.slice(0, 3)) notes.push(`${a.agenda}: ${f.label}: ${f.cause}`);
    if (a.aborted) notes.push(`${a.agenda} aborted: ${a.aborted}`);
    if (a.refused) notes.push(`${a.agenda} refused: ${a.refused}`);
    for (const n of a.notes) notes.push(`${a.agenda}: ${n}`);
  }
  return {
    name,
    ...measured,
    requests: stats.requests,
    byMethod: { ...stats.byMethod },
    bytesSent: stats.bytesSent,
    bytesReceived: stats.bytesReceived,
    crm,
    server,
    linked,
    skipped,
    failed,
    status: summary.status,
    notes,
  };
}

function count(db: CrmDatabase, sql: string, ...params: number[]): number {
  return (
    db
      .prepare<number[], number>(sql)
      .pluck()
      .get(...params) ?? 0
  );
}

function fileBytes(file: string): number {
  let total = 0;
  for (const f of [file, `${file}-wal`]) {
    try {
      total += fs.statSync(f).size;
    } catch {
      // no WAL file
    }
  }
  return total;
}
