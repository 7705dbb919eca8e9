/**
 * The iCalendar and vCard parsers fuzzed through the whole engine: a raw DAV server
 * (test/support/raw-dav-server.ts) serves 1,000+ seeded objects byte for byte, good ones and
 * broken ones (truncated, bad dates, unknown zones, RRULE garbage, 1 MB fields, invalid
 * UTF-8, duplicate and missing UIDs…), and the real connector and engine sync them into an
 * empty CRM. The run must end (bounded), name every broken object in its failures, and
 * bring every good object into the CRM intact. FUZZ_SEED=<n> replays another seed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCrmDatabase } from '../../src/core/crm/database.ts';
import type { CrmDatabase } from '../../src/core/crm/database.ts';
import { createUser } from '../../src/core/crm/users.ts';
import { MemorySecretStore } from '../../src/core/secrets/memory-secret-store.ts';
import { SecretKey } from '../../src/core/secrets/secret-store.ts';
import { createConnector } from '../../src/core/servers/create-connector.ts';
import { defaultSettings } from '../../src/shared/settings/schema.ts';
import type { Settings } from '../../src/shared/settings/schema.ts';
import { runSync } from '../../src/core/sync/engine.ts';
import type { RunSummary } from '../../src/core/sync/summary.ts';
import { startRawDavServer } from '../support/raw-dav-server.ts';
import type { RawDavServer } from '../support/raw-dav-server.ts';
import { generateMutants } from './mutants.ts';
import type { Mutant } from './mutants.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20261207);
/** The engine's clock: the objects' dates are built around it, so no test depends on today. */
const NOW = new Date('2026-03-10T10:00:00Z');
/** A run that takes longer than this is a hang (about 30 s here on a quiet machine). */
const RUN_BOUND_MS = 150_000;

let server: RawDavServer;
let dir: string;
let db: CrmDatabase;
let settings: Settings;
let mutants: { calendar: Mutant[]; contacts: Mutant[] };

beforeAll(async () => {
  server = await startRawDavServer();
  mutants = generateMutants(SEED, NOW, { calendar: 600, contacts: 450 });
  for (const m of mutants.calendar) server.seed('calendar', m.name, m.data);
  for (const m of mutants.contacts) server.seed('contacts', m.name, m.data);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-sync-fuzz-'));
  db = openCrmDatabase(path.join(dir, 'crm.sqlite'), { create: true });
  createUser(db, { login: 'pbartos', displayName: 'Pavel Bartoš', password: 'heslo' });
  settings = defaultSettings();
  settings.crm.user = 'pbartos';
  settings.connection.kind = 'dav';
  settings.connection.dav.url = server.url;
  settings.connection.dav.user = server.user;
  settings.connection.dav.auth = 'basic';
  settings.agendas.events.folders = [server.calendarUrl];
  settings.agendas.tasks.enabled = true;
  settings.agendas.tasks.folders = [server.calendarUrl];
  settings.agendas.contacts.folders = [server.addressBookUrl];
}, 240_000);

afterAll(async () => {
  db?.close();
  await server?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function sync(): Promise<RunSummary> {
  const secrets = new MemorySecretStore({ [SecretKey.serverPassword]: server.password });
  const connector = await createConnector(settings, secrets, { timeoutMs: 30_000 });
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      runSync({ db, settings, connector, now: NOW }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`the run did not end within ${RUN_BOUND_MS / 1000} s`)),
          RUN_BOUND_MS,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
    await connector.close();
  }
}

interface Row {
  uid: string | null;
  title: string;
  /** Length of the description (events, tasks) or note (persons). */
  text: number | null;
}

function crmRows(): { calendar: Row[]; contacts: Row[] } {
  const calendar = db
    .prepare(
      `SELECT uid, subject AS title, length(description) AS text FROM events
       UNION ALL SELECT uid, subject, length(description) FROM tasks`,
    )
    .all() as Row[];
  const contacts = db
    .prepare('SELECT uid, last_name AS title, length(note) AS text FROM persons')
    .all() as Row[];
  return { calendar, contacts };
}

function failuresOf(summary: RunSummary) {
  return summary.agendas.flatMap((a) => a.failed);
}

function totalWrites(summary: RunSummary) {
  let n = 0;
  for (const a of summary.agendas) {
    n += a.crm.created + a.crm.updated + a.crm.deleted;
    n += a.server.created + a.server.updated + a.server.deleted;
  }
  return n;
}

describe('the parsers fuzzed through the engine, against a raw DAV server', () => {
  it(
    'ends, names every broken object, syncs every good one intact, and touches nothing on the server',
    async () => {
      const all = [...mutants.calendar, ...mutants.contacts];
      expect(all.length).toBeGreaterThanOrEqual(1000);
      const stored = { calendar: server.objects('calendar'), contacts: server.objects('contacts') };

      const started = performance.now();
      const summary = await sync();
      const seconds = (performance.now() - started) / 1000;

      expect(summary.agendas.filter((a) => a.aborted !== undefined)).toEqual([]);
      const failed = failuresOf(summary);
      const rows = crmRows();
      const problems: string[] = [];
      let named = 0;
      let synced = 0;
      for (const [collection, list] of [
        ['calendar', mutants.calendar],
        ['contacts', mutants.contacts],
      ] as const) {
        for (const m of list) {
          const failure = failed.find((f) => f.label === m.name);
          const row = rows[collection].find((r) => r.title === m.title);
          if (m.expect === 'bad') {
            if (failure === undefined) problems.push(`${m.name}: not named in the failures`);
            else if (!failure.cause.includes(m.name))
              problems.push(`${m.name}: the cause does not name it: ${failure.cause}`);
            else named++;
            if (row !== undefined) problems.push(`${m.name}: imported though broken`);
          } else if (row === undefined) {
            problems.push(`${m.name}: not in the CRM${failure ? ` (${failure.cause})` : ''}`);
          } else if (m.bigText !== undefined && row.text !== m.bigText) {
            problems.push(`${m.name}: its ${m.bigText}-character text arrived as ${row.text}`);
          } else {
            synced++;
          }
        }
      }
      // Nothing but the broken objects fails (a failure with another name would be a bug).
      const names = new Set(all.map((m) => m.name));
      for (const f of failed)
        if (!names.has(f.label)) problems.push(`unexpected failure: ${f.label}: ${f.cause}`);
      expect(problems).toEqual([]);
      const bad = all.filter((m) => m.expect === 'bad').length;
      expect(named).toBe(bad);
      expect(synced).toBe(all.length - bad);
      // Importing writes nothing to the server: every object, broken or not, is as it was.
      expect(server.objects('calendar')).toEqual(stored.calendar);
      expect(server.objects('contacts')).toEqual(stored.contacts);
      console.info(
        `fuzz seed ${SEED}: ${all.length} objects (${mutants.calendar.length} iCalendar, ` +
          `${mutants.contacts.length} vCard): ${named} broken ones named, ${synced} good ones ` +
          `synced, first run ${seconds.toFixed(1)} s`,
      );

      // The next run has nothing to do, and names the broken objects again.
      const again = await sync();
      expect(totalWrites(again)).toBe(0);
      expect(new Set(failuresOf(again).map((f) => f.label))).toEqual(
        new Set(failed.map((f) => f.label)),
      );
    },
    // Two runs over 1,000+ objects (8 of them 1 MB) on a busy machine: generous.
    4 * RUN_BOUND_MS,
  );
});
