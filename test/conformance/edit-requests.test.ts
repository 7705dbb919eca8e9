/**
 * What a CRM edit costs on CalDAV/CardDAV (Radicale, Xandikos): the connector patches the
 * server's text it keeps with the mirror and sends one PUT guarded by If-Match, no GET; the
 * server's own properties survive, also through the next edit (the copy is then the text
 * sent). A mirror kept before copies were stored reads the item first, once.
 */
import { expect, it } from 'vitest';
import { listEvents, updateEvent } from '../../src/core/crm/events.ts';
import { listPersons, updatePerson } from '../../src/core/crm/persons.ts';
import { totals } from '../support/run-totals.ts';
import { daysFromNow } from '../support/times.ts';
import { davFixture } from './dav-fixture.ts';
import type { DavFixture } from './dav-fixture.ts';
import { forEachFixture } from './fixtures.ts';
import type { Installation } from './fixtures.ts';

const DAV_FIXTURES: DavFixture[] = [davFixture('radicale'), davFixture('xandikos')];
const byName = new Map(DAV_FIXTURES.map((f) => [f.name, f]));

const TEAMS = { name: 'X-MICROSOFT-SKYPETEAMSMEETINGURL', value: 'https://teams.example/meet/7' };
const PROFILE = { name: 'X-SOCIALPROFILE', value: 'https://linkedin.example/in/petrdvorak' };

forEachFixture((fixture) => {
  /** The requests by method a sync sends to the server. */
  async function syncRequests(i: Installation): Promise<Record<string, number>> {
    const stats = byName.get(fixture().name)!.native(i).stats;
    const before = { ...stats.byMethod };
    await i.sync();
    const sent: Record<string, number> = {};
    for (const [method, n] of Object.entries(stats.byMethod)) {
      if (n > (before[method] ?? 0)) sent[method] = n - (before[method] ?? 0);
    }
    return sent;
  }

  /** The phone's event and contact, each with a property the CRM does not model, imported. */
  async function imported(i: Installation): Promise<{ eventId: number; personId: number }> {
    await i.phone.createEvent({
      subject: 'Servis pokladny',
      start: daysFromNow(2, 9),
      end: daysFromNow(2, 10),
      unknown: [TEAMS],
    });
    await i.phone.createContact({ firstName: 'Petr', lastName: 'Dvořák', unknown: [PROFILE] });
    const first = totals(await i.sync());
    expect(first.crmCreated).toBe(2);
    const [event] = listEvents(i.db, {}).filter((e) => e.ownerId === i.ownerId);
    const [person] = listPersons(i.db, {});
    return { eventId: event!.id, personId: person!.id };
  }

  async function expectServerPropertiesKept(i: Installation, location: string, job: string) {
    const [event] = await i.phone.events();
    expect(event!.location).toBe(location);
    expect(event!.property(TEAMS.name)).toBe(TEAMS.value);
    const [contact] = await i.phone.contacts();
    expect(contact!.jobTitle).toBe(job);
    expect(contact!.property(PROFILE.name)).toBe(PROFILE.value);
  }

  it("an edit in the CRM sends one PUT and no GET, and the server's own properties survive", async () => {
    const i = await fixture().install((s) => {
      s.agendas.tasks.enabled = false;
    });
    const { eventId, personId } = await imported(i);

    updateEvent(i.db, eventId, { location: 'Prodejna Brno' });
    updatePerson(i.db, personId, { jobTitle: 'vedoucí prodejny' });
    const sent = await syncRequests(i);
    expect(sent['PUT']).toBe(2);
    expect(sent['GET']).toBeUndefined();
    await expectServerPropertiesKept(i, 'Prodejna Brno', 'vedoucí prodejny');

    // The next edit patches the text the last one sent: again no read first.
    updateEvent(i.db, eventId, { location: 'Prodejna Olomouc' });
    updatePerson(i.db, personId, { jobTitle: 'jednatel' });
    const again = await syncRequests(i);
    expect(again['PUT']).toBe(2);
    expect(again['GET']).toBeUndefined();
    await expectServerPropertiesKept(i, 'Prodejna Olomouc', 'jednatel');
    expect(totals(await i.sync()).serverUpdated).toBe(0);
  });

  it('a mirror without copies of the server’s text reads each edited item once, then keeps its copy', async () => {
    const i = await fixture().install((s) => {
      s.agendas.tasks.enabled = false;
    });
    const { eventId, personId } = await imported(i);
    // As a mirror stored before the copies were kept leaves it.
    i.db.prepare('UPDATE sync_server_items SET source = NULL').run();

    updateEvent(i.db, eventId, { location: 'Prodejna Brno' });
    updatePerson(i.db, personId, { jobTitle: 'vedoucí prodejny' });
    const sent = await syncRequests(i);
    expect(sent['GET']).toBe(2);
    expect(sent['PUT']).toBe(2);
    await expectServerPropertiesKept(i, 'Prodejna Brno', 'vedoucí prodejny');

    updateEvent(i.db, eventId, { location: 'Prodejna Olomouc' });
    updatePerson(i.db, personId, { jobTitle: 'jednatel' });
    const again = await syncRequests(i);
    expect(again['PUT']).toBe(2);
    expect(again['GET']).toBeUndefined();
    await expectServerPropertiesKept(i, 'Prodejna Olomouc', 'jednatel');
  });
}, DAV_FIXTURES);
