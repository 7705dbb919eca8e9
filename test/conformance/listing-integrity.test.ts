/**
 * Listings, on every server fixture with the server's answers made to lie: an answer that
 * is not complete is never evidence of a deletion, a deletion inferred from a full listing
 * is confirmed with the server before the CRM row goes, and a change the run could not read
 * is read again later (the change token never moves past it).
 */
import { expect, it } from 'vitest';
import { listEvents } from '../../src/core/crm/events.ts';
import type { AgendaSummary, RunSummary } from '../../src/core/sync/summary.ts';
import { totals } from '../support/run-totals.ts';
import { fixtures, forEachFixture } from './fixtures.ts';
import type { Installation, ListingFaults, ServerFixture } from './fixtures.ts';
import { daysFromNow } from '../support/times.ts';

/** Generous: two cores shared by many test processes. */
const SCENARIO_TIMEOUT_MS = 120_000;

function events(run: RunSummary): AgendaSummary {
  const found = run.agendas.find((a) => a.agenda === 'events');
  if (found === undefined) throw new Error('the run has no events agenda');
  return found;
}

function subjects(i: Installation): string[] {
  return listEvents(i.db, {})
    .filter((e) => e.ownerId === i.ownerId)
    .map((e) => e.subject)
    .sort();
}

const label = (n: number): string => `Akce ${String(n).padStart(2, '0')}`;

/** Events only, the server reached through its faults; `count` phone events synced into the CRM. */
async function synced(
  fixture: ServerFixture,
  count: number,
): Promise<{ i: Installation; faults: ListingFaults; refs: string[] }> {
  const i = await fixture.install(
    (s) => {
      s.agendas.tasks.enabled = false;
      s.agendas.contacts.enabled = false;
    },
    { faults: true },
  );
  const refs: string[] = [];
  for (let n = 0; n < count; n++) {
    const day = 1 + (n % 20);
    refs.push(
      await i.phone.createEvent({
        subject: label(n),
        start: daysFromNow(day),
        end: daysFromNow(day, 10),
      }),
    );
  }
  const first = await i.sync();
  expect(first.status).toBe('ok');
  expect(subjects(i)).toHaveLength(count);
  return { i, faults: i.listingFaults!, refs };
}

// Every fixture whose server can be made to lie.
forEachFixture(
  (fixture) => {
    it(
      'deletes nothing when the full listing after a refused change token is cut short, and converges later',
      async () => {
        const { i, faults } = await synced(fixture(), 20);
        const before = subjects(i);
        // The token is refused; the full listing stops after 14 of 20 items (6 = 30 %, exactly
        // at the guard's line, so the guard alone would let it through).
        faults.refuseChangeTokens();
        const cut = faults.cutFullListing(14);

        const run = await i.sync();
        expect(cut.hits).toBeGreaterThan(0);
        expect(run.status).toBe('failed');
        expect(events(run).aborted).toMatch(/incomplete|not complete/i);
        expect(totals(run)).toMatchObject({ crmDeleted: 0, serverDeleted: 0 });
        expect(subjects(i)).toEqual(before);

        // The server is well again (the token still refused): a complete listing, no loss.
        faults.clear();
        faults.refuseChangeTokens(1);
        const healed = await i.sync();
        expect(healed.status).toBe('ok');
        expect(totals(healed)).toMatchObject({ crmDeleted: 0, crmCreated: 0, serverCreated: 0 });
        expect(subjects(i)).toEqual(before);
        faults.clear();
        expect(totals(await i.sync())).toMatchObject({ crmDeleted: 0, crmCreated: 0 });
        expect(subjects(i)).toEqual(before);
        expect(await i.phone.events()).toHaveLength(20);
      },
      SCENARIO_TIMEOUT_MS,
    );

    it(
      'confirms deletions from a full listing: items left out but still there are kept, really deleted ones go',
      async () => {
        const { i, faults, refs } = await synced(fixture(), 12);
        // Two items really deleted by another client; three more left out of a listing that
        // is otherwise complete and well-formed.
        await i.phone.remove(refs[0]!);
        await i.phone.remove(refs[1]!);
        faults.refuseChangeTokens();
        const dropped = faults.dropFromFullListing([refs[5]!, refs[6]!, refs[7]!]);

        const run = await i.sync();
        expect(dropped.hits).toBe(1);
        expect(totals(run)).toMatchObject({ crmDeleted: 2, serverDeleted: 0 });
        expect(subjects(i)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map(label));
        // The three the listing left out are named, not deleted.
        expect(events(run).failed).toEqual(
          [5, 6, 7].map((n) =>
            expect.objectContaining({ label: label(n), code: 'item-left-out-of-listing' }),
          ),
        );

        faults.clear();
        const healed = await i.sync();
        expect(healed.status).toBe('ok');
        expect(totals(healed)).toMatchObject({ crmDeleted: 0, crmCreated: 0, serverCreated: 0 });
        expect(subjects(i)).toHaveLength(10);
        expect(await i.phone.events()).toHaveLength(10);
      },
      SCENARIO_TIMEOUT_MS,
    );

    it(
      'brings a server edit to the CRM after a run with a failing item read and a cut change listing',
      async () => {
        const { i, faults, refs } = await synced(fixture(), 6);
        // Another client edits two events.
        await i.phone.update(refs[2]!, { subject: `${label(2)} změna 0` });
        await i.phone.update(refs[4]!, { subject: `${label(4)} změna 1` });
        // The change listing is cut short after one change, and the first item read fails.
        const cut = faults.cutChangeListing(1);
        faults.failNextItemRead();
        const run = await i.sync();
        expect(cut.hits).toBe(1);
        expect(totals(run)).toMatchObject({ crmDeleted: 0 });

        faults.clear();
        await i.sync();
        await i.sync();
        expect(subjects(i)).toEqual([
          'Akce 00',
          'Akce 01',
          'Akce 02 změna 0',
          'Akce 03',
          'Akce 04 změna 1',
          'Akce 05',
        ]);
      },
      SCENARIO_TIMEOUT_MS,
    );
  },
  fixtures().filter((f) => f.keeps.listingFaults),
);
