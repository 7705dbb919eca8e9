import { describe, expect, it } from 'vitest';
import { latestChangeSeq, readChanges } from '../../src/core/crm/changes.ts';
import { deleteCategory } from '../../src/core/crm/categories.ts';
import { getEmail } from '../../src/core/crm/emails.ts';
import { deleteEvent, getEvent, insertEvent, listEvents } from '../../src/core/crm/events.ts';
import { getPerson, insertPerson, listPersons } from '../../src/core/crm/persons.ts';
import { getTask } from '../../src/core/crm/tasks.ts';
import {
  listTrash,
  moveToTrash,
  purgeTrash,
  restoreFromTrash,
  trashSnapshot,
} from '../../src/core/sync/crm-side/trash.ts';
import { CrmRowMissingError } from '../../src/core/sync/crm-side/types.ts';
import { applyCrmWrite } from '../../src/core/sync/crm-side/write.ts';
import { newCrm } from './helpers.ts';

const withoutStamp = <T extends { updatedAt: string }>(row: T) => {
  const { updatedAt: _u, ...rest } = row;
  return rest;
};

describe('trash', () => {
  it('snapshots a person with e-mails, phones, companies, categories, links and photo, and restores it', () => {
    const crm = newCrm({ demo: true });
    const person = listPersons(crm.db).find((p) => p.lastName === 'Dvořák')!;
    crm.db
      .prepare('UPDATE persons SET uid = ?, photo = ?, photo_type = ? WHERE id = ?')
      .run('vcard-dvorak', Buffer.from([1, 2, 3, 250]), 'image/jpeg', person.id);
    const before = getPerson(crm.db, person.id)!;
    const event = insertEvent(crm.db, {
      subject: 'S Dvořákem',
      allDay: true,
      start: '2026-04-01',
      end: '2026-04-02',
      personIds: [person.id],
    });
    const emailsLinked = crm.db
      .prepare<[number], number>('SELECT email_id FROM email_persons WHERE person_id = ?')
      .pluck()
      .all(person.id);
    expect(emailsLinked.length).toBeGreaterThan(0);

    const result = applyCrmWrite(
      crm.db,
      { op: 'delete', entity: 'person', crmId: person.id, reason: 'Smazáno v Outlooku' },
      crm.ctx,
    );
    expect(getPerson(crm.db, person.id)).toBeUndefined();
    expect(getEvent(crm.db, event)?.personIds).toEqual([]);
    expect(result.trashId).not.toBeNull();
    const [entry] = listTrash(crm.db);
    expect(entry).toMatchObject({
      id: result.trashId,
      entity: 'person',
      crmId: person.id,
      label: 'Jan Dvořák',
      reason: 'Smazáno v Outlooku',
      runOrigin: 'run-test-1',
      restoredAt: null,
    });
    const snapshot = trashSnapshot(crm.db, entry!.id)!;
    expect(snapshot.children.find((c) => c.table === 'person_emails')?.rows).toHaveLength(2);

    const restored = restoreFromTrash(crm.db, entry!.id);
    expect(restored).toBe(person.id);
    expect(withoutStamp(getPerson(crm.db, restored)!)).toEqual(withoutStamp(before));
    expect(getPerson(crm.db, restored)?.photo).toEqual(Buffer.from([1, 2, 3, 250]));
    expect(getEvent(crm.db, event)?.personIds).toEqual([person.id]);
    for (const emailId of emailsLinked) {
      expect(getEmail(crm.db, emailId)?.personIds).toContain(person.id);
    }
    expect(listTrash(crm.db)).toEqual([]);
    expect(listTrash(crm.db, { includeRestored: true })[0]).toMatchObject({
      restoredCrmId: person.id,
    });
    expect(() => restoreFromTrash(crm.db, entry!.id)).toThrow(/already restored/);
  });

  it('restores a recurring event with attendees, exdates, overrides, links and uid', () => {
    const crm = newCrm({ demo: true });
    const weekly = listEvents(crm.db).find((e) => e.rrule !== null && e.overrides.length > 0)!;
    crm.db.prepare('UPDATE events SET uid = ? WHERE id = ?').run('ews-uid-weekly', weekly.id);
    const before = getEvent(crm.db, weekly.id)!;
    const entry = moveToTrash(crm.db, 'event', weekly.id, { origin: 'run-7', reason: 'test' });
    expect(entry.label).toBe(weekly.subject);
    expect(getEvent(crm.db, weekly.id)).toBeUndefined();
    expect(
      crm.db
        .prepare('SELECT count(*) FROM event_attendees WHERE event_id = ?')
        .pluck()
        .get(weekly.id),
    ).toBe(0);
    const id = restoreFromTrash(crm.db, entry.id);
    expect(id).toBe(weekly.id);
    expect(withoutStamp(getEvent(crm.db, id)!)).toEqual(withoutStamp(before));
    expect(getEvent(crm.db, id)?.uid).toBe('ews-uid-weekly');
  });

  it('marks the delete with the run origin and the restore as a CRM change (so it goes back to the server)', () => {
    const crm = newCrm({ demo: true });
    const seq = latestChangeSeq(crm.db);
    const { trashId } = applyCrmWrite(crm.db, { op: 'delete', entity: 'task', crmId: 1 }, crm.ctx);
    const deleted = readChanges(crm.db, seq);
    expect(deleted).toEqual([
      expect.objectContaining({ entity: 'task', entityId: 1, op: 'delete', allFromSync: true }),
    ]);
    const afterDelete = latestChangeSeq(crm.db);
    restoreFromTrash(crm.db, trashId!);
    expect(readChanges(crm.db, afterDelete)).toEqual([
      expect.objectContaining({ entity: 'task', entityId: 1, op: 'insert', allFromSync: false }),
    ]);
    // Or marked, when the caller says so.
    const again = applyCrmWrite(crm.db, { op: 'delete', entity: 'task', crmId: 1 }, crm.ctx);
    const seq2 = latestChangeSeq(crm.db);
    restoreFromTrash(crm.db, again.trashId!, { origin: 'restore-1' });
    expect(readChanges(crm.db, seq2)[0]).toMatchObject({
      allFromSync: true,
      origins: ['restore-1'],
    });
  });

  it('restores under a new id when the old one is taken, and drops references that are gone', () => {
    const crm = newCrm({ demo: true });
    const event = listEvents(crm.db).find((e) => e.categoryId !== null && e.personIds.length > 0)!;
    const entry = moveToTrash(crm.db, 'event', event.id, { origin: 'run-1', reason: 'x' });
    // Another program re-used the id explicitly; the category and a linked person went away.
    crm.db
      .prepare(
        "INSERT INTO events (id, subject, all_day, starts_at, ends_at) VALUES (?, 'jiná', 1, '2026-01-01', '2026-01-02')",
      )
      .run(event.id);
    deleteCategory(crm.db, event.categoryId!);
    crm.db.prepare('DELETE FROM persons WHERE id = ?').run(event.personIds[0]);

    const id = restoreFromTrash(crm.db, entry.id);
    expect(id).not.toBe(event.id);
    const restored = getEvent(crm.db, id)!;
    expect(restored.subject).toBe(event.subject);
    expect(restored.categoryId).toBeNull();
    expect(restored.personIds).toEqual(event.personIds.slice(1));
    expect(restored.attendees).toEqual(event.attendees);
    expect(getEvent(crm.db, event.id)?.subject).toBe('jiná');
    deleteEvent(crm.db, event.id);
  });

  it('reports a row that is already gone instead of failing the delete', () => {
    const crm = newCrm();
    const result = applyCrmWrite(crm.db, { op: 'delete', entity: 'event', crmId: 999 }, crm.ctx);
    expect(result).toMatchObject({ crmId: 999, trashId: null });
    expect(result.notes[0]?.code).toBe('already-deleted');
    expect(() => moveToTrash(crm.db, 'task', 999, { origin: 'r', reason: 'x' })).toThrow(
      CrmRowMissingError,
    );
  });

  it('lists by entity and run, newest first, and purges old entries', () => {
    const crm = newCrm({ demo: true });
    moveToTrash(crm.db, 'task', 1, { origin: 'run-a', reason: 'x' });
    moveToTrash(crm.db, 'task', 2, { origin: 'run-b', reason: 'x' });
    const p = insertPerson(crm.db, { firstName: 'Ota', lastName: 'Pokus' });
    moveToTrash(crm.db, 'person', p, { origin: 'run-b', reason: 'x' });
    expect(listTrash(crm.db).map((e) => e.crmId)).toEqual([p, 2, 1]);
    expect(listTrash(crm.db, { entity: 'task' }).map((e) => e.crmId)).toEqual([2, 1]);
    expect(listTrash(crm.db, { runOrigin: 'run-b' })).toHaveLength(2);
    expect(listTrash(crm.db, { limit: 1 })).toHaveLength(1);
    expect(getTask(crm.db, 1)).toBeUndefined();
    expect(purgeTrash(crm.db, '2000-01-01T00:00:00.000Z')).toBe(0);
    expect(purgeTrash(crm.db, '2999-01-01T00:00:00.000Z')).toBe(3);
  });
});
