/**
 * The engine's memory between runs, in the CRM file (migrations 2 to 5): pairings, the
 * mirror of each server folder, folder tokens, runs and their journal.
 */
import type { CrmDatabase } from '../crm/database.ts';
import type { CategoryRecord } from './categories.ts';
import type { ItemData } from '../model/items.ts';

export interface Pairing {
  crmId: number;
  serverId: string;
  uid: string;
  crmHash: string;
  serverHash: string;
  serverVersion: string;
  /**
   * Content hash of a server write sent but not answered yet: the run died in between if it
   * is still here. A server copy with this hash is that write, not a change made on the
   * server. Absent or null when no write is in flight.
   */
  sentHash?: string | null;
  /**
   * What the sync knows of the item's categories (see categories.ts); null = nothing
   * recorded. Undefined when saving = keep what the row has.
   */
  categories?: CategoryRecord | null;
}

/**
 * The server id of a create sent but not answered yet: the CRM stamp the new server copy
 * carries, so the next run can find it even if the CRM row is gone by then.
 */
const PENDING = 'pending:';

export function pendingServerId(crmStamp: string): string {
  return `${PENDING}${crmStamp}`;
}

/** The CRM stamp of a create in flight, or null when `serverId` is a real server id. */
export function pendingStamp(serverId: string): string | null {
  return serverId.startsWith(PENDING) ? serverId.slice(PENDING.length) : null;
}

/** One item of the server folder as last seen; `data` null when it could not be read. */
export interface MirrorItem {
  serverId: string;
  version: string;
  uid: string;
  crmStamp: string | null;
  data: ItemData | null;
  hash: string;
  modifiedAt: string | null;
  error: string | null;
  /**
   * The server's own text of this version (ServerRecord.source), stored with the row and
   * read back only for an update (serverCopy). Undefined when saving: the row keeps the
   * copy it has if the version is the same, and has none after a new version.
   */
  source?: string;
}

interface PairingRow {
  crm_id: number;
  server_id: string;
  uid: string;
  crm_hash: string;
  server_hash: string;
  server_version: string;
  sent_hash: string | null;
  categories: string | null;
}

function categoryRecordOf(json: string | null): CategoryRecord | null {
  if (json === null) return null;
  try {
    const v = JSON.parse(json) as Partial<CategoryRecord> | null;
    const names = (x: unknown): string[] =>
      Array.isArray(x) ? x.filter((n): n is string => typeof n === 'string') : [];
    // A record this code cannot read is as good as none: every server category is kept.
    if (v === null || typeof v !== 'object' || !Array.isArray(v.server)) return null;
    return { server: names(v.server), crmOnly: typeof v.crmOnly === 'string' ? v.crmOnly : null };
  } catch {
    return null;
  }
}

export function loadPairings(db: CrmDatabase, scope: string): Pairing[] {
  return db
    .prepare<[string], PairingRow>(
      'SELECT crm_id, server_id, uid, crm_hash, server_hash, server_version, sent_hash, categories FROM sync_pairings WHERE scope = ?',
    )
    .all(scope)
    .map((r) => ({
      crmId: r.crm_id,
      serverId: r.server_id,
      uid: r.uid,
      crmHash: r.crm_hash,
      serverHash: r.server_hash,
      serverVersion: r.server_version,
      sentHash: r.sent_hash,
      categories: categoryRecordOf(r.categories),
    }));
}

/** The CRM ids paired in a scope, without the rest of the pairing rows. */
export function pairedCrmIds(db: CrmDatabase, scope: string): number[] {
  return db
    .prepare<[string], number>('SELECT crm_id FROM sync_pairings WHERE scope = ?')
    .pluck()
    .all(scope);
}

export function savePairing(db: CrmDatabase, scope: string, p: Pairing): void {
  // A server id or CRM id can be paired once per scope: replace whatever held either. Two
  // statements, each on its index: "crm_id = ? OR server_id = ?" scans the whole scope.
  const categories =
    p.categories === undefined
      ? (db
          .prepare<[string, number], string | null>(
            'SELECT categories FROM sync_pairings WHERE scope = ? AND crm_id = ?',
          )
          .pluck()
          .get(scope, p.crmId) ?? null)
      : p.categories === null
        ? null
        : JSON.stringify(p.categories);
  db.prepare('DELETE FROM sync_pairings WHERE scope = ? AND crm_id = ?').run(scope, p.crmId);
  db.prepare('DELETE FROM sync_pairings WHERE scope = ? AND server_id = ?').run(scope, p.serverId);
  db.prepare(
    `INSERT INTO sync_pairings (scope, crm_id, server_id, uid, crm_hash, server_hash, server_version, sent_hash, categories)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    scope,
    p.crmId,
    p.serverId,
    p.uid,
    p.crmHash,
    p.serverHash,
    p.serverVersion,
    p.sentHash ?? null,
    categories,
  );
}

/** Notes on a pairing the content hash of the server write about to be sent for it. */
export function markPairingSent(db: CrmDatabase, scope: string, crmId: number, hash: string): void {
  db.prepare('UPDATE sync_pairings SET sent_hash = ? WHERE scope = ? AND crm_id = ?').run(
    hash,
    scope,
    crmId,
  );
}

export function deletePairing(db: CrmDatabase, scope: string, crmId: number): void {
  db.prepare('DELETE FROM sync_pairings WHERE scope = ? AND crm_id = ?').run(scope, crmId);
}

interface MirrorRow {
  server_id: string;
  version: string;
  uid: string;
  crm_stamp: string | null;
  data: string | null;
  hash: string;
  modified_at: string | null;
  error: string | null;
}

export function loadMirror(db: CrmDatabase, scope: string): Map<string, MirrorItem> {
  const rows = db
    .prepare<[string], MirrorRow>(
      'SELECT server_id, version, uid, crm_stamp, data, hash, modified_at, error FROM sync_server_items WHERE scope = ?',
    )
    .all(scope);
  const out = new Map<string, MirrorItem>();
  for (const r of rows) {
    out.set(r.server_id, {
      serverId: r.server_id,
      version: r.version,
      uid: r.uid,
      crmStamp: r.crm_stamp,
      data: r.data == null ? null : (JSON.parse(r.data) as ItemData),
      hash: r.hash,
      modifiedAt: r.modified_at,
      error: r.error,
    });
  }
  return out;
}

/**
 * The versions the mirror holds, without the items' data, for a change listing to be
 * diffed against: '' for an item not read last time (as knownVersions gives it), and
 * whether there is such an item.
 */
export function loadMirrorVersions(
  db: CrmDatabase,
  scope: string,
): { versions: Map<string, string>; unread: boolean } {
  const rows = db
    .prepare<[string], { server_id: string; version: string; failed: number }>(
      'SELECT server_id, version, error IS NOT NULL AS failed FROM sync_server_items WHERE scope = ?',
    )
    .all(scope);
  const versions = new Map<string, string>();
  let unread = false;
  for (const r of rows) {
    versions.set(r.server_id, r.failed ? '' : r.version);
    if (r.failed) unread = true;
  }
  return { versions, unread };
}

export function putMirrorItem(db: CrmDatabase, scope: string, m: MirrorItem): void {
  // A copy belongs to its version: kept while the version stays, dropped when it moves on.
  db.prepare(
    `INSERT INTO sync_server_items (scope, server_id, version, uid, crm_stamp, data, hash, modified_at, error, source)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (scope, server_id) DO UPDATE SET version = excluded.version, uid = excluded.uid,
       crm_stamp = excluded.crm_stamp, data = excluded.data, hash = excluded.hash,
       modified_at = excluded.modified_at, error = excluded.error,
       source = CASE WHEN excluded.source IS NOT NULL THEN excluded.source
         WHEN excluded.version = sync_server_items.version THEN sync_server_items.source END`,
  ).run(
    scope,
    m.serverId,
    m.version,
    m.uid,
    m.crmStamp,
    m.data == null ? null : JSON.stringify(m.data),
    m.hash,
    m.modifiedAt,
    m.error,
    m.source ?? null,
  );
}

/**
 * The server's copy of the item at `version` as the mirror holds it, for an update to
 * patch; undefined when it holds none for that version.
 */
export function loadServerCopy(
  db: CrmDatabase,
  scope: string,
  serverId: string,
  version: string,
): string | undefined {
  return (
    db
      .prepare<[string, string, string], string | null>(
        'SELECT source FROM sync_server_items WHERE scope = ? AND server_id = ? AND version = ?',
      )
      .pluck()
      .get(scope, serverId, version) ?? undefined
  );
}

export function deleteMirrorItem(db: CrmDatabase, scope: string, serverId: string): void {
  db.prepare('DELETE FROM sync_server_items WHERE scope = ? AND server_id = ?').run(
    scope,
    serverId,
  );
}

export function loadFolderToken(db: CrmDatabase, scope: string): string | null {
  return (
    db
      .prepare<[string], string | null>('SELECT token FROM sync_folders WHERE scope = ?')
      .pluck()
      .get(scope) ?? null
  );
}

/** When the folder was last synchronised (UTC ISO), or null before its first run. */
export function loadFolderSyncTime(db: CrmDatabase, scope: string): string | null {
  return (
    db
      .prepare<[string], string | null>('SELECT last_sync_at FROM sync_folders WHERE scope = ?')
      .pluck()
      .get(scope) ?? null
  );
}

export function saveFolderToken(
  db: CrmDatabase,
  scope: string,
  folderName: string,
  token: string | null,
): void {
  db.prepare(
    `INSERT INTO sync_folders (scope, folder_name, token, last_sync_at)
     VALUES (?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
     ON CONFLICT (scope) DO UPDATE SET folder_name = excluded.folder_name, token = excluded.token,
       last_sync_at = excluded.last_sync_at`,
  ).run(scope, folderName, token);
}
