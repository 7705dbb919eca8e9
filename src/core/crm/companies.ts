/** Companies (organisations) of the CRM; synced as contacts alongside persons. */
import type { CrmDatabase } from './database.ts';
import { definedOnly, deleteRow, ids, insertRow, updateRow } from './sql.ts';
import type { SqlValue } from './sql.ts';
import type { Company, CompanyFields, NewCompany } from './types.ts';

interface CompanyRow {
  id: number;
  uid: string | null;
  name: string;
  ico: string | null;
  vat_no: string | null;
  street: string | null;
  city: string | null;
  postal_code: string | null;
  region: string | null;
  country: string | null;
  phone: string | null;
  email: string | null;
  web: string | null;
  note: string | null;
  owner_id: number | null;
  created_at: string;
  updated_at: string;
}

function toCompany(r: CompanyRow): Company {
  return {
    id: r.id,
    uid: r.uid,
    name: r.name,
    ico: r.ico,
    vatNo: r.vat_no,
    street: r.street,
    city: r.city,
    postalCode: r.postal_code,
    region: r.region,
    country: r.country,
    phone: r.phone,
    email: r.email,
    web: r.web,
    note: r.note,
    ownerId: r.owner_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function companyColumns(c: Partial<CompanyFields>): Record<string, SqlValue> {
  return definedOnly({
    uid: c.uid,
    name: c.name,
    ico: c.ico,
    vat_no: c.vatNo,
    street: c.street,
    city: c.city,
    postal_code: c.postalCode,
    region: c.region,
    country: c.country,
    phone: c.phone,
    email: c.email,
    web: c.web,
    note: c.note,
    owner_id: c.ownerId,
  });
}

export function insertCompany(db: CrmDatabase, company: NewCompany): number {
  return insertRow(db, 'companies', companyColumns(company));
}

export function getCompany(db: CrmDatabase, id: number): Company | undefined {
  const row = db.prepare<[number], CompanyRow>('SELECT * FROM companies WHERE id = ?').get(id);
  return row && toCompany(row);
}

/** Changes the given fields; false when there is no such company. */
export function updateCompany(db: CrmDatabase, id: number, patch: Partial<CompanyFields>): boolean {
  return updateRow(db, 'companies', id, companyColumns(patch));
}

export function deleteCompany(db: CrmDatabase, id: number): boolean {
  return deleteRow(db, 'companies', id);
}

export function listCompanies(db: CrmDatabase, filter: { ownerId?: number } = {}): Company[] {
  const rows =
    filter.ownerId === undefined
      ? db.prepare<[], CompanyRow>('SELECT * FROM companies ORDER BY name, id').all()
      : db
          .prepare<[number], CompanyRow>(
            'SELECT * FROM companies WHERE owner_id = ? ORDER BY name, id',
          )
          .all(filter.ownerId);
  return rows.map(toCompany);
}

export function findCompaniesByUid(db: CrmDatabase, uid: string): Company[] {
  return db
    .prepare<[string], CompanyRow>('SELECT * FROM companies WHERE uid = ? ORDER BY id')
    .all(uid)
    .map(toCompany);
}

/** By registration number (IČO), as stored. */
export function findCompaniesByIco(db: CrmDatabase, ico: string): Company[] {
  return db
    .prepare<[string], CompanyRow>('SELECT * FROM companies WHERE ico = ? ORDER BY id')
    .all(ico.trim())
    .map(toCompany);
}

/** By name, case-insensitively for ASCII letters. */
export function findCompaniesByName(db: CrmDatabase, name: string): Company[] {
  return db
    .prepare<[string], CompanyRow>(
      'SELECT * FROM companies WHERE name = ? COLLATE NOCASE ORDER BY id',
    )
    .all(name.trim())
    .map(toCompany);
}

/** Persons linked to the company. */
export function personIdsOfCompany(db: CrmDatabase, companyId: number): number[] {
  return ids(
    db,
    'SELECT person_id FROM person_companies WHERE company_id = ? ORDER BY position, person_id',
    companyId,
  );
}
