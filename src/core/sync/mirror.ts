/**
 * Bringing the local mirror of a server folder up to date from the connector's change feed.
 * An item the server lists but that could not be read is never taken for deleted: its last
 * readable state stays (or, if there never was one, an entry that says why). Either way the
 * entry carries the cause in `error` until a read succeeds: the engine reads such a folder
 * by a full listing, since a change token would not report the item again.
 */
import type { ServerChanges } from '../servers/connector.ts';
import { contentHash } from '../model/content-hash.ts';
import type { MirrorItem } from './state.ts';

export interface MirrorUpdate {
  mirror: Map<string, MirrorItem>;
  upserted: MirrorItem[];
  removed: string[];
  /** A listing of the folder came back empty though it had items: the guard's business. */
  emptyListing: boolean;
}

/**
 * The versions the engine holds, for a listing to be diffed against. An item with an error
 * is given none, so the next listing fetches it whatever its version: that read settles it.
 */
export function knownVersions(mirror: ReadonlyMap<string, MirrorItem>): Map<string, string> {
  return new Map([...mirror.values()].map((m) => [m.serverId, m.error === null ? m.version : '']));
}

export function applyServerChanges(
  previous: ReadonlyMap<string, MirrorItem>,
  changes: ServerChanges,
): MirrorUpdate {
  const mirror = changes.full ? new Map<string, MirrorItem>() : new Map(previous);
  const upserted: MirrorItem[] = [];
  for (const id of changes.deleted) mirror.delete(id);
  for (const r of changes.records) {
    const item: MirrorItem = {
      serverId: r.serverId,
      version: r.version,
      uid: r.identity.uid,
      crmStamp: r.identity.crmStamp,
      data: r.data,
      hash: contentHash(r.data),
      modifiedAt: r.modifiedAt,
      error: null,
      ...(r.source === undefined ? {} : { source: r.source }),
    };
    mirror.set(r.serverId, item);
    const before = previous.get(r.serverId);
    if (
      !before ||
      before.version !== item.version ||
      before.hash !== item.hash ||
      before.error !== null
    )
      upserted.push(item);
  }
  for (const f of changes.failures) {
    const before = previous.get(f.serverId);
    if (before && before.data !== null) {
      // The old version and content stay, so the planner sees no change and a CRM edit
      // meets a version conflict instead of overwriting what could not be read.
      const kept: MirrorItem = { ...before, error: f.cause };
      mirror.set(f.serverId, kept);
      if (before.error !== f.cause) upserted.push(kept);
    } else {
      const item: MirrorItem = {
        serverId: f.serverId,
        version: '',
        uid: '',
        crmStamp: null,
        data: null,
        hash: '',
        modifiedAt: null,
        error: f.cause,
      };
      mirror.set(f.serverId, item);
      upserted.push(item);
    }
  }
  const removed = [...previous.keys()].filter((id) => !mirror.has(id));
  // A listing (not the server's own change log) that empties a folder which had items may
  // be a server fault: the guard's business.
  const emptyListing =
    (changes.full || changes.listed === true) && previous.size > 0 && mirror.size === 0;
  return { mirror, upserted, removed, emptyListing };
}
