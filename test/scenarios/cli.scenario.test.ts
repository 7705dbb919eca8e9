/**
 * The `crm-sync` command as a user runs it, against a real Radicale: init, a dry run that
 * changes nothing, a sync, an idle sync, the journal. Not in the conformance suite: it
 * tests the command (its output, exit codes, settings file), which is the same on every
 * server; the connectors' behaviour is proven there.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crmSync, expectIdleSync, initDemoOnDav, tempDir } from '../support/cli.ts';
import { startRadicale } from '../support/dav-servers.ts';
import type { DavTestServer } from '../support/dav-servers.ts';

let server: DavTestServer;
let dir: string;
let config: string;

beforeAll(async () => {
  server = await startRadicale();
  await server.createCalendar('kalendar', ['VEVENT', 'VTODO']);
  await server.createAddressBook('kontakty');
  dir = tempDir();
  config = path.join(dir, 'demo.json');
});

afterAll(async () => {
  await server?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function runs(): number {
  const db = new Database(path.join(dir, 'crm.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM sync_runs').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('crm-sync against Radicale', () => {
  it('init, dry run, sync, idle sync, log', async () => {
    const init = initDemoOnDav(config, server, 'events,tasks,contacts', ['--auth', 'basic']);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);

    const dry = crmSync(['sync', '--dry-run', '--config', config]);
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/events: create on server "[^"]+": new in the CRM/);
    expect(dry.stdout).toMatch(/contacts: create on server/);
    expect(dry.stdout).toMatch(/dry run, \d+ planned actions?, nothing changed/);
    expect(runs()).toBe(0);

    const sync = crmSync(['sync', '--config', config]);
    expect(sync.stderr).toBe('');
    expect(sync.code).toBe(0);
    expect(sync.stdout).toMatch(/events \(.+\): CRM \+0 ~0 -0; server \+[1-9]\d* /);
    expect(sync.stdout).toMatch(/Run 1: ok/);

    expectIdleSync(config);

    const log = crmSync(['log', '--config', config]);
    expect(log.stdout).toMatch(/#2 .* ok/);
    const journal = crmSync(['log', '--run', '1', '--config', config]);
    expect(journal.stdout).toMatch(/events create-server ".+" done: new in the CRM/);

    const status = crmSync(['status', '--config', config]);
    expect(status.stdout).toMatch(/Last sync:\s+#2 at .*: ok/);
  }, 300_000);

  it('exits 5 with one sentence when the password is wrong, changing nothing', () => {
    const res = crmSync(['sync', '--config', config], {
      env: { CRM_SYNC_SERVER_PASSWORD: 'wrong-password' },
    });
    expect(res.code).toBe(5);
    expect(res.stdout + res.stderr).toMatch(/[Ww]rong user name or password/);
  });
});

describe('setting up as a new user meets it (Radicale)', { timeout: 240_000 }, () => {
  let own: string;
  beforeAll(() => {
    own = path.join(dir, 'own');
    fs.mkdirSync(own);
  });

  const AGENDAS = 'events,tasks,contacts';

  it('init checks the connection and names the folders it will use; `folders` lists them', () => {
    const cfg = path.join(own, 'a.json');
    const init = initDemoOnDav(cfg, server, AGENDAS);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('Connection checked; folders to be used:');
    expect(init.stdout).toMatch(/events: "[^"]*kalendar[^"]*"/);
    expect(init.stdout).toMatch(/contacts: "[^"]*kontakty[^"]*"/);

    const folders = crmSync(['folders', '--json', '--config', cfg]);
    expect(folders.stderr).toBe('');
    expect(folders.code).toBe(0);
    const list = JSON.parse(folders.stdout).agendas as {
      agenda: string;
      folders: { id: string; path: string }[];
      used: string[];
    }[];
    const events = list.find((a) => a.agenda === 'events')!;
    expect(events.folders.map((f) => f.path)).toEqual(events.used);
    expect(events.used[0]).toMatch(/kalendar/);
    expect(list.find((a) => a.agenda === 'contacts')!.used[0]).toMatch(/kontakty/);
    const text = crmSync(['folders', '--config', cfg]);
    expect(text.stdout).toMatch(/^events:\n {2}\* .*kalendar/m);
  });

  it('init with a wrong server password keeps the answers and says how to go on (exit 5); --no-check does not connect', () => {
    const cfg = path.join(own, 'b.json');
    const init = initDemoOnDav(
      cfg,
      server,
      AGENDAS,
      ['--database', path.join(own, 'b.sqlite')],
      'wrong-password',
    );
    expect(init.code).toBe(5);
    expect(init.stderr).toMatch(
      /^crm-sync: Settings saved in .*b\.json, but the connection check failed: /,
    );
    expect(init.stderr).toMatch(/[Ww]rong user name or password/);
    expect(init.stderr).toContain('crm-sync password set');
    expect(fs.existsSync(cfg)).toBe(true);

    const unchecked = initDemoOnDav(
      path.join(own, 'c.json'),
      server,
      AGENDAS,
      ['--database', path.join(own, 'c.sqlite'), '--no-check'],
      'wrong-password',
    );
    expect(unchecked.code).toBe(0);
    expect(unchecked.stdout).not.toContain('Connection checked');
  });

  it('`password set --stdin` changes the server password and keeps every setting', () => {
    const cfg = path.join(own, 'b.json');
    expect(crmSync(['config', 'set', 'agendas.events.daysPast', '30', '--config', cfg]).code).toBe(
      0,
    );
    const settingsBefore = fs.readFileSync(cfg, 'utf8');
    expect(crmSync(['sync', '--config', cfg]).code).toBe(5);

    const set = crmSync(['password', 'set', '--stdin', '--config', cfg], {
      input: `${server.password}\n`,
    });
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    expect(set.stdout).toContain('the settings were not changed');
    expect(fs.readFileSync(cfg, 'utf8')).toBe(settingsBefore);
    expect(fs.readFileSync(cfg, 'utf8')).not.toContain(server.password);

    const sync = crmSync(['sync', '--config', cfg]);
    expect(sync.stderr).toBe('');
    expect(sync.code).toBe(0);
  });
});
