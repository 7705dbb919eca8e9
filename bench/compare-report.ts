/**
 * The `--compare` report: one table per server and size (every client in every scenario),
 * the 10k/1k scaling, and a PASS/FAIL line for each target of issue 11 the benchmark can
 * judge.
 */
import type { Traffic } from './counting-proxy.ts';
import type {
  ClientName,
  ClientRun,
  CompareResult,
  ScenarioName,
  ScenarioRuns,
  StartupCost,
} from './compare.ts';
import type { Check, Environment } from './report.ts';

const MB = 1024 * 1024;
/** Right after the first sync (which wrote: the engine plans in full once), and the next. */
const IDLE_SCENARIOS: readonly ScenarioName[] = ['nothing changed', 'nothing changed again'];
const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const mb = (bytes: number): string => `${(bytes / MB).toFixed(bytes < 10 * MB ? 1 : 0)} MB`;
const down = (bytes: number): string =>
  bytes >= MB ? `${(bytes / MB).toFixed(1)} MB` : `${int(bytes / 1024)} kB`;
const secs = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
const times = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(2)}×` : '–');

function methods(t: Traffic): string {
  return Object.entries(t.byMethod)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([m, n]) => `${m} ${int(n)}`)
    .join(', ');
}

function find(s: ScenarioRuns | undefined, client: ClientName): ClientRun | undefined {
  return s?.runs.find((r) => r.client === client && !r.timedOut && r.failed === 0);
}

function scenario(r: CompareResult, name: ScenarioName): ScenarioRuns | undefined {
  return r.scenarios.find((s) => s.name === name);
}

const serverName = (r: CompareResult): string =>
  `${r.server === 'radicale' ? 'Radicale' : 'Xandikos'} ${r.serverVersion.replace(/^\D+/, '')}`;

function size(r: CompareResult): string {
  return `${int(r.events)} events, ${int(r.contacts)} contacts`;
}

/** The items a scenario's collection holds: contacts for the contacts scenario. */
function itemsOf(r: CompareResult, name: ScenarioName): number {
  return name === 'first sync, contacts' ? r.contacts : r.events;
}

function runsTable(r: CompareResult): string[] {
  const rows = [
    '| Scenario | Client | Wall | Client CPU | In requests | Requests | By method | Down | Connections | Peak RSS | Wall / minimal | CPU / minimal |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const s of r.scenarios) {
    const floor = find(s, 'minimal');
    for (const x of s.runs) {
      const state = x.timedOut ? ' (timed out)' : x.failed ? ` (${x.status})` : '';
      rows.push(
        `| ${s.name}${s.changes ? ` (${int(s.changes)})` : ''} | ${x.client}${state} | ${secs(x.wallMs)} | ${secs(x.cpuMs)} | ${secs(x.traffic.requestMs)} | ` +
          `${int(x.traffic.requests)} | ${methods(x.traffic)} | ${down(x.traffic.bytesDown)} | ${int(x.traffic.connections)} | ${mb(x.maxRssBytes)} | ` +
          `${floor ? times(x.wallMs / floor.wallMs) : '–'} | ${floor ? times(x.cpuMs / floor.cpuMs) : '–'} |`,
      );
    }
  }
  return rows;
}

/** Pairs of (smaller, larger) sizes on the same server. */
function scalingPairs(results: readonly CompareResult[]): [CompareResult, CompareResult][] {
  const pairs: [CompareResult, CompareResult][] = [];
  for (const server of new Set(results.map((r) => r.server))) {
    const same = results.filter((r) => r.server === server).sort((a, b) => a.events - b.events);
    const small = same[0];
    const large = same[same.length - 1];
    if (small && large && small !== large) pairs.push([small, large]);
  }
  return pairs;
}

function scalingTable(small: CompareResult, large: CompareResult): string[] {
  const rows = [
    `| Scenario | Client | Wall ${int(small.events)} → ${int(large.events)} | × | CPU | × | Requests | Peak RSS |`,
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const s of large.scenarios) {
    const before = scenario(small, s.name);
    for (const x of s.runs) {
      const y = find(before, x.client);
      if (!y || x.timedOut || x.failed) continue;
      rows.push(
        `| ${s.name} | ${x.client} | ${secs(y.wallMs)} → ${secs(x.wallMs)} | ${times(x.wallMs / y.wallMs)} | ` +
          `${secs(y.cpuMs)} → ${secs(x.cpuMs)} | ${times(x.cpuMs / y.cpuMs)} | ${int(y.traffic.requests)} → ${int(x.traffic.requests)} | ` +
          `${mb(y.maxRssBytes)} → ${mb(x.maxRssBytes)} |`,
      );
    }
  }
  return rows;
}

export function evaluateCompare(results: readonly CompareResult[], startup: StartupCost): Check[] {
  const checks: Check[] = [];
  const add = (name: string, pass: boolean, detail: string): void => {
    checks.push({ name, pass, gating: true, detail });
  };
  for (const r of results) {
    const at = `${serverName(r)}, ${size(r)}`;

    // ---- every client took in every item: otherwise the figures mean nothing ----
    for (const name of ['first sync, events', 'first sync, contacts'] as const) {
      const s = scenario(r, name);
      const expected = itemsOf(r, name);
      const got = (s?.runs ?? []).map(
        (x) => `${x.client} ${x.timedOut ? 'timed out' : x.failed ? x.status : int(x.received)}`,
      );
      const crm = find(s, 'crm-sync');
      add(
        `${name}: crm-sync took in every item (${at})`,
        crm !== undefined && crm.received === expected,
        `expected ${int(expected)}: ${got.join(', ')}`,
      );
    }

    // ---- first sync: ≤ 1.5× the minimal client's wall, ≤ 2× its CPU ----
    for (const name of ['first sync, events', 'first sync, contacts'] as const) {
      const s = scenario(r, name);
      const crm = find(s, 'crm-sync');
      const floor = find(s, 'minimal');
      add(
        `${name}: wall ≤ 1.5× and client CPU ≤ 2× the minimal client's (${at})`,
        crm !== undefined &&
          floor !== undefined &&
          crm.wallMs <= 1.5 * floor.wallMs &&
          crm.cpuMs <= 2 * floor.cpuMs,
        crm && floor
          ? `wall ${secs(crm.wallMs)} vs ${secs(floor.wallMs)} (${times(crm.wallMs / floor.wallMs)}), CPU ${secs(crm.cpuMs)} vs ${secs(floor.cpuMs)} (${times(crm.cpuMs / floor.cpuMs)})`
          : 'a run is missing (timed out or failed)',
      );
      // Compression and the data in the listing: bytes down close to the floor's.
      add(
        `${name}: bytes down ≤ 1.25× the minimal client's (${at})`,
        crm !== undefined &&
          floor !== undefined &&
          crm.traffic.bytesDown <= 1.25 * floor.traffic.bytesDown,
        crm && floor
          ? `${down(crm.traffic.bytesDown)} vs ${down(floor.traffic.bytesDown)} (${times(crm.traffic.bytesDown / floor.traffic.bytesDown)})`
          : 'a run is missing',
      );
    }

    // ---- idle runs: right after the first sync, and the one after that ----
    for (const name of IDLE_SCENARIOS) {
      const idle = scenario(r, name);
      const crmIdle = find(idle, 'crm-sync');
      const floorIdle = find(idle, 'minimal');
      add(
        `${name}: one request per collection (${at})`,
        crmIdle !== undefined && crmIdle.traffic.requests === 1,
        crmIdle
          ? `${crmIdle.traffic.requests} (${methods(crmIdle.traffic)}), expected 1`
          : 'missing',
      );
      add(
        `${name}: wall ≤ 1.5× the minimal client's + the command's start-up (${at})`,
        crmIdle !== undefined &&
          floorIdle !== undefined &&
          crmIdle.wallMs <= 1.5 * floorIdle.wallMs + startup.wallMs,
        crmIdle && floorIdle
          ? `${secs(crmIdle.wallMs)} vs 1.5 × ${secs(floorIdle.wallMs)} + ${secs(startup.wallMs)} = ${secs(1.5 * floorIdle.wallMs + startup.wallMs)} ` +
              `(the whole crm-sync process: ${secs(crmIdle.processWallMs)})`
          : 'missing',
      );
    }

    // ---- a CRM edit costs one request ----
    const local = scenario(r, '1 % changed by the client');
    const crmLocal = find(local, 'crm-sync');
    if (local && crmLocal) {
      const t = crmLocal.traffic.byMethod;
      const writes = (t['PUT'] ?? 0) + (t['DELETE'] ?? 0);
      add(
        `1 % changed by the client: one request per CRM change, no GET (${at})`,
        (t['GET'] ?? 0) === 0 && writes === local.changes,
        `${int(local.changes)} changes: ${int(crmLocal.traffic.requests)} requests (${methods(crmLocal.traffic)}); ` +
          `minimal client ${int(find(local, 'minimal')?.traffic.requests ?? 0)}`,
      );
    } else {
      add(
        `1 % changed by the client: one request per CRM change, no GET (${at})`,
        false,
        'missing',
      );
    }

    // ---- memory ----
    const peaks = r.scenarios
      .map((s) => ({ s: s.name, x: s.runs.find((x) => x.client === 'crm-sync') }))
      .filter((p): p is { s: ScenarioName; x: ClientRun } => p.x !== undefined);
    const worst = peaks.reduce<{ s: ScenarioName; x: ClientRun } | undefined>(
      (a, b) => (a === undefined || b.x.maxRssBytes > a.x.maxRssBytes ? b : a),
      undefined,
    );
    add(
      `peak RSS of the crm-sync process ≤ 200 MB in every scenario (${at})`,
      worst !== undefined && worst.x.maxRssBytes <= 200 * MB,
      worst ? `highest ${mb(worst.x.maxRssBytes)} (${worst.s})` : 'missing',
    );

    // ---- kept-alive connections ----
    const conns = peaks.map((p) => p.x.traffic.connections);
    add(
      `connections kept alive: at most 4 per crm-sync run (${at})`,
      conns.length > 0 && Math.max(...conns) <= 4,
      peaks
        .map((p) => `${p.s} ${p.x.traffic.connections} for ${p.x.traffic.requests} requests`)
        .join('; '),
    );
  }

  // ---- scaling ----
  for (const [small, large] of scalingPairs(results)) {
    const at = `${serverName(large)}, ${int(small.events)} → ${int(large.events)} events`;
    for (const name of IDLE_SCENARIOS) {
      const idleS = find(scenario(small, name), 'crm-sync');
      const idleL = find(scenario(large, name), 'crm-sync');
      add(
        `${name}: the larger idle run within 1.2× of the smaller (wall and CPU) (${at})`,
        idleS !== undefined &&
          idleL !== undefined &&
          idleL.wallMs <= 1.2 * idleS.wallMs &&
          idleL.cpuMs <= 1.2 * idleS.cpuMs,
        idleS && idleL
          ? `wall ${secs(idleS.wallMs)} → ${secs(idleL.wallMs)} (${times(idleL.wallMs / idleS.wallMs)}), CPU ${secs(idleS.cpuMs)} → ${secs(idleL.cpuMs)} (${times(idleL.cpuMs / idleS.cpuMs)})`
          : 'missing',
      );
    }
    for (const s of large.scenarios) {
      if (IDLE_SCENARIOS.includes(s.name)) continue;
      const scale = itemsOf(large, s.name) / itemsOf(small, s.name);
      const a = find(scenario(small, s.name), 'crm-sync');
      const b = find(s, 'crm-sync');
      const limit = 1.1 * scale;
      add(
        `${s.name}: cost linear in N, ratio ≤ ${limit.toFixed(1)} for ×${scale.toFixed(0)} items (wall and CPU) (${at})`,
        a !== undefined &&
          b !== undefined &&
          b.wallMs <= limit * a.wallMs &&
          b.cpuMs <= limit * a.cpuMs,
        a && b ? `wall ${times(b.wallMs / a.wallMs)}, CPU ${times(b.cpuMs / a.cpuMs)}` : 'missing',
      );
    }
    const peakOf = (r: CompareResult) =>
      find(scenario(r, 'first sync, events'), 'crm-sync')?.maxRssBytes;
    const ps = peakOf(small);
    const pl = peakOf(large);
    add(
      `first sync, events: peak RSS does not grow with N (≤ 1.25× the smaller size's) (${at})`,
      ps !== undefined && pl !== undefined && pl <= 1.25 * ps,
      ps !== undefined && pl !== undefined ? `${mb(ps)} → ${mb(pl)}` : 'missing',
    );
  }
  return checks;
}

export function compareMarkdown(
  results: readonly CompareResult[],
  startup: StartupCost,
  checks: readonly Check[],
  env: Environment,
  vdirsyncer: string | undefined,
): string {
  const out: string[] = [];
  out.push('## Benchmark: crm-sync, a minimal client and vdirsyncer side by side', '');
  out.push(
    `\`npm run bench -- --compare\`, ${env.date}: Node ${env.node}, ${env.cores} × ${env.cpu} (load ${env.load.toFixed(1)} at start), ` +
      `servers as Debian packages them, on loopback; vdirsyncer ${vdirsyncer ?? 'not available (left out)'}. ` +
      'The server holds the events in one calendar and the contacts in one address book; every client starts empty. ' +
      'Each client runs in a process of its own, through one counting proxy (requests, bytes down as they cross the wire, connections the client opened). ' +
      "In requests: the sum of the durations of the client's requests, the time it waited for the server. " +
      'Wall and client CPU: for crm-sync (its engine and connector, as the engine host runs them) and the minimal client from connecting to closing, modules already loaded; ' +
      "for vdirsyncer its whole processes (`discover` + `sync` on a first sync). Peak RSS: the client process's maxRSS.",
    '',
  );
  out.push(
    `Start-up of the command (\`node bin/crm-sync.mjs --version\`, no npx, median of ${startup.runs}): ` +
      `wall ${secs(startup.wallMs)}, CPU ${secs(startup.cpuMs)}, peak RSS ${mb(startup.maxRssBytes)}.`,
    '',
  );
  out.push(
    'Scenarios: first sync of the events; nothing changed (right after the first sync, which wrote, so crm-sync plans in full once); ' +
      'nothing changed again (the steady state: the run after one that wrote nothing); 1 % of the events edited on the server; ' +
      "1 % changed on the client's side (a third edited, a third deleted, a third added: in the CRM, in the minimal client's writes, in vdirsyncer's folder; " +
      'each client first takes in what the clients before it wrote, not measured); first sync of the contacts.',
    '',
  );
  for (const r of results) {
    out.push(`### ${serverName(r)} (stock), ${size(r)}`, '');
    out.push(...runsTable(r), '');
  }
  for (const [small, large] of scalingPairs(results)) {
    out.push(`### Scaling on ${serverName(large)}`, '');
    out.push(...scalingTable(small, large), '');
  }
  out.push('### Targets (issue 11)', '');
  for (const c of checks) out.push(`- **${c.pass ? 'PASS' : 'FAIL'}** ${c.name}: ${c.detail}`);
  out.push('');
  return out.join('\n');
}
