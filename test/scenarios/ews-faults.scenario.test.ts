/**
 * What goes wrong with a real Exchange and only there, against the fake: throttling with a
 * back-off the server names, paged listings and a forgotten sync state, dropped connections,
 * 503s and cut or silent answers the EWS client retries. Nothing may be lost or
 * duplicated. The faults every server shares (unreadable items, lost answers, racing
 * edits, a wrong password) are in test/conformance/faults.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { insertEvent, listEvents } from '../../src/core/crm/events.ts';
import { createConnector } from '../../src/core/servers/create-connector.ts';
import { runSync } from '../../src/core/sync/engine.ts';
import { startFaultProxy } from '../support/fault-proxy.ts';
import { calendarItem, perTestInstallation } from '../support/ews-installation.ts';
import type { EwsInstallation } from '../support/ews-installation.ts';
import { totals } from '../support/run-totals.ts';
import { daysFromNow } from '../support/times.ts';

const fresh = perTestInstallation((s) => {
  s.agendas.tasks.enabled = false;
  s.agendas.contacts.enabled = false;
});

function crmEvents(i: EwsInstallation) {
  return listEvents(i.db, {}).filter((e) => e.ownerId === i.ownerId);
}

function addCrmEvents(i: EwsInstallation, n: number, prefix = 'Akce'): number[] {
  return Array.from({ length: n }, (_, k) =>
    insertEvent(i.db, {
      subject: `${prefix} ${k}`,
      allDay: false,
      start: daysFromNow(1 + (k % 20)),
      end: daysFromNow(1 + (k % 20), 10),
      ownerId: i.ownerId,
    }),
  );
}

describe('faults on the fake Exchange', () => {
  it('waits as told when the server is busy, then finishes the run', async () => {
    const i = await fresh();
    addCrmEvents(i, 3);
    i.fake.faults.serverBusy(2, 50, 'CreateItem');
    const run = await i.sync();
    expect(run.status).toBe('ok');
    expect(i.calendar.items()).toHaveLength(3);
    const busy = i.fake.calls.filter((c) => c.responseCode === 'ErrorServerBusy');
    expect(busy).toHaveLength(2);
  });

  it('reads in pages and, when the sync state is rejected, lists the folder again without duplicates or deletions', async () => {
    const i = await fresh();
    for (let k = 0; k < 7; k++) {
      i.calendar.create(
        calendarItem({
          subject: `Outlook ${k}`,
          start: daysFromNow(1 + k),
          end: daysFromNow(1 + k, 10),
        }),
      );
    }
    i.fake.faults.maxPageSize(3);
    expect(totals(await i.sync()).crmCreated).toBe(7);
    i.calendar.create(
      calendarItem({ subject: 'Nová', start: daysFromNow(2), end: daysFromNow(2, 10) }),
    );
    i.fake.faults.invalidSyncState();
    const run = await i.sync();
    expect(totals(run)).toMatchObject({ crmCreated: 1, crmDeleted: 0, serverCreated: 0 });
    expect(crmEvents(i)).toHaveLength(8);
    expect(i.calendar.items()).toHaveLength(8);
    const notes = run.agendas.flatMap((a) => a.notes).join(' ');
    expect(notes).toMatch(/sync state/i);
  });

  it('retries a dropped connection and a 503, then goes on', async () => {
    const i = await fresh();
    addCrmEvents(i, 2);
    i.fake.faults.dropConnection(1);
    i.fake.faults.http503(1);
    const run = await i.sync();
    expect(run.status).toBe('ok');
    expect(i.calendar.items()).toHaveLength(2);
    expect(totals(await i.sync()).serverCreated).toBe(0);
    expect(i.calendar.items()).toHaveLength(2);
  });

  // Where a DAV run reports the calendar not synchronised (test/conformance/faults.test.ts).
  it.each([
    { what: 'cut off', how: 'cut' },
    { what: 'never given', how: 'hang' },
  ] as const)('retries a change listing whose answer is $what, then goes on', async ({ how }) => {
    const i = await fresh();
    addCrmEvents(i, 1);
    await i.sync();
    const ews = new URL(i.settings.connection.exchange.ewsUrl);
    const proxy = await startFaultProxy(`${ews.origin}/`);
    try {
      i.settings.connection.exchange.ewsUrl = new URL(ews.pathname, proxy.url).href;
      i.calendar.create(
        calendarItem({ subject: 'Z Outlooku', start: daysFromNow(3), end: daysFromNow(3, 10) }),
      );
      const listing = proxy.add({
        method: 'POST',
        body: /SyncFolderItems[\s\S]*SyncState>[^<\s]/,
        fault: { kind: how },
      });
      // A short limit, so the answer that never comes is given up on quickly.
      const connector = await createConnector(i.settings, i.secrets, { timeoutMs: 2000 });
      const run = await runSync({ db: i.db, settings: i.settings, connector }).finally(() =>
        connector.close(),
      );
      expect(listing.hits).toBe(1);
      expect(run.status).toBe('ok');
      expect(totals(run)).toMatchObject({ crmCreated: 1, failed: 0 });
      expect(crmEvents(i)).toHaveLength(2);
    } finally {
      await proxy.stop();
    }
  });
});
