/** Row counts for `crm-sync status` and the demo command. */
import type { CrmDatabase } from './database.ts';

const COUNTED: Record<string, string> = {
  users: 'users',
  companies: 'companies',
  persons: 'persons',
  categories: 'categories',
  classificationNodes: 'classification_nodes',
  groups: 'activity_groups',
  events: 'events',
  tasks: 'tasks',
  emails: 'emails',
  documents: 'documents',
  pendingChanges: 'change_log',
};

/** Keys: users, companies, persons, categories, classificationNodes, groups, events, tasks, emails, documents, pendingChanges. */
export function tableCounts(db: CrmDatabase): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [key, table] of Object.entries(COUNTED)) {
    counts[key] = db.prepare<[], number>(`SELECT count(*) FROM ${table}`).pluck().get() ?? 0;
  }
  return counts;
}
