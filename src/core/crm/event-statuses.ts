/**
 * The CRM's status values of events. The CRM keeps no list of them: `events.status` is free
 * text (docs/crm-schema.md), and the values are whatever its users have typed. The values
 * in use are the list, so agendas.events.importedStatus is chosen from it, not typed.
 */
import type { CrmDatabase } from './database.ts';

/** The distinct statuses events and their occurrences use, trimmed, sorted, no duplicates by case. */
export function listEventStatuses(db: CrmDatabase): string[] {
  const rows = db
    .prepare<[], string>(
      `SELECT trim(status) FROM events WHERE status IS NOT NULL AND trim(status) <> ''
       UNION SELECT trim(status) FROM event_overrides WHERE status IS NOT NULL AND trim(status) <> ''`,
    )
    .pluck()
    .all();
  const byFolded = new Map<string, string>();
  for (const value of rows.sort((a, b) => a.localeCompare(b))) {
    const folded = value.toLocaleLowerCase();
    if (!byFolded.has(folded)) byFolded.set(folded, value);
  }
  return [...byFolded.values()];
}

/**
 * Why `status` cannot be agendas.events.importedStatus (not a status the CRM's events use),
 * or null when it can ('' leaves the status alone, so it always can).
 */
export function importedStatusProblem(db: CrmDatabase, status: string): string | null {
  if (status === '') return null;
  const statuses = listEventStatuses(db);
  if (statuses.includes(status)) return null;
  const used = statuses.length ? statuses.map((s) => `"${s}"`).join(', ') : 'none yet';
  return `agendas.events.importedStatus: "${status}" is not a status the CRM's events use (they use ${used}); choose one of them, or "" to leave the status as it is.`;
}
