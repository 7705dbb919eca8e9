/**
 * Activity settings at the command line:
 * schedule.automatic off ("synchronise automatically" on/off): the daemon synchronises once
 * and ends instead of repeating every intervalMinutes; the status given to imported events
 * is one of the CRM's own.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { crmSync, tempDir } from '../support/cli.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/crm-sync.mjs');

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('crm-sync daemon with schedule.automatic off', () => {
  it('is set by config set, synchronises once and ends, saying why', () => {
    const config = path.join(dir, 'demo.json');
    expect(crmSync(['init', '--demo', '--config', config]).code).toBe(0);
    expect(crmSync(['config', 'get', 'schedule.automatic', '--config', config]).stdout).toBe(
      'true\n',
    );
    const set = crmSync(['config', 'set', 'schedule.automatic', 'false', '--config', config]);
    expect(set.code).toBe(0);
    expect(crmSync(['config', 'get', 'schedule.automatic', '--config', config]).stdout).toBe(
      'false\n',
    );

    // A server that refuses at once (nothing listens on port 9 here): the run fails fast.
    for (const [key, value] of [
      ['connection.kind', 'dav'],
      ['connection.dav.url', 'http://127.0.0.1:9/'],
      ['connection.dav.user', 'pbartos'],
    ] as const) {
      expect(crmSync(['config', 'set', key, value, '--config', config]).code).toBe(0);
    }
    // A daemon that kept running would be stopped here: the test would see the signal.
    const env: Record<string, string | undefined> = { ...process.env };
    delete env['CRM_SYNC_CONFIG'];
    const res = spawnSync(process.execPath, [BIN, 'daemon', '--config', config], {
      env,
      input: '',
      encoding: 'utf8',
      timeout: 150_000,
      killSignal: 'SIGKILL',
    });
    expect(res.signal).toBeNull();
    expect(res.stderr).toContain('schedule.automatic is off: synchronising once now');
    // The one run failed (nothing answers), and its exit code says so, as `sync` would.
    expect(res.status).toBeGreaterThan(0);
    expect(res.stderr.trim().split('\n')).toHaveLength(2);
  }, 400_000);
});

describe('crm-sync config set agendas.events.importedStatus', () => {
  it("accepts only a status the CRM's events use", () => {
    const config = path.join(dir, 'demo.json');
    expect(crmSync(['init', '--demo', '--config', config]).code).toBe(0);
    const wrong = crmSync([
      'config',
      'set',
      'agendas.events.importedStatus',
      'Incoming-typo',
      '--config',
      config,
    ]);
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain(
      `"Incoming-typo" is not a status the CRM's events use (they use "Incoming", "Naplánováno", "Vyřízeno")`,
    );
    const right = crmSync([
      'config',
      'set',
      'agendas.events.importedStatus',
      'Vyřízeno',
      '--config',
      config,
    ]);
    expect(right.code).toBe(0);
    expect(
      crmSync(['config', 'get', 'agendas.events.importedStatus', '--config', config]).stdout,
    ).toBe('Vyřízeno\n');
  }, 120_000);
});
