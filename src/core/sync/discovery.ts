/**
 * The server's folders, discovered once and kept: a run reuses the list found within the
 * last day, so a run with nothing to do costs one change request per folder and no more.
 * The list is found again when it is older, when the configured folders are not all in it,
 * and after a run in which a folder could not be opened (a folder deleted or renamed on the
 * server); the folder picker always asks the server.
 */
import { createHash } from 'node:crypto';
import type { CrmDatabase } from '../crm/database.ts';
import type { ServerConnector, ServerFolder } from '../servers/connector.ts';
import type { Settings } from '../../shared/settings/schema.ts';
import type { AgendaKind } from '../model/items.ts';
import { canonicalJson } from '../model/content-hash.ts';

const MAX_AGE_MS = 24 * 60 * 60 * 1000;
const AGENDA_KINDS: readonly AgendaKind[] = ['events', 'tasks', 'contacts'];

export interface FolderDiscovery {
  folders: ServerFolder[];
  /** Taken from the last discovery rather than from the server just now. */
  cached: boolean;
}

/** Which connection and user a kept list belongs to: any change of either finds it anew. */
function discoveryKey(settings: Settings): string {
  const subject = { connection: settings.connection, user: settings.crm.user };
  return createHash('sha256').update(canonicalJson(subject)).digest('hex').slice(0, 32);
}

function isFolder(value: unknown): value is ServerFolder {
  if (typeof value !== 'object' || value === null) return false;
  const f = value as Record<string, unknown>;
  return (
    typeof f['id'] === 'string' &&
    typeof f['displayName'] === 'string' &&
    typeof f['path'] === 'string' &&
    typeof f['isDefault'] === 'boolean' &&
    Array.isArray(f['kinds']) &&
    f['kinds'].every((k) => AGENDA_KINDS.includes(k as AgendaKind))
  );
}

function keptFolders(db: CrmDatabase, key: string, now: Date | null): ServerFolder[] | null {
  const row = db
    .prepare<[string], { folders: string; discovered_at: string }>(
      'SELECT folders, discovered_at FROM sync_discovery WHERE key = ?',
    )
    .get(key);
  if (!row) return null;
  const age = now === null ? 0 : now.getTime() - Date.parse(row.discovered_at);
  if (!(age >= 0 && age < MAX_AGE_MS)) return null;
  try {
    const parsed: unknown = JSON.parse(row.folders);
    return Array.isArray(parsed) && parsed.every(isFolder) ? parsed : null;
  } catch {
    return null;
  }
}

export async function discoverFolders(
  db: CrmDatabase,
  settings: Settings,
  connector: ServerConnector,
  options: { now: Date; dryRun: boolean; fresh?: boolean },
): Promise<FolderDiscovery> {
  const key = discoveryKey(settings);
  if (!options.fresh) {
    const kept = keptFolders(db, key, options.now);
    if (kept) return { folders: kept, cached: true };
  }
  const folders = await connector.listFolders();
  if (!options.dryRun) {
    db.prepare(
      `INSERT INTO sync_discovery (key, folders, discovered_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET folders = excluded.folders, discovered_at = excluded.discovered_at`,
    ).run(key, JSON.stringify(folders), options.now.toISOString());
  }
  return { folders, cached: false };
}

/**
 * The list the last run found for these settings, however old (for `crm-sync status`,
 * which does not ask the server); null when no run has found one yet.
 */
export function lastDiscoveredFolders(db: CrmDatabase, settings: Settings): ServerFolder[] | null {
  return keptFolders(db, discoveryKey(settings), null);
}

/** Drops the kept list: the next run asks the server. */
export function forgetDiscovery(db: CrmDatabase, settings: Settings): void {
  db.prepare('DELETE FROM sync_discovery WHERE key = ?').run(discoveryKey(settings));
}
