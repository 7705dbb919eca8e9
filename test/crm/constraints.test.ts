import { describe, expect, it } from 'vitest';
import type { CrmDatabase } from '../../src/core/crm/database.ts';
import { newCrm } from './helpers.ts';

/** Runs raw SQL as another program would, returning the SQLite error text or 'ok'. */
function attempt(db: CrmDatabase, sql: string): string {
  try {
    db.prepare(sql).run();
    return 'ok';
  } catch (err) {
    return (err as Error).message;
  }
}

const EVENT = `INSERT INTO events (subject, all_day, starts_at, ends_at`;
const TIMED = `'2025-03-31T07:00:00.000Z', '2025-03-31T08:00:00.000Z'`;

describe('the schema protects its data', () => {
  it('rejects rows that point at nothing (foreign keys)', () => {
    const { db } = newCrm();
    expect(attempt(db, `${EVENT}, owner_id) VALUES ('x', 0, ${TIMED}, 99)`)).toMatch(/FOREIGN KEY/);
    expect(
      attempt(db, `INSERT INTO person_emails (person_id, email) VALUES (99, 'a@b.cz')`),
    ).toMatch(/FOREIGN KEY/);
    expect(
      attempt(db, `INSERT INTO event_attendees (event_id, email) VALUES (99, 'a@b.cz')`),
    ).toMatch(/FOREIGN KEY/);
    expect(
      attempt(db, `INSERT INTO classification_nodes (name, parent_id) VALUES ('x', 99)`),
    ).toMatch(/FOREIGN KEY/);
  });

  it('checks event times: instants in UTC, all-day as real dates, end after start', () => {
    const { db } = newCrm();
    expect(attempt(db, `${EVENT}) VALUES ('ok', 0, ${TIMED})`)).toBe('ok');
    expect(
      attempt(db, `${EVENT}) VALUES ('no ms', 0, '2025-03-31T07:00:00Z', '2025-03-31T08:00:00Z')`),
    ).toBe('ok');
    expect(attempt(db, `${EVENT}) VALUES ('all-day', 1, '2025-03-31', '2025-04-01')`)).toBe('ok');
    const bad = [
      `${EVENT}) VALUES ('local time', 0, '2025-03-31T09:00:00', '2025-03-31T10:00:00')`,
      `${EVENT}) VALUES ('offset', 0, '2025-03-31T09:00:00+02:00', '2025-03-31T10:00:00+02:00')`,
      `${EVENT}) VALUES ('end first', 0, '2025-03-31T08:00:00.000Z', '2025-03-31T07:00:00.000Z')`,
      `${EVENT}) VALUES ('all-day instant', 1, '2025-03-31T00:00:00.000Z', '2025-04-01T00:00:00.000Z')`,
      `${EVENT}) VALUES ('no 30 Feb', 1, '2025-02-30', '2025-03-01')`,
      `${EVENT}) VALUES ('empty all-day', 1, '2025-03-31', '2025-03-31')`,
      `${EVENT}) VALUES ('timed date', 0, '2025-03-31', '2025-04-01')`,
      `${EVENT}) VALUES ('garbage', 0, 'soon', 'later')`,
      `${EVENT}) VALUES ('garbage', 1, 'today', 'tomorrow')`,
      `${EVENT}) VALUES ('bool', 2, ${TIMED})`,
      `${EVENT}, private) VALUES ('bool', 0, ${TIMED}, 2)`,
      `${EVENT}, reminder_minutes) VALUES ('negative', 0, ${TIMED}, -5)`,
      `${EVENT}, rrule) VALUES ('no FREQ', 0, ${TIMED}, 'BYDAY=MO')`,
      `${EVENT}, rrule) VALUES ('prefix', 0, ${TIMED}, 'RRULE:FREQ=DAILY')`,
    ];
    for (const sql of bad) expect(attempt(db, sql), sql).toMatch(/CHECK constraint failed/);
  });

  it('checks enumerations, ranges and formats of the other tables', () => {
    const { db } = newCrm();
    db.prepare(`${EVENT}) VALUES ('e', 0, ${TIMED})`).run();
    db.prepare(`INSERT INTO persons (first_name) VALUES ('Jan')`).run();
    const bad = [
      `INSERT INTO tasks (subject, percent_complete) VALUES ('t', 101)`,
      `INSERT INTO tasks (subject, percent_complete) VALUES ('t', -1)`,
      `INSERT INTO tasks (subject, percent_complete) VALUES ('t', 50.5)`,
      `INSERT INTO tasks (subject, priority) VALUES ('t', 'urgent')`,
      `INSERT INTO tasks (subject, show_in_calendar) VALUES ('t', 3)`,
      `INSERT INTO tasks (subject, all_day, due_at) VALUES ('t', 1, '2025-03-31T10:00:00.000Z')`,
      `INSERT INTO tasks (subject, all_day, starts_at, due_at) VALUES ('t', 1, '2025-04-02', '2025-04-01')`,
      `INSERT INTO tasks (subject, completed_at) VALUES ('t', 'yesterday')`,
      `INSERT INTO event_attendees (event_id, email, role) VALUES (1, 'a@b.cz', 'boss')`,
      `INSERT INTO event_attendees (event_id, email, response) VALUES (1, 'a@b.cz', 'maybe')`,
      `INSERT INTO event_attendees (event_id, email) VALUES (1, 'not-an-address')`,
      `INSERT INTO event_exdates (event_id, original_start) VALUES (1, 'next monday')`,
      `INSERT INTO event_overrides (event_id, recurrence_id, starts_at, ends_at) VALUES (1, 'x', ${TIMED})`,
      `INSERT INTO event_overrides (event_id, recurrence_id, starts_at, ends_at) VALUES (1, '2025-04-07T07:00:00.000Z', 'a', 'b')`,
      `INSERT INTO tasks (subject, starts_at) VALUES ('t', 'soon')`,
      `INSERT INTO categories (name, kind) VALUES ('x', 'calendar')`,
      `INSERT INTO categories (name, kind, color) VALUES ('x', 'event', 'red')`,
      `INSERT INTO classification_nodes (name) VALUES ('a/b')`,
      `INSERT INTO persons (first_name, last_name) VALUES ('', ' ')`,
      `INSERT INTO person_emails (person_id, email, kind) VALUES (1, 'a@b.cz', 'private')`,
      `INSERT INTO person_phones (person_id, number, kind) VALUES (1, '123', 'pager')`,
      `INSERT INTO emails (message_id, folder, received_at, to_json) VALUES ('<m>', 'Inbox', '2025-03-31T10:00:00.000Z', '{"email":"a@b.cz"}')`,
      `INSERT INTO emails (message_id, folder, received_at) VALUES ('<m>', 'Inbox', '31.3.2025')`,
      `INSERT INTO documents (path, file_name, size, sha256) VALUES ('/a', 'a', 1, 'ABC')`,
      `INSERT INTO documents (path, file_name, size) VALUES ('/a', 'a', -1)`,
      `INSERT INTO users (login, display_name, password_hash) VALUES (' pb', 'P', 'x')`,
      `INSERT INTO change_log (entity, entity_id, op) VALUES ('user', 1, 'insert')`,
    ];
    for (const sql of bad) expect(attempt(db, sql), sql).toMatch(/CHECK constraint failed/);
  });

  it('keeps names unique where sync relies on them', () => {
    const { db } = newCrm();
    const ok = [
      `INSERT INTO categories (name, kind) VALUES ('Schůzka', 'event')`,
      `INSERT INTO categories (name, kind) VALUES ('Schůzka', 'task')`,
      `INSERT INTO classification_nodes (name) VALUES ('Kontakty')`,
      `INSERT INTO classification_nodes (name, parent_id) VALUES ('Kontakty', 1)`,
      `INSERT INTO persons (first_name) VALUES ('Jan')`,
      `INSERT INTO person_emails (person_id, email) VALUES (1, 'Jan@Example.cz')`,
      `INSERT INTO emails (message_id, folder, received_at) VALUES ('<m@x>', 'Inbox', '2025-03-31T10:00:00.000Z')`,
    ];
    for (const sql of ok) expect(attempt(db, sql), sql).toBe('ok');
    const dup = [
      `INSERT INTO categories (name, kind) VALUES ('schůzka', 'event')`,
      `INSERT INTO classification_nodes (name) VALUES ('KONTAKTY')`,
      `INSERT INTO person_emails (person_id, email) VALUES (1, 'jan@example.CZ')`,
      `INSERT INTO emails (message_id, folder, received_at) VALUES ('<m@x>', 'Other', '2025-03-31T10:00:00.000Z')`,
    ];
    for (const sql of dup) expect(attempt(db, sql), sql).toMatch(/UNIQUE constraint failed/);
  });

  it('removes child rows with their parent (ON DELETE CASCADE) and clears optional links', () => {
    const { db } = newCrm();
    db.exec(`
      INSERT INTO users (login, display_name, password_hash) VALUES ('u', 'U', 'x');
      INSERT INTO categories (name, kind) VALUES ('c', 'event');
      ${EVENT}, owner_id, category_id) VALUES ('e', 0, ${TIMED}, 1, 1);
      INSERT INTO event_attendees (event_id, email) VALUES (1, 'a@b.cz');
      INSERT INTO event_exdates (event_id, original_start) VALUES (1, '2025-04-07T07:00:00.000Z');
      DELETE FROM users;
      DELETE FROM categories;`);
    expect(db.prepare('SELECT owner_id, category_id FROM events').get()).toEqual({
      owner_id: null,
      category_id: null,
    });
    db.exec('DELETE FROM events');
    expect(db.prepare('SELECT count(*) FROM event_attendees').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM event_exdates').pluck().get()).toBe(0);
  });
});
