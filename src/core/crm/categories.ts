/**
 * Categories (name + icon) for events, tasks, contacts and documents. A category of kind
 * "any" applies to every kind. Server items carry category names, so names are unique per
 * kind.
 */
import type { CrmDatabase } from './database.ts';
import { definedOnly, deleteRow, insertRow, updateRow } from './sql.ts';
import type { Category, CategoryKind, NewCategory } from './types.ts';

interface CategoryRow {
  id: number;
  name: string;
  kind: CategoryKind;
  icon: string | null;
  color: string | null;
  position: number;
}

function toCategory(r: CategoryRow): Category {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    icon: r.icon,
    color: r.color,
    position: r.position,
  };
}

export function createCategory(db: CrmDatabase, category: NewCategory): number {
  return insertRow(
    db,
    'categories',
    definedOnly({
      name: category.name.trim(),
      kind: category.kind,
      icon: category.icon,
      color: category.color,
      position: category.position,
    }),
  );
}

export function getCategory(db: CrmDatabase, id: number): Category | undefined {
  const row = db.prepare<[number], CategoryRow>('SELECT * FROM categories WHERE id = ?').get(id);
  return row && toCategory(row);
}

/**
 * The category usable for that kind with that name (ASCII case-insensitive): one of the kind
 * itself first, else one of kind "any".
 */
export function findCategory(
  db: CrmDatabase,
  kind: CategoryKind,
  name: string,
): Category | undefined {
  const row = db
    .prepare<[string, string, string], CategoryRow>(
      `SELECT * FROM categories WHERE name = ? COLLATE NOCASE AND kind IN (?, 'any')
       ORDER BY kind = ? DESC, id LIMIT 1`,
    )
    .get(name.trim(), kind, kind);
  return row && toCategory(row);
}

/** Categories usable for a kind (its own and "any"), or all of them, in display order. */
export function listCategories(db: CrmDatabase, kind?: CategoryKind): Category[] {
  const rows =
    kind === undefined
      ? db.prepare<[], CategoryRow>('SELECT * FROM categories ORDER BY position, name').all()
      : db
          .prepare<[string], CategoryRow>(
            `SELECT * FROM categories WHERE kind IN (?, 'any') ORDER BY position, name`,
          )
          .all(kind);
  return rows.map(toCategory);
}

export function updateCategory(db: CrmDatabase, id: number, patch: Partial<NewCategory>): boolean {
  return updateRow(
    db,
    'categories',
    id,
    definedOnly({
      name: patch.name?.trim(),
      kind: patch.kind,
      icon: patch.icon,
      color: patch.color,
      position: patch.position,
    }),
    { touch: false },
  );
}

/** Items in the category keep existing, without a category (persons lose the link). */
export function deleteCategory(db: CrmDatabase, id: number): boolean {
  return deleteRow(db, 'categories', id);
}
