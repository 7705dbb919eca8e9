/**
 * What the command loads before it does any work: `--version` and `--help` need neither the
 * settings (zod), the CRM database (better-sqlite3) nor a server's client, and `status`,
 * which reads settings and the database but never the server, loads no connector (the
 * Exchange client alone is some 700 modules). A hook records every module the real
 * `crm-sync` process resolves (from the build or the sources, whichever bin runs).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crmSync, tempDir } from '../support/cli.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/crm-sync.mjs');
const RECORD_LOADS = `data:text/javascript,${encodeURIComponent(`
import { registerHooks } from 'node:module';
const urls = new Set();
registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); urls.add(r.url); return r; } });
process.on('exit', () => process.stderr.write('\\nLOADED ' + JSON.stringify([...urls]) + '\\n'));
`)}`;

const SERVER_CLIENTS = ['ews-javascript-api', 'tsdav', 'undici'];

/** The npm packages the command loaded for these arguments. */
function packagesLoaded(args: string[]): string[] {
  const env: Record<string, string | undefined> = { ...process.env };
  delete env['CRM_SYNC_CONFIG'];
  const res = spawnSync(process.execPath, ['--import', RECORD_LOADS, BIN, ...args], {
    env,
    input: '',
    encoding: 'utf8',
  });
  expect(res.status).toBe(0);
  const line = res.stderr.split('\n').find((l) => l.startsWith('LOADED '));
  if (line === undefined) throw new Error(`no module list:\n${res.stderr}`);
  const urls = JSON.parse(line.slice('LOADED '.length)) as string[];
  const names = urls.flatMap((u) => {
    const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u);
    return m?.[1] === undefined ? [] : [m[1]];
  });
  return [...new Set(names)].sort();
}

let dir: string;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('crm-sync start-up', () => {
  it('--version and --help load commander and nothing of settings, database or servers', () => {
    for (const args of [['--version'], ['--help'], ['sync', '--help']]) {
      const loaded = packagesLoaded(args);
      expect(loaded).toContain('commander');
      for (const heavy of ['zod', 'better-sqlite3', ...SERVER_CLIENTS]) {
        expect(loaded, args.join(' ')).not.toContain(heavy);
      }
    }
  });

  it('status reads the settings and the CRM database and loads no server client', () => {
    const config = path.join(dir, 'demo.json');
    expect(crmSync(['init', '--demo', '--config', config]).code).toBe(0);
    const loaded = packagesLoaded(['status', '--config', config]);
    expect(loaded).toEqual(expect.arrayContaining(['better-sqlite3', 'zod']));
    for (const heavy of SERVER_CLIENTS) expect(loaded).not.toContain(heavy);
  });
});
