// SyncFolderItems through the real client: paging with sync states, incremental changes made
// by "the phone" and by the client itself, and the invalid-sync-state path.
import {
  Appointment,
  ChangeType,
  DateTime,
  FolderId,
  PropertySet,
  SendInvitationsMode,
  ServiceError,
  SyncFolderItemsScope,
  WellKnownFolderName,
  type ExchangeService,
  type ItemChange,
} from 'ews-javascript-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeEws, FakeFolder } from '../support/ews-fake/index.ts';
import { basicService, changesOf, PB, rejection, startDefault, stopChecked } from './helpers.ts';

let ews: FakeEws;
let service: ExchangeService;
let calendar: FakeFolder;

function phoneEvent(subject: string, day: number): string {
  const d = String(day).padStart(2, '0');
  return `<t:CalendarItem><t:Subject>${subject}</t:Subject><t:Start>2026-12-${d}T08:00:00Z</t:Start><t:End>2026-12-${d}T09:00:00Z</t:End></t:CalendarItem>`;
}

async function sync(
  state: string | null,
  max = 512,
): Promise<{ changes: ItemChange[]; state: string; more: boolean }> {
  const c = await service.SyncFolderItems(
    new FolderId(WellKnownFolderName.Calendar),
    PropertySet.IdOnly,
    null as unknown as [],
    max,
    SyncFolderItemsScope.NormalItems,
    state as string,
  );
  return { changes: changesOf(c), state: c.SyncState, more: c.MoreChangesAvailable };
}

function summary(changes: ItemChange[]): [string, string][] {
  return changes.map((c) => [ChangeType[c.ChangeType], c.ItemId.UniqueId]);
}

beforeAll(async () => {
  ews = await startDefault();
  service = basicService(ews);
  calendar = ews.mailbox(PB.smtp).folder('calendar');
});
afterAll(() => stopChecked(ews));

describe('SyncFolderItems', () => {
  let state: string;
  const ids: string[] = [];

  it('pages an initial sync by MaxChangesReturned until IncludesLastItemInRange', async () => {
    for (let day = 1; day <= 25; day++)
      ids.push(calendar.create(phoneEvent(`Event ${day}`, day)).id);
    const pages = [await sync(null, 10)];
    while (pages.at(-1)!.more) pages.push(await sync(pages.at(-1)!.state, 10));
    expect(pages.map((p) => p.changes.length)).toEqual([10, 10, 5]);
    const all = pages.flatMap((p) => summary(p.changes));
    expect(all.every(([type]) => type === 'Create')).toBe(true);
    expect(all.map(([, id]) => id)).toEqual(ids);
    state = pages.at(-1)!.state;
    expect(await sync(state)).toMatchObject({ changes: [], more: false });
  });

  it("reports the phone's update, delete and create, and the client's own create", async () => {
    const before = calendar.items().find((i) => i.id === ids[3])!.changeKey;
    calendar.update(ids[3]!, '<t:Subject>Event 4 (moved)</t:Subject>');
    expect(calendar.items().find((i) => i.id === ids[3])!.changeKey).not.toBe(before);
    calendar.remove(ids[7]!);
    const added = calendar.create(phoneEvent('From the phone', 28));
    const a = new Appointment(service);
    a.Subject = 'From CRM';
    a.Start = new DateTime(Date.UTC(2026, 11, 29, 10));
    a.End = new DateTime(Date.UTC(2026, 11, 29, 11));
    await a.Save(WellKnownFolderName.Calendar, SendInvitationsMode.SendToNone);
    const next = await sync(state);
    expect(summary(next.changes)).toEqual([
      ['Update', ids[3]],
      ['Delete', ids[7]],
      ['Create', added.id],
      ['Create', a.Id.UniqueId],
    ]);
    expect(next.more).toBe(false);
    // An item created and deleted between two syncs never shows up.
    const flash = calendar.create(phoneEvent('Gone again', 30));
    calendar.remove(flash.id);
    expect((await sync(next.state)).changes).toEqual([]);
    state = next.state;
  });

  it('maxPageSize caps pages below MaxChangesReturned', async () => {
    ews.faults.maxPageSize(2);
    const first = await sync(null, 512);
    ews.faults.maxPageSize(null);
    expect(first.changes).toHaveLength(2);
    expect(first.more).toBe(true);
  });

  it('a garbled or rejected sync state gives ErrorInvalidSyncStateData', async () => {
    const garbled = await rejection(sync('bm90IGEgc3RhdGU='));
    expect(garbled.ErrorCode).toBe(ServiceError.ErrorInvalidSyncStateData);
    ews.faults.invalidSyncState(calendar.id);
    const injected = await rejection(sync(state));
    expect(injected.ErrorCode).toBe(ServiceError.ErrorInvalidSyncStateData);
    // Only once: the same state works again afterwards.
    expect((await sync(state)).changes).toEqual([]);
  });
});
