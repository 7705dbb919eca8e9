import { describe, expect, it } from 'vitest';
import { readChanges } from '../../src/core/crm/changes.ts';
import { integrityCheck } from '../../src/core/crm/database.ts';
import type { CrmDatabase } from '../../src/core/crm/database.ts';
import { seedDemoData } from '../../src/demo/demo-crm.ts';
import { listEvents } from '../../src/core/crm/events.ts';
import { findNodeByPath, subtreeNodeIds } from '../../src/core/crm/classification.ts';
import { findCategory } from '../../src/core/crm/categories.ts';
import { findPersonsByEmail, listPersons } from '../../src/core/crm/persons.ts';
import { tableCounts } from '../../src/core/crm/stats.ts';
import { listTasks } from '../../src/core/crm/tasks.ts';
import { dateInZone } from '../../src/core/crm/time.ts';
import { findUserByLogin, verifyUserPassword } from '../../src/core/crm/users.ts';
import { newCrm } from '../crm/helpers.ts';

const today = new Date('2025-06-11T10:00:00Z'); // a Wednesday

/** Everything except salts and creation stamps, for comparing two seeded files. */
function content(db: CrmDatabase): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  const tables = db
    .prepare<[], string>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'sync_%' ORDER BY name",
    )
    .pluck()
    .all();
  for (const table of tables) {
    out[table] = db
      .prepare<[], Record<string, unknown>>(`SELECT * FROM ${table} ORDER BY rowid`)
      .all()
      .map(
        ({ created_at: _c, updated_at: _u, changed_at: _t, password_hash: _p, ...rest }) => rest,
      );
  }
  return out;
}

describe('seedDemoData', () => {
  it('fills a realistic Czech sample and reports the counts', () => {
    const { db } = newCrm();
    const counts = seedDemoData(db, { today, password: 'demo123' });
    expect(counts).toEqual({ users: 3, companies: 6, persons: 15, events: 12, tasks: 8 });
    expect(tableCounts(db)).toMatchObject({
      users: 3,
      companies: 6,
      persons: 15,
      categories: 11,
      classificationNodes: 6,
      groups: 2,
      events: 12,
      tasks: 8,
      emails: 2,
      documents: 1,
    });
    expect(integrityCheck(db)).toEqual([]);

    expect(findUserByLogin(db, 'pbartos')?.displayName).toBe('Pavel Bartoš');
    expect(verifyUserPassword(db, 'jnovakova', 'demo123')).toBe(true);
    expect(verifyUserPassword(db, 'jnovakova', 'demo124')).toBe(false);

    for (const name of ['HOTLINE', 'REGISTRACE', 'INSTALACE', 'Schůzka', 'Telefonát']) {
      expect(findCategory(db, 'event', name)?.icon).toBeTruthy();
    }
    for (const name of ['Zákazník', 'Dodavatel', 'Partner']) {
      expect(findCategory(db, 'contact', name)).toBeDefined();
    }
    expect(findCategory(db, 'document', 'Příloha')).toBeDefined();

    const customers = findNodeByPath(db, 'Kontakty/Zákazníci')!;
    expect(subtreeNodeIds(db, customers.id)).toHaveLength(3);
    const persons = listPersons(db);
    expect(persons.some((p) => p.companies.length > 1)).toBe(true);
    expect(persons.some((p) => p.emails.some((e) => e.kind === 'home'))).toBe(true);
    expect(listPersons(db, { nodeIds: subtreeNodeIds(db, customers.id) }).length).toBeGreaterThan(
      5,
    );
    // Every change so far was made "by the CRM" (no sync origin).
    expect(readChanges(db, 0).every((c) => c.op === 'insert' && !c.allFromSync)).toBe(true);
  });

  it('places events and tasks around today, of every kind the sync must handle', () => {
    const { db } = newCrm();
    seedDemoData(db, { today, password: 'x' });
    const events = listEvents(db);
    const subject = (s: string) => events.find((e) => e.subject.startsWith(s))!;

    expect(dateInZone(subject('HOTLINE').start, 'Europe/Prague')).toBe('2025-06-11');
    expect(subject('HOTLINE').status).toBe('Incoming');
    expect(subject('Inventura')).toMatchObject({
      allDay: true,
      start: '2025-06-14',
      end: '2025-06-15',
    });
    expect(subject('Veletrh')).toMatchObject({
      allDay: true,
      start: '2025-06-19',
      end: '2025-06-22',
    });
    expect(subject('Zubař').isPrivate).toBe(true);
    expect(subject('Školení').rrule).toBe('FREQ=DAILY;COUNT=5');

    const weekly = subject('Porada obchodního týmu');
    expect(weekly).toMatchObject({
      rrule: 'FREQ=WEEKLY;BYDAY=MO',
      timeZone: 'Europe/Prague',
      start: '2025-05-26T07:00:00.000Z', // Monday 09:00 in Prague, two weeks before
      exdates: ['2025-06-09T07:00:00.000Z'],
      overrides: [
        expect.objectContaining({
          recurrenceId: '2025-06-16T07:00:00.000Z',
          start: '2025-06-17T11:00:00.000Z',
        }),
      ],
    });

    // Attendees are CRM persons where they are not colleagues or rooms.
    const install = subject('INSTALACE');
    expect(install.attendees.map((a) => a.role).sort()).toEqual([
      'chair',
      'optional',
      'required',
      'resource',
    ]);
    expect(findPersonsByEmail(db, install.attendees[1]!.email)).toHaveLength(1);

    const tasks = listTasks(db);
    expect(tasks.some((t) => t.showInCalendar)).toBe(true);
    expect(tasks.filter((t) => t.completedAt !== null)).toHaveLength(2);
    expect(new Set(tasks.map((t) => t.priority))).toEqual(new Set(['low', 'normal', 'high']));
  });

  it('is deterministic for a given today', () => {
    const a = newCrm().db;
    const b = newCrm().db;
    seedDemoData(a, { today, password: 'x' });
    seedDemoData(b, { today, password: 'x' });
    expect(content(a)).toEqual(content(b));
    const c = newCrm().db;
    seedDemoData(c, { today: new Date('2025-12-24T10:00:00Z'), password: 'x' });
    expect(content(c)).not.toEqual(content(a));
  });
});
