import { describe, expect, it } from 'vitest';
import { insertEvent } from '../../src/core/crm/events.ts';
import { listPersons } from '../../src/core/crm/persons.ts';
import { getCrmItems, listCrmItems } from '../../src/core/sync/crm-side/list.ts';
import { newCrm } from './helpers.ts';

describe('listCrmItems', () => {
  it("lists the user's events and tasks, and all persons", () => {
    const crm = newCrm({ demo: true });
    const events = listCrmItems(crm.db, 'events', { ownerId: crm.ownerId });
    const ownerEvents = crm.db
      .prepare('SELECT count(*) FROM events WHERE owner_id = ?')
      .pluck()
      .get(crm.ownerId);
    expect(events).toHaveLength(ownerEvents as number);
    expect(events.every((e) => e.facts.ownerId === crm.ownerId && e.entity === 'event')).toBe(true);
    expect(events.some((e) => e.facts.groupName === 'Obchod')).toBe(true);
    const tasks = listCrmItems(crm.db, 'tasks', { ownerId: crm.ownerId });
    expect(tasks.length).toBeGreaterThan(0);
    expect(tasks.every((t) => t.facts.ownerId === crm.ownerId && t.data.kind === 'task')).toBe(
      true,
    );
    const contacts = listCrmItems(crm.db, 'contacts', { ownerId: crm.ownerId });
    expect(contacts).toHaveLength(listPersons(crm.db).length);
    expect(contacts.some((c) => c.facts.ownerId !== crm.ownerId)).toBe(true);
    expect(contacts.every((c) => c.facts.classificationNodeId !== null)).toBe(true);
  });

  it('gives identity and a modification time that sees child-row edits by other programs', () => {
    const crm = newCrm();
    const id = insertEvent(crm.db, {
      uid: 'server-uid',
      subject: 'x',
      allDay: false,
      start: '2026-03-23T08:00:00Z',
      end: '2026-03-23T09:00:00Z',
      ownerId: crm.ownerId,
    });
    // Another program adds an attendee and leaves updated_at as it was.
    crm.db
      .prepare("UPDATE events SET updated_at = '2020-01-01T00:00:00.000Z' WHERE id = ?")
      .run(id);
    crm.db
      .prepare("INSERT INTO event_attendees (event_id, email) VALUES (?, 'a@b.example')")
      .run(id);
    const [e] = listCrmItems(crm.db, 'events', { ownerId: crm.ownerId });
    expect(e?.identity.uid).toBe('server-uid');
    expect(e!.modifiedAt > '2025-01-01').toBe(true);
    expect(e?.modifiedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // Unpaired rows have uid ''.
    const other = insertEvent(crm.db, {
      subject: 'y',
      allDay: true,
      start: '2026-03-23',
      end: '2026-03-24',
    });
    expect(getCrmItems(crm.db, 'event', [other, 12345])[0]?.identity.uid).toBe('');
    expect(getCrmItems(crm.db, 'event', [other, 12345])).toHaveLength(1);
  });

  it('lists 10,000 events with attendees in a few hundred ms at most (printed, not asserted)', () => {
    const crm = newCrm();
    // Plain SQL with prepared statements: the store's insertEvent would make setup the slow part.
    const event = crm.db.prepare(
      `INSERT INTO events (uid, subject, location, all_day, starts_at, ends_at, time_zone, rrule,
         owner_id, reminder_minutes, organizer_email)
       VALUES (?, ?, ?, ?, ?, ?, 'Europe/Prague', ?, ?, 15, 'pavel@firma.example')`,
    );
    const attendee = crm.db.prepare(
      'INSERT INTO event_attendees (event_id, email, name, role, position) VALUES (?, ?, ?, ?, ?)',
    );
    const exdate = crm.db.prepare(
      'INSERT INTO event_exdates (event_id, original_start) VALUES (?, ?)',
    );
    crm.db.transaction(() => {
      for (let i = 0; i < 10_000; i++) {
        const start = new Date(Date.UTC(2026, 0, 1, 8) + i * 3_600_000);
        const allDay = i % 10 === 0;
        const id = Number(
          event.run(
            `uid-${i}@bench`,
            `Schůzka ${i}`,
            i % 3 === 0 ? 'Brno' : null,
            allDay ? 1 : 0,
            allDay ? start.toISOString().slice(0, 10) : start.toISOString(),
            allDay
              ? new Date(start.getTime() + 86_400_000).toISOString().slice(0, 10)
              : new Date(start.getTime() + 1_800_000).toISOString(),
            i % 50 === 0 ? 'FREQ=WEEKLY' : null,
            crm.ownerId,
          ).lastInsertRowid,
        );
        attendee.run(id, `a${i}@x.example`, 'A', 'required', 0);
        attendee.run(id, `b${i}@x.example`, 'B', 'optional', 1);
        if (i % 50 === 0) exdate.run(id, allDay ? '2027-01-01' : '2027-01-01T08:00:00.000Z');
      }
    })();
    const t0 = performance.now();
    const items = listCrmItems(crm.db, 'events', { ownerId: crm.ownerId });
    const ms = performance.now() - t0;
    console.log(`listCrmItems: 10,000 events in ${ms.toFixed(0)} ms`);
    expect(items).toHaveLength(10_000);
    expect(items[1]?.data.kind === 'event' && items[1].data.attendees).toHaveLength(2);
  });
});
