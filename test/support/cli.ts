import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

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

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = 'crm-sync-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
