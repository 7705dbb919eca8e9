/**
 * The engine behind the tray app (src/core/app/engine-service.ts), as the UI uses it,
 * against a real Radicale: the first-run wizard, settings, preview, runs and their status,
 * the schedule with pause, failures reported once, history and trash.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openCrmDatabase } from '../../src/core/crm/database.ts';
import { insertEvent, listEvents } from '../../src/core/crm/events.ts';
import { SecretKey } from '../../src/core/secrets/secret-store.ts';
import type { EngineService } from '../../src/core/app/engine-service.ts';
import { freePort, startRadicale } from '../support/dav-servers.ts';
import type { DavTestServer } from '../support/dav-servers.ts';
import { daysFromNow } from '../support/times.ts';
import { APP_INFO, gate, manualTimers, recordStatuses, setUpApp } from './helpers.ts';
import type { AppSetup } from './helpers.ts';

let server: DavTestServer;
let app: AppSetup;

beforeAll(async () => {
  server = await startRadicale();
});
afterAll(async () => {
  await server.stop();
});
afterEach(async () => {
  await app.close();
});

/** The wizard's end: settings saved, the server password stored. */
async function configure(service: EngineService): Promise<void> {
  expect(await service.saveSettings(app.settings)).toEqual({ ok: true });
  await service.setServerPassword(server.password);
}

function addCrmEvent(subject: string): number {
  const db = openCrmDatabase(path.join(app.dir, 'crm.sqlite'), { create: false });
  try {
    return insertEvent(db, {
      subject,
      allDay: false,
      start: daysFromNow(2, 8),
      end: daysFromNow(2, 9),
      timeZone: 'Europe/Prague',
      ownerId: 1,
    });
  } finally {
    db.close();
  }
}

async function serverObjects(url: string) {
  return (await app.phone.syncCollection(url, null)).changed;
}

describe('the first-run wizard', () => {
  it('starts from defaults when there is no settings file', async () => {
    app = await setUpApp(server);
    const service = app.service();
    const { exists, settings } = await service.getSettings();
    expect(exists).toBe(false);
    expect(settings.schedule.intervalMinutes).toBe(10);
    expect(await service.appInfo()).toEqual(APP_INFO);
    const status = await service.status();
    expect(status).toMatchObject({ configured: false, state: 'idle', nextRunAt: null });
    expect(status.problems[0]).toMatch(/no settings yet/);
    expect(await service.syncNow()).toEqual({
      accepted: false,
      reason: expect.stringMatching(/no settings yet/),
      reasonCode: 'settings-none',
      reasonParams: { file: app.settingsFile },
    });
  });

  it('checks the CRM login, putting each problem on its field', async () => {
    app = await setUpApp(server);
    const service = app.service();
    const login = (databasePath: string, user: string, password: string) =>
      service.checkCrmLogin({ databasePath, user, password });

    expect(await login('crm.sqlite', 'pbartos', 'wrong')).toEqual({
      ok: false,
      problems: [
        {
          field: 'crm.password',
          message: 'Wrong password for the CRM user "pbartos".',
          code: 'crm-password-wrong',
          params: { user: 'pbartos' },
        },
      ],
    });
    expect(await login('crm.sqlite', 'nobody', 'heslo')).toEqual({
      ok: false,
      problems: [
        {
          field: 'crm.user',
          message: `There is no CRM user "nobody" in ${path.join(app.dir, 'crm.sqlite')}.`,
          code: 'crm-user-unknown',
          params: { user: 'nobody', path: path.join(app.dir, 'crm.sqlite') },
        },
      ],
    });
    expect(await login('missing.sqlite', 'pbartos', 'heslo')).toEqual({
      ok: false,
      problems: [
        {
          field: 'crm.databasePath',
          message: `The CRM database ${path.join(app.dir, 'missing.sqlite')} does not exist.`,
          code: 'crm-database-missing',
          params: { path: path.join(app.dir, 'missing.sqlite') },
        },
      ],
    });
    fs.writeFileSync(path.join(app.dir, 'notes.txt'), 'not a database, just text\n'.repeat(100));
    const notCrm = await login('notes.txt', 'pbartos', 'heslo');
    expect(notCrm.ok).toBe(false);
    expect(!notCrm.ok && notCrm.problems[0]?.field).toBe('crm.databasePath');
    expect(await login(path.join(app.dir, 'crm.sqlite'), 'pbartos', 'heslo')).toEqual({ ok: true });
    expect(await login('crm.sqlite', ' pbartos ', 'heslo')).toEqual({ ok: true });
  });

  it('lists what the CRM offers to choose from', async () => {
    app = await setUpApp(server);
    const lookups = await app.service().crmLookups('crm.sqlite');
    expect(lookups).toMatchObject({
      ok: true,
      value: { users: [{ login: 'pbartos', displayName: 'Pavel Bartoš' }] },
    });
  });

  it('tests the server password without storing it, then lists the folders', async () => {
    app = await setUpApp(server);
    const service = app.service();
    const connection = app.settings.connection;

    expect(await service.testConnection({ connection, password: '' })).toEqual({
      ok: false,
      problems: [
        {
          field: 'connection.password',
          message: 'Enter the password.',
          code: 'server-password-empty',
          params: {},
        },
      ],
    });
    const wrong = await service.testConnection({ connection, password: 'wrong' });
    expect(wrong).toEqual({
      ok: false,
      problems: [
        {
          field: 'connection.password',
          message: expect.stringMatching(/^Wrong user name or password for/),
          // The UI words it in the user's language from the code and its parameters.
          code: 'auth-failed',
          params: {
            server: expect.stringContaining('http://127.0.0.1'),
            status: '401 Unauthorized',
          },
        },
      ],
    });

    const right = await service.testConnection({ connection, password: server.password });
    expect(right.ok).toBe(true);
    const folders = right.ok ? right.value : [];
    expect(folders).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: app.calendarUrl, kinds: ['events', 'tasks'] }),
        expect.objectContaining({ id: app.addressBookUrl, kinds: ['contacts'] }),
      ]),
    );
    // Tested, not stored: the password goes to the secret store only when the user saves.
    expect(await app.secrets.get(SecretKey.serverPassword)).toBeUndefined();
    expect(fs.existsSync(app.settingsFile)).toBe(false);

    await configure(service);
    expect(await app.secrets.get(SecretKey.serverPassword)).toBe(server.password);
    // An empty password now means "the stored one".
    expect((await service.testConnection({ connection, password: '' })).ok).toBe(true);
    expect((await service.listFolders()).ok).toBe(true);
    const status = await service.status();
    expect(status).toMatchObject({ configured: true, problems: [] });
    expect(fs.readFileSync(app.settingsFile, 'utf8')).not.toContain(server.password);
  });

  it('says when nothing answers, the host is unknown or the address is missing', async () => {
    app = await setUpApp(server);
    const service = app.service();
    const at = (url: string) => ({
      connection: { ...app.settings.connection, dav: { ...app.settings.connection.dav, url } },
      password: 'x',
    });
    const port = await freePort();
    expect(await service.testConnection(at(`http://127.0.0.1:${port}/`))).toEqual({
      ok: false,
      problems: [
        {
          field: 'connection.dav.url',
          message: expect.stringContaining(`nothing answers at 127.0.0.1:${port}`),
          code: 'connection-refused',
          params: { server: `http://127.0.0.1:${port}`, address: `127.0.0.1:${port}` },
        },
      ],
    });
    const unknown = await service.testConnection(at('https://no-such-host.invalid/dav/'));
    expect(unknown).toEqual({
      ok: false,
      problems: [
        {
          field: 'connection.dav.url',
          message: expect.stringContaining('no-such-host.invalid'),
          // unknown-host, or dns-unavailable where no resolver answers.
          code: expect.stringMatching(/^(unknown-host|dns-unavailable)$/),
          params: expect.objectContaining({ host: 'no-such-host.invalid' }),
        },
      ],
    });
    expect(await service.testConnection(at(''))).toEqual({
      ok: false,
      problems: [
        {
          field: 'connection.dav.url',
          message: expect.stringMatching(/is empty/),
          code: 'readiness-dav-url',
          params: { field: 'connection.dav.url' },
        },
      ],
    });
  });

  it('says when the account has no calendars', async () => {
    app = await setUpApp(server);
    // A new account: its home holds one address book and no calendar.
    const fresh = await startRadicale();
    try {
      await fresh.createAddressBook('contacts');
      const service = app.service();
      const dav = { ...app.settings.connection.dav, url: fresh.url, user: fresh.user };
      expect(
        await service.testConnection({
          connection: { ...app.settings.connection, dav },
          password: fresh.password,
        }),
      ).toEqual({
        ok: false,
        problems: [
          {
            field: 'connection.dav.url',
            message: `The server has no calendars for "${fresh.user}"; create one on the server (or check the address).`,
            code: 'no-calendars',
            params: { user: fresh.user },
          },
        ],
      });
    } finally {
      await fresh.stop();
    }
  });

  it('creates the calendar the account lacks, on the connection being tested, and lists it', async () => {
    app = await setUpApp(server);
    const fresh = await startRadicale();
    try {
      await fresh.createAddressBook('contacts');
      const service = app.service();
      const settingsBefore = JSON.stringify(await service.getSettings());
      const dav = { ...app.settings.connection.dav, url: fresh.url, user: fresh.user };
      const input = { connection: { ...app.settings.connection, dav }, password: fresh.password };
      const created = await service.createServerFolder(input, 'events', 'Kalendář');
      expect(created).toEqual({ ok: true, value: expect.anything() });
      const folders = created.ok ? created.value : [];
      expect(folders.map((f) => [f.displayName, f.kinds])).toEqual(
        expect.arrayContaining([
          ['Kalendář', ['events']],
          ['contacts', ['contacts']],
        ]),
      );
      // The server holds it: a new connection test finds it too.
      expect(await service.testConnection(input)).toEqual({ ok: true, value: folders });
      // The connection under test is not saved, nor the password typed for it.
      expect(JSON.stringify(await service.getSettings())).toBe(settingsBefore);
      expect(
        await service.createServerFolder({ ...input, password: 'wrong' }, 'tasks', 'Úkoly'),
      ).toMatchObject({ ok: false, problems: [{ code: 'auth-failed' }] });
    } finally {
      await fresh.stop();
    }
  });

  it('refuses invalid settings with problems named by key, and keeps the file as it was', async () => {
    app = await setUpApp(server);
    const service = app.service();
    const settings = structuredClone(app.settings);
    settings.agendas.events.daysPast = 5000;
    settings.connection.dav.url = 'http://dav.example.com/';
    const result = await service.saveSettings(settings);
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          field: 'connection.dav.url',
          message: expect.stringMatching(/^connection\.dav\.url must be/),
          code: 'setting-invalid',
          params: expect.objectContaining({
            field: 'connection.dav.url',
            expects: 'server-url',
            value: '"http://dav.example.com/"',
          }),
        },
        {
          field: 'agendas.events.daysPast',
          message: expect.stringMatching(/^agendas\.events\.daysPast must be .*\(got 5000\)\.$/),
          code: 'setting-invalid',
          params: expect.objectContaining({
            field: 'agendas.events.daysPast',
            expects: 'whole-number',
            min: 0,
            max: 3650,
            value: '5000',
          }),
        },
      ],
    });
    expect(fs.existsSync(app.settingsFile)).toBe(false);

    await configure(service);
    const saved = await service.getSettings();
    expect(saved.exists).toBe(true);
    expect(saved.settings.agendas.events.folders).toEqual([app.calendarUrl]);
  });

  it("takes the imported events' status only from the statuses the CRM's events use", async () => {
    app = await setUpApp(server);
    const service = app.service();
    const id = addCrmEvent('Porada');
    const db = openCrmDatabase(path.join(app.dir, 'crm.sqlite'), { create: false });
    db.prepare('UPDATE events SET status = ? WHERE id = ?').run('Příchozí', id);
    db.close();
    const settings = structuredClone(app.settings);
    settings.agendas.events.importedStatus = 'Imported';
    expect(await service.saveSettings(settings)).toEqual({
      ok: false,
      problems: [
        {
          field: 'agendas.events.importedStatus',
          message: expect.stringContaining('they use "Příchozí"'),
        },
      ],
    });
    expect(fs.existsSync(app.settingsFile)).toBe(false);
    settings.agendas.events.importedStatus = 'Příchozí';
    expect(await service.saveSettings(settings)).toEqual({ ok: true });
  });
});

describe('synchronising', () => {
  it('previews what a sync would do, changing nothing', async () => {
    app = await setUpApp(server);
    const service = app.service();
    await configure(service);
    addCrmEvent('Schůzka s panem Novákem');

    const preview = await service.preview();
    expect(preview.ok).toBe(true);
    const items = preview.ok ? preview.value : [];
    expect(items).toContainEqual({
      agenda: 'events',
      action: 'create-server',
      label: 'Schůzka s panem Novákem',
      reason: 'new in the CRM',
      reasonCode: 'new-in-crm',
      reasonParams: {},
    });
    expect(await serverObjects(app.calendarUrl)).toEqual([]);
    expect(await service.listRuns(10)).toEqual([]);
  });

  it('runs on "Synchronize now": syncing with progress, then idle with the last run', async () => {
    app = await setUpApp(server);
    const service = app.service();
    await configure(service);
    addCrmEvent('Porada');
    const statuses = recordStatuses(service);

    expect(await service.syncNow()).toEqual({ accepted: true });
    await statuses.untilRunsEnded(1);

    const syncing = statuses.seen.filter((s) => s.state === 'syncing');
    expect(syncing.length).toBeGreaterThan(0);
    expect(syncing.flatMap((s) => s.progress)).toContainEqual(
      expect.objectContaining({ agenda: 'events', folder: expect.any(String) }),
    );
    const end = statuses.seen.find((s, i) => i > 0 && s.state !== 'syncing')!;
    expect(end).toMatchObject({ state: 'idle', progress: [], error: null });
    expect(end.lastRun).toMatchObject({ status: 'ok', trigger: 'manual', failedItems: [] });
    expect(end.lastRun?.lines).toContainEqual(
      expect.stringMatching(/^events \(.*\): CRM \+0 ~0 -0; server \+1 ~0 -0$/),
    );
    expect(await serverObjects(app.calendarUrl)).toHaveLength(1);
    expect((await service.status()).lastRun).toEqual(end.lastRun);
    expect(await service.listRuns(5)).toEqual([end.lastRun]);
  });

  it("names a server object it cannot read, with the cause's code for the app's language", async () => {
    app = await setUpApp(server);
    const service = app.service();
    await configure(service);
    const start = daysFromNow(2, 8)
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, '');
    const ics = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//test//EN',
      'BEGIN:VEVENT',
      'UID:mars-meeting',
      'DTSTAMP:20260101T000000Z',
      `DTSTART;TZID=Mars/Olympus_Mons:${start}`,
      'SUMMARY:Porada na Marsu',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    const put = await app.phone.putObject(app.calendarUrl, null, ics, 'text/calendar');
    const label = decodeURIComponent(put.href.split('/').filter(Boolean).at(-1) ?? '');
    const statuses = recordStatuses(service);

    expect(await service.syncNow()).toEqual({ accepted: true });
    await statuses.untilRunsEnded(1);

    const lastRun = (await service.status()).lastRun;
    expect(lastRun?.status).toBe('partial');
    expect(lastRun?.failedItems).toEqual([
      {
        label,
        cause: `Cannot read "${label}": unknown time zone "Mars/Olympus_Mons".`,
        code: 'item-unknown-time-zone',
        params: { item: label, zone: 'Mars/Olympus_Mons' },
      },
    ]);
  });

  it('queues a second "Synchronize now" during a run instead of running it alongside', async () => {
    app = await setUpApp(server);
    const service = app.service();
    await configure(service);
    const statuses = recordStatuses(service);
    const firstRun = gate();
    app.hold.until = firstRun.opened;

    expect(await service.syncNow()).toEqual({ accepted: true });
    await statuses.untilSeen((s) => s.state === 'syncing');
    expect(await service.syncNow()).toEqual({ accepted: true });
    const third = await service.syncNow();
    expect(third).toEqual({
      accepted: false,
      reason: expect.stringMatching(/already waiting/),
      // The window words it in its language.
      reasonCode: 'run-already-waiting',
      reasonParams: {},
    });
    expect((await service.status()).state).toBe('syncing');

    firstRun.open();
    await statuses.untilRunsEnded(2);
    expect(app.connections).toMatchObject({ made: 2, maxOpen: 1 });
    const runs = await service.listRuns(10);
    expect(runs.map((r) => r.status)).toEqual(['ok', 'ok']);
    // One after the other: the second started when the first had finished.
    const [second, first] = runs;
    expect(second!.startedAt >= first!.finishedAt!).toBe(true);
  });

  it('reports a failure once, not on every interval, and recovers', async () => {
    app = await setUpApp(server);
    const timers = manualTimers();
    const service = app.service({ setTimer: timers.setTimer });
    expect(await service.saveSettings(app.settings)).toEqual({ ok: true });
    await service.setServerPassword('wrong');
    const statuses = recordStatuses(service);

    service.start(); // runs at once
    await statuses.untilRunsEnded(1);
    const failed = statuses.seen.find((s) => s.error !== null);
    expect(failed).toMatchObject({
      state: 'error',
      error: expect.stringMatching(/^Wrong user name or password for/),
      errorDetail: { scope: 'run', code: 'auth-failed', params: { status: '401 Unauthorized' } },
      lastRun: { status: 'failed', trigger: 'startup', errorCode: 'auth-failed' },
    });
    expect(failed?.lastRun?.lines).toEqual([failed?.error]);
    expect((await service.status()).error).toBeNull();
    expect((await service.status()).state).toBe('error');

    await statuses.untilLast((s) => s.nextRunAt !== null);
    expect(timers.fire()).toBe(true); // the next interval: the same failure
    await statuses.untilRunsEnded(2);
    expect(statuses.seen.filter((s) => s.error !== null)).toHaveLength(1);
    expect(statuses.last).toMatchObject({ state: 'error', lastRun: { status: 'failed' } });

    await service.setServerPassword(server.password);
    await statuses.untilLast((s) => s.nextRunAt !== null);
    expect(timers.fire()).toBe(true);
    await statuses.untilRunsEnded(3);
    expect(statuses.last).toMatchObject({ state: 'idle', lastRun: { status: 'ok' } });
    expect((await service.listRuns(10)).map((r) => r.status)).toEqual(['ok', 'failed', 'failed']);
  });

  it('after the server was emptied: refused, then "put the CRM items back" restores them, deleting nothing', async () => {
    app = await setUpApp(server);
    const service = app.service();
    await configure(service);
    for (let i = 1; i <= 7; i++) addCrmEvent(`Schůzka ${i}`);
    const statuses = recordStatuses(service);
    expect(await service.syncNow()).toEqual({ accepted: true });
    await statuses.untilRunsEnded(1);
    const synced = await serverObjects(app.calendarUrl);
    expect(synced).toHaveLength(7);

    for (const o of synced) await app.phone.deleteObject(o.href, o.etag);
    expect(await service.syncNow()).toEqual({ accepted: true });
    await statuses.untilRunsEnded(2);
    expect(statuses.last?.lastRun).toMatchObject({
      status: 'refused',
      agendas: expect.arrayContaining([
        expect.objectContaining({ agenda: 'events', refusedCode: 'guard-mass-delete-crm' }),
      ]),
    });
    const refusal = statuses.last?.lastRun?.agendas.find((a) => a.agenda === 'events')?.refused;
    expect(refusal).toContain('--restore-server');

    expect(await service.syncNow('restore-server')).toEqual({ accepted: true });
    await statuses.untilRunsEnded(3);
    expect(statuses.last?.lastRun).toMatchObject({ status: 'ok' });
    expect(await serverObjects(app.calendarUrl)).toHaveLength(7);
    const db = openCrmDatabase(path.join(app.dir, 'crm.sqlite'), { create: false });
    try {
      const subjects = listEvents(db).map((e) => e.subject);
      expect(subjects.filter((x) => x.startsWith('Schůzka')).sort()).toEqual(
        [1, 2, 3, 4, 5, 6, 7].map((i) => `Schůzka ${i}`),
      );
    } finally {
      db.close();
    }
    expect(await service.listTrash()).toEqual([]);
  }, 180_000);
});

describe('the schedule', () => {
  it('runs at start and every interval; pause stops it, resume runs and restarts it', async () => {
    app = await setUpApp(server);
    const timers = manualTimers();
    const service = app.service({ setTimer: timers.setTimer });
    await configure(service);
    const statuses = recordStatuses(service);

    service.start();
    await statuses.untilRunsEnded(1);
    await statuses.untilLast((s) => s.nextRunAt !== null);
    expect(timers.pending.map((t) => t.ms)).toEqual([10 * 60_000]);
    const { nextRunAt } = await service.status();
    expect(Date.parse(nextRunAt!) - Date.now()).toBeGreaterThan(9 * 60_000);

    await service.pause();
    const paused = await service.status();
    expect(paused).toMatchObject({ state: 'paused', nextRunAt: null });
    expect(timers.pending).toEqual([]);
    await service.wake(); // resume from sleep while paused: nothing happens
    expect(timers.fire()).toBe(false);
    expect(statuses.runsEnded).toBe(1);

    await service.resume();
    await statuses.untilRunsEnded(2);
    expect((await service.listRuns(10)).map((r) => r.trigger)).toEqual(['resume', 'startup']);
    await statuses.untilLast((s) => s.nextRunAt !== null);
    expect((await service.status()).state).toBe('idle');

    await service.wake();
    await statuses.untilRunsEnded(3);
    expect((await service.listRuns(1))[0]?.trigger).toBe('wake');
    await statuses.untilLast((s) => s.nextRunAt !== null);
    expect(timers.fire()).toBe(true);
    await statuses.untilRunsEnded(4);
    expect((await service.listRuns(1))[0]?.trigger).toBe('schedule');
  });

  it('follows a new interval when the settings are saved', async () => {
    app = await setUpApp(server);
    const timers = manualTimers();
    const service = app.service({ setTimer: timers.setTimer });
    await configure(service);
    const statuses = recordStatuses(service);
    service.start();
    await statuses.untilRunsEnded(1);
    await statuses.untilLast((s) => s.nextRunAt !== null);

    const settings = structuredClone(app.settings);
    settings.schedule.intervalMinutes = 30;
    expect(await service.saveSettings(settings)).toEqual({ ok: true });
    expect(timers.pending.map((t) => t.ms)).toEqual([30 * 60_000]);
    expect(statuses.runsEnded).toBe(1); // no extra run for a settings change
  });
});

describe('remembered across restarts', () => {
  it('stays paused after a restart: no run at start, the status says paused', async () => {
    app = await setUpApp(server);
    const timers = manualTimers();
    const first = app.service({ setTimer: timers.setTimer });
    await configure(first);
    await first.pause();
    await first.stop();
    // The pause is the app's own state, not a setting the CLI shares.
    expect(fs.readFileSync(app.settingsFile, 'utf8')).not.toMatch(/paus/i);

    const again = app.service({ setTimer: timers.setTimer });
    const statuses = recordStatuses(again);
    again.start();
    expect(await again.status()).toMatchObject({ state: 'paused', nextRunAt: null });
    expect(statuses.seen.at(-1)?.state).toBe('paused');
    expect(timers.pending).toEqual([]);
    expect(await again.listRuns(10)).toEqual([]);

    await again.resume();
    await statuses.untilRunsEnded(1);
    await again.stop();
    // Resumed before quitting: the next start runs as usual.
    const third = app.service({ setTimer: timers.setTimer });
    const thirdStatuses = recordStatuses(third);
    third.start();
    await thirdStatuses.untilRunsEnded(1);
    expect((await third.listRuns(1))[0]?.trigger).toBe('startup');
  });
});

describe('secrets and server lists for the settings pages', () => {
  it('stores the proxy password under its own key, apart from the server password', async () => {
    app = await setUpApp(server);
    const service = app.service();
    await configure(service);
    await service.setServerPassword('pr0xy', 'proxy');
    expect(await app.secrets.get(SecretKey.proxyPassword)).toBe('pr0xy');
    expect(await app.secrets.get(SecretKey.serverPassword)).toBe(server.password);
    expect(fs.readFileSync(app.settingsFile, 'utf8')).not.toContain('pr0xy');
    await service.setServerPassword('', 'proxy');
    expect(await app.secrets.get(SecretKey.proxyPassword)).toBeUndefined();
  });

  it("offers the server's category names where it keeps a list, none for CalDAV", async () => {
    app = await setUpApp(server);
    const plain = app.service();
    await configure(plain);
    expect(await plain.listServerCategories()).toEqual({ ok: true, value: [] });

    const withList = app.service({
      createConnector: async (settings, secrets) => {
        const { createConnector } = await import('../../src/core/servers/create-connector.ts');
        const real = await createConnector(settings, secrets);
        // An Exchange-like server: its master category list (unsorted, with a duplicate).
        return Object.assign(real, {
          listCategories: async () => ['Zákazník VIP', 'Hotline', ' Hotline ', 'Instalace'],
        });
      },
    });
    expect(await withList.listServerCategories()).toEqual({
      ok: true,
      value: ['Hotline', 'Instalace', 'Zákazník VIP'],
    });
  });
});

describe('history', () => {
  it('shows the journal and the trash, and restores from the trash', async () => {
    app = await setUpApp(server);
    const service = app.service();
    await configure(service);
    const statuses = recordStatuses(service);
    addCrmEvent('Inventura skladu');
    await service.syncNow();
    await statuses.untilRunsEnded(1);

    // Someone deletes the meeting on the phone: the next run moves the CRM row to the trash.
    const [object] = await serverObjects(app.calendarUrl);
    await app.phone.deleteObject(object!.href, object!.etag);
    await service.syncNow();
    await statuses.untilRunsEnded(2);
    expect(statuses.last?.lastRun?.lines).toContainEqual(
      expect.stringMatching(/: CRM \+0 ~0 -1; server \+0 ~0 -0$/),
    );

    const [lastRun] = await service.listRuns(1);
    const journal = await service.journal({ runId: lastRun!.id });
    expect(journal).toEqual([
      expect.objectContaining({
        runId: lastRun!.id,
        agenda: 'events',
        action: 'delete-crm',
        label: 'Inventura skladu',
        reason: 'deleted on the server; the CRM copy goes to the trash',
        reasonCode: 'deleted-on-server',
        reasonParams: {},
        outcome: 'done',
        error: null,
      }),
    ]);
    expect(lastRun!.agendas).toContainEqual(
      expect.objectContaining({
        agenda: 'events',
        crm: { created: 0, updated: 0, deleted: 1 },
        server: { created: 0, updated: 0, deleted: 0 },
        failed: 0,
        refused: null,
        aborted: null,
      }),
    );
    const found = await service.journal({ text: 'inventura' });
    expect(found.map((e) => e.action)).toEqual(['create-server', 'delete-crm']);

    const trash = await service.listTrash();
    expect(trash).toEqual([
      expect.objectContaining({ entity: 'event', label: 'Inventura skladu', restoredAt: null }),
    ]);
    expect(await service.restoreTrash(trash[0]!.id)).toEqual({ ok: true });
    const db = openCrmDatabase(path.join(app.dir, 'crm.sqlite'), { create: false });
    // The journal keeps the reason's code and parameters next to its English text.
    expect(
      db.prepare('SELECT action, reason_code, reason_params FROM sync_journal ORDER BY id').all(),
    ).toEqual([
      { action: 'create-server', reason_code: 'new-in-crm', reason_params: '{}' },
      { action: 'delete-crm', reason_code: 'deleted-on-server', reason_params: '{}' },
    ]);
    expect(listEvents(db, {}).map((e) => e.subject)).toEqual(['Inventura skladu']);
    db.close();
    expect((await service.listTrash())[0]?.restoredAt).not.toBeNull();
    expect(await service.restoreTrash(trash[0]!.id)).toEqual({
      ok: false,
      problems: [{ field: '', message: expect.stringMatching(/already restored/) }],
    });
  });
});
