/** Throwaway CRM files for the tests, removed after each test. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { openCrmDatabase } from '../../src/core/crm/database.ts';
import type { CrmDatabase } from '../../src/core/crm/database.ts';

const dirs: string[] = [];
const open: CrmDatabase[] = [];

afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A new empty folder, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'crm-store-test-'));
  dirs.push(dir);
  return dir;
}

/** Registers a connection to be closed after the test. */
export function track(db: CrmDatabase): CrmDatabase {
  open.push(db);
  return db;
}

/** A migrated CRM file in a fresh folder, and its path. */
export function newCrm(): { db: CrmDatabase; file: string } {
  const file = join(tempDir(), 'crm.sqlite');
  return { db: track(openCrmDatabase(file, { create: true })), file };
}
