/**
 * `npm run bench -- --compare`: crm-sync, the minimal sync-collection client
 * (bench/minimal-client.ts) and vdirsyncer side by side, in one run, on the same seeded
 * data, against stock Radicale or stock Xandikos (Debian's packages, as packaged). The
 * server holds N events in one calendar and M contacts in one address book; each client
 * starts empty. Scenarios, each run by every client in turn (each in a process of its own,
 * all through one counting proxy, bench/counting-proxy.ts):
 *
 *   first sync of the events; nothing changed (twice: after the first sync, and the run
 *   after that); 1 % of the events changed on the server;
 *   1 % changed on the client's side (a third edited, a third deleted, a third added);
 *   first sync of the contacts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { rawRequest } from './radicale.ts';
import { generateData } from './data.ts';
import { SPREAD_DAYS } from './seed.ts';
import { startCountingProxy } from './counting-proxy.ts';
import type { CountingProxy, Traffic } from './counting-proxy.ts';
import type { CompareClientResult, CompareJob, CompareScenario } from './compare-client.ts';
import type { CollectionKind } from './minimal-client.ts';
import { onePercent, spread, thirds } from './picks.ts';
import { measureProcess } from './process-usage.ts';
import type { ProcessUsage } from './process-usage.ts';
import { changeVdirsyncerFiles, vdirsyncerPair } from './vdirsyncer.ts';
import type { VdirsyncerPair } from './vdirsyncer.ts';
import { startRadicale, startXandikos } from '../test/support/dav-servers.ts';
import type { DavTestServer } from '../test/support/dav-servers.ts';

export type CompareServer = 'radicale' | 'xandikos';
export type ClientName = 'crm-sync' | 'minimal' | 'vdirsyncer';
export const CLIENTS: readonly ClientName[] = ['crm-sync', 'minimal', 'vdirsyncer'];

export type ScenarioName =
  | 'first sync, events'
  | 'nothing changed'
  | 'nothing changed again'
  | '1 % changed on the server'
  | '1 % changed by the client'
  | 'first sync, contacts';

export interface ClientRun {
  client: ClientName;
  /** The run itself: for crm-sync and the minimal client from connecting to closing (their
   * modules loaded before); for vdirsyncer its whole processes (discover + sync). */
  wallMs: number;
  cpuMs: number;
  /** The whole process, start-up included. */
  processWallMs: number;
  processCpuMs: number;
  maxRssBytes: number;
  traffic: Traffic;
  received: number;
  written: number;
  failed: number;
  status: string;
  notes: string[];
  timedOut: boolean;
}

export interface ScenarioRuns {
  name: ScenarioName;
  /** Items changed by the scenario (0 for first and idle runs). */
  changes: number;
  runs: ClientRun[];
}

export interface CompareResult {
  server: CompareServer;
  serverVersion: string;
  events: number;
  contacts: number;
  scenarios: ScenarioRuns[];
}

export interface StartupCost {
  /** Median of the runs of `node bin/crm-sync.mjs --version` (no npx). */
  wallMs: number;
  cpuMs: number;
  maxRssBytes: number;
  runs: number;
}

export interface CompareOptions {
  server: CompareServer;
  events: number;
  contacts: number;
  /** Leave vdirsyncer out (it was not found and could not be installed). */
  vdirsyncer: boolean;
  clientTimeoutMs: number;
  log: (message: string) => void;
}

const HERE = import.meta.dirname;
const CLIENT_SCRIPT = path.join(HERE, 'compare-client.ts');
const WINDOW_DAYS = 400;

export async function measureStartup(runs = 5): Promise<StartupCost> {
  const bin = path.join(HERE, '..', 'bin', 'crm-sync.mjs');
  const usages: ProcessUsage[] = [];
  for (let i = 0; i < runs; i++) {
    const u = await measureProcess(process.execPath, [bin, '--version'], {
      logFile: os.devNull,
    });
    if (u.code !== 0) throw new Error(`crm-sync --version exited with ${u.code}`);
    usages.push(u);
  }
  const median = (f: (u: ProcessUsage) => number): number => {
    const sorted = usages.map(f).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] ?? 0;
  };
  return {
    wallMs: median((u) => u.wallMs),
    cpuMs: median((u) => u.cpuMs),
    maxRssBytes: median((u) => u.maxRssBytes),
    runs,
  };
}

function serverVersion(kind: CompareServer): string {
  const r = spawnSync(kind, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? (`${r.stdout}${r.stderr}`.trim().split('\n')[0] ?? '') : 'unknown';
}

interface Collection {
  kind: CollectionKind;
  name: string;
  /** The collection's URL on the server, and through the proxy. */
  serverUrl: string;
  url: string;
}

export async function runCompare(options: CompareOptions): Promise<CompareResult> {
  const { log } = options;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-sync-bench-compare-'));
  let server: DavTestServer | undefined;
  let proxy: CountingProxy | undefined;
  try {
    log(`${options.server} (stock): starting`);
    server = options.server === 'radicale' ? await startRadicale() : await startXandikos();
    const calendarUrl = await server.createCalendar('bench-calendar', ['VEVENT'], 'Kalendář');
    const addressBookUrl = await server.createAddressBook('bench-contacts', 'Kontakty');

    // The server halves of generateData at twice the size: N events and M contacts.
    log(`seeding ${options.events} events and ${options.contacts} contacts on ${options.server}`);
    const data = generateData({
      events: 2 * options.events,
      contacts: 2 * options.contacts,
      now: new Date(),
      spreadDays: SPREAD_DAYS,
    });
    const seedStarted = performance.now();
    for (const [url, objects] of [
      [calendarUrl, data.serverEvents],
      [addressBookUrl, data.serverCards],
    ] as const) {
      if (server.kind === 'xandikos') {
        seedXandikos(server, url, objects);
        continue;
      }
      for (let i = 0; i < objects.length; i += 500) {
        await server.seedObjects(url, objects.slice(i, i + 500));
      }
    }
    const eventNames = data.serverEvents.map((o) => o.name);
    log(`  seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);
    // Radicale parses the files written behind its back on the first listing; a real
    // server has long done that. Not measured.
    for (const url of [calendarUrl, addressBookUrl]) {
      await rawRequest(
        server,
        'PROPFIND',
        url,
        '<?xml version="1.0" encoding="utf-8"?><propfind xmlns="DAV:"><prop><getetag/></prop></propfind>',
        { depth: '1' },
      );
    }

    proxy = await startCountingProxy(server.url);
    const events: Collection = {
      kind: 'calendar',
      name: 'bench-calendar',
      serverUrl: calendarUrl,
      url: proxy.via(calendarUrl),
    };
    const contacts: Collection = {
      kind: 'addressbook',
      name: 'bench-contacts',
      serverUrl: addressBookUrl,
      url: proxy.via(addressBookUrl),
    };
    const clients = CLIENTS.filter((c) => c !== 'vdirsyncer' || options.vdirsyncer);
    const bench = new Bench(server, proxy, dir, options);
    const scenarios: ScenarioRuns[] = [];
    const scenario = async (
      name: ScenarioName,
      changes: number,
      run: (client: ClientName) => Promise<ClientRun | undefined>,
    ): Promise<void> => {
      log(`${options.server}, N=${options.events}: ${name}`);
      const runs: ClientRun[] = [];
      for (const client of clients) {
        const r = await run(client);
        if (r === undefined) continue;
        log(
          `  ${client}: ${(r.wallMs / 1000).toFixed(2)} s, CPU ${(r.cpuMs / 1000).toFixed(2)} s, ` +
            `${r.traffic.requests} requests, ${(r.maxRssBytes / 1048576).toFixed(0)} MB peak` +
            (r.timedOut ? ' (timed out)' : r.failed ? ` (${r.failed} failed)` : ''),
        );
        runs.push(r);
      }
      scenarios.push({ name, changes, runs });
    };

    await scenario('first sync, events', 0, (c) => bench.run(c, events, 'first'));
    await scenario('nothing changed', 0, (c) => bench.run(c, events, 'idle'));
    // The steady state of a tray app: the run after one that itself wrote nothing.
    await scenario('nothing changed again', 0, (c) => bench.run(c, events, 'idle'));

    const serverEdits = spread(eventNames, onePercent(options.events));
    log(`changing ${serverEdits.length} events on the server`);
    for (const name of serverEdits) await bench.editOnServer(calendarUrl, name);
    await scenario('1 % changed on the server', serverEdits.length, (c) =>
      bench.run(c, events, 'server-changed'),
    );

    const localChanges = onePercent(options.events);
    await scenario('1 % changed by the client', localChanges, async (c) => {
      // Each client first takes in what the clients before it wrote (not measured).
      if (c !== 'crm-sync') await bench.run(c, events, 'catch-up');
      return bench.run(c, events, 'local-changed', localChanges);
    });

    await scenario('first sync, contacts', 0, (c) => bench.run(c, contacts, 'first'));

    return {
      server: options.server,
      serverVersion: serverVersion(options.server),
      events: options.events,
      contacts: options.contacts,
      scenarios,
    };
  } finally {
    await proxy?.stop();
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Xandikos keeps a collection as a git repository and commits every PUT, at a cost that
 * grows with the collection (1,000 PUTs took minutes here): the objects are written into
 * the collection's work tree and committed once, as a server that has long held them.
 */
function seedXandikos(
  server: DavTestServer,
  collectionUrl: string,
  objects: readonly { name: string; data: string }[],
): void {
  const repo = path.join(
    server.folder,
    'data',
    decodeURIComponent(new URL(collectionUrl).pathname),
  );
  if (!fs.existsSync(path.join(repo, '.git'))) throw new Error(`${repo} is not a git repository`);
  for (const o of objects) fs.writeFileSync(path.join(repo, o.name), o.data);
  const git = (...args: string[]) => {
    const r = spawnSync('git', args, {
      cwd: repo,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'bench',
        GIT_AUTHOR_EMAIL: 'bench@bench.example',
        GIT_COMMITTER_NAME: 'bench',
        GIT_COMMITTER_EMAIL: 'bench@bench.example',
      },
    });
    if (r.status !== 0) throw new Error(`git ${args[0]} in ${repo}: ${r.stderr}`);
  };
  git('add', '--all', '.');
  git('commit', '--quiet', '-m', `bench: ${objects.length} objects`);
}

/** Runs one client in one scenario and counts its traffic; remembers clients that timed out. */
class Bench {
  readonly #server: DavTestServer;
  readonly #proxy: CountingProxy;
  readonly #dir: string;
  readonly #options: CompareOptions;
  readonly #pairs = new Map<string, VdirsyncerPair>();
  /** "client collection" pairs that timed out: their later runs are skipped. */
  readonly #gaveUp = new Set<string>();

  constructor(server: DavTestServer, proxy: CountingProxy, dir: string, options: CompareOptions) {
    this.#server = server;
    this.#proxy = proxy;
    this.#dir = dir;
    this.#options = options;
  }

  async run(
    client: ClientName,
    collection: Collection,
    scenario: CompareScenario,
    changes = 0,
  ): Promise<ClientRun | undefined> {
    const key = `${client} ${collection.name}`;
    if (this.#gaveUp.has(key)) return undefined;
    this.#proxy.take();
    const r =
      client === 'vdirsyncer'
        ? await this.#vdirsyncer(collection, scenario, changes)
        : await this.#node(client, collection, scenario, changes);
    const traffic = this.#proxy.take();
    if (r.timedOut) this.#gaveUp.add(key);
    if (scenario === 'catch-up') return undefined;
    return { client, ...r, traffic };
  }

  async #node(
    client: 'crm-sync' | 'minimal',
    collection: Collection,
    scenario: CompareScenario,
    changes: number,
  ): Promise<Omit<ClientRun, 'client' | 'traffic'>> {
    const stateDir = path.join(this.#dir, client, collection.name);
    const out = path.join(this.#dir, `${client}-result.json`);
    fs.rmSync(out, { force: true });
    const job: CompareJob = {
      client,
      scenario,
      kind: collection.kind,
      rootUrl: this.#proxy.url,
      collectionUrl: collection.url,
      user: this.#server.user,
      password: this.#server.password,
      stateDir,
      changes,
      windowDays: WINDOW_DAYS,
      out,
    };
    const jobFile = path.join(this.#dir, `${client}-job.json`);
    fs.writeFileSync(jobFile, JSON.stringify(job));
    const usage = await measureProcess(process.execPath, [CLIENT_SCRIPT, jobFile], {
      timeoutMs: this.#options.clientTimeoutMs,
    });
    if (usage.timedOut) return incompleteRun(usage, 'timed out', true);
    if (usage.code !== 0) {
      // Reported as a failed run (its error is on stderr); the other clients go on.
      this.#gaveUp.add(`${client} ${collection.name}`);
      return incompleteRun(usage, `exit ${usage.code}`, false);
    }
    const result = JSON.parse(fs.readFileSync(out, 'utf8')) as CompareClientResult;
    return {
      ...result,
      processWallMs: usage.wallMs,
      processCpuMs: usage.cpuMs,
      maxRssBytes: usage.maxRssBytes,
      timedOut: false,
    };
  }

  async #vdirsyncer(
    collection: Collection,
    scenario: CompareScenario,
    changes: number,
  ): Promise<Omit<ClientRun, 'client' | 'traffic'>> {
    const limit = this.#options.clientTimeoutMs;
    let pair = this.#pairs.get(collection.name);
    if (pair === undefined) {
      pair = vdirsyncerPair({
        dir: path.join(this.#dir, 'vdirsyncer', collection.name),
        kind: collection.kind,
        rootUrl: this.#proxy.url,
        collection: collection.name,
        user: this.#server.user,
        password: this.#server.password,
      });
      this.#pairs.set(collection.name, pair);
    }
    const files = () => fs.readdirSync(pair.itemsDir).length;
    const before = files();
    const usages: ProcessUsage[] = [];
    if (scenario === 'first') usages.push(await pair.discover(limit));
    if (scenario === 'local-changed') changeVdirsyncerFiles(pair, thirds(changes), spread);
    if (!usages.some((u) => u.timedOut)) usages.push(await pair.sync(limit));
    const wallMs = usages.reduce((s, u) => s + u.wallMs, 0);
    const cpuMs = usages.reduce((s, u) => s + u.cpuMs, 0);
    const maxRssBytes = Math.max(...usages.map((u) => u.maxRssBytes));
    const failedCode = usages.find((u) => u.code !== 0 && !u.timedOut);
    const out = {
      wallMs,
      cpuMs,
      processWallMs: wallMs,
      processCpuMs: cpuMs,
      maxRssBytes,
      received: scenario === 'first' ? files() - before : 0,
      written: scenario === 'local-changed' ? changes : 0,
      failed: failedCode ? 1 : 0,
      status: failedCode ? `exit ${failedCode.code}` : 'ok',
      notes: failedCode ? [`see ${path.join(pair.dir, 'vdirsyncer.log')}`] : [],
      timedOut: usages.some((u) => u.timedOut),
    };
    return out;
  }

  /** A server-side edit (a phone or Outlook): GET and PUT straight to the server, not counted. */
  async editOnServer(collectionUrl: string, name: string): Promise<void> {
    const href = new URL(encodeURIComponent(name), collectionUrl).href;
    const current = await rawRequest(this.#server, 'GET', href, '');
    if (current.status !== 200) throw new Error(`GET ${href} answered ${current.status}`);
    const changed = current.text.replace(/^SUMMARY([;:][^\r\n]*)$/m, 'SUMMARY$1 (upraveno)');
    if (changed === current.text) throw new Error(`editing ${href} changed nothing`);
    const put = await rawRequest(this.#server, 'PUT', href, changed, {
      'content-type': 'text/calendar; charset=utf-8',
    });
    if (put.status >= 300) throw new Error(`PUT ${href} answered ${put.status}`);
  }
}

/** A run that did not finish: killed at the time limit, or ended with an error. */
function incompleteRun(
  usage: ProcessUsage,
  status: string,
  timedOut: boolean,
): Omit<ClientRun, 'client' | 'traffic'> {
  return {
    wallMs: usage.wallMs,
    cpuMs: usage.cpuMs,
    processWallMs: usage.wallMs,
    processCpuMs: usage.cpuMs,
    maxRssBytes: usage.maxRssBytes,
    received: 0,
    written: 0,
    failed: timedOut ? 0 : 1,
    status,
    notes: [],
    timedOut,
  };
}
