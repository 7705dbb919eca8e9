import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { crmSync, tempDir } from '../support/cli.ts';

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** One clear sentence on stderr: one line, no stack trace. */
function expectOneSentence(stderr: string): void {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('crm-sync init --demo, then status', () => {
  it('creates a settings file and a sound demo CRM database that status reports', () => {
    const config = path.join(dir, 'demo.json');
    const init = crmSync(['init', '--demo', '--config', config]);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('Demo data:');

    const dbFile = path.join(dir, 'crm.sqlite');
    expect(fs.existsSync(dbFile)).toBe(true);
    // It holds the demo users' password hashes: the owner's alone.
    expect((fs.statSync(dbFile).mode & 0o777).toString(8)).toBe('600');
    const db = new Database(dbFile, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();

    const status = crmSync(['status', '--config', config]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(dbFile);
    expect(status.stdout).toMatch(/Integrity:\s+ok/);
    expect(status.stdout).toMatch(/CRM user:\s+pbartos\n/);

    const json = crmSync(['status', '--json', '--config', config]);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.crm.integrity).toEqual([]);
    expect(report.crm.userFound).toBe(true);
    expect(report.crm.counts.persons).toBeGreaterThan(5);
    expect(report.crm.counts.events).toBeGreaterThan(3);
    // No server is configured yet: status says so instead of pretending it is ready.
    expect(report.ready).toBe(false);
    expect(report.problems.join(' ')).toMatch(/connection\./);
  });

  it('finds the settings through CRM_SYNC_CONFIG', () => {
    const config = path.join(dir, 'env.json');
    expect(crmSync(['init', '--demo', '--config', config]).code).toBe(0);
    const status = crmSync(['status'], { env: { CRM_SYNC_CONFIG: config } });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(config);
  });

  it('refuses to overwrite an existing settings file without --force', () => {
    const config = path.join(dir, 'demo.json');
    expect(crmSync(['init', '--demo', '--config', config]).code).toBe(0);
    const before = fs.readFileSync(config, 'utf8');
    const again = crmSync(['init', '--config', config]);
    expect(again.code).toBe(3);
    expectOneSentence(again.stderr);
    expect(again.stderr).toContain('already exists');
    expect(fs.readFileSync(config, 'utf8')).toBe(before);
  });

  it('does not put demo data into a database that already has data', () => {
    const config = path.join(dir, 'demo.json');
    expect(crmSync(['init', '--demo', '--config', config]).code).toBe(0);
    const second = crmSync([
      'init',
      '--demo',
      '--force',
      '--config',
      path.join(dir, 'other.json'),
      '--database',
      path.join(dir, 'crm.sqlite'),
    ]);
    expect(second.code).toBe(4);
    expect(second.stderr).toContain('already contains data');
    expect(fs.existsSync(path.join(dir, 'other.json'))).toBe(false);
  });
});

describe('init with flags (what the wizard asks)', () => {
  it('writes every answer into the settings and keeps the server password out of the file', () => {
    const config = path.join(dir, 'cfg', 'settings.json');
    const res = crmSync(
      [
        'init',
        '--config',
        config,
        '--database',
        path.join(dir, 'data', 'firma.sqlite'),
        '--crm-user',
        'novak',
        '--crm-user-name',
        'Jan Novák',
        '--server',
        'dav',
        '--url',
        'https://dav.example.com/',
        '--user',
        'jnovak',
        '--auth',
        'basic',
        '--interval',
        '15',
        '--agendas',
        'events,tasks',
        '--no-start-at-login',
        '--password-stdin',
        // No such server here: init would check the connection and fail (exit 5).
        '--no-check',
      ],
      { input: 'S3cret-heslo\n', env: { CRM_SYNC_CRM_PASSWORD: 'crm-heslo' } },
    );
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const text = fs.readFileSync(config, 'utf8');
    expect(text).not.toContain('S3cret-heslo');
    expect(text).not.toContain('crm-heslo');
    const settings = JSON.parse(text);
    expect(settings.crm.user).toBe('novak');
    expect(settings.connection.kind).toBe('dav');
    expect(settings.connection.dav.url).toBe('https://dav.example.com/');
    expect(settings.schedule.intervalMinutes).toBe(15);
    expect(settings.schedule.startAtLogin).toBe(false);
    expect(settings.agendas.events.enabled).toBe(true);
    expect(settings.agendas.tasks.enabled).toBe(true);
    expect(settings.agendas.contacts.enabled).toBe(false);

    const status = JSON.parse(crmSync(['status', '--json', '--config', config]).stdout);
    expect(status.secrets.serverPassword).toBe('set');
    expect(status.crm.userFound).toBe(true);
    expect(status.ready).toBe(true);
  });

  it('checks the CRM password of an existing user and leaves nothing behind on failure', () => {
    const config = path.join(dir, 'demo.json');
    expect(crmSync(['init', '--demo', '--config', config]).code).toBe(0);
    const other = path.join(dir, 'other.json');
    const wrong = crmSync(
      [
        'init',
        '--config',
        other,
        '--database',
        path.join(dir, 'crm.sqlite'),
        '--crm-user',
        'jnovakova',
      ],
      { env: { CRM_SYNC_CRM_PASSWORD: 'not-the-password' } },
    );
    // Exit 9: the CRM login was refused (README's exit code table), not a broken database.
    expect(wrong.code).toBe(9);
    expectOneSentence(wrong.stderr);
    expect(wrong.stderr).toContain('Wrong password for CRM user "jnovakova"');
    expect(fs.existsSync(other)).toBe(false);

    const right = crmSync(
      [
        'init',
        '--config',
        other,
        '--database',
        path.join(dir, 'crm.sqlite'),
        '--crm-user',
        'jnovakova',
      ],
      { env: { CRM_SYNC_CRM_PASSWORD: 'demo' } },
    );
    expect(right.code).toBe(0);
  });

  it('names the field when a flag has a bad value, and creates nothing', () => {
    const config = path.join(dir, 'bad.json');
    const res = crmSync(['init', '--config', config, '--interval', 'often']);
    expect(res.code).toBe(3);
    expectOneSentence(res.stderr);
    expect(res.stderr).toContain('schedule.intervalMinutes');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('rejects an unknown agenda and an unknown option as usage errors', () => {
    const config = path.join(dir, 'x.json');
    const agenda = crmSync(['init', '--config', config, '--agendas', 'events,calendar']);
    expect(agenda.code).toBe(2);
    expect(agenda.stderr).toContain('"calendar"');
    const option = crmSync(['status', '--colour']);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("unknown option '--colour'");
  });
});

describe('clear errors for broken settings', () => {
  it('a missing settings file is one sentence naming the path', () => {
    const missing = path.join(dir, 'nope.json');
    const res = crmSync(['status', '--config', missing]);
    expect(res.code).toBe(3);
    expectOneSentence(res.stderr);
    expect(res.stderr).toContain(missing);
    expect(res.stdout).toBe('');
  });

  it('a corrupt settings file is one sentence naming the path', () => {
    const config = path.join(dir, 'corrupt.json');
    fs.writeFileSync(config, '{ "version": 1, "crm": { "user": ');
    const res = crmSync(['status', '--config', config]);
    expect(res.code).toBe(3);
    expectOneSentence(res.stderr);
    expect(res.stderr).toContain(config);
  });

  it('an invalid value in the file names the field', () => {
    const config = path.join(dir, 'demo.json');
    expect(crmSync(['init', '--demo', '--config', config]).code).toBe(0);
    const settings = JSON.parse(fs.readFileSync(config, 'utf8'));
    settings.agendas.events.daysPast = -3;
    fs.writeFileSync(config, JSON.stringify(settings));
    const res = crmSync(['status', '--config', config]);
    expect(res.code).toBe(3);
    expectOneSentence(res.stderr);
    expect(res.stderr).toContain('agendas.events.daysPast');
  });

  it('--json errors are machine-readable too', () => {
    const res = crmSync(['status', '--json', '--config', path.join(dir, 'nope.json')]);
    expect(res.code).toBe(3);
    expect(JSON.parse(res.stdout)).toMatchObject({ exitCode: 3 });
  });

  it('a missing CRM database is one sentence naming the file', () => {
    const config = path.join(dir, 'demo.json');
    expect(crmSync(['init', '--demo', '--config', config]).code).toBe(0);
    fs.rmSync(path.join(dir, 'crm.sqlite'));
    const res = crmSync(['status', '--config', config]);
    expect(res.code).toBe(4);
    expectOneSentence(res.stderr);
    expect(res.stderr).toContain(path.join(dir, 'crm.sqlite'));
  });
});

describe('crm-sync config', () => {
  it('gets and sets dotted keys, validated like the file', () => {
    const config = path.join(dir, 'demo.json');
    expect(crmSync(['init', '--demo', '--config', config]).code).toBe(0);
    expect(crmSync(['config', 'get', 'agendas.events.daysPast', '--config', config]).stdout).toBe(
      '14\n',
    );
    expect(crmSync(['config', 'get', 'agendas.events.daysFuture', '--config', config]).stdout).toBe(
      '31\n',
    );

    const set = crmSync(['config', 'set', 'agendas.events.daysPast', '30', '--config', config]);
    expect(set.code).toBe(0);
    expect(crmSync(['config', 'get', 'agendas.events.daysPast', '--config', config]).stdout).toBe(
      '30\n',
    );

    const bad = crmSync([
      'config',
      'set',
      'agendas.events.direction',
      'sideways',
      '--config',
      config,
    ]);
    expect(bad.code).toBe(3);
    expectOneSentence(bad.stderr);
    expect(bad.stderr).toContain('agendas.events.direction');
    expect(JSON.parse(fs.readFileSync(config, 'utf8')).agendas.events.direction).toBe('two-way');

    const unknown = crmSync(['config', 'get', 'agendas.event.daysPast', '--config', config]);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('agendas.event.daysPast');
  });

  it('lists every key', () => {
    const keys = crmSync(['config', 'keys', '--json']);
    expect(keys.code).toBe(0);
    const list: string[] = JSON.parse(keys.stdout);
    expect(list).toContain('schedule.intervalMinutes');
    expect(list).toContain('agendas.mail.attachments.allowedExtensions');
    expect(list.some((k) => /password/i.test(k))).toBe(false);
  });
});

describe('crm-sync sync with settings that are not complete', () => {
  it('names what is missing and changes nothing', () => {
    const config = path.join(dir, 'demo.json');
    expect(crmSync(['init', '--demo', '--config', config]).code).toBe(0);
    const res = crmSync(['sync', '--config', config]);
    expect(res.code).toBe(3);
    expectOneSentence(res.stderr);
    expect(res.stderr).toMatch(/not ready for a sync: connection\.exchange/);
  });

  it('--all-users asks for an Exchange service account before touching anything', () => {
    const config = path.join(dir, 'demo.json');
    expect(
      crmSync([
        'init',
        '--demo',
        '--config',
        config,
        '--server',
        'exchange',
        '--url',
        'https://mail.example.cz/EWS/Exchange.asmx',
        '--user',
        'pbartos',
        '--no-check',
      ]).code,
    ).toBe(0);
    const res = crmSync(['sync', '--all-users', '--config', config]);
    expect(res.code).toBe(3);
    expectOneSentence(res.stderr);
    expect(res.stderr).toMatch(/connection\.exchange\.mailboxMode to "impersonation"/);
  });
});

describe('--help', () => {
  it.each([
    [[]],
    [['init']],
    [['status']],
    [['sync']],
    [['log']],
    [['trash']],
    [['daemon']],
    [['config']],
    [['config', 'set']],
    [['folders']],
    [['folders', 'create']],
    [['password', 'set']],
  ])('is available for %j and exits 0', (cmd) => {
    const res = crmSync([...cmd, '--help']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^Usage: crm-sync/);
  });

  it('top-level help documents the exit codes', () => {
    expect(crmSync(['--help']).stdout).toContain('Exit codes:');
  });
});
