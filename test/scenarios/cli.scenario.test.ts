/**
 * The `crm-sync` command as a user runs it, against a real Radicale: init, a dry run that
 * changes nothing, a sync, an idle sync, the journal.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crmSync, tempDir } from '../support/cli.ts';
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
    const init = crmSync(
      [
        'init',
        '--demo',
        '--config',
        config,
        '--server',
        'dav',
        '--url',
        server.url,
        '--user',
        server.user,
        '--auth',
        'basic',
        '--agendas',
        'events,tasks,contacts',
        '--password-stdin',
      ],
      { input: `${server.password}\n` },
    );
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

    const idle = crmSync(['sync', '--json', '--config', config]);
    expect(idle.code).toBe(0);
    const summary = JSON.parse(idle.stdout);
    for (const a of summary.agendas) {
      expect(a.server).toEqual({ created: 0, updated: 0, deleted: 0 });
      expect(a.crm).toEqual({ created: 0, updated: 0, deleted: 0 });
    }

    const log = crmSync(['log', '--config', config]);
    expect(log.stdout).toMatch(/#2 .* ok/);
    const journal = crmSync(['log', '--run', '1', '--config', config]);
    expect(journal.stdout).toMatch(/events create-server ".+" done: new in the CRM/);

    const status = crmSync(['status', '--config', config]);
    expect(status.stdout).toMatch(/Last sync:\s+#2 at .*: ok/);
  });

  it('exits 5 with one sentence when the password is wrong, changing nothing', () => {
    const res = crmSync(['sync', '--config', config], {
      env: { CRM_SYNC_SERVER_PASSWORD: 'wrong-password' },
    });
    expect(res.code).toBe(5);
    expect(res.stdout + res.stderr).toMatch(/[Ww]rong user name or password/);
  });
});
