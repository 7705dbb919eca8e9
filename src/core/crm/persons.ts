/**
 * Persons (contacts) with their e-mail addresses, phones, company links and categories.
 * Lists are stored in display order (`position`); saving a list replaces the stored one.
 */
import type { CrmDatabase } from './database.ts';
import { definedOnly, deleteRow, ids, inTransaction, insertRow, updateRow } from './sql.ts';
import type { SqlValue } from './sql.ts';
import type { NewPerson, Person, PersonCompanyLink, PersonEmail, PersonPhone } from './types.ts';

/** A row of `persons` as `SELECT *` returns it (shared with the sync engine's bulk loader). */
export interface PersonRow {
  id: number;
  uid: string | null;
  first_name: string;
  last_name: string;
  title: string | null;
  title_after: string | null;
  job_title: string | null;
  street: string | null;
  city: string | null;
  postal_code: string | null;
  region: string | null;
  country: string | null;
  note: string | null;
  owner_id: number | null;
  node_id: number | null;
  photo: Buffer | null;
  photo_type: string | null;
  created_at: string;
  updated_at: string;
}

function personColumns(p: Partial<NewPerson>): Record<string, SqlValue> {
  return definedOnly({
    uid: p.uid,
    first_name: p.firstName?.trim(),
    last_name: p.lastName?.trim(),
    title: p.title,
    title_after: p.titleAfter,
    job_title: p.jobTitle,
    street: p.street,
    city: p.city,
    postal_code: p.postalCode,
    region: p.region,
    country: p.country,
    note: p.note,
    owner_id: p.ownerId,
    node_id: p.nodeId,
    photo: p.photo,
    photo_type: p.photoType,
  });
}

function normalizeEmails(list: NonNullable<NewPerson['emails']>): PersonEmail[] {
  const seen = new Set<string>();
  const out: PersonEmail[] = [];
  for (const item of list) {
    const e = typeof item === 'string' ? { email: item } : item;
    const email = e.email.trim();
    // The schema keeps one row per address and person (ASCII case-insensitively).
    if (seen.has(email.toLowerCase())) continue;
    seen.add(email.toLowerCase());
    out.push({ email, kind: e.kind ?? 'work', label: e.label ?? null });
  }
  return out;
}

function normalizePhones(list: NonNullable<NewPerson['phones']>): PersonPhone[] {
  return list.map((item) => {
    const p = typeof item === 'string' ? { number: item } : item;
    return { number: p.number.trim(), kind: p.kind ?? 'work', label: p.label ?? null };
  });
}

function normalizeCompanies(list: NonNullable<NewPerson['companies']>): PersonCompanyLink[] {
  const seen = new Set<number>();
  const out: PersonCompanyLink[] = [];
  for (const item of list) {
    const link = typeof item === 'number' ? { companyId: item } : item;
    if (seen.has(link.companyId)) continue;
    seen.add(link.companyId);
    out.push({ companyId: link.companyId, role: link.role ?? null });
  }
  return out;
}

/** Replaces whichever lists the input carries. */
function saveLists(db: CrmDatabase, personId: number, p: Partial<NewPerson>): void {
  if (p.emails !== undefined) {
    db.prepare('DELETE FROM person_emails WHERE person_id = ?').run(personId);
    const insert = db.prepare(
      'INSERT INTO person_emails (person_id, email, kind, label, position) VALUES (?, ?, ?, ?, ?)',
    );
    normalizeEmails(p.emails).forEach((e, i) => insert.run(personId, e.email, e.kind, e.label, i));
  }
  if (p.phones !== undefined) {
    db.prepare('DELETE FROM person_phones WHERE person_id = ?').run(personId);
    const insert = db.prepare(
      'INSERT INTO person_phones (person_id, number, kind, label, position) VALUES (?, ?, ?, ?, ?)',
    );
    normalizePhones(p.phones).forEach((ph, i) =>
      insert.run(personId, ph.number, ph.kind, ph.label, i),
    );
  }
  if (p.companies !== undefined) {
    db.prepare('DELETE FROM person_companies WHERE person_id = ?').run(personId);
    const insert = db.prepare(
      'INSERT INTO person_companies (person_id, company_id, role, position) VALUES (?, ?, ?, ?)',
    );
    normalizeCompanies(p.companies).forEach((c, i) => insert.run(personId, c.companyId, c.role, i));
  }
  if (p.categoryIds !== undefined) {
    db.prepare('DELETE FROM person_categories WHERE person_id = ?').run(personId);
    const insert = db.prepare(
      'INSERT INTO person_categories (person_id, category_id) VALUES (?, ?)',
    );
    for (const categoryId of new Set(p.categoryIds)) insert.run(personId, categoryId);
  }
}

/** A person's child lists, read from person_emails, _phones, _companies, _categories. */
export type PersonLists = Pick<Person, 'emails' | 'phones' | 'companies' | 'categoryIds'>;

/** The one row -> Person mapping; the caller reads the child lists (per row or in bulk). */
export function rowToPerson(r: PersonRow, lists: PersonLists): Person {
  return {
    id: r.id,
    uid: r.uid,
    firstName: r.first_name,
    lastName: r.last_name,
    title: r.title,
    titleAfter: r.title_after,
    jobTitle: r.job_title,
    street: r.street,
    city: r.city,
    postalCode: r.postal_code,
    region: r.region,
    country: r.country,
    note: r.note,
    ownerId: r.owner_id,
    nodeId: r.node_id,
    photo: r.photo,
    photoType: r.photo_type,
    emails: lists.emails,
    phones: lists.phones,
    companies: lists.companies,
    categoryIds: lists.categoryIds,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toPerson(db: CrmDatabase, r: PersonRow): Person {
  return rowToPerson(r, {
    emails: db
      .prepare<[number], PersonEmail>(
        'SELECT email, kind, label FROM person_emails WHERE person_id = ? ORDER BY position, id',
      )
      .all(r.id),
    phones: db
      .prepare<[number], PersonPhone>(
        'SELECT number, kind, label FROM person_phones WHERE person_id = ? ORDER BY position, id',
      )
      .all(r.id),
    companies: db
      .prepare<[number], PersonCompanyLink>(
        `SELECT company_id AS companyId, role FROM person_companies
         WHERE person_id = ? ORDER BY position, company_id`,
      )
      .all(r.id),
    categoryIds: ids(
      db,
      'SELECT category_id FROM person_categories WHERE person_id = ? ORDER BY category_id',
      r.id,
    ),
  });
}

/** Adds a person with its lists; returns the new id. */
export function insertPerson(db: CrmDatabase, person: NewPerson): number {
  return inTransaction(db, () => {
    const id = insertRow(db, 'persons', personColumns(person));
    saveLists(db, id, person);
    return id;
  });
}

export function getPerson(db: CrmDatabase, id: number): Person | undefined {
  const row = db.prepare<[number], PersonRow>('SELECT * FROM persons WHERE id = ?').get(id);
  return row && toPerson(db, row);
}

/** Changes the given fields; a given list replaces the stored one. False when not found. */
export function updatePerson(db: CrmDatabase, id: number, patch: Partial<NewPerson>): boolean {
  return inTransaction(db, () => {
    if (!updateRow(db, 'persons', id, personColumns(patch))) return false;
    saveLists(db, id, patch);
    return true;
  });
}

export function deletePerson(db: CrmDatabase, id: number): boolean {
  return deleteRow(db, 'persons', id);
}

export interface PersonFilter {
  ownerId?: number;
  /** Filed in one of these classification nodes (see subtreeNodeIds for a branch). */
  nodeIds?: number[];
  /** In at least one of these categories. */
  categoryIds?: number[];
  companyId?: number;
}

export function listPersons(db: CrmDatabase, filter: PersonFilter = {}): Person[] {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (filter.ownerId !== undefined) {
    where.push('owner_id = ?');
    params.push(filter.ownerId);
  }
  if (filter.nodeIds !== undefined) {
    // json_each binds a whole id list as one parameter.
    where.push('node_id IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(filter.nodeIds));
  }
  if (filter.categoryIds !== undefined) {
    where.push(
      'id IN (SELECT person_id FROM person_categories WHERE category_id IN (SELECT value FROM json_each(?)))',
    );
    params.push(JSON.stringify(filter.categoryIds));
  }
  if (filter.companyId !== undefined) {
    where.push('id IN (SELECT person_id FROM person_companies WHERE company_id = ?)');
    params.push(filter.companyId);
  }
  const sql = `SELECT * FROM persons${where.length ? ` WHERE ${where.join(' AND ')}` : ''}
    ORDER BY last_name, first_name, id`;
  return db
    .prepare<SqlValue[], PersonRow>(sql)
    .all(...params)
    .map((r) => toPerson(db, r));
}

/** Persons having that e-mail address (ASCII case-insensitively), e.g. to link mail. */
export function findPersonsByEmail(db: CrmDatabase, email: string): Person[] {
  return db
    .prepare<[string], PersonRow>(
      `SELECT * FROM persons WHERE id IN (
         SELECT person_id FROM person_emails WHERE lower(email) = lower(?))
       ORDER BY id`,
    )
    .all(email.trim())
    .map((r) => toPerson(db, r));
}

export function findPersonsByUid(db: CrmDatabase, uid: string): Person[] {
  return db
    .prepare<[string], PersonRow>('SELECT * FROM persons WHERE uid = ? ORDER BY id')
    .all(uid)
    .map((r) => toPerson(db, r));
}

/** "Ing. Jana Nováková, Ph.D." */
export function personDisplayName(
  p: Pick<Person, 'title' | 'firstName' | 'lastName' | 'titleAfter'>,
): string {
  const name = [p.title, p.firstName, p.lastName].filter((s) => s && s.trim()).join(' ');
  return p.titleAfter ? `${name}, ${p.titleAfter}` : name;
}
