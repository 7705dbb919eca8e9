/**
 * One client run of `--compare`, in a process of its own (so its peak RSS is its own):
 * `node bench/compare-client.ts JOB.json`. The job names the client (crm-sync's engine or
 * the minimal client), the scenario and where the client keeps its state between runs;
 * the result (this run's wall and CPU time, from just before the client connects to after
 * it closes, and what it did) is written to the job's `out` file. Modules are loaded
 * before the clock starts: the command's start-up is measured on its own.
 */
import fs from 'node:fs';
import path from 'node:path';
import { closeMinimalClient, pushChanges, syncCollection } from './minimal-client.ts';
import type { CollectionKind, MinimalOutcome, MinimalState } from './minimal-client.ts';
import { spread, thirds } from './picks.ts';

export type CompareScenario = 'first' | 'idle' | 'server-changed' | 'local-changed' | 'catch-up';

export interface CompareJob {
  client: 'crm-sync' | 'minimal';
  scenario: CompareScenario;
  kind: CollectionKind;
  /** The server's root and the collection, as the client sees them (through the proxy). */
  rootUrl: string;
  collectionUrl: string;
  user: string;
  password: string;
  stateDir: string;
  /** local-changed: how many items to change (a third updated, deleted, added). */
  changes: number;
  /** The sync window in days back and ahead (crm-sync). */
  windowDays: number;
  out: string;
}

export interface CompareClientResult {
  wallMs: number;
  cpuMs: number;
  /** Items the client took in (created + updated + deleted on its side) and wrote to the server. */
  received: number;
  written: number;
  failed: number;
  status: string;
  notes: string[];
}

const CRM_LOGIN = 'pbartos';

async function main(): Promise<void> {
  const jobFile = process.argv[2];
  if (jobFile === undefined) throw new Error('usage: compare-client.ts JOB.json');
  const job = JSON.parse(fs.readFileSync(jobFile, 'utf8')) as CompareJob;
  fs.mkdirSync(job.stateDir, { recursive: true });
  const result = job.client === 'minimal' ? await runMinimal(job) : await runCrmSync(job);
  fs.writeFileSync(job.out, JSON.stringify(result));
}

function timer(): () => { wallMs: number; cpuMs: number } {
  const cpu = process.cpuUsage();
  const started = performance.now();
  return () => {
    const used = process.cpuUsage(cpu);
    return { wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
  };
}

// ---- the minimal client ----

async function runMinimal(job: CompareJob): Promise<CompareClientResult> {
  const stateFile = path.join(job.stateDir, 'minimal.json');
  const state: MinimalState =
    job.scenario === 'first'
      ? { token: '', items: {} }
      : (JSON.parse(fs.readFileSync(stateFile, 'utf8')) as MinimalState);
  const conn = { user: job.user, password: job.password };
  let outcome: MinimalOutcome;
  const stop = timer();
  if (job.scenario === 'local-changed') {
    outcome = await pushChanges(conn, job.collectionUrl, job.kind, state, localChanges(job, state));
  } else {
    outcome = await syncCollection(conn, job.collectionUrl, job.kind, state);
  }
  closeMinimalClient();
  const measured = stop();
  fs.writeFileSync(stateFile, JSON.stringify(state));
  return {
    ...measured,
    received: outcome.received + outcome.removed,
    written: outcome.written,
    failed: 0,
    status: 'ok',
    notes: [],
  };
}

/** A third of `changes` updated, a third deleted, the rest added: as the CRM side does. */
function localChanges(job: CompareJob, state: MinimalState) {
  const hrefs = Object.keys(state.items).sort();
  const { update, remove, add } = thirds(job.changes);
  const picked = spread(hrefs, update + remove);
  const stamp = '20261207T080000Z';
  const body = (uid: string, summary: string): string =>
    job.kind === 'calendar'
      ? [
          'BEGIN:VCALENDAR',
          'VERSION:2.0',
          'PRODID:-//CRM Sync bench//minimal client//EN',
          'BEGIN:VEVENT',
          `UID:${uid}`,
          `DTSTAMP:${stamp}`,
          'DTSTART:20261210T090000Z',
          'DTEND:20261210T100000Z',
          `SUMMARY:${summary}`,
          'END:VEVENT',
          'END:VCALENDAR',
          '',
        ].join('\r\n')
      : [
          'BEGIN:VCARD',
          'VERSION:3.0',
          `UID:${uid}`,
          `FN:${summary}`,
          'N:;;;;',
          'END:VCARD',
          '',
        ].join('\r\n');
  const ext = job.kind === 'calendar' ? 'ics' : 'vcf';
  return {
    update: picked.slice(0, update),
    remove: picked.slice(update),
    add: Array.from({ length: add }, (_, i) => ({
      name: `minimal-${i}.${ext}`,
      data: body(`minimal-${i}@bench.example`, `Nová ${i}`),
    })),
    body: (uid: string) => body(uid, 'Upraveno'),
    contentType:
      job.kind === 'calendar' ? 'text/calendar; charset=utf-8' : 'text/vcard; charset=utf-8',
  };
}

// ---- crm-sync: the real engine and connector, as the engine host runs them ----

async function runCrmSync(job: CompareJob): Promise<CompareClientResult> {
  const { openCrmDatabase } = await import('../src/core/crm/database.ts');
  const { createUser } = await import('../src/core/crm/users.ts');
  const events = await import('../src/core/crm/events.ts');
  const persons = await import('../src/core/crm/persons.ts');
  const { MemorySecretStore } = await import('../src/core/secrets/memory-secret-store.ts');
  const { SecretKey } = await import('../src/core/secrets/secret-store.ts');
  const { createConnector } = await import('../src/core/servers/create-connector.ts');
  const { defaultSettings } = await import('../src/shared/settings/schema.ts');
  const { runSync } = await import('../src/core/sync/engine.ts');
  // The connector's own modules, which the registry loads on first use: the engine host
  // loads them once for all its runs, so they are not part of a run's cost.
  await import('../src/core/servers/dav/dav-connector.ts');

  const dbFile = path.join(job.stateDir, 'crm.sqlite');
  const db = openCrmDatabase(dbFile, { create: job.scenario === 'first' });
  try {
    if (job.scenario === 'first') {
      createUser(db, { login: CRM_LOGIN, displayName: 'Pavel Bartoš', password: 'heslo' });
    }
    const owner = db
      .prepare<[string], number>('SELECT id FROM users WHERE login = ?')
      .pluck()
      .get(CRM_LOGIN);
    if (owner === undefined) throw new Error('the CRM user is missing');

    if (job.scenario === 'local-changed') {
      const { update, remove, add } = thirds(job.changes);
      const table = job.kind === 'calendar' ? 'events' : 'persons';
      const ids = db.prepare<[], number>(`SELECT id FROM ${table} ORDER BY id`).pluck().all();
      const picked = spread(ids, update + remove);
      db.transaction(() => {
        for (const id of picked.slice(0, update)) {
          if (job.kind === 'calendar')
            events.updateEvent(db, id, { location: 'Zasedačka 5 (změna)' });
          else persons.updatePerson(db, id, { jobTitle: 'Vedoucí obchodu' });
        }
        for (const id of picked.slice(update)) {
          if (job.kind === 'calendar') events.deleteEvent(db, id);
          else persons.deletePerson(db, id);
        }
        for (let i = 0; i < add; i++) {
          if (job.kind === 'calendar') {
            const start = new Date(Date.UTC(2026, 11, 10, 8 + (i % 8)));
            events.insertEvent(db, {
              subject: `Nová schůzka ${i}`,
              location: 'Kancelář',
              description: null,
              allDay: false,
              start,
              end: new Date(start.getTime() + 3_600_000),
              timeZone: 'Europe/Prague',
              ownerId: owner,
            });
          } else {
            persons.insertPerson(db, {
              firstName: 'Nový',
              lastName: `Kontakt ${i}`,
              ownerId: owner,
            });
          }
        }
      })();
    }

    const settings = defaultSettings();
    settings.crm.user = CRM_LOGIN;
    settings.connection.kind = 'dav';
    settings.connection.dav.url = job.rootUrl;
    settings.connection.dav.user = job.user;
    settings.connection.dav.auth = 'basic';
    settings.agendas.tasks.enabled = false;
    settings.agendas.events.enabled = job.kind === 'calendar';
    settings.agendas.contacts.enabled = job.kind === 'addressbook';
    if (job.kind === 'calendar') settings.agendas.events.folders = [job.collectionUrl];
    else settings.agendas.contacts.folders = [job.collectionUrl];
    settings.agendas.events.daysPast = job.windowDays;
    settings.agendas.events.daysFuture = job.windowDays;
    const secrets = new MemorySecretStore({ [SecretKey.serverPassword]: job.password });

    const stop = timer();
    const connector = await createConnector(settings, secrets, {});
    let summary;
    try {
      summary = await runSync({ db, settings, connector, trigger: 'bench' });
    } finally {
      await connector.close();
    }
    const measured = stop();
    let received = 0;
    let written = 0;
    let failed = 0;
    const notes: string[] = [];
    for (const a of summary.agendas) {
      received += a.crm.created + a.crm.updated + a.crm.deleted;
      written += a.server.created + a.server.updated + a.server.deleted;
      failed += a.failed.length;
      for (const f of a.failed.slice(0, 3)) notes.push(`${a.agenda}: ${f.label}: ${f.cause}`);
      if (a.aborted) notes.push(`${a.agenda} aborted: ${a.aborted}`);
      if (a.refused) notes.push(`${a.agenda} refused: ${a.refused}`);
    }
    return { ...measured, received, written, failed, status: summary.status, notes };
  } finally {
    db.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(
      `compare client: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(70);
  },
);
