/**
 * Deletions a listing implies are confirmed before they count. The server's own change log
 * (a sync token, SyncFolderItems) names what was deleted; a listing (first run, a refused
 * token, a ctag server) only leaves things out, and a server or a proxy in a bad moment
 * can leave out what still exists. So an item the mirror holds and a listing lacks goes
 * only when the server says so when asked about it directly, or, where it cannot be asked,
 * when the next complete listing lacks it too. Until then it stays in the mirror as it
 * was, named in the run's summary, and the planner leaves it alone (an unreadable item).
 */
import type {
  GoneVerdict,
  ServerChanges,
  ServerFolderSession,
  ServerItemFailure,
} from '../servers/connector.ts';
import { describeCause } from '../errors.ts';
import { labelOf } from './filters.ts';
import type { MirrorItem } from './state.ts';

/** The mirror's note on an item a listing left out and nobody confirmed gone. */
export const MISSING_UNCONFIRMED =
  "the server's listing left it out, but the server could not confirm it is gone: kept until the next listing";

/** The mirror's note on an item a listing left out though the server still has it. */
export const LEFT_OUT_BUT_PRESENT =
  "the server's listing left it out, but the server still has it: kept as it was, read again on the next run";

/** Items asked about per folder and run; more wait for the next listing (a server emptied). */
const MAX_CONFIRMATIONS = 500;

export async function confirmListedDeletions(
  previous: ReadonlyMap<string, MirrorItem>,
  changes: ServerChanges,
  session: Pick<ServerFolderSession, 'confirmGone'>,
): Promise<ServerChanges> {
  if (!changes.full && changes.listed !== true) return changes; // the server's own change log
  const seen = new Set([
    ...changes.records.map((r) => r.serverId),
    ...changes.failures.map((f) => f.serverId),
  ]);
  const missing = changes.full
    ? [...previous.keys()].filter((id) => !seen.has(id))
    : changes.deleted.filter((id) => previous.has(id));
  // An item never read has no CRM copy to lose: it may go on the listing's word.
  const candidates = missing.filter((id) => previous.get(id)?.data != null);
  if (candidates.length === 0) return changes;

  let verdicts = new Map<string, GoneVerdict>();
  const asked = candidates.slice(0, MAX_CONFIRMATIONS);
  if (session.confirmGone !== undefined) {
    try {
      verdicts = await session.confirmGone(asked);
    } catch (err) {
      const error = describeCause(err);
      verdicts = new Map(asked.map((id) => [id, { error }]));
    }
  }
  const kept: ServerItemFailure[] = [];
  for (const id of candidates) {
    const before = previous.get(id)!;
    const verdict = verdicts.get(id);
    // Gone when the server says so, or when it cannot say and the last listing lacked it too.
    if (verdict === 'gone') continue;
    if (verdict !== 'present' && before.error === MISSING_UNCONFIRMED) continue;
    const item = before.data === null ? id : labelOf(before.data);
    kept.push(
      verdict === 'present'
        ? {
            serverId: id,
            label: item,
            cause: LEFT_OUT_BUT_PRESENT,
            code: 'item-left-out-of-listing',
            params: { item },
          }
        : {
            serverId: id,
            label: item,
            cause: MISSING_UNCONFIRMED,
            code: 'item-missing-unconfirmed',
            params: { item },
          },
    );
  }
  if (kept.length === 0) return changes;
  const keptIds = new Set(kept.map((k) => k.serverId));
  return {
    ...changes,
    deleted: changes.deleted.filter((id) => !keptIds.has(id)),
    // A failure keeps the mirror's last good copy (mirror.ts) and makes the next run list
    // the folder again (engine.ts), which settles the item one way or the other.
    failures: [...changes.failures, ...kept],
  };
}
