/**
 * Small helpers shared by the repositories. Table and column names passed here always come
 * from the repositories' own constants, never from input, so interpolating them is safe.
 */
import type { CrmDatabase } from './database.ts';

export type SqlValue = string | number | bigint | Buffer | null;

export const NOW_SQL = `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`;

/** SQLite has no booleans; the schema stores 0/1. */
export function flag(value: boolean | undefined): number | undefined {
  return value === undefined ? undefined : value ? 1 : 0;
}

/** Drops the undefined entries: those columns keep their default (insert) or value (update). */
export function definedOnly(
  values: Record<string, SqlValue | undefined>,
): Record<string, SqlValue> {
  const out: Record<string, SqlValue> = {};
  for (const [column, value] of Object.entries(values)) {
    if (value !== undefined) out[column] = value;
  }
  return out;
}

/** INSERT of the given columns; returns the new rowid. */
export function insertRow(
  db: CrmDatabase,
  table: string,
  values: Record<string, SqlValue>,
): number {
  const columns = Object.keys(values);
  const sql =
    columns.length === 0
      ? `INSERT INTO ${table} DEFAULT VALUES`
      : `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`;
  const result = columns.length === 0 ? db.prepare(sql).run() : db.prepare(sql).run(values);
  return Number(result.lastInsertRowid);
}

/**
 * UPDATE of the given columns of one row (and updated_at when the table has one); true when
 * the row exists. With no columns, only touches updated_at.
 */
export function updateRow(
  db: CrmDatabase,
  table: string,
  id: number,
  values: Record<string, SqlValue>,
  options: { touch: boolean } = { touch: true },
): boolean {
  const sets = Object.keys(values).map((c) => `${c} = @${c}`);
  if (options.touch) sets.push(`updated_at = ${NOW_SQL}`);
  if (sets.length === 0) return exists(db, table, id);
  const result = db
    .prepare(`UPDATE ${table} SET ${sets.join(', ')} WHERE id = @id`)
    .run({ ...values, id });
  return result.changes > 0;
}

export function deleteRow(db: CrmDatabase, table: string, id: number): boolean {
  return db.prepare(`DELETE FROM ${table} WHERE id = ?`).run(id).changes > 0;
}

export function exists(db: CrmDatabase, table: string, id: number): boolean {
  return db.prepare(`SELECT 1 FROM ${table} WHERE id = ?`).pluck().get(id) !== undefined;
}

/** Runs fn in a transaction (a savepoint when already inside one). */
export function inTransaction<T>(db: CrmDatabase, fn: () => T): T {
  return db.transaction(fn)();
}

/** The integer ids in a one-column query. */
export function ids(db: CrmDatabase, sql: string, ...params: SqlValue[]): number[] {
  return db
    .prepare<SqlValue[], number>(sql)
    .pluck()
    .all(...params);
}
