/**
 * `npm run bench`: CRM Sync against a local Radicale at scale. Runs the requested size and,
 * for comparison, a quarter of it, each in a child process of its own (so that peak memory
 * is the size's own), then prints a Markdown table (or JSON), writes it to
 * bench/results.md, and exits 1 when a request target or a correctness check fails.
 *
 *   npm run bench                          10,000 events, 5,000 contacts (+ a quarter)
 *   npm run bench -- --events 2000 --contacts 1000 --no-compare
 *   npm run --silent bench -- --json       JSON only on stdout
 *   --stock-radicale                       Radicale as packaged (slow: O(N²) uploads)
 *   --compare                              crm-sync, the minimal client (bench/minimal-client.ts)
 *                                          and vdirsyncer side by side on stock Radicale and
 *                                          stock Xandikos, at N/10 and N (only N with
 *                                          --no-compare; bench/compare.ts); writes
 *                                          bench/results-compare.md; --server all adds the
 *                                          Exchange run
 *   --client-timeout-min M                 --compare: a client run taking longer is stopped (30)
 *   --single --out FILE                    one size in this process (what the children run;
 *                                          also the way to profile: node --cpu-prof bench/run.ts --single ...)
 *   --seed DIR --db FILE                   internal: the seeder process of a --single run
 *   --server dav|ews|all                   which server to measure (default all)
 *            radicale|xandikos|all-users   radicale = dav; xandikos only with --compare, where
 *                                          dav means both Radicale and Xandikos;
 *                                          all-users: bench/all-users.ts, --mailboxes N (200)
 *   --ews-items N                          calendar items of the Exchange run (default 10,000)
 *   --ews-single --out FILE                internal: the Exchange run in this process
 *
 * Progress goes to stderr, the report to stdout.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as prettier from 'prettier';
import { evaluateEws, ewsMarkdown, runEwsScenario } from './ews.ts';
import type { EwsResult } from './ews.ts';
import { measureStartup, runCompare } from './compare.ts';
import type { CompareResult, CompareServer } from './compare.ts';
import { compareMarkdown, evaluateCompare } from './compare-report.ts';
import { evaluate, markdown } from './report.ts';
import type { Environment } from './report.ts';
import { runScenario } from './scenario.ts';
import { seed } from './seed.ts';
import type { ScenarioResult } from './scenario.ts';
import { ensureVdirsyncer } from './vdirsyncer.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const RESULTS_FILE = path.join(HERE, 'results.md');
const COMPARE_RESULTS_FILE = path.join(HERE, 'results-compare.md');
const EWS_RESULTS_FILE = path.join(HERE, 'results-ews.md');

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '10000' },
    contacts: { type: 'string', default: '5000' },
    json: { type: 'boolean', default: false },
    'no-compare': { type: 'boolean', default: false },
    'stock-radicale': { type: 'boolean', default: false },
    single: { type: 'boolean', default: false },
    out: { type: 'string' },
    seed: { type: 'string' },
    db: { type: 'string' },
    server: { type: 'string', default: 'all' },
    'ews-items': { type: 'string', default: '10000' },
    'ews-single': { type: 'boolean', default: false },
    compare: { type: 'boolean', default: false },
    'client-timeout-min': { type: 'string', default: '30' },
    mailboxes: { type: 'string', default: '200' },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});

function count(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 4) {
    process.stderr.write(`--${name} wants a whole number of at least 4, not "${text}".\n`);
    process.exit(2);
  }
  return n;
}

const log = (message: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};

/** Taken before anything of ours runs. */
const LOAD_AT_START = os.loadavg()[0] ?? 0;

async function main(): Promise<number> {
  if (values.help) {
    process.stdout.write(
      'npm run bench -- [--events N] [--contacts M] [--json] [--no-compare] [--stock-radicale]\n' +
        '  [--server dav|radicale|xandikos|ews|all|all-users] [--ews-items N] [--mailboxes N]\n' +
        '  [--compare [--client-timeout-min M]]   crm-sync, a minimal client and vdirsyncer side by side\n',
    );
    return 0;
  }
  const events = count('events', values.events);
  const contacts = count('contacts', values.contacts);
  const tunedRadicale = !values['stock-radicale'];

  if (values.seed !== undefined && values.db !== undefined) {
    // Internal: the seeder process of a --single run (see bench/seed.ts).
    await seed({ dbFile: values.db, outDir: values.seed, events, contacts });
    return 0;
  }

  if (values['ews-single']) {
    const result = await runEwsScenario(count('ews-items', values['ews-items']), log);
    const text = JSON.stringify(result, null, 2);
    if (values.out) fs.writeFileSync(values.out, text);
    else process.stdout.write(`${text}\n`);
    return 0;
  }
  if (values.single) {
    const result = await runScenario({ events, contacts, tunedRadicale, log });
    const text = JSON.stringify(result, null, 2);
    if (values.out) fs.writeFileSync(values.out, text);
    else process.stdout.write(`${text}\n`);
    return 0;
  }
  const servers = ['dav', 'radicale', 'xandikos', 'ews', 'all', 'all-users'];
  if (!servers.includes(values.server)) {
    process.stderr.write(`--server wants ${servers.join(', ')}, not "${values.server}".\n`);
    return 2;
  }
  if (values.server === 'all-users') return benchAllUsers(count('mailboxes', values.mailboxes));
  if (values.compare) {
    let failures = values.server === 'ews' || values.server === 'all' ? await benchEws() : 0;
    if (values.server !== 'ews') failures += await benchCompare(events, contacts);
    return failures ? 1 : 0;
  }
  if (values.server === 'xandikos') {
    process.stderr.write(
      'Xandikos is measured with --compare (npm run bench -- --compare --server xandikos).\n',
    );
    return 2;
  }
  let failures = 0;
  if (values.server === 'ews' || values.server === 'all') failures += await benchEws();
  if (values.server === 'ews') return failures ? 1 : 0;

  const sizes = [{ events, contacts }];
  if (!values['no-compare']) {
    sizes.unshift({ events: Math.floor(events / 4), contacts: Math.floor(contacts / 4) });
  }
  const results: ScenarioResult[] = [];
  for (const size of sizes) {
    log(`size ${size.events} events, ${size.contacts} contacts (child process)`);
    results.push(await inChild(size.events, size.contacts, tunedRadicale));
  }

  const checks = evaluate(results);
  const env = environment();
  // Formatted as the repository's Prettier does, so README can take it as it is.
  const options = (await prettier.resolveConfig(RESULTS_FILE)) ?? {};
  const report = await prettier.format(markdown(results, checks, env), {
    ...options,
    parser: 'markdown',
  });
  fs.writeFileSync(RESULTS_FILE, report);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ environment: env, results, checks }, null, 2)}\n`);
  } else {
    process.stdout.write(report);
  }
  log(`written to ${path.relative(process.cwd(), RESULTS_FILE)}`);
  const failed = checks.filter((c) => c.gating && !c.pass);
  if (failed.length) log(`${failed.length} target(s) failed`);
  return failed.length + failures ? 1 : 0;
}

/**
 * `--compare`: crm-sync, the minimal client and vdirsyncer on the chosen servers at N/10 and
 * N (only N with --no-compare); writes bench/results-compare.md; returns failed targets.
 */
async function benchCompare(events: number, contacts: number): Promise<number> {
  const kinds: CompareServer[] =
    values.server === 'xandikos'
      ? ['xandikos']
      : values.server === 'radicale'
        ? ['radicale']
        : ['radicale', 'xandikos'];
  const sizes = [{ events, contacts }];
  if (!values['no-compare']) {
    sizes.unshift({
      events: Math.max(1, Math.floor(events / 10)),
      contacts: Math.max(1, Math.floor(contacts / 10)),
    });
  }
  const minutes = Number(values['client-timeout-min']);
  if (!(minutes > 0)) {
    process.stderr.write(
      `--client-timeout-min wants minutes, not "${values['client-timeout-min']}".\n`,
    );
    return 2;
  }
  const vdirsyncer = ensureVdirsyncer(log);
  log('start-up of the command: node bin/crm-sync.mjs --version');
  const startup = await measureStartup().catch((err: unknown) => {
    log(`could not measure the start-up: ${err instanceof Error ? err.message : String(err)}`);
    return { wallMs: Number.NaN, cpuMs: Number.NaN, maxRssBytes: Number.NaN, runs: 0 };
  });
  const results: CompareResult[] = [];
  for (const server of kinds) {
    for (const size of sizes) {
      results.push(
        await runCompare({
          server,
          ...size,
          vdirsyncer: vdirsyncer !== undefined,
          clientTimeoutMs: minutes * 60_000,
          log,
        }),
      );
    }
  }
  const checks = evaluateCompare(results, startup);
  const options = (await prettier.resolveConfig(COMPARE_RESULTS_FILE)) ?? {};
  const report = await prettier.format(
    compareMarkdown(results, startup, checks, environment(), vdirsyncer),
    { ...options, parser: 'markdown' },
  );
  fs.writeFileSync(COMPARE_RESULTS_FILE, report);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ startup, results, checks }, null, 2)}\n`);
  } else {
    process.stdout.write(report);
  }
  log(`written to ${path.relative(process.cwd(), COMPARE_RESULTS_FILE)}`);
  const failed = checks.filter((c) => !c.pass).length;
  if (failed) log(`${failed} target(s) failed`);
  return failed;
}

/** `--server all-users`: bench/all-users.ts, when it exists. */
async function benchAllUsers(mailboxes: number): Promise<number> {
  const file = path.join(HERE, 'all-users.ts');
  if (!fs.existsSync(file)) {
    log('bench/all-users.ts is not there yet: the all-users benchmark is skipped');
    return 0;
  }
  const mod = (await import(file)) as {
    runAllUsersBench(opts: {
      mailboxes: number;
      log: (m: string) => void;
    }): Promise<{ markdown: string; failures: string[] }>;
  };
  const result = await mod.runAllUsersBench({ mailboxes, log });
  process.stdout.write(`${result.markdown}\n`);
  for (const f of result.failures) log(`FAIL ${f}`);
  return result.failures.length ? 1 : 0;
}

/** The Exchange run in a child process; writes bench/results-ews.md; returns failed targets. */
async function benchEws(): Promise<number> {
  const items = count('ews-items', values['ews-items']);
  log(`Exchange: ${items} calendar items (child process)`);
  const result = await inChildProcess<EwsResult>(
    ['--ews-single', '--ews-items', String(items)],
    'the Exchange benchmark child',
  );
  const checks = evaluateEws(result);
  const env = environment();
  const header = `\`npm run bench -- --server ews\`, ${env.date}: Node ${env.node}, ${env.cores} × ${env.cpu} (load ${env.load.toFixed(1)} at start), the fake Exchange of test/support/ews-fake on loopback.`;
  const options = (await prettier.resolveConfig(EWS_RESULTS_FILE)) ?? {};
  const report = await prettier.format(ewsMarkdown(result, checks, header), {
    ...options,
    parser: 'markdown',
  });
  fs.writeFileSync(EWS_RESULTS_FILE, report);
  if (values.json) process.stdout.write(`${JSON.stringify({ ews: result, checks }, null, 2)}\n`);
  else process.stdout.write(report);
  log(`written to ${path.relative(process.cwd(), EWS_RESULTS_FILE)}`);
  return checks.filter((c) => !c.pass).length;
}

/** One size in a child process, so its memory figures are its own. */
function inChild(
  events: number,
  contacts: number,
  tunedRadicale: boolean,
): Promise<ScenarioResult> {
  return inChildProcess<ScenarioResult>(
    [
      '--single',
      '--events',
      String(events),
      '--contacts',
      String(contacts),
      ...(tunedRadicale ? [] : ['--stock-radicale']),
    ],
    `the benchmark child for N=${events}`,
  );
}

/** Runs this script with `args` and `--out FILE` in a child process; returns what it wrote. */
async function inChildProcess<T>(args: string[], what: string): Promise<T> {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'crm-sync-bench-out-')), 'r.json');
  try {
    const argv = ['--expose-gc', fileURLToPath(import.meta.url), ...args, '--out', out];
    const child = spawn(process.execPath, argv, { stdio: ['ignore', 'inherit', 'inherit'] });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (c, signal) => resolve(signal ? 128 : c));
    });
    if (code !== 0) throw new Error(`${what} exited with ${code}`);
    return JSON.parse(fs.readFileSync(out, 'utf8')) as T;
  } finally {
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  }
}

function environment(): Environment {
  const cpus = os.cpus();
  const radicale = spawnSync('radicale', ['--version'], { encoding: 'utf8' });
  return {
    date: new Date().toISOString().slice(0, 10),
    node: process.version,
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus.length,
    load: LOAD_AT_START,
    radicale: radicale.status === 0 ? radicale.stdout.trim() : 'unknown version',
  };
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    log(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(70);
  },
);
