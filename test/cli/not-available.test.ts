/**
 * Microsoft 365 and e-mail import are in the settings but not in this version: the CLI and
 * `status` say so plainly, and `sync` exits 6 with one clear sentence before it touches
 * anything, on every server kind.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Settings } from '../../src/shared/settings/schema.ts';
import { crmSync, tempDir } from '../support/cli.ts';

/** Each test starts several crm-sync processes: generous on a busy machine. */
const SLOW = 240_000;

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A demo CRM and settings complete for the server kind; `change` edits the settings. */
function demoSetup(change: (settings: Settings) => void): string {
  const config = path.join(dir, 'demo.json');
  expect(crmSync(['init', '--demo', '--config', config]).code).toBe(0);
  const settings: Settings = JSON.parse(fs.readFileSync(config, 'utf8'));
  // Addresses that cannot be reached: the refusal must come before any request.
  settings.connection.exchange.ewsUrl = 'https://mail.example.invalid/EWS/Exchange.asmx';
  settings.connection.exchange.user = 'pbartos';
  settings.connection.dav.url = 'https://dav.example.invalid/';
  settings.connection.dav.user = 'pbartos';
  settings.connection.m365.clientId = '12345678-1234-1234-1234-1234567890ab';
  change(settings);
  fs.writeFileSync(config, JSON.stringify(settings, null, 2));
  return config;
}

function runsIn(dbFile: string): number {
  const db = new Database(dbFile, { readonly: true });
  try {
    const table = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'sync_runs'")
      .get();
    if (table === undefined) return 0;
    return (db.prepare('SELECT count(*) AS n FROM sync_runs').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

const MAIL_SENTENCE =
  'E-mail import (agendas.mail.enabled) is not available in this version: turn it off; events, tasks and contacts synchronise without it';

describe('not available in this version', () => {
  for (const kind of ['dav', 'exchange'] as const) {
    it(
      `sync with e-mail import on, on ${kind}, exits 6 with one sentence and changes nothing`,
      () => {
        const config = demoSetup((s) => {
          s.connection.kind = kind;
          s.agendas.mail.enabled = true;
        });
        const sync = crmSync(['sync', '--config', config], {
          env: { CRM_SYNC_SERVER_PASSWORD: 'pw' },
        });
        expect(sync.code).toBe(6);
        expect(sync.stderr.trim().split('\n')).toHaveLength(1);
        expect(sync.stderr).toContain(MAIL_SENTENCE);
        expect(sync.stderr).toContain('(crm-sync config set agendas.mail.enabled false).');
        expect(runsIn(path.join(dir, 'crm.sqlite'))).toBe(0);
      },
      SLOW,
    );
  }

  it(
    'status marks e-mail import and Microsoft 365 as not available',
    () => {
      const config = demoSetup((s) => {
        s.connection.kind = 'dav';
      });
      const status = crmSync(['status', '--config', config]);
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(/Agendas:.*mail not available in this version/);
      expect(status.stdout).not.toMatch(/mail (off|\(import\))/);

      const settings = JSON.parse(fs.readFileSync(config, 'utf8'));
      settings.connection.kind = 'm365';
      settings.agendas.mail.enabled = true;
      fs.writeFileSync(config, JSON.stringify(settings));
      const json = crmSync(['status', '--json', '--config', config]);
      expect(json.code).toBe(0);
      const report = JSON.parse(json.stdout);
      expect(report.agendas.mail).toEqual({ enabled: true, direction: 'import', available: false });
      expect(report.server.kind).toContain('not available in this version');
      expect(report.ready).toBe(false);
      expect(report.problems[0]).toMatch(/^Microsoft 365 .* is not available in this version/);
      expect(report.problems[1]).toContain(MAIL_SENTENCE);
    },
    SLOW,
  );

  it(
    'sync on Microsoft 365 exits 6 with one sentence, and init does not set it up',
    () => {
      const config = demoSetup((s) => {
        s.connection.kind = 'm365';
      });
      const sync = crmSync(['sync', '--config', config]);
      expect(sync.code).toBe(6);
      expect(sync.stderr.trim().split('\n')).toHaveLength(1);
      expect(sync.stderr).toContain('Microsoft 365 (connection.kind "m365") is not available');

      const fresh = path.join(dir, 'fresh.json');
      const init = crmSync([
        'init',
        '--config',
        fresh,
        '--database',
        path.join(dir, 'fresh.sqlite'),
        '--server',
        'm365',
      ]);
      expect(init.code).toBe(6);
      expect(init.stderr).toContain('not available in this version');
      expect(fs.existsSync(fresh)).toBe(false);
    },
    SLOW,
  );
});
