/** Activity groups (e.g. "Obchod", "Servis") that events and tasks belong to. */
import type { CrmDatabase } from './database.ts';
import { definedOnly, deleteRow, insertRow, updateRow } from './sql.ts';
import type { ActivityGroup } from './types.ts';

export function createGroup(
  db: CrmDatabase,
  group: { name: string; note?: string | null },
): number {
  return insertRow(
    db,
    'activity_groups',
    definedOnly({ name: group.name.trim(), note: group.note }),
  );
}

export function getGroup(db: CrmDatabase, id: number): ActivityGroup | undefined {
  return db
    .prepare<[number], ActivityGroup>('SELECT id, name, note FROM activity_groups WHERE id = ?')
    .get(id);
}

/** By name, ASCII case-insensitively. */
export function findGroupByName(db: CrmDatabase, name: string): ActivityGroup | undefined {
  return db
    .prepare<[string], ActivityGroup>('SELECT id, name, note FROM activity_groups WHERE name = ?')
    .get(name.trim());
}

export function listGroups(db: CrmDatabase): ActivityGroup[] {
  return db
    .prepare<[], ActivityGroup>('SELECT id, name, note FROM activity_groups ORDER BY name')
    .all();
}

export function updateGroup(
  db: CrmDatabase,
  id: number,
  patch: { name?: string; note?: string | null },
): boolean {
  return updateRow(
    db,
    'activity_groups',
    id,
    definedOnly({ name: patch.name?.trim(), note: patch.note }),
    { touch: false },
  );
}

/** Events and tasks of the group keep existing, without a group. */
export function deleteGroup(db: CrmDatabase, id: number): boolean {
  return deleteRow(db, 'activity_groups', id);
}
