/**
 * Categories and organizers survive, on every server fixture: a contact's server categories
 * reach the CRM person and are never wiped by a CRM write; an event's or task's server
 * categories are never replaced by the CRM's (the default given on import stays in the
 * CRM); a meeting sent from the CRM invites nobody and, where the server keeps one, names
 * the CRM user as organizer; a server meeting's organizer is never replaced.
 */
import { expect, it } from 'vitest';
import { createCategory, getCategory } from '../../src/core/crm/categories.ts';
import type { CrmDatabase } from '../../src/core/crm/database.ts';
import { getEvent, insertEvent, listEvents, updateEvent } from '../../src/core/crm/events.ts';
import { getPerson, listPersons, updatePerson } from '../../src/core/crm/persons.ts';
import { listTasks, updateTask } from '../../src/core/crm/tasks.ts';
import { totals } from '../support/run-totals.ts';
import { forEachFixture } from './fixtures.ts';
import type { Installation, PhoneItem } from './fixtures.ts';
import { daysFromNow } from '../support/times.ts';

function categoryNames(db: CrmDatabase, ids: readonly (number | null)[]): string[] {
  return ids
    .filter((id): id is number => id !== null)
    .map((id) => getCategory(db, id)!.name)
    .sort();
}

async function only(items: Promise<PhoneItem[]>): Promise<PhoneItem> {
  const all = await items;
  expect(all).toHaveLength(1);
  return all[0]!;
}

async function eventCalled(i: Installation, subject: string): Promise<PhoneItem> {
  const found = (await i.phone.events()).find((e) => e.subject === subject);
  expect(found).toBeDefined();
  return found!;
}

forEachFixture((fixture) => {
  it('imports a contact’s categories the CRM knows, keeps the others on the server, and removes only what the CRM removed', async () => {
    const i = await fixture().install((s) => {
      s.agendas.events.enabled = false;
      s.agendas.tasks.enabled = false;
      // The filter names a category the CRM does not have yet: it is created on import.
      s.agendas.contacts.categories = ['Zákazník'];
    });
    createCategory(i.db, { name: 'VIP', kind: 'contact' });
    await i.phone.createContact({
      firstName: 'Jana',
      lastName: 'Malá',
      jobTitle: 'obchodní ředitelka',
      categories: ['zákazník', 'vip', 'Přátelé'],
    });
    expect(totals(await i.sync()).crmCreated).toBe(1);
    const [person] = listPersons(i.db, {});
    // In the CRM's spelling; "Přátelé" has no CRM category and is not made one.
    expect(categoryNames(i.db, person!.categoryIds)).toEqual(['VIP', 'Zákazník']);

    // Still tracked with the filter on: a CRM edit reaches the server, categories intact.
    updatePerson(i.db, person!.id, { jobTitle: 'ředitelka' });
    expect(totals(await i.sync()).serverUpdated).toBe(1);
    let card = await only(i.phone.contacts());
    expect(card.jobTitle).toBe('ředitelka');
    expect(card.categories).toEqual(['Přátelé', 'vip', 'zákazník']);

    // Removing a category in the CRM removes that one only.
    const vip = person!.categoryIds.find((id) => getCategory(i.db, id)!.name === 'VIP')!;
    updatePerson(i.db, person!.id, {
      categoryIds: person!.categoryIds.filter((id) => id !== vip),
    });
    expect(totals(await i.sync()).serverUpdated).toBe(1);
    card = await only(i.phone.contacts());
    expect(card.categories).toEqual(['Přátelé', 'zákazník']);
    expect(categoryNames(i.db, getPerson(i.db, person!.id)!.categoryIds)).toEqual(['Zákazník']);

    // Nothing left to do: no ping-pong between the two sides.
    const again = totals(await i.sync());
    expect(again.serverUpdated + again.crmUpdated).toBe(0);

    // The pairing state lost: re-pairing and the next CRM write keep the server's own.
    i.db.exec('DELETE FROM sync_pairings; DELETE FROM sync_server_items; DELETE FROM sync_folders');
    await i.sync();
    updatePerson(i.db, person!.id, { jobTitle: 'jednatelka' });
    await i.sync();
    card = await only(i.phone.contacts());
    expect(card.jobTitle).toBe('jednatelka');
    expect(card.categories).toEqual(['Přátelé', 'zákazník']);
  }, 240_000);

  it('"all items" mode: the import default stays in the CRM and the server’s own category survives every write', async () => {
    const i = await fixture().install((s) => {
      s.agendas.tasks.enabled = false;
      s.agendas.contacts.enabled = false;
      s.agendas.events.categoryMode = 'all';
      s.agendas.events.defaultCategory = 'Import';
    });
    createCategory(i.db, { name: 'Import', kind: 'event' });
    // A CRM category of the same name (other case) as the server's own one.
    createCategory(i.db, { name: 'HOTLINE', kind: 'event' });
    const meeting = createCategory(i.db, { name: 'Schůzka', kind: 'event' });
    const call = createCategory(i.db, { name: 'Porada', kind: 'event' });
    await i.phone.createEvent({
      subject: 'Hovor',
      start: daysFromNow(2),
      end: daysFromNow(2, 10),
      categories: ['Hotline'],
    });
    expect(totals(await i.sync()).crmCreated).toBe(1);
    const [event] = listEvents(i.db, {});
    expect(categoryNames(i.db, [event!.categoryId])).toEqual(['Import']);

    updateEvent(i.db, event!.id, { subject: 'Hovor s klientem' });
    expect(totals(await i.sync()).serverUpdated).toBe(1);
    let item = await only(i.phone.events());
    expect(item.subject).toBe('Hovor s klientem');
    expect(item.categories).toEqual(['Hotline']);

    // A category set in the CRM goes to the server beside the server's own...
    updateEvent(i.db, event!.id, { categoryId: meeting });
    await i.sync();
    item = await only(i.phone.events());
    expect(item.categories).toEqual(['Hotline', 'Schůzka']);
    // ...a changed one replaces only what the sync set...
    updateEvent(i.db, event!.id, { categoryId: call });
    await i.sync();
    item = await only(i.phone.events());
    expect(item.categories).toEqual(['Hotline', 'Porada']);
    // ...and a removed one goes alone.
    updateEvent(i.db, event!.id, { categoryId: null });
    await i.sync();
    item = await only(i.phone.events());
    expect(item.categories).toEqual(['Hotline']);
    expect(getEvent(i.db, event!.id)!.categoryId).toBeNull();
  }, 240_000);

  it('"all items" mode keeps a task’s server categories too', async () => {
    const i = await fixture().install((s) => {
      s.agendas.events.enabled = false;
      s.agendas.contacts.enabled = false;
      s.agendas.tasks.categoryMode = 'all';
      s.agendas.tasks.defaultCategory = 'Import';
    });
    createCategory(i.db, { name: 'Import', kind: 'task' });
    createCategory(i.db, { name: 'OSOBNÍ', kind: 'task' });
    await i.phone.createTask({
      subject: 'Zavolat',
      due: daysFromNow(3),
      categories: ['Osobní'],
    });
    expect(totals(await i.sync()).crmCreated).toBe(1);
    const [task] = listTasks(i.db, {});
    expect(categoryNames(i.db, [task!.categoryId])).toEqual(['Import']);
    updateTask(i.db, task!.id, { subject: 'Zavolat zpět' });
    expect(totals(await i.sync()).serverUpdated).toBe(1);
    const item = await only(i.phone.tasks());
    expect(item.subject).toBe('Zavolat zpět');
    expect(item.categories).toEqual(['Osobní']);
  }, 240_000);

  it('sends a meeting from the CRM inviting nobody, with the CRM user as organizer where the server keeps one', async () => {
    const i = await fixture().install((s) => {
      s.agendas.tasks.enabled = false;
      s.agendas.contacts.enabled = false;
    });
    i.db.prepare('UPDATE users SET email = ? WHERE id = ?').run('pbartos@firma.cz', i.ownerId);
    insertEvent(i.db, {
      subject: 'Porada s klientem',
      allDay: false,
      start: daysFromNow(1),
      end: daysFromNow(1, 10),
      ownerId: i.ownerId,
      attendees: [{ email: 'jana.mala@systegra.cz', name: 'Jana Malá' }],
    });
    insertEvent(i.db, {
      subject: 'Bez účastníků',
      allDay: false,
      start: daysFromNow(1, 12),
      end: daysFromNow(1, 13),
      ownerId: i.ownerId,
    });
    expect(totals(await i.sync()).serverCreated).toBe(2);
    expect(await i.noInvitationsSent()).toBe(true);
    if (fixture().keeps.exportedOrganizer) {
      const meeting = await eventCalled(i, 'Porada s klientem');
      expect(meeting.organizer?.toLowerCase()).toBe('pbartos@firma.cz');
      expect(meeting.organizerName).toBe('Pavel Bartoš');
      expect((await eventCalled(i, 'Bez účastníků')).organizer).toBeUndefined();
    }
    // Nothing moves on the next run: the organizer we wrote is no change on either side.
    const second = totals(await i.sync());
    expect(second.serverUpdated + second.crmUpdated).toBe(0);
  }, 240_000);

  it('never replaces the organizer a server meeting has', async () => {
    const i = await fixture().install((s) => {
      s.agendas.tasks.enabled = false;
      s.agendas.contacts.enabled = false;
    });
    i.db.prepare('UPDATE users SET email = ? WHERE id = ?').run('pbartos@firma.cz', i.ownerId);
    await i.phone.createEvent({
      subject: 'Cizí porada',
      start: daysFromNow(2),
      end: daysFromNow(2, 10),
      organizer: { name: 'Eva Nová', email: 'eva.nova@jinde.cz' },
      attendees: [{ name: 'Pavel Bartoš', email: 'pbartos@firma.cz' }],
    });
    expect(totals(await i.sync()).crmCreated).toBe(1);
    // The CRM's organizer of a server meeting changes: the server's stays.
    const imported = listEvents(i.db, {}).find((e) => e.subject === 'Cizí porada')!;
    updateEvent(i.db, imported.id, {
      subject: 'Cizí porada (přesunuto)',
      organizerEmail: 'pbartos@firma.cz',
      organizerName: 'Pavel Bartoš',
    });
    expect(totals(await i.sync()).serverUpdated).toBe(1);
    const foreign = await eventCalled(i, 'Cizí porada (přesunuto)');
    expect(foreign.organizer?.toLowerCase()).toBe('eva.nova@jinde.cz');
  }, 240_000);
});
