/**
 * What a run asks of the server, on every server fixture: the folder list is asked for on
 * the first run and kept; a run with nothing to do asks each folder for its changes and
 * nothing else, a dry run too.
 */
import { expect, it } from 'vitest';
import { insertEvent } from '../../src/core/crm/events.ts';
import type { RunSummary } from '../../src/core/sync/summary.ts';
import { NOTHING, totals } from '../support/run-totals.ts';
import { daysFromNow } from '../support/times.ts';
import { forEachFixture } from './fixtures.ts';
import type { Installation } from './fixtures.ts';

/** The requests `run` sent, by the fixture's name for them. */
async function requestsOf(
  i: Installation,
  run: () => Promise<unknown>,
): Promise<Record<string, number>> {
  const before = i.requests();
  await run();
  const sent: Record<string, number> = {};
  for (const [name, n] of Object.entries(i.requests())) {
    const more = n - (before[name] ?? 0);
    if (more > 0) sent[name] = more;
  }
  return sent;
}

forEachFixture((fixture) => {
  it('lists the folders on the first run only; an idle run asks each folder for its changes and nothing else', async () => {
    const { listFolders, listChanges } = fixture().requestNames;
    const i = await fixture().install((s) => {
      s.agendas.tasks.enabled = false;
    });
    insertEvent(i.db, {
      subject: 'První schůzka',
      allDay: false,
      start: daysFromNow(1),
      end: daysFromNow(1, 10),
      timeZone: 'Europe/Prague',
      ownerId: i.ownerId,
    });
    const first = await requestsOf(i, async () => {
      expect(totals(await i.sync()).serverCreated).toBe(1);
    });
    expect(first[listFolders]).toBeGreaterThan(0);

    let idle: RunSummary | undefined;
    const sent = await requestsOf(i, async () => {
      idle = await i.sync();
    });
    expect(totals(idle!)).toEqual(NOTHING);
    // One change listing for the calendar, one for the address book.
    expect(idle!.agendas).toHaveLength(2);
    expect(sent).toEqual({ [listChanges]: 2 });
    // A dry run reads the kept folder list too and writes nothing.
    expect(await requestsOf(i, () => i.sync({ dryRun: true }))).toEqual({ [listChanges]: 2 });
  });
});
