import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { ConfigError } from '../../src/core/errors.ts';

/** A fresh temporary folder per test, removed afterwards. */
export function useTempDir(): () => string {
  let dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    dirs = [];
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-sync-settings-'));
    dirs.push(dir);
    return dir;
  };
}

/** The ConfigError message fn throws (fails the test if it throws anything else or nothing). */
export function configErrorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('expected a ConfigError, but nothing was thrown');
}
