import { describe, expect, it } from 'vitest';
import { latestChangeSeq, readChanges } from '../../src/core/crm/changes.ts';
import { applyCrmWrite } from '../../src/core/sync/crm-side/write.ts';
import type { ContactData, EventData } from '../../src/core/model/items.ts';
import { create, item, newCrm, updateWith } from './helpers.ts';

describe('sync origin', () => {
  it('marks every write of the CRM side, child rows and side effects included', () => {
    const crm = newCrm({ demo: true });
    const seq = latestChangeSeq(crm.db);
    const event = item(crm.db, 'event', 1);
    const { created } = create(crm, 'event', event.data, {
      categoryName: 'Nová kategorie',
      linkByEmail: { persons: true, companies: true },
      status: 'Incoming',
    });
    updateWith(crm, created, { ...(created.data as EventData), subject: 'Změněno' });
    const task = item(crm.db, 'task', 1);
    updateWith(crm, task, task.data, { categoryName: 'Jiná' });
    const person = item(crm.db, 'person', 1);
    // A new company is created for the organization: logged under the origin too.
    updateWith(crm, person, { ...(person.data as ContactData), organization: 'Úplně nová s.r.o.' });
    applyCrmWrite(crm.db, { op: 'delete', entity: 'task', crmId: 2 }, crm.ctx);
    applyCrmWrite(crm.db, { op: 'delete', entity: 'person', crmId: 2 }, crm.ctx);

    const changes = readChanges(crm.db, seq);
    expect(changes.map((c) => c.entity).sort()).toEqual(
      expect.arrayContaining(['company', 'event', 'person', 'task']),
    );
    expect(changes.every((c) => c.allFromSync)).toBe(true);
    expect(changes.every((c) => c.origins.length === 1 && c.origins[0] === 'run-test-1')).toBe(
      true,
    );
    // Nothing is left behind for other connections.
    expect(crm.db.prepare('SELECT count(*) FROM change_origin').pluck().get()).toBe(0);
  });

  it('rolls the whole write back when a part fails', () => {
    const crm = newCrm({ demo: true });
    const seq = latestChangeSeq(crm.db);
    const before = item(crm.db, 'event', 1);
    expect(() =>
      updateWith(crm, before, {
        ...before.data,
        kind: 'event',
        subject: 'Nikdy uloženo',
        start: { utc: 'not a time', tz: null },
      } as typeof before.data),
    ).toThrow();
    expect(item(crm.db, 'event', 1).data).toEqual(before.data);
    expect(readChanges(crm.db, seq)).toEqual([]);
  });
});
