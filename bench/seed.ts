/**
 * Seeding, in a process of its own (`run.ts --seed`), so that the measuring process never
 * held the generated data or the CRM inserts: its RSS before the first run is a clean
 * baseline. Writes the CRM half into the CRM file (one transaction) and the server half as
 * files into a folder, for the measuring process to put into Radicale's storage.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { createCategory } from '../src/core/crm/categories.ts';
import { insertCompany } from '../src/core/crm/companies.ts';
import { openCrmDatabase } from '../src/core/crm/database.ts';
import type { CrmDatabase } from '../src/core/crm/database.ts';
import { insertEvent } from '../src/core/crm/events.ts';
import { insertPerson } from '../src/core/crm/persons.ts';
import { createUser } from '../src/core/crm/users.ts';
import { CONTACT_CATEGORIES, EVENT_CATEGORIES, generateData } from './data.ts';
import type { BenchData } from './data.ts';

export const CRM_LOGIN = 'pbartos';

/** Events span this many days around today (the sync window is a little wider). */
export const SPREAD_DAYS = 380;

export interface SeedRequest {
  dbFile: string;
  /** Gets events/ and cards/ with the server objects, and outcome.json. */
  outDir: string;
  events: number;
  contacts: number;
}

export interface SeedOutcome {
  ownerId: number;
  /** CRM ids of the CRM half, in insert order. */
  crmEventIds: number[];
  crmPersonIds: number[];
  /** File names of the server half (the object names on the server). */
  serverEvents: string[];
  serverCards: string[];
  generateMs: number;
  crmInsertMs: number;
  /** Raw iCalendar/vCard text for the server (bytes). */
  serverDataBytes: number;
}

export const OUTCOME_FILE = 'outcome.json';

export async function seed(req: SeedRequest): Promise<SeedOutcome> {
  let t = performance.now();
  const data = generateData({
    events: req.events,
    contacts: req.contacts,
    now: new Date(),
    spreadDays: SPREAD_DAYS,
  });
  const generateMs = performance.now() - t;

  t = performance.now();
  const db = openCrmDatabase(req.dbFile, { create: true });
  let ownerId: number;
  let ids: { persons: number[]; events: number[] };
  try {
    ownerId = createUser(db, { login: CRM_LOGIN, displayName: 'Pavel Bartoš', password: 'heslo' });
    ids = await insertCrmRows(db, data, ownerId);
  } finally {
    db.close();
  }
  const crmInsertMs = performance.now() - t;

  let serverDataBytes = 0;
  for (const [folder, objects] of [
    ['events', data.serverEvents],
    ['cards', data.serverCards],
  ] as const) {
    fs.mkdirSync(path.join(req.outDir, folder), { recursive: true });
    for (const o of objects) {
      fs.writeFileSync(path.join(req.outDir, folder, o.name), o.data);
      serverDataBytes += Buffer.byteLength(o.data);
    }
  }
  const outcome: SeedOutcome = {
    ownerId,
    crmEventIds: ids.events,
    crmPersonIds: ids.persons,
    serverEvents: data.serverEvents.map((o) => o.name),
    serverCards: data.serverCards.map((o) => o.name),
    generateMs,
    crmInsertMs,
    serverDataBytes,
  };
  fs.writeFileSync(path.join(req.outDir, OUTCOME_FILE), JSON.stringify(outcome));
  return outcome;
}

/**
 * The CRM half, in one transaction. better-sqlite3 frees a statement's native memory only
 * after the event loop turns (its finalizers are deferred): the insert loop yields now and
 * then inside the transaction, so seeding does not leave the process bloated.
 */
async function insertCrmRows(
  db: CrmDatabase,
  data: BenchData,
  ownerId: number,
): Promise<{ persons: number[]; events: number[] }> {
  const breathe = async (i: number) => {
    if (i % 200 === 199) await setImmediate();
  };
  db.exec('BEGIN');
  try {
    const eventCategoryIds = EVENT_CATEGORIES.map((name) =>
      createCategory(db, { name, kind: 'event' }),
    );
    const contactCategoryIds = CONTACT_CATEGORIES.map((name) =>
      createCategory(db, { name, kind: 'contact' }),
    );
    const companyIds = data.companies.map((name) => insertCompany(db, { name, ownerId }));
    // data.ts refers to companies and categories by index: the ids exist only now.
    const byIndex = (ids: number[], i: number | null): number[] =>
      i === null || ids[i] === undefined ? [] : [ids[i]];
    const persons: number[] = [];
    for (const [i, p] of data.crmPersons.entries()) {
      persons.push(
        insertPerson(db, {
          ...p.person,
          ownerId,
          companies: byIndex(companyIds, p.companyIndex),
          categoryIds: byIndex(contactCategoryIds, p.categoryIndex),
        }),
      );
      await breathe(i);
    }
    const events: number[] = [];
    for (const [i, e] of data.crmEvents.entries()) {
      events.push(
        insertEvent(db, {
          ...e.event,
          ownerId,
          categoryId: byIndex(eventCategoryIds, e.categoryIndex)[0] ?? null,
        }),
      );
      await breathe(i);
    }
    db.exec('COMMIT');
    return { persons, events };
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  }
}
