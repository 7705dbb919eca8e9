/** A throwaway CRM file with the crm-side tables (and optionally the demo data). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { latestChangeSeq, readChanges } from '../../src/core/crm/changes.ts';
import { openCrmDatabase } from '../../src/core/crm/database.ts';
import type { CrmDatabase } from '../../src/core/crm/database.ts';
import { seedDemoData } from '../../src/demo/demo-crm.ts';
import { createUser } from '../../src/core/crm/users.ts';
import { applyCrmWrite } from '../../src/core/sync/crm-side/write.ts';
import { getCrmItem } from '../../src/core/sync/crm-side/list.ts';
import type {
  CrmEntity,
  CrmItem,
  CrmWrite,
  CrmWriteContext,
  CrmWriteResult,
  ImportExtras,
} from '../../src/core/sync/crm-side/types.ts';
import type { ItemData } from '../../src/core/model/items.ts';

const dirs: string[] = [];
const open: CrmDatabase[] = [];

afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export const DEMO_TODAY = new Date('2026-03-25T10:00:00.000Z');

export interface TestCrm {
  db: CrmDatabase;
  /** The CRM user the runs work for (pbartos in the demo data). */
  ownerId: number;
  ctx: CrmWriteContext;
}

export function newCrm(options: { demo?: boolean } = {}): TestCrm {
  const dir = mkdtempSync(join(tmpdir(), 'crm-side-test-'));
  dirs.push(dir);
  const db = openCrmDatabase(join(dir, 'crm.sqlite'), { create: true });
  open.push(db);
  let ownerId: number;
  if (options.demo) {
    seedDemoData(db, { today: DEMO_TODAY, password: 'demo-heslo' });
    ownerId = db.prepare<[], number>("SELECT id FROM users WHERE login = 'pbartos'").pluck().get()!;
  } else {
    ownerId = createUser(db, { login: 'pavel', displayName: 'Pavel', password: 'heslo-123' });
  }
  return { db, ownerId, ctx: { ownerId, origin: 'run-test-1' } };
}

export function item(db: CrmDatabase, entity: CrmEntity, id: number): CrmItem {
  const found = getCrmItem(db, entity, id);
  if (!found) throw new Error(`No ${entity} ${id}.`);
  return found;
}

/** Writes `data` over the row and reads the item back. */
export function updateWith(
  crm: TestCrm,
  before: CrmItem,
  data: ItemData,
  extras: ImportExtras = {},
): { after: CrmItem; result: CrmWriteResult } {
  const result = applyCrmWrite(
    crm.db,
    {
      op: 'update',
      entity: before.entity,
      crmId: before.crmId,
      data,
      identity: before.identity,
      extras,
    },
    crm.ctx,
  );
  return { after: item(crm.db, before.entity, before.crmId), result };
}

export function create(
  crm: TestCrm,
  entity: CrmEntity,
  data: ItemData,
  extras: ImportExtras = {},
  uid = `uid-${Math.random().toString(36).slice(2)}@server.example`,
): { created: CrmItem; result: CrmWriteResult } {
  const write: CrmWrite = {
    op: 'create',
    entity,
    data,
    identity: { uid, crmStamp: null },
    extras,
  };
  const result = applyCrmWrite(crm.db, write, crm.ctx);
  return { created: item(crm.db, entity, result.crmId), result };
}

/** Runs fn and returns the change_log rows it caused, folded, with their origins. */
export function changesOf(db: CrmDatabase, fn: () => void) {
  const seq = latestChangeSeq(db);
  fn();
  return readChanges(db, seq);
}
