/**
 * Bulk readers of events, tasks and persons with their child rows: one query per table, not
 * per row (the store's getters read child rows per item, too slow for 10,000 rows). The row
 * types and row -> object mappings are the store's own (rowToEvent etc. in src/core/crm).
 * The WHERE fragments come from this module's own constructors, never from input.
 */
import type { CrmDatabase } from '../../crm/database.ts';
import { rowToEvent, rowToOverride } from '../../crm/events.ts';
import type { EventRow, OverrideRow } from '../../crm/events.ts';
import { rowToPerson } from '../../crm/persons.ts';
import type { PersonRow } from '../../crm/persons.ts';
import type { SqlValue } from '../../crm/sql.ts';
import { rowToTask } from '../../crm/tasks.ts';
import type { TaskRow } from '../../crm/tasks.ts';
import type {
  Attendee,
  CrmEvent,
  Person,
  PersonCompanyLink,
  PersonEmail,
  PersonPhone,
  Task,
} from '../../crm/types.ts';
import { TABLE_OF } from './stamp.ts';
import type { CrmEntity } from './types.ts';

export interface Selection {
  where: string;
  params: SqlValue[];
}

export const ALL_ROWS: Selection = { where: '1 = 1', params: [] };

export function byOwner(ownerId: number): Selection {
  return { where: 'owner_id = ?', params: [ownerId] };
}

export function byIds(ids: readonly number[]): Selection {
  // json_each binds the whole list as one parameter.
  return { where: 'id IN (SELECT value FROM json_each(?))', params: [JSON.stringify(ids)] };
}

function groupBy<R extends { parent: number }, T>(rows: R[], map: (r: R) => T): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const r of rows) {
    let list = out.get(r.parent);
    if (!list) out.set(r.parent, (list = []));
    list.push(map(r));
  }
  return out;
}

function children<R extends { parent: number }>(db: CrmDatabase, sql: string, sel: Selection): R[] {
  return db.prepare<SqlValue[], R>(sql).all(...sel.params);
}

/** id -> name of a small lookup table (categories, activity groups, companies). */
export function namesOf(
  db: CrmDatabase,
  table: 'categories' | 'activity_groups',
): Map<number, string> {
  const rows = db.prepare<[], { id: number; name: string }>(`SELECT id, name FROM ${table}`).all();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * entity id -> time of its last change_log entry, for the selected rows only: reading one
 * item (the executor re-reads each row it writes) must not read the whole log.
 */
export function lastLoggedChanges(
  db: CrmDatabase,
  entity: CrmEntity,
  sel: Selection = ALL_ROWS,
): Map<number, string> {
  const rows = db
    .prepare<SqlValue[], { id: number; at: string }>(
      `SELECT entity_id AS id, max(changed_at) AS at FROM change_log
       WHERE entity = ? AND entity_id IN (SELECT id FROM ${TABLE_OF[entity]} WHERE ${sel.where})
       GROUP BY entity_id`,
    )
    .all(entity, ...sel.params);
  return new Map(rows.map((r) => [r.id, r.at]));
}

export function loadEvents(db: CrmDatabase, sel: Selection): CrmEvent[] {
  const rows = db
    .prepare<SqlValue[], EventRow>(`SELECT * FROM events WHERE ${sel.where} ORDER BY id`)
    .all(...sel.params);
  if (rows.length === 0) return [];
  const ids = `SELECT id FROM events WHERE ${sel.where}`;
  const attendees = groupBy(
    children<Attendee & { parent: number }>(
      db,
      `SELECT event_id AS parent, email, name, role, response FROM event_attendees
       WHERE event_id IN (${ids}) ORDER BY event_id, position, id`,
      sel,
    ),
    ({ email, name, role, response }): Attendee => ({ email, name, role, response }),
  );
  const exdates = groupBy(
    children<{ parent: number; d: string }>(
      db,
      `SELECT event_id AS parent, original_start AS d FROM event_exdates
       WHERE event_id IN (${ids}) ORDER BY event_id, original_start`,
      sel,
    ),
    (r) => r.d,
  );
  const overrides = groupBy(
    children<OverrideRow & { parent: number }>(
      db,
      `SELECT event_id AS parent, recurrence_id, all_day, starts_at, ends_at, subject, location,
              description, status
       FROM event_overrides WHERE event_id IN (${ids}) ORDER BY event_id, recurrence_id`,
      sel,
    ),
    rowToOverride,
  );
  const persons = groupBy(
    children<{ parent: number; id: number }>(
      db,
      `SELECT event_id AS parent, person_id AS id FROM event_persons
       WHERE event_id IN (${ids}) ORDER BY event_id, person_id`,
      sel,
    ),
    (r) => r.id,
  );
  const companies = groupBy(
    children<{ parent: number; id: number }>(
      db,
      `SELECT event_id AS parent, company_id AS id FROM event_companies
       WHERE event_id IN (${ids}) ORDER BY event_id, company_id`,
      sel,
    ),
    (r) => r.id,
  );
  return rows.map((r) =>
    rowToEvent(r, {
      attendees: attendees.get(r.id) ?? [],
      exdates: exdates.get(r.id) ?? [],
      overrides: overrides.get(r.id) ?? [],
      personIds: persons.get(r.id) ?? [],
      companyIds: companies.get(r.id) ?? [],
    }),
  );
}

export function loadTasks(db: CrmDatabase, sel: Selection): Task[] {
  return db
    .prepare<SqlValue[], TaskRow>(`SELECT * FROM tasks WHERE ${sel.where} ORDER BY id`)
    .all(...sel.params)
    .map(rowToTask);
}

/** A person with what its contact form shows: the first company's name and category names. */
export interface LoadedPerson {
  person: Person;
  organization: string | null;
  categoryNames: string[];
}

export function loadPersons(db: CrmDatabase, sel: Selection): LoadedPerson[] {
  const rows = db
    .prepare<SqlValue[], PersonRow>(`SELECT * FROM persons WHERE ${sel.where} ORDER BY id`)
    .all(...sel.params);
  if (rows.length === 0) return [];
  const ids = `SELECT id FROM persons WHERE ${sel.where}`;
  const emails = groupBy(
    children<PersonEmail & { parent: number }>(
      db,
      `SELECT person_id AS parent, email, kind, label FROM person_emails
       WHERE person_id IN (${ids}) ORDER BY person_id, position, id`,
      sel,
    ),
    ({ email, kind, label }): PersonEmail => ({ email, kind, label }),
  );
  const phones = groupBy(
    children<PersonPhone & { parent: number }>(
      db,
      `SELECT person_id AS parent, number, kind, label FROM person_phones
       WHERE person_id IN (${ids}) ORDER BY person_id, position, id`,
      sel,
    ),
    ({ number, kind, label }): PersonPhone => ({ number, kind, label }),
  );
  const companies = groupBy(
    children<PersonCompanyLink & { parent: number; name: string }>(
      db,
      `SELECT pc.person_id AS parent, pc.company_id AS companyId, pc.role, c.name
       FROM person_companies pc JOIN companies c ON c.id = pc.company_id
       WHERE pc.person_id IN (${ids}) ORDER BY pc.person_id, pc.position, pc.company_id`,
      sel,
    ),
    (r) => r,
  );
  const categories = groupBy(
    children<{ parent: number; id: number; name: string }>(
      db,
      `SELECT pc.person_id AS parent, c.id, c.name
       FROM person_categories pc JOIN categories c ON c.id = pc.category_id
       WHERE pc.person_id IN (${ids}) ORDER BY pc.person_id, c.id`,
      sel,
    ),
    (r) => r,
  );
  return rows.map((r) => {
    const links = companies.get(r.id) ?? [];
    const cats = categories.get(r.id) ?? [];
    const person = rowToPerson(r, {
      emails: emails.get(r.id) ?? [],
      phones: phones.get(r.id) ?? [],
      companies: links.map(({ companyId, role }): PersonCompanyLink => ({ companyId, role })),
      categoryIds: cats.map((c) => c.id),
    });
    return {
      person,
      organization: links[0]?.name ?? null,
      categoryNames: cats.map((c) => c.name),
    };
  });
}
