/**
 * Idle runs, on every server fixture: when neither the CRM's change log nor the server's
 * change token reports a change since a run that had nothing to do, the run reads neither
 * the CRM's rows nor the mirror's items (the SQL it sends is counted), and reports the
 * same skipped items; a change on either side, or an item the moving day window brings
 * in, is still found.
 */
import { expect, it } from 'vitest';
import { insertEvent, listEvents, updateEvent } from '../../src/core/crm/events.ts';
import type { RunSummary } from '../../src/core/sync/summary.ts';
import { NOTHING, totals } from '../support/run-totals.ts';
import { forEachFixture } from './fixtures.ts';
import type { Installation } from './fixtures.ts';
import { NOW, daysFromNow } from '../support/times.ts';

const SCENARIO_TIMEOUT_MS = 180_000;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

const at = (ms: number): Date => new Date(NOW.getTime() + ms);

/** What reads an agenda's CRM rows (their child rows are read by the rows' ids) or the mirror's data. */
const ROW_READS = [
  /\bFROM\s+(events|tasks|persons)\b/i,
  /\bdata\b[^;]*\bFROM\s+sync_server_items\b/i,
];

type Read = (this: { source: string }, ...args: unknown[]) => unknown;
const READS = ['all', 'get', 'iterate'] as const;

/** A run, with the SQL of every query it ran (counted on the statements, cached or not). */
async function syncCounting(
  i: Installation,
  now: Date,
): Promise<{ run: RunSummary; rowReads: string[] }> {
  const statements: string[] = [];
  const proto = Object.getPrototypeOf(i.db.prepare('SELECT 1')) as Record<
    (typeof READS)[number],
    Read
  >;
  const originals = READS.map((m) => [m, proto[m]] as const);
  for (const [m, original] of originals) {
    proto[m] = function (this: { source: string }, ...args: unknown[]) {
      statements.push(this.source);
      return original.apply(this, args);
    };
  }
  try {
    const run = await i.sync({ now });
    return { run, rowReads: statements.filter((sql) => ROW_READS.some((re) => re.test(sql))) };
  } finally {
    for (const [m, original] of originals) proto[m] = original;
  }
}

function skippedOf(run: RunSummary) {
  return run.agendas.map((a) => ({ agenda: a.agenda, skipped: a.skipped, by: a.skippedBy }));
}

/** Events and contacts on; a CRM event, a private one and a phone event synced. */
async function settled(install: () => Promise<Installation>): Promise<Installation> {
  const i = await install();
  insertEvent(i.db, {
    subject: 'Porada obchodu',
    allDay: false,
    start: daysFromNow(2, 8),
    end: daysFromNow(2, 9),
    timeZone: 'Europe/Prague',
    ownerId: i.ownerId,
  });
  insertEvent(i.db, {
    subject: 'Lékař',
    allDay: false,
    start: daysFromNow(3, 8),
    end: daysFromNow(3, 9),
    timeZone: 'Europe/Prague',
    isPrivate: true,
    ownerId: i.ownerId,
  });
  await i.phone.createEvent({
    subject: 'Návštěva u zákazníka',
    start: daysFromNow(4, 10),
    end: daysFromNow(4, 11),
    zone: 'Europe/Prague',
  });
  expect(totals(await i.sync({ now: at(0) })).failed).toBe(0);
  return i;
}

forEachFixture((fixture) => {
  it(
    'reads neither the CRM rows nor the mirror when nothing changed, and counts the same skips',
    async () => {
      const i = await settled(() =>
        fixture().install((s) => {
          s.agendas.tasks.enabled = false;
          s.agendas.events.skipPrivate = true;
        }),
      );
      // The run after the one that wrote has nothing to do: it plans, and finds nothing.
      const planned = await syncCounting(i, at(MINUTE_MS));
      expect(totals(planned.run)).toEqual(NOTHING);
      expect(planned.rowReads).not.toEqual([]);

      const versions = await i.phone.versions();
      const idle = await syncCounting(i, at(2 * MINUTE_MS));
      expect(idle.run.status).toBe('ok');
      expect(totals(idle.run)).toEqual(NOTHING);
      expect(idle.rowReads).toEqual([]);
      expect(skippedOf(idle.run)).toEqual(skippedOf(planned.run));
      expect(idle.run.agendas.find((a) => a.agenda === 'events')?.skippedBy).toEqual({
        private: 1,
      });
      expect(await i.phone.versions()).toEqual(versions);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    'still finds a CRM edit, a server change and an item the moving window brings in',
    async () => {
      const i = await settled(() =>
        fixture().install((s) => {
          s.agendas.tasks.enabled = false;
          s.agendas.contacts.enabled = false;
        }),
      );
      // Outside the window (31 days ahead) today; inside it ten days from now.
      insertEvent(i.db, {
        subject: 'Veletrh',
        allDay: false,
        start: daysFromNow(40, 8),
        end: daysFromNow(40, 16),
        timeZone: 'Europe/Prague',
        ownerId: i.ownerId,
      });
      await i.sync({ now: at(MINUTE_MS) });
      expect((await syncCounting(i, at(2 * MINUTE_MS))).rowReads).toEqual([]);

      const [event] = listEvents(i.db, {}).filter((e) => e.subject === 'Porada obchodu');
      updateEvent(i.db, event!.id, { location: 'Zasedačka 3' });
      expect(totals(await i.sync({ now: at(3 * MINUTE_MS) })).serverUpdated).toBe(1);
      const onPhone = (await i.phone.events()).find((e) => e.subject === 'Porada obchodu');
      expect(onPhone?.location).toBe('Zasedačka 3');

      await i.sync({ now: at(4 * MINUTE_MS) });
      expect((await syncCounting(i, at(5 * MINUTE_MS))).rowReads).toEqual([]);
      await i.phone.createEvent({
        subject: 'Oběd s dodavatelem',
        start: daysFromNow(5, 11),
        end: daysFromNow(5, 12),
        zone: 'Europe/Prague',
      });
      expect(totals(await i.sync({ now: at(6 * MINUTE_MS) })).crmCreated).toBe(1);
      expect(listEvents(i.db, {}).map((e) => e.subject)).toContain('Oběd s dodavatelem');

      await i.sync({ now: at(7 * MINUTE_MS) });
      expect((await syncCounting(i, at(8 * MINUTE_MS))).rowReads).toEqual([]);
      expect((await i.phone.events()).map((e) => e.subject)).not.toContain('Veletrh');
      const later = await i.sync({ now: at(10 * DAY_MS) });
      expect(totals(later).serverCreated).toBe(1);
      expect((await i.phone.events()).map((e) => e.subject)).toContain('Veletrh');
    },
    SCENARIO_TIMEOUT_MS,
  );
});
