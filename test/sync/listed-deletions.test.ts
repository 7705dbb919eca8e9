/**
 * A deletion a listing implies, through the engine's mirror: confirmed by the server when
 * it can be asked, else only when the next complete listing lacks the item too.
 */
import { describe, expect, it } from 'vitest';
import type { GoneVerdict, ServerChanges } from '../../src/core/servers/connector.ts';
import {
  MISSING_UNCONFIRMED,
  confirmListedDeletions,
} from '../../src/core/sync/listed-deletions.ts';
import { applyServerChanges } from '../../src/core/sync/mirror.ts';
import type { ItemData } from '../../src/core/model/items.ts';
import type { MirrorItem } from '../../src/core/sync/state.ts';

function item(id: string): MirrorItem {
  return {
    serverId: id,
    version: `v-${id}`,
    uid: id,
    crmStamp: null,
    // Only the subject matters here (the failure's label).
    data: { kind: 'event', subject: `Akce ${id}` } as unknown as ItemData,
    hash: `h-${id}`,
    modifiedAt: null,
    error: null,
  };
}

const mirrorOf = (...ids: string[]) => new Map(ids.map((id) => [id, item(id)]));

/** A listing diffed against the mirror that lacks `missing` (what the DAV connector returns). */
const listingWithout = (...missing: string[]): ServerChanges => ({
  full: false,
  listed: true,
  records: [],
  deleted: missing,
  failures: [],
  token: 't2',
});

describe('confirmListedDeletions', () => {
  it('deletes what the server confirms gone and keeps, named, what it still has', async () => {
    const asked: string[][] = [];
    const session = {
      confirmGone: (ids: string[]): Promise<Map<string, GoneVerdict>> => {
        asked.push(ids);
        return Promise.resolve(new Map(ids.map((id) => [id, id === 'a' ? 'gone' : 'present'])));
      },
    };
    const previous = mirrorOf('a', 'b', 'c');
    const changes = await confirmListedDeletions(previous, listingWithout('a', 'b'), session);
    expect(asked).toEqual([['a', 'b']]);
    expect(changes.deleted).toEqual(['a']);
    expect(changes.failures).toMatchObject([
      { serverId: 'b', label: 'Akce b', code: 'item-left-out-of-listing' },
    ]);
    const update = applyServerChanges(previous, changes);
    expect([...update.mirror.keys()].sort()).toEqual(['b', 'c']);
    expect(update.removed).toEqual(['a']);
  });

  it('without a way to ask, deletes only when a second complete listing lacks the item too', async () => {
    const noWayToAsk = {};
    const first = mirrorOf('a', 'b');
    const one = await confirmListedDeletions(first, listingWithout('a'), noWayToAsk);
    expect(one.deleted).toEqual([]);
    expect(one.failures).toMatchObject([{ serverId: 'a', code: 'item-missing-unconfirmed' }]);
    const afterOne = applyServerChanges(first, one);
    expect(afterOne.removed).toEqual([]);
    expect(afterOne.mirror.get('a')).toMatchObject({ error: MISSING_UNCONFIRMED, hash: 'h-a' });

    const two = await confirmListedDeletions(afterOne.mirror, listingWithout('a'), noWayToAsk);
    expect(two.deleted).toEqual(['a']);
    expect(two.failures).toEqual([]);
    expect(applyServerChanges(afterOne.mirror, two).removed).toEqual(['a']);
  });

  it("keeps everything when asking fails, and trusts the server's own change log as it is", async () => {
    const failing = {
      confirmGone: (): Promise<Map<string, GoneVerdict>> => Promise.reject(new Error('offline')),
    };
    const previous = mirrorOf('a', 'b');
    const full: ServerChanges = {
      full: true,
      listed: true,
      records: [],
      deleted: [],
      failures: [],
      token: null,
    };
    const kept = await confirmListedDeletions(previous, full, failing);
    expect(applyServerChanges(previous, kept).removed).toEqual([]);

    const changeLog: ServerChanges = { ...listingWithout('a'), listed: false };
    expect(await confirmListedDeletions(previous, changeLog, failing)).toBe(changeLog);
  });
});
