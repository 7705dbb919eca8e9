/**
 * Exit codes mean what README's table says, run as a user runs the command (a child
 * process): another sync running, a wrong CRM password, a CRM file held locked by another
 * program and a CRM file with a corrupt page each get their own code and one sentence.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { crmSync, tempDir } from '../support/cli.ts';

let dir: string;
let config: string;
let dbFile: string;
const env = { CRM_SYNC_SERVER_PASSWORD: 'secret' };

beforeEach(() => {
  dir = tempDir();
  config = path.join(dir, 'demo.json');
  dbFile = path.join(dir, 'crm.sqlite');
  // A complete setup whose server is never reached: every case below stops before.
  const init = crmSync([
    'init',
    '--demo',
    '--config',
    config,
    '--server',
    'dav',
    '--url',
    'http://127.0.0.1:9/',
    '--user',
    'pbartos',
    '--no-check',
  ]);
  expect(init.stderr).toBe('');
  expect(init.code).toBe(0);
}, 120_000);
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function expectOneSentence(stderr: string): void {
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr).not.toContain('internal error');
}

describe('exit codes as README documents them', { timeout: 180_000 }, () => {
  it('another sync running: exit 8, naming the process, and nothing is run', () => {
    // A live process (this test runner) holds the run lock.
    fs.writeFileSync(`${dbFile}.sync-lock`, String(process.pid));
    const res = crmSync(['sync', '--config', config], { env });
    expect(res.code).toBe(8);
    expectOneSentence(res.stderr);
    expect(res.stderr).toContain(`Another synchronisation is running (process ${process.pid}`);
    const json = crmSync(['sync', '--json', '--config', config], { env });
    expect(JSON.parse(json.stdout)).toMatchObject({ exitCode: 8 });
  });

  it('a wrong CRM password at init: exit 9, naming the user', () => {
    const res = crmSync(
      [
        'init',
        '--config',
        path.join(dir, 'other.json'),
        '--database',
        dbFile,
        '--crm-user',
        'jnovakova',
        '--no-check',
      ],
      { env: { CRM_SYNC_CRM_PASSWORD: 'wrong' } },
    );
    expect(res.code).toBe(9);
    expectOneSentence(res.stderr);
    expect(res.stderr).toContain('Wrong password for CRM user "jnovakova"');
  });

  it('a CRM database held locked by another program: exit 4, "locked", not an internal error', () => {
    const holder = new Database(dbFile);
    try {
      holder.exec('BEGIN EXCLUSIVE');
      const res = crmSync(['sync', '--config', config], { env });
      expect(res.code).toBe(4);
      expectOneSentence(res.stderr);
      expect(res.stderr).toContain(dbFile);
      expect(res.stderr).toContain('locked by another program');
    } finally {
      holder.close();
    }
  });

  it('a CRM database with a corrupt page: exit 4, "corrupt", not an internal error', () => {
    const db = new Database(dbFile);
    const pageSize = Number(db.pragma('page_size', { simple: true }));
    const root = db
      .prepare<[], number>("SELECT rootpage FROM sqlite_master WHERE name = 'users'")
      .pluck()
      .get();
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    expect(root).toBeGreaterThan(1);
    const fd = fs.openSync(dbFile, 'r+');
    fs.writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (root! - 1) * pageSize);
    fs.closeSync(fd);

    const res = crmSync(['sync', '--config', config], { env });
    expect(res.code).toBe(4);
    expectOneSentence(res.stderr);
    expect(res.stderr).toContain(dbFile);
    expect(res.stderr).toContain('corrupt');
    // Any command that meets the damage says the same, `status` included.
    const status = crmSync(['status', '--config', config], { env });
    expect(status.code).toBe(4);
    expectOneSentence(status.stderr);
    expect(status.stderr).toContain(`${dbFile}: the file is corrupt`);
  });
});
