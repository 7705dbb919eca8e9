import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  entityChangedSince,
  latestChangeSeq,
  pendingChangeCount,
  pruneChanges,
  readChanges,
  withSyncOrigin,
} from '../../src/core/crm/changes.ts';
import { createCategory, updateCategory, deleteCategory } from '../../src/core/crm/categories.ts';
import { insertCompany, updateCompany, deleteCompany } from '../../src/core/crm/companies.ts';
import { openCrmDatabase } from '../../src/core/crm/database.ts';
import { deleteEvent, insertEvent, updateEvent } from '../../src/core/crm/events.ts';
import { deletePerson, insertPerson, updatePerson } from '../../src/core/crm/persons.ts';
import { deleteTask, insertTask, updateTask } from '../../src/core/crm/tasks.ts';
import type { CrmDatabase } from '../../src/core/crm/database.ts';
import type { CrmChange, NewEvent } from '../../src/core/crm/types.ts';
import { newCrm, track } from './helpers.ts';

const meeting: NewEvent = {
  uid: 'uid-meeting-1@example',
  subject: 'Porada',
  allDay: false,
  start: '2025-03-31T07:00:00.000Z',
  end: '2025-03-31T08:00:00.000Z',
  timeZone: 'Europe/Prague',
};

/** "entity:id:op" of each change, sorted: for statements whose trigger order is not set. */
function changeSet(changes: CrmChange[]): string[] {
  return changes.map((c) => `${c.entity}:${c.entityId}:${c.op}`).sort();
}

function logRows(db: CrmDatabase) {
  return db
    .prepare<[], { entity: string; entity_id: number; op: string; origin: string | null }>(
      'SELECT entity, entity_id, op, origin FROM change_log ORDER BY seq',
    )
    .all();
}

describe('change capture by triggers', () => {
  it('logs insert, update and delete of each synced entity', () => {
    const { db } = newCrm();
    const eventId = insertEvent(db, meeting);
    const taskId = insertTask(db, { subject: 'Zavolat' });
    const companyId = insertCompany(db, { name: 'Agrotech s.r.o.' });
    const personId = insertPerson(db, { firstName: 'Jan', lastName: 'Novák' });
    updateEvent(db, eventId, { location: 'Brno' });
    updateTask(db, taskId, { percentComplete: 50 });
    updateCompany(db, companyId, { phone: '+420 541 000 000' });
    updatePerson(db, personId, { jobTitle: 'ředitel' });
    deleteEvent(db, eventId);
    deleteTask(db, taskId);
    deleteCompany(db, companyId);
    deletePerson(db, personId);

    expect(logRows(db)).toEqual([
      { entity: 'event', entity_id: eventId, op: 'insert', origin: null },
      { entity: 'task', entity_id: taskId, op: 'insert', origin: null },
      { entity: 'company', entity_id: companyId, op: 'insert', origin: null },
      { entity: 'person', entity_id: personId, op: 'insert', origin: null },
      { entity: 'event', entity_id: eventId, op: 'update', origin: null },
      { entity: 'task', entity_id: taskId, op: 'update', origin: null },
      { entity: 'company', entity_id: companyId, op: 'update', origin: null },
      { entity: 'person', entity_id: personId, op: 'update', origin: null },
      { entity: 'event', entity_id: eventId, op: 'delete', origin: null },
      { entity: 'task', entity_id: taskId, op: 'delete', origin: null },
      { entity: 'company', entity_id: companyId, op: 'delete', origin: null },
      { entity: 'person', entity_id: personId, op: 'delete', origin: null },
    ]);
    const changedAt = db
      .prepare<[], string>('SELECT changed_at FROM change_log LIMIT 1')
      .pluck()
      .get();
    expect(changedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('logs changes of child rows as an update of the parent', () => {
    const { db } = newCrm();
    const companyId = insertCompany(db, { name: 'Pekárna s.r.o.' });
    const categoryId = createCategory(db, { name: 'Zákazník', kind: 'contact' });
    const personId = insertPerson(db, { firstName: 'Marie', lastName: 'Šťastná' });
    const eventId = insertEvent(db, { ...meeting, rrule: 'FREQ=WEEKLY' });
    const seq = latestChangeSeq(db);

    const raw = (sql: string) => db.prepare(sql).run();
    raw(`INSERT INTO person_emails (person_id, email) VALUES (${personId}, 'marie@example.cz')`);
    raw(`INSERT INTO person_phones (person_id, number) VALUES (${personId}, '+420 777 000 000')`);
    raw(`INSERT INTO person_companies (person_id, company_id) VALUES (${personId}, ${companyId})`);
    raw(
      `INSERT INTO person_categories (person_id, category_id) VALUES (${personId}, ${categoryId})`,
    );
    raw(`UPDATE person_emails SET kind = 'home' WHERE person_id = ${personId}`);
    raw(`INSERT INTO event_attendees (event_id, email) VALUES (${eventId}, 'marie@example.cz')`);
    raw(
      `INSERT INTO event_exdates (event_id, original_start) VALUES (${eventId}, '2025-04-07T07:00:00.000Z')`,
    );
    raw(`INSERT INTO event_overrides (event_id, recurrence_id, starts_at, ends_at)
         VALUES (${eventId}, '2025-04-14T07:00:00.000Z', '2025-04-15T11:00:00.000Z', '2025-04-15T12:00:00.000Z')`);
    raw(`INSERT INTO event_persons (event_id, person_id) VALUES (${eventId}, ${personId})`);
    raw(`INSERT INTO event_companies (event_id, company_id) VALUES (${eventId}, ${companyId})`);
    raw(`DELETE FROM event_attendees WHERE event_id = ${eventId}`);

    const rows = logRows(db).slice(-11);
    expect(rows.map((r) => `${r.entity}:${r.entity_id}:${r.op}`)).toEqual([
      ...Array(5).fill(`person:${personId}:update`),
      ...Array(6).fill(`event:${eventId}:update`),
    ]);
    expect(readChanges(db, seq).map((c) => [c.entity, c.op])).toEqual([
      ['person', 'update'],
      ['event', 'update'],
    ]);
  });

  it('logs both parents when a child row moves to another parent', () => {
    const { db } = newCrm();
    const a = insertPerson(db, { firstName: 'A', emails: ['a@example.cz'] });
    const b = insertPerson(db, { firstName: 'B' });
    const seq = latestChangeSeq(db);
    db.prepare('UPDATE person_emails SET person_id = ? WHERE person_id = ?').run(b, a);
    expect(
      readChanges(db, seq)
        .map((c) => c.entityId)
        .sort(),
    ).toEqual([a, b].sort());
  });

  it('ends with the delete when a parent delete cascades to its children', () => {
    const { db } = newCrm();
    const personId = insertPerson(db, {
      firstName: 'Jan',
      lastName: 'Dvořák',
      emails: ['jan@example.cz', 'jan.dvorak@example.cz'],
      phones: ['+420 603 000 000'],
    });
    const eventId = insertEvent(db, {
      ...meeting,
      attendees: [{ email: 'jan@example.cz' }],
      personIds: [personId],
    });
    const seq = latestChangeSeq(db);
    deleteEvent(db, eventId);
    deletePerson(db, personId);
    const changes = readChanges(db, seq);
    expect(changes.map((c) => [c.entity, c.entityId, c.op])).toEqual([
      ['event', eventId, 'delete'],
      ['person', personId, 'delete'],
    ]);
    // No trailing "update" rows for the cascaded children of the deleted parents.
    expect(
      logRows(db)
        .slice(-2)
        .map((r) => r.op),
    ).toEqual(['delete', 'delete']);
  });

  it('logs linked persons when a company is renamed, and items when a category is renamed', () => {
    const { db } = newCrm();
    const companyId = insertCompany(db, { name: 'Stavby Dvořák a.s.' });
    const other = insertCompany(db, { name: 'Jiná a.s.' });
    const eventCategory = createCategory(db, { name: 'Schůzka', kind: 'event' });
    const contactCategory = createCategory(db, { name: 'Zákazník', kind: 'contact' });
    const linked = insertPerson(db, {
      firstName: 'Jan',
      companies: [companyId],
      categoryIds: [contactCategory],
    });
    insertPerson(db, { firstName: 'Petr', companies: [other] });
    const eventId = insertEvent(db, { ...meeting, categoryId: eventCategory });
    const taskId = insertTask(db, { subject: 'Úkol', categoryId: eventCategory });

    let seq = latestChangeSeq(db);
    updateCompany(db, companyId, { phone: '+420 1' });
    expect(readChanges(db, seq).map((c) => c.entity)).toEqual(['company']);

    seq = latestChangeSeq(db);
    updateCompany(db, companyId, { name: 'Stavby Dvořák Holding a.s.' });
    // SQLite runs the triggers and foreign-key actions of one statement in no set order.
    expect(changeSet(readChanges(db, seq))).toEqual([
      `company:${companyId}:update`,
      `person:${linked}:update`,
    ]);

    seq = latestChangeSeq(db);
    updateCategory(db, eventCategory, { name: 'Jednání' });
    updateCategory(db, contactCategory, { name: 'Klient' });
    expect(changeSet(readChanges(db, seq))).toEqual([
      `event:${eventId}:update`,
      `person:${linked}:update`,
      `task:${taskId}:update`,
    ]);

    // Deleting a category clears it on events (an update) and unlinks persons (an update).
    seq = latestChangeSeq(db);
    deleteCategory(db, eventCategory);
    deleteCategory(db, contactCategory);
    expect(changeSet(readChanges(db, seq))).toEqual([
      `event:${eventId}:update`,
      `person:${linked}:update`,
      `task:${taskId}:update`,
    ]);
  });

  it('never reuses an id after a delete', () => {
    const { db } = newCrm();
    const first = insertEvent(db, meeting);
    deleteEvent(db, first);
    expect(insertEvent(db, meeting)).toBeGreaterThan(first);
  });
});

describe('readChanges', () => {
  it('folds the changes of one item into one, with the last seq and time', () => {
    const { db } = newCrm();
    const existing = insertEvent(db, meeting);
    const seq = latestChangeSeq(db);
    updateEvent(db, existing, { subject: 'Porada 1' });
    const fresh = insertEvent(db, { ...meeting, uid: 'new@example' });
    updateEvent(db, existing, { subject: 'Porada 2' });
    updateEvent(db, fresh, { subject: 'Nová' });

    const changes = readChanges(db, seq);
    expect(changes).toHaveLength(2);
    const [a, b] = changes;
    expect(a).toMatchObject({
      entity: 'event',
      entityId: existing,
      op: 'update',
      allFromSync: false,
      origins: [],
      tombstone: null,
      createdAndDeleted: false,
    });
    expect(b).toMatchObject({ entityId: fresh, op: 'insert', seq: latestChangeSeq(db) });
    expect(a!.seq).toBeLessThan(b!.seq);
    expect(readChanges(db, b!.seq)).toEqual([]);
  });

  it('leaves a readable tombstone for each kind of deleted item', () => {
    const { db } = newCrm();
    const userId = db
      .prepare("INSERT INTO users (login, display_name, password_hash) VALUES ('u', 'U', 'x')")
      .run().lastInsertRowid;
    const eventId = insertEvent(db, { ...meeting, ownerId: Number(userId) });
    const taskId = insertTask(db, {
      uid: 'task-uid',
      subject: 'Zavolat',
      allDay: true,
      due: '2025-04-01',
    });
    const personId = insertPerson(db, {
      uid: 'vcard-uid',
      title: 'Ing.',
      firstName: 'Jan',
      lastName: 'Dvořák',
    });
    const companyId = insertCompany(db, { uid: 'org-uid', name: 'Stavby Dvořák a.s.' });
    const seq = latestChangeSeq(db);
    deleteEvent(db, eventId);
    deleteTask(db, taskId);
    deletePerson(db, personId);
    deleteCompany(db, companyId);

    const tombstones = readChanges(db, seq).map((c) => [c.entity, c.op, c.tombstone]);
    expect(tombstones).toEqual([
      [
        'event',
        'delete',
        {
          uid: 'uid-meeting-1@example',
          label: 'Porada',
          ownerId: Number(userId),
          start: '2025-03-31T07:00:00.000Z',
        },
      ],
      ['task', 'delete', { uid: 'task-uid', label: 'Zavolat', ownerId: null, start: '2025-04-01' }],
      ['person', 'delete', { uid: 'vcard-uid', label: 'Jan Dvořák', ownerId: null }],
      ['company', 'delete', { uid: 'org-uid', label: 'Stavby Dvořák a.s.', ownerId: null }],
    ]);
  });

  it('marks an item inserted and deleted after the watermark', () => {
    const { db } = newCrm();
    const seq = latestChangeSeq(db);
    const id = insertEvent(db, meeting);
    updateEvent(db, id, { subject: 'x' });
    deleteEvent(db, id);
    expect(readChanges(db, seq)).toEqual([
      expect.objectContaining({ entityId: id, op: 'delete', createdAndDeleted: true }),
    ]);
    // Seen from a watermark after the insert, it is a plain delete.
    expect(readChanges(db, seq + 1)[0]).toMatchObject({ op: 'delete', createdAndDeleted: false });
  });

  it('filters by entity', () => {
    const { db } = newCrm();
    insertEvent(db, meeting);
    insertTask(db, { subject: 't' });
    insertPerson(db, { firstName: 'p' });
    expect(readChanges(db, 0, ['task', 'person']).map((c) => c.entity)).toEqual(['task', 'person']);
    expect(readChanges(db, 0, [])).toEqual([]);
    expect(readChanges(db, 0)).toHaveLength(3);
  });

  it('sees a write made through a second connection', () => {
    const { db, file } = newCrm();
    const seq = latestChangeSeq(db);
    const second = track(openCrmDatabase(file, { create: false }));
    const id = insertTask(second, { subject: 'Z druhého spojení' });
    expect(readChanges(db, seq)).toEqual([
      expect.objectContaining({ entity: 'task', entityId: id, op: 'insert', allFromSync: false }),
    ]);
  });

  it('sees writes made by another program with plain SQL (a child process)', () => {
    const { db, file } = newCrm();
    const eventId = insertEvent(db, meeting);
    const seq = latestChangeSeq(db);
    // Another program: better-sqlite3 directly, no CRM Sync code, no custom SQL functions.
    const script = `
      const Database = require('better-sqlite3');
      const db = new Database(${JSON.stringify(file)});
      db.pragma('foreign_keys = ON');
      const p = db.prepare("INSERT INTO persons (first_name, last_name) VALUES ('Eva', 'Horáková')").run();
      db.prepare("INSERT INTO person_emails (person_id, email) VALUES (?, 'eva@example.cz')").run(p.lastInsertRowid);
      db.prepare("UPDATE events SET subject = 'Porada (změněno v CRM)' WHERE id = ?").run(${eventId});
      db.prepare("DELETE FROM events WHERE id = ?").run(${eventId});
      db.close();`;
    const run = spawnSync(process.execPath, ['-e', script], {
      cwd: process.cwd(),
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);

    const changes = readChanges(db, seq);
    expect(changes.map((c) => [c.entity, c.op, c.allFromSync])).toEqual([
      ['person', 'insert', false],
      ['event', 'delete', false],
    ]);
    expect(changes[1]!.tombstone).toMatchObject({
      uid: 'uid-meeting-1@example',
      label: 'Porada (změněno v CRM)',
    });
  });
});

describe('withSyncOrigin', () => {
  it('stamps the origin on every change written inside, and only there', () => {
    const { db, file } = newCrm();
    const seq = latestChangeSeq(db);
    const ids = withSyncOrigin(db, 'sync:calendar', () => {
      const eventId = insertEvent(db, { ...meeting, attendees: [{ email: 'a@example.cz' }] });
      const personId = insertPerson(db, { firstName: 'Jan', emails: ['jan@example.cz'] });
      return { eventId, personId };
    });
    const taskId = insertTask(db, { subject: 'Mimo sync' });

    expect(logRows(db).filter((r) => r.origin === null)).toEqual([
      { entity: 'task', entity_id: taskId, op: 'insert', origin: null },
    ]);
    expect(readChanges(db, seq)).toEqual([
      expect.objectContaining({
        entityId: ids.eventId,
        allFromSync: true,
        origins: ['sync:calendar'],
      }),
      expect.objectContaining({ entityId: ids.personId, allFromSync: true }),
      expect.objectContaining({ entityId: taskId, allFromSync: false, origins: [] }),
    ]);
    // The marker never outlives the transaction, so other programs' writes stay unmarked.
    expect(db.prepare('SELECT count(*) FROM change_origin').pluck().get()).toBe(0);
    const other = track(new Database(file));
    other.prepare("INSERT INTO tasks (subject) VALUES ('CRM')").run();
    expect(readChanges(db, latestChangeSeq(db) - 1)[0]?.allFromSync).toBe(false);
  });

  it('reports mixed origins when sync and the CRM both changed an item', () => {
    const { db } = newCrm();
    const id = withSyncOrigin(db, 'sync:tasks', () => insertTask(db, { subject: 'a' }));
    updateTask(db, id, { subject: 'b' });
    withSyncOrigin(db, 'sync:other', () => updateTask(db, id, { subject: 'c' }));
    expect(readChanges(db, 0)).toEqual([
      expect.objectContaining({
        op: 'insert',
        allFromSync: false,
        origins: ['sync:tasks', 'sync:other'],
      }),
    ]);
  });

  it('rolls everything back when fn throws', () => {
    const { db } = newCrm();
    const seq = latestChangeSeq(db);
    expect(() =>
      withSyncOrigin(db, 'sync:calendar', () => {
        insertEvent(db, meeting);
        throw new Error('server refused');
      }),
    ).toThrow('server refused');
    expect(readChanges(db, seq)).toEqual([]);
    expect(db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM change_origin').pluck().get()).toBe(0);
    expect(db.inTransaction).toBe(false);
  });

  it('nests: an inner origin applies inside, the outer one again after it', () => {
    const { db } = newCrm();
    withSyncOrigin(db, 'outer', () => {
      insertTask(db, { subject: '1' });
      withSyncOrigin(db, 'inner', () => insertTask(db, { subject: '2' }));
      insertTask(db, { subject: '3' });
    });
    expect(logRows(db).map((r) => r.origin)).toEqual(['outer', 'inner', 'outer']);
  });
});

describe('latestChangeSeq and pruneChanges', () => {
  it('prunes up to a seq without ever lowering the latest seq', () => {
    const { db } = newCrm();
    expect(latestChangeSeq(db)).toBe(0);
    for (let i = 0; i < 5; i++) insertTask(db, { subject: `t${i}` });
    expect(latestChangeSeq(db)).toBe(5);
    expect(pruneChanges(db, 3)).toBe(3);
    expect(pendingChangeCount(db)).toBe(2);
    expect(readChanges(db, 0).map((c) => c.seq)).toEqual([4, 5]);
    expect(pruneChanges(db, 5)).toBe(2);
    expect(latestChangeSeq(db)).toBe(5);
    insertTask(db, { subject: 'next' });
    expect(readChanges(db, 5).map((c) => c.seq)).toEqual([6]);
  });
});

describe('entityChangedSince', () => {
  it("tells an agenda's rows changed after a seq, and cannot tell once the log was pruned past it", () => {
    const { db } = newCrm();
    insertTask(db, { subject: 'úkol' });
    const mark = latestChangeSeq(db);
    expect(entityChangedSince(db, mark, 'task')).toBe(false);
    insertEvent(db, meeting);
    expect(entityChangedSince(db, mark, 'task')).toBe(false);
    expect(entityChangedSince(db, mark, 'event')).toBe(true);
    // The log pruned past the mark: what went is unknown, so it counts as changed.
    pruneChanges(db, mark + 1);
    expect(entityChangedSince(db, mark, 'task')).toBe(true);
  });
});
