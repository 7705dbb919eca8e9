/** Filter inputs the planner needs from the CRM database, resolved from the settings. */
import { findNodeByPath, subtreeNodeIds } from '../../crm/classification.ts';
import type { CrmDatabase } from '../../crm/database.ts';
import { ConfigError } from '../../errors.ts';
import { foldName } from './text.ts';

/**
 * The classification node ids of a branch and everything below it; null for an empty path
 * (the whole tree, unfiled persons included). A path the CRM does not have is a settings
 * error: syncing "nothing" instead would look like every contact was deleted.
 */
export function classificationSubtree(db: CrmDatabase, branchPath: string): Set<number> | null {
  const path = branchPath.trim();
  if (path === '') return null;
  const node = findNodeByPath(db, path);
  if (!node) {
    throw new ConfigError(
      `Setting agendas.contacts.classificationBranch names "${path}", which is not a branch of the CRM classification tree; choose an existing branch or leave it empty.`,
    );
  }
  return new Set(subtreeNodeIds(db, node.id));
}

/**
 * Ids of the activity groups with these names (case-insensitive, also for non-ASCII letters). An unknown name is a
 * settings error naming `setting`: a renamed group would otherwise silently stop exports.
 */
export function groupIdsByName(
  db: CrmDatabase,
  names: readonly string[],
  setting = 'agendas.tasks.exportGroups.groups',
): Set<number> {
  const byName = new Map<string, number>();
  for (const g of db
    .prepare<[], { id: number; name: string }>('SELECT id, name FROM activity_groups')
    .all()) {
    byName.set(foldName(g.name), g.id);
  }
  const ids = new Set<number>();
  const unknown: string[] = [];
  for (const name of names) {
    const id = byName.get(foldName(name));
    if (id === undefined) unknown.push(name);
    else ids.add(id);
  }
  if (unknown.length > 0) {
    throw new ConfigError(
      `Setting ${setting} names ${unknown.map((n) => `"${n}"`).join(', ')}, which ${unknown.length === 1 ? 'is not an activity group' : 'are not activity groups'} of the CRM.`,
    );
  }
  return ids;
}
