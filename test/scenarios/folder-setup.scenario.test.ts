/**
 * A server account with no calendar and no address book yet, met by the real `crm-sync`
 * against a real Radicale: init names what is missing and how to make it, `folders
 * create` makes a calendar (MKCALENDAR), a task list and an address book (extended
 * MKCOL), and the next sync uses them. Not in the conformance suite: the command end to
 * end, with DAV's own folder requests; Exchange's is in ews-folder-create.scenario.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crmSync, initDemoOnDav, tempDir } from '../support/cli.ts';
import { startRadicale } from '../support/dav-servers.ts';
import type { DavTestServer } from '../support/dav-servers.ts';

let server: DavTestServer;
let dir: string;

beforeAll(async () => {
  server = await startRadicale();
  dir = tempDir();
}, 120_000);

afterAll(async () => {
  await server?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('a server with no folders yet (Radicale)', () => {
  it('init says what is missing and how to create it; `folders create` makes and uses them', () => {
    const config = path.join(dir, 'demo.json');
    const init = initDemoOnDav(config, server, 'events,tasks,contacts');
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('events: The server has no folder for events');
    expect(init.stdout).toContain('crm-sync folders create --agenda events');
    expect(init.stdout).toContain('crm-sync folders create --agenda contacts');

    for (const [agenda, name] of [
      ['events', 'Kalendář CRM'],
      ['tasks', 'Úkoly CRM'],
      ['contacts', 'Kontakty CRM'],
    ] as const) {
      const created = crmSync([
        'folders',
        'create',
        '--agenda',
        agenda,
        '--name',
        name,
        '--json',
        '--config',
        config,
      ]);
      expect(created.stderr).toBe('');
      expect(created.code).toBe(0);
      const out = JSON.parse(created.stdout);
      expect(out.created.path).toBe(name);
      expect(out.created.kinds).toEqual([agenda]);
      expect(out.used).toBe(true);
    }

    const settings = JSON.parse(fs.readFileSync(config, 'utf8'));
    expect(settings.agendas.tasks.folders).toHaveLength(1);

    const list = JSON.parse(crmSync(['folders', '--json', '--config', config]).stdout);
    const used = Object.fromEntries(
      (list.agendas as { agenda: string; used: string[] }[]).map((a) => [a.agenda, a.used]),
    );
    expect(used).toEqual({
      events: ['Kalendář CRM'],
      tasks: ['Úkoly CRM'],
      contacts: ['Kontakty CRM'],
    });

    const sync = crmSync(['sync', '--config', config]);
    expect(sync.stderr).toBe('');
    expect(sync.code).toBe(0);
    expect(sync.stdout).toMatch(/events \(Kalendář CRM\): CRM \+0 ~0 -0; server \+[1-9]/);
    expect(sync.stdout).toMatch(/contacts \(Kontakty CRM\): CRM \+0 ~0 -0; server \+[1-9]/);

    // status names the folders in use, as the run found them (without asking the server).
    const status = crmSync(['status', '--config', config]);
    expect(status.stdout).toMatch(
      /Folders:\s+events: "Kalendář CRM"[^;]*; tasks: "Úkoly CRM"[^;]*; contacts: "Kontakty CRM"/,
    );
  }, 300_000);
});
