/**
 * The benchmark's verdicts (pass/fail lines) and its Markdown report.
 */
import type { RunName, RunResult, ScenarioResult } from './scenario.ts';

export interface Check {
  name: string;
  pass: boolean;
  /** Request targets and correctness fail the benchmark; memory and time only inform. */
  gating: boolean;
  detail: string;
}

export interface Environment {
  date: string;
  node: string;
  cpu: string;
  cores: number;
  /** 1-minute load average when the benchmark started: other work skews wall times. */
  load: number;
  radicale: string;
}

const MB = 1024 * 1024;

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const mb = (bytes: number): string => `${(bytes / MB).toFixed(1)} MB`;
/** Traffic: kB below a megabyte. */
const size = (bytes: number): string =>
  bytes >= MB ? mb(bytes) : `${Math.round(bytes / 1024).toLocaleString('en-US')} kB`;
const secs = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

function run(result: ScenarioResult, name: RunName): RunResult {
  const r = result.runs.find((x) => x.name === name);
  if (!r) throw new Error(`the ${name} run is missing`);
  return r;
}

function methods(byMethod: Record<string, number>): string {
  return Object.entries(byMethod)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([m, n]) => `${m} ${int(n)}`)
    .join(', ');
}

function edits(r: ScenarioResult): { server: number; crm: number } {
  return {
    server: r.edits.serverEvents + r.edits.serverContacts,
    crm: r.edits.crmEvents + r.edits.crmContacts,
  };
}

/** Requests of the 1 % run beyond the no-change run, per changed item. */
function perChange(r: ScenarioResult): { extra: number; changed: number; ratio: number } {
  const extra = run(r, '1 % changed').requests - run(r, 'no-change').requests;
  const e = edits(r);
  const changed = e.server + e.crm;
  return { extra, changed, ratio: changed === 0 ? 0 : extra / changed };
}

/** Peak RSS of the initial run above the RSS before it (after seeding), per item. */
function growth(r: ScenarioResult): { bytes: number; perItem: number } {
  const bytes = run(r, 'initial').rssPeak - r.setup.rssAfterSeed;
  return { bytes, perItem: bytes / Math.max(1, r.events + r.contacts) };
}

export function evaluate(results: readonly ScenarioResult[]): Check[] {
  const checks: Check[] = [];
  for (const r of results) {
    const size = `N=${int(r.events)}/M=${int(r.contacts)}`;
    const initial = run(r, 'initial');
    const quiet = run(r, 'no-change');
    const changed = run(r, '1 % changed');

    // ---- correctness: otherwise the numbers mean nothing ----
    const holds = r.holdings;
    const complete =
      holds.serverEvents === r.events &&
      holds.serverContacts === r.contacts &&
      holds.crmEvents === r.events &&
      holds.crmPersons === r.contacts &&
      initial.failed === 0 &&
      initial.status === 'ok';
    checks.push({
      name: `initial sync moves everything both ways (${size})`,
      pass: complete,
      gating: true,
      detail:
        `server holds ${int(holds.serverEvents)}/${int(r.events)} events and ${int(holds.serverContacts)}/${int(r.contacts)} contacts, ` +
        `CRM ${int(holds.crmEvents)}/${int(r.events)} events and ${int(holds.crmPersons)}/${int(r.contacts)} persons; ` +
        `${int(holds.linkedEvents)} imported events linked to CRM persons by attendee e-mail; ` +
        `${initial.failed} failed, status ${initial.status}` +
        (initial.notes.length ? ` (${initial.notes.slice(0, 3).join('; ')})` : ''),
    });

    const quietWrites =
      quiet.crm.created + quiet.crm.updated + quiet.crm.deleted + quiet.server.created;
    const quietWritesAll = quietWrites + quiet.server.updated + quiet.server.deleted + quiet.linked;
    checks.push({
      name: `no-change sync writes nothing (${size})`,
      pass: quietWritesAll === 0 && quiet.failed === 0 && quiet.status === 'ok',
      gating: true,
      detail: `CRM ${quiet.crm.created}/${quiet.crm.updated}/${quiet.crm.deleted}, server ${quiet.server.created}/${quiet.server.updated}/${quiet.server.deleted} created/updated/deleted, ${quiet.linked} re-linked, ${quiet.failed} failed`,
    });

    // ---- request targets ----
    const reports = quiet.byMethod['REPORT'] ?? 0;
    checks.push({
      name: `no-change sync: one request per collection (${size})`,
      pass: reports === 2 && quiet.requests === 2,
      gating: true,
      detail:
        `${quiet.requests} requests = ${reports} REPORT sync-collection (calendar + address book) ` +
        `+ ${quiet.requests - reports} other; the collections found by the initial run ` +
        `(${methods(r.discovery.byMethod)}) are kept, so none are found again; expected 2`,
    });

    const e = edits(r);
    const pc = perChange(r);
    // Per CRM-side change: GET (the server's text, to patch it) + PUT. Per server-side
    // change: nothing (Radicale sends bodies inside the sync-collection answer). Per
    // collection written to: one more sync-collection to move the token past our writes.
    const model = 2 * e.crm + 2;
    const bound = 3 * pc.changed + 4;
    checks.push({
      name: `1 % changed: requests follow the changes, not N (${size})`,
      pass: pc.extra <= bound,
      gating: true,
      detail:
        `${int(changed.requests)} requests (${methods(changed.byMethod)}) = no-change ${quiet.requests} + ${int(pc.extra)} ` +
        `for ${int(pc.changed)} changed items (${int(e.server)} on the server, ${int(e.crm)} in the CRM): ` +
        `${pc.ratio.toFixed(2)} per change; expected about 2 per CRM change + 2 catch-up REPORTs = ${int(model)}; ` +
        `limit 3 per change + 4 = ${int(bound)}`,
    });
    const applied =
      changed.crm.updated === e.server &&
      changed.server.updated === e.crm &&
      changed.crm.created + changed.server.created === 0 &&
      changed.failed === 0;
    checks.push({
      name: `1 % changed: exactly the changed items are written (${size})`,
      pass: applied,
      gating: true,
      detail: `CRM updated ${changed.crm.updated} (expected ${e.server}), server updated ${changed.server.updated} (expected ${e.crm}), created ${changed.crm.created + changed.server.created}, failed ${changed.failed}`,
    });
  }

  if (results.length >= 2) {
    const sorted = [...results].sort((a, b) => a.events + a.contacts - (b.events + b.contacts));
    const small = sorted[0];
    const large = sorted[sorted.length - 1];
    if (small && large && small !== large) {
      const scale = (large.events + large.contacts) / (small.events + small.contacts);
      const ps = perChange(small);
      const pl = perChange(large);
      const same = Math.abs(pl.ratio - ps.ratio) <= 0.25 * Math.max(ps.ratio, pl.ratio, 1);
      checks.push({
        name: `1 % changed: requests per changed item do not grow with N (×${scale.toFixed(0)})`,
        pass: same,
        gating: true,
        detail: `${ps.ratio.toFixed(2)} at N=${int(small.events)}, ${pl.ratio.toFixed(2)} at N=${int(large.events)}`,
      });
      const quietSame = run(small, 'no-change').requests === run(large, 'no-change').requests;
      checks.push({
        name: `no-change: the same requests at every N (×${scale.toFixed(0)})`,
        pass: quietSame,
        gating: true,
        detail: `${run(small, 'no-change').requests} at N=${int(small.events)}, ${run(large, 'no-change').requests} at N=${int(large.events)}`,
      });

      const gs = growth(small);
      const gl = growth(large);
      const linear = gl.perItem <= 1.25 * gs.perItem || gl.bytes <= 64 * MB;
      const dataOf = (r: ScenarioResult) => r.setup.serverDataBytes + r.setup.crmFileBytes;
      checks.push({
        name: `memory: the initial run's peak grows with N no faster than the data (×${scale.toFixed(0)})`,
        pass: linear,
        gating: false,
        detail:
          `peak − RSS before the runs: ${mb(gs.bytes)} (${(gs.perItem / 1024).toFixed(1)} kB per item, ` +
          `${(gs.bytes / dataOf(small)).toFixed(0)}× the data) at N=${int(small.events)}, ` +
          `${mb(gl.bytes)} (${(gl.perItem / 1024).toFixed(1)} kB per item, ${(gl.bytes / dataOf(large)).toFixed(0)}× the data) at N=${int(large.events)}; ` +
          `"data" = the server's iCalendar/vCard text + the CRM file after seeding`,
      });

      const ts = run(small, 'initial').wallMs / (small.events + small.contacts);
      const tl = run(large, 'initial').wallMs / (large.events + large.contacts);
      checks.push({
        name: `time: initial sync per item does not grow with N (×${scale.toFixed(0)})`,
        pass: tl <= 1.5 * ts,
        gating: false,
        detail: `${ts.toFixed(2)} ms per item at N=${int(small.events)}, ${tl.toFixed(2)} ms at N=${int(large.events)}`,
      });
    }
  }
  return checks;
}

function runsTable(r: ScenarioResult): string[] {
  const rows = [
    '| Run | Wall | Client CPU | Requests | By method | Sent | Received | RSS start → peak | maxRSS | CRM created / updated | Server created / updated |',
    '| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const x of r.runs) {
    rows.push(
      `| ${x.name} | ${secs(x.wallMs)} | ${secs(x.cpuMs)} | ${int(x.requests)} | ${methods(x.byMethod)} | ${size(x.bytesSent)} | ${size(x.bytesReceived)} | ` +
        `${mb(x.rssStart)} → ${mb(x.rssPeak)} | ${mb(x.maxRss)} | ${int(x.crm.created)} / ${int(x.crm.updated)} | ${int(x.server.created)} / ${int(x.server.updated)} |`,
    );
  }
  return rows;
}

function setupLine(r: ScenarioResult): string {
  const s = r.setup;
  return (
    `Setup (not measured, in a seeder process): ${int(Math.floor(r.events / 2))} events and ${int(Math.floor(r.contacts / 2))} persons inserted into the CRM in one transaction (${secs(s.crmInsertMs)}), CRM file ${mb(s.crmFileBytes)}; ` +
    `${int(Math.ceil(r.events / 2))} events and ${int(Math.ceil(r.contacts / 2))} vCards (${mb(s.serverDataBytes)}) written into Radicale's storage (${secs(s.seedMs)}) ` +
    `and indexed by Radicale (${secs(s.serverIndexMs)}). RSS of the measuring process after seeding, before the first run: ${mb(s.rssAfterSeed)} (V8 heap ${mb(s.heapAfterSeed)}).`
  );
}

export function markdown(
  results: readonly ScenarioResult[],
  checks: readonly Check[],
  env: Environment,
): string {
  const main = results.reduce((a, b) => (b.events + b.contacts > a.events + a.contacts ? b : a));
  const out: string[] = [];
  out.push(`## Benchmark: ${int(main.events)} events, ${int(main.contacts)} contacts`, '');
  out.push(
    `\`npm run bench\`, ${env.date}: Node ${env.node}, ${env.cores} × ${env.cpu} (load ${env.load.toFixed(1)} at start), Radicale ${env.radicale} ` +
      `(${main.radicale === 'tuned' ? 'without its O(items) per-PUT work, see bench/radicale.ts' : 'as packaged'}) on loopback. ` +
      `Half of the events and contacts start on the server, half in the CRM; the window is 400 days back and ahead. ` +
      `Wall time includes Radicale's own work; client CPU is the syncing process only. ` +
      `RSS: sampled every 50 ms by a worker thread (so also while the main thread is busy); maxRSS is the process's peak so far.`,
    '',
  );
  for (const r of [main, ...results.filter((x) => x !== main)]) {
    if (r !== main) {
      out.push('', `### At ${int(r.events)} events, ${int(r.contacts)} contacts`, '');
    }
    out.push(...runsTable(r), '');
    out.push(setupLine(r));
    out.push(
      `1 % changed = ${r.edits.serverEvents} events and ${r.edits.serverContacts} contacts edited on the server (PUT), ` +
        `${r.edits.crmEvents} events and ${r.edits.crmContacts} persons edited in the CRM.`,
    );
  }
  if (results.length >= 2) {
    out.push('', '### Scaling', '');
    out.push(
      '| Size | Initial wall | per item | Initial client CPU | 1 % run requests | per changed item | Initial peak − RSS after seeding | per item |',
    );
    out.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const r of [...results].sort((a, b) => a.events - b.events)) {
      const initial = run(r, 'initial');
      const items = r.events + r.contacts;
      const pc = perChange(r);
      const g = growth(r);
      out.push(
        `| ${int(r.events)} + ${int(r.contacts)} | ${secs(initial.wallMs)} | ${(initial.wallMs / items).toFixed(2)} ms | ${secs(initial.cpuMs)} | ` +
          `${int(run(r, '1 % changed').requests)} | ${pc.ratio.toFixed(2)} | ${mb(g.bytes)} | ${(g.perItem / 1024).toFixed(1)} kB |`,
      );
    }
  }
  out.push('', '### Targets', '');
  for (const c of checks) {
    out.push(
      `- **${c.pass ? 'PASS' : 'FAIL'}**${c.gating ? '' : ' (informative)'} ${c.name}: ${c.detail}`,
    );
  }
  out.push('');
  return out.join('\n');
}
