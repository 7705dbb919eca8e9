import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';

const BIN = path.resolve(import.meta.dirname, '../../bin/crm-sync.mjs');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `crm-sync` command in a child process, as a user or script would. */
export function crmSync(
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; input?: string } = {},
): CliResult {
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  // Keep the user's own settings and secrets out of tests.
  if (!options.env?.['CRM_SYNC_CONFIG']) delete env['CRM_SYNC_CONFIG'];
  const res = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env,
    input: options.input ?? '',
    encoding: 'utf8',
  });
  return { code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}

/**
 * The real `crm-sync` in a child process, awaited without blocking: for a fake server that
 * runs in the test's own process and must keep answering while the command talks to it.
 */
export function crmSyncAsync(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, CRM_SYNC_CONFIG: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = 'crm-sync-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * `crm-sync init --demo` against a CalDAV/CardDAV server, the password on stdin, as a new
 * user sets up: the demo CRM beside `config`, the agendas named (and any further flags);
 * `password` instead of the server's to try a wrong one.
 */
export function initDemoOnDav(
  config: string,
  server: { url: string; user: string; password: string },
  agendas: string,
  extra: string[] = [],
  password = server.password,
): CliResult {
  return crmSync(
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
      ...extra,
      '--agendas',
      agendas,
      '--password-stdin',
    ],
    { input: `${password}\n` },
  );
}

/** One more `crm-sync sync`: it succeeds and creates, changes and deletes nothing anywhere. */
export function expectIdleSync(config: string): void {
  const idle = crmSync(['sync', '--json', '--config', config]);
  expect(idle.code).toBe(0);
  const summary = JSON.parse(idle.stdout) as {
    agendas: { server: Record<string, number>; crm: Record<string, number> }[];
  };
  for (const a of summary.agendas) {
    expect(a.server).toEqual({ created: 0, updated: 0, deleted: 0 });
    expect(a.crm).toEqual({ created: 0, updated: 0, deleted: 0 });
  }
}
