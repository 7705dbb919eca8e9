/**
 * What only Exchange shows about the events agenda, on the fake Exchange (the behaviours
 * every server shares are in test/conformance/events.test.ts): the requests of a run.
 */
import { describe, expect, it } from 'vitest';
import { insertEvent } from '../../src/core/crm/events.ts';
import { perTestInstallation } from './ews-harness.ts';
import { daysFromNow, totals } from './harness.ts';

const fresh = perTestInstallation();

describe('events on the fake Exchange', () => {
  it('creates without invitations, and a run with nothing to do asks only for each folder’s changes', async () => {
    const i = await fresh();
    insertEvent(i.db, {
      subject: 'Schůzka s panem Novákem',
      allDay: false,
      start: daysFromNow(2, 8),
      end: daysFromNow(2, 9),
      timeZone: 'Europe/Prague',
      ownerId: i.ownerId,
      attendees: [{ email: 'jan.novak@example.cz', name: 'Jan Novák', role: 'required' }],
    });
    expect(totals(await i.sync()).serverCreated).toBe(1);
    // No write may e-mail the attendees.
    const creates = i.fake.calls.filter((c) => c.operation === 'CreateItem');
    expect(creates.length).toBeGreaterThan(0);
    for (const c of creates) expect(c.attributes['SendMeetingInvitations']).toBe('SendToNone');

    const callsBefore = i.fake.calls.length;
    const run = await i.sync();
    expect(totals(run).serverCreated + totals(run).serverUpdated).toBe(0);
    // One SyncFolderItems per synchronised folder and nothing else (the folders found on
    // the first run are kept).
    const idle = i.fake.calls.slice(callsBefore).map((c) => c.operation);
    expect(idle).toEqual(run.agendas.map(() => 'SyncFolderItems'));
  });
});
