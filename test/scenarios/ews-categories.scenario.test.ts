/**
 * Categories survive on the fake Exchange (the scenarios of categories.scenario.test.ts in
 * Exchange's terms): an Outlook contact's categories reach the CRM person and survive CRM
 * writes; an event's own category is not replaced by the default given on import.
 */
import { describe, expect, it } from 'vitest';
import { createCategory, getCategory } from '../../src/core/crm/categories.ts';
import type { CrmDatabase } from '../../src/core/crm/database.ts';
import { listEvents, updateEvent } from '../../src/core/crm/events.ts';
import { getPerson, listPersons, updatePerson } from '../../src/core/crm/persons.ts';
import type { FakeItem } from '../support/ews-fake/types.ts';
import { bySubject, calendarItem, perTestInstallation } from './ews-harness.ts';
import { daysFromNow, totals } from './harness.ts';

const fresh = perTestInstallation();

/** The item's Categories as Exchange holds them, sorted. */
function categoriesOf(item: FakeItem): string[] {
  const list = /<(?:t:)?Categories>([\s\S]*?)<\/(?:t:)?Categories>/.exec(item.xml())?.[1] ?? '';
  return [...list.matchAll(/<(?:t:)?String>([^<]*)<\/(?:t:)?String>/g)].map((m) => m[1]!).sort();
}

function categoryNames(db: CrmDatabase, ids: readonly (number | null)[]): string[] {
  return ids
    .filter((id): id is number => id !== null)
    .map((id) => getCategory(db, id)!.name)
    .sort();
}

describe('categories on the fake Exchange', () => {
  it('imports a contact’s categories the CRM knows and keeps the others through CRM writes', async () => {
    const i = await fresh((s) => {
      s.agendas.events.enabled = false;
      s.agendas.tasks.enabled = false;
      s.agendas.contacts.categories = ['Zákazník'];
    });
    createCategory(i.db, { name: 'VIP', kind: 'contact' });
    i.contacts.create(
      [
        '<t:Contact>',
        '<t:Categories><t:String>zákazník</t:String><t:String>VIP</t:String>',
        '<t:String>Přátelé</t:String></t:Categories>',
        '<t:FileAs>Malá, Jana</t:FileAs>',
        '<t:GivenName>Jana</t:GivenName>',
        '<t:JobTitle>obchodní ředitelka</t:JobTitle>',
        '<t:Surname>Malá</t:Surname>',
        '</t:Contact>',
      ].join(''),
    );
    expect(totals(await i.sync()).crmCreated).toBe(1);
    const [person] = listPersons(i.db, {});
    expect(categoryNames(i.db, person!.categoryIds)).toEqual(['VIP', 'Zákazník']);

    updatePerson(i.db, person!.id, { jobTitle: 'ředitelka' });
    expect(totals(await i.sync()).serverUpdated).toBe(1);
    let [contact] = i.contacts.items();
    expect(contact!.field('JobTitle')).toBe('ředitelka');
    expect(categoriesOf(contact!)).toEqual(['Přátelé', 'VIP', 'zákazník']);

    const vip = person!.categoryIds.find((id) => getCategory(i.db, id)!.name === 'VIP')!;
    updatePerson(i.db, person!.id, {
      categoryIds: person!.categoryIds.filter((id) => id !== vip),
    });
    expect(totals(await i.sync()).serverUpdated).toBe(1);
    [contact] = i.contacts.items();
    expect(categoriesOf(contact!)).toEqual(['Přátelé', 'zákazník']);
    expect(categoryNames(i.db, getPerson(i.db, person!.id)!.categoryIds)).toEqual(['Zákazník']);
    const again = totals(await i.sync());
    expect(again.serverUpdated + again.crmUpdated).toBe(0);
  }, 240_000);

  it('"all items" mode: the import default stays in the CRM, the event’s own category survives', async () => {
    const i = await fresh((s) => {
      s.agendas.tasks.enabled = false;
      s.agendas.contacts.enabled = false;
      s.agendas.events.categoryMode = 'all';
      s.agendas.events.defaultCategory = 'Import';
    });
    createCategory(i.db, { name: 'Import', kind: 'event' });
    createCategory(i.db, { name: 'HOTLINE', kind: 'event' });
    const meeting = createCategory(i.db, { name: 'Schůzka', kind: 'event' });
    i.calendar.create(
      calendarItem({
        subject: 'Hovor',
        start: daysFromNow(2),
        end: daysFromNow(2, 10),
        categories: ['Hotline'],
      }),
    );
    expect(totals(await i.sync()).crmCreated).toBe(1);
    const [event] = listEvents(i.db, {});
    expect(categoryNames(i.db, [event!.categoryId])).toEqual(['Import']);

    updateEvent(i.db, event!.id, { subject: 'Hovor s klientem' });
    expect(totals(await i.sync()).serverUpdated).toBe(1);
    let [item] = bySubject(i.calendar, 'Hovor s klientem');
    expect(categoriesOf(item!)).toEqual(['Hotline']);

    updateEvent(i.db, event!.id, { categoryId: meeting });
    await i.sync();
    [item] = bySubject(i.calendar, 'Hovor s klientem');
    expect(categoriesOf(item!)).toEqual(['Hotline', 'Schůzka']);
    updateEvent(i.db, event!.id, { categoryId: null });
    await i.sync();
    [item] = bySubject(i.calendar, 'Hovor s klientem');
    expect(categoriesOf(item!)).toEqual(['Hotline']);
  }, 240_000);
});
