/**
 * Issue 9, point 1, on the fake Exchange behind the fault proxy: a SOAP answer cut short is
 * an error, never a shorter listing, and a deletion a full listing implies (the sync state
 * was rejected) is confirmed by GetItem before the CRM row goes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { listEvents } from '../../src/core/crm/events.ts';
import { startFaultProxy } from '../support/fault-proxy.ts';
import type { FaultProxy } from '../support/fault-proxy.ts';
import { bySubject, calendarItem, installEws } from './ews-harness.ts';
import type { EwsInstallation } from './ews-harness.ts';
import { daysFromNow, totals } from './harness.ts';

const SCENARIO_TIMEOUT_MS = 120_000;

/** Keeps the first `keep` <t:Create> changes and stops there: the SOAP envelope never closes. */
function cutAfterCreates(keep: number): (body: string) => string {
  return (body) => {
    const closing = /<\/t:Create>/g;
    let end = -1;
    for (let n = 0; n < keep; n++) {
      const m = closing.exec(body);
      if (m === null) return body.slice(0, Math.floor(body.length / 2));
      end = m.index + m[0].length;
    }
    return body.slice(0, end);
  };
}

/** Leaves out the <t:Create> changes of these subjects; the answer stays well-formed. */
function dropCreates(subjects: string[]): (body: string) => string {
  return (body) =>
    body.replace(/<t:Create>[\s\S]*?<\/t:Create>/g, (change) =>
      subjects.some((s) => change.includes(`>${s}<`)) ? '' : change,
    );
}

describe('listing integrity on the fake Exchange', () => {
  let inst: EwsInstallation | undefined;
  let proxy: FaultProxy | undefined;

  afterEach(async () => {
    const invalid = await inst?.fake.invalidRequests();
    await proxy?.stop();
    await inst?.close();
    inst = undefined;
    proxy = undefined;
    expect(invalid ?? []).toEqual([]);
  });

  /** Events only, EWS reached through the proxy; `count` Outlook events synced into the CRM. */
  async function synced(count: number): Promise<{ i: EwsInstallation; p: FaultProxy }> {
    const i = await installEws((s) => {
      s.agendas.tasks.enabled = false;
      s.agendas.contacts.enabled = false;
    });
    inst = i;
    const ews = new URL(i.settings.connection.exchange.ewsUrl);
    const p = await startFaultProxy(`${ews.origin}/`);
    proxy = p;
    i.settings.connection.exchange.ewsUrl = new URL(`${ews.pathname}${ews.search}`, p.url).href;
    for (let n = 0; n < count; n++) {
      const day = 1 + (n % 20);
      const subject = `Akce ${String(n).padStart(2, '0')}`;
      i.calendar.create(
        calendarItem({ subject, start: daysFromNow(day), end: daysFromNow(day, 10) }),
      );
    }
    const first = await i.sync();
    expect(first.status).toBe('ok');
    expect(subjects(i)).toHaveLength(count);
    return { i, p };
  }

  function subjects(i: EwsInstallation): string[] {
    return listEvents(i.db, {})
      .filter((e) => e.ownerId === i.ownerId)
      .map((e) => e.subject)
      .sort();
  }

  it(
    'deletes nothing when the listing after a rejected sync state is cut short, and converges later',
    async () => {
      const { i, p } = await synced(20);
      const before = subjects(i);
      i.fake.faults.invalidSyncState();
      // The full listing stops after 14 of 20 items (6 = 30 %, at the guard's line).
      const cut = p.add({
        method: 'POST',
        body: 'SyncFolderItems',
        nth: 2, // the first is the refused one; every try after it is cut too
        times: Infinity,
        fault: { kind: 'corrupt', transform: cutAfterCreates(14) },
      });
      const run = await i.sync();
      expect(cut.hits).toBeGreaterThan(0);
      expect(run.status).toBe('failed');
      expect(run.agendas[0]!.aborted).toMatch(/incomplete/);
      expect(totals(run)).toMatchObject({ crmDeleted: 0, serverDeleted: 0 });
      expect(subjects(i)).toEqual(before);

      p.clear();
      const healed = await i.sync();
      expect(healed.status).toBe('ok');
      expect(totals(healed)).toMatchObject({ crmDeleted: 0, crmCreated: 0, serverCreated: 0 });
      expect(subjects(i)).toEqual(before);
      expect(i.calendar.items()).toHaveLength(20);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    'confirms deletions from a full listing: items left out but still there are kept, deleted ones go',
    async () => {
      const { i, p } = await synced(10);
      i.calendar.remove(bySubject(i.calendar, 'Akce 00')[0]!.id);
      i.calendar.remove(bySubject(i.calendar, 'Akce 01')[0]!.id);
      i.fake.faults.invalidSyncState();
      const dropped = p.add({
        method: 'POST',
        body: 'SyncFolderItems',
        nth: 2,
        fault: { kind: 'corrupt', transform: dropCreates(['Akce 05', 'Akce 06', 'Akce 07']) },
      });
      const run = await i.sync();
      expect(dropped.hits).toBe(1);
      expect(totals(run)).toMatchObject({ crmDeleted: 2, serverDeleted: 0 });
      expect(subjects(i)).toEqual([
        'Akce 02',
        'Akce 03',
        'Akce 04',
        'Akce 05',
        'Akce 06',
        'Akce 07',
        'Akce 08',
        'Akce 09',
      ]);
      expect(run.agendas[0]!.failed).toEqual(
        ['Akce 05', 'Akce 06', 'Akce 07'].map((label) =>
          expect.objectContaining({ label, code: 'item-left-out-of-listing' }),
        ),
      );

      p.clear();
      const healed = await i.sync();
      expect(healed.status).toBe('ok');
      expect(totals(healed)).toMatchObject({ crmDeleted: 0, crmCreated: 0, serverCreated: 0 });
      expect(subjects(i)).toHaveLength(8);
      expect(i.calendar.items()).toHaveLength(8);
    },
    SCENARIO_TIMEOUT_MS,
  );
});
