/**
 * What goes wrong with a real Exchange, against the fake: throttling, a forgotten sync
 * state, a write racing another client, items that vanish or cannot be read, dropped
 * connections and a wrong password. Nothing may be lost or duplicated.
 */
import { describe, expect, it } from 'vitest';
import { getEvent, insertEvent, listEvents, updateEvent } from '../../src/core/crm/events.ts';
import { SecretKey } from '../../src/core/secrets/secret-store.ts';
import { readJournal } from '../../src/core/sync/journal.ts';
import { bySubject, calendarItem, perTestInstallation } from './ews-harness.ts';
import type { EwsInstallation } from './ews-harness.ts';
import { daysFromNow, totals } from './harness.ts';

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

  it('never overwrites an Outlook edit that lands between reading and writing', async () => {
    const i = await fresh();
    const id = insertEvent(i.db, {
      subject: 'Původní',
      allDay: false,
      start: daysFromNow(2),
      end: daysFromNow(2, 10),
      ownerId: i.ownerId,
    });
    await i.sync();
    const [item] = i.calendar.items();
    updateEvent(i.db, id, { location: 'Z CRM' });
    // Another client saves the item just before our UpdateItem: our ChangeKey is stale.
    i.fake.faults.beforeNextWrite(() => {
      i.calendar.update(item!.id, '<t:Subject>Z Outlooku</t:Subject>');
    });
    await i.sync();
    const after = i.calendar.items()[0]!;
    expect(after.field('Subject')).toBe('Z Outlooku');
    // The next run sees both edits and settles them by the conflict rule (the newer whole
    // item wins): both sides end the same, journaled as a conflict, nothing duplicated.
    const settled = await i.sync();
    expect(settled.agendas.find((a) => a.agenda === 'events')!.conflicts).toBe(1);
    const final = i.calendar.items()[0]!;
    const crm = getEvent(i.db, id)!;
    expect(final.field('Subject')).toBe(crm.subject);
    expect(final.field('Location') ?? '').toBe(crm.location ?? '');
    expect(i.calendar.items()).toHaveLength(1);
    expect(crmEvents(i)).toHaveLength(1);
  });

  it('reports an item the server cannot find while reading, and deletes nothing', async () => {
    const i = await fresh();
    const a = i.calendar.create(
      calendarItem({ subject: 'Čitelná', start: daysFromNow(1), end: daysFromNow(1, 10) }),
    );
    const b = i.calendar.create(
      calendarItem({ subject: 'Nečitelná', start: daysFromNow(2), end: daysFromNow(2, 10) }),
    );
    await i.sync();
    expect(crmEvents(i)).toHaveLength(2);
    i.calendar.update(a.id, '<t:Location>Praha</t:Location>');
    i.calendar.update(b.id, '<t:Location>Brno</t:Location>');
    i.fake.faults.itemNotFound(b.id);
    const run = await i.sync();
    expect(run.status).toBe('partial');
    expect(run.agendas[0]!.failed).toHaveLength(1);
    expect(crmEvents(i)).toHaveLength(2);
    expect(crmEvents(i).find((e) => e.subject === 'Čitelná')!.location).toBe('Praha');
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

  it('says the password is wrong, in one sentence, and changes nothing', async () => {
    const i = await fresh();
    addCrmEvents(i, 1);
    await i.secrets.set(SecretKey.serverPassword, 'spatne-heslo');
    const err = await i.sync().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/password/i);
    expect((err as { code?: string }).code).toBe('auth-failed');
    expect(i.calendar.items()).toHaveLength(0);
    expect(readJournal(i.db, {})).toHaveLength(0);
  });

  it('does not duplicate an item whose creation the server stored though the answer was lost', async () => {
    const i = await fresh();
    addCrmEvents(i, 1, 'Ztracená odpověď');
    i.fake.faults.dropConnection(1);
    await i.sync();
    await i.sync();
    expect(bySubject(i.calendar, 'Ztracená odpověď 0')).toHaveLength(1);
    expect(crmEvents(i)).toHaveLength(1);
  });
});
