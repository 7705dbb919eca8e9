/**
 * A CRM edit uploaded just after another client deleted the item, on every server whose
 * fixture can fail: the write is refused as it is for a changed item, and the user is told
 * the item is no longer on the server (not that it changed); nothing is recreated behind
 * the run's back.
 */
import { expect, it } from 'vitest';
import { insertEvent, updateEvent } from '../../src/core/crm/events.ts';
import { daysFromNow } from '../support/times.ts';
import { forEachFaultFixture } from './fault-fixtures.ts';

forEachFaultFixture((fixture) => {
  it('an edit uploaded after the phone deleted the item says it is no longer on the server', async () => {
    const i = await fixture().installFaulty((s) => {
      s.agendas.tasks.enabled = false;
      s.agendas.contacts.enabled = false;
    });
    const id = insertEvent(i.db, {
      subject: 'Školení pokladen',
      allDay: false,
      start: daysFromNow(3),
      end: daysFromNow(3, 10),
      ownerId: i.ownerId,
    });
    await i.sync();
    const [item] = await i.phone.events();
    updateEvent(i.db, id, { location: 'Zasedačka' });
    i.faults.beforeNextUpload(() => i.phone.remove(item!.ref));
    const run = await i.sync();
    const failed = run.agendas.flatMap((a) => a.failed);
    expect(failed.map((f) => [f.label, f.code])).toEqual([['Školení pokladen', 'item-gone']]);
    expect(await i.phone.events()).toHaveLength(0);
  });
});
