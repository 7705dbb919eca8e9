/**
 * Categories survive, on Radicale and Xandikos: a contact's server categories reach the CRM
 * person and are never wiped by a CRM write; an event's or task's server categories are
 * never replaced by the CRM's (the default given on import stays in the CRM); and an
 * exported meeting has an ORGANIZER, the CRM user's, without replacing the server's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCategory, getCategory } from '../../src/core/crm/categories.ts';
import type { CrmDatabase } from '../../src/core/crm/database.ts';
import { getEvent, insertEvent, listEvents, updateEvent } from '../../src/core/crm/events.ts';
import { getPerson, listPersons, updatePerson } from '../../src/core/crm/persons.ts';
import { listTasks, updateTask } from '../../src/core/crm/tasks.ts';
import { startRadicale, startXandikos } from '../support/dav-servers.ts';
import type { DavTestServer } from '../support/dav-servers.ts';
import { daysFromNow, icsUtc, install, serverObjects, totals } from './harness.ts';
import type { Installation } from './harness.ts';

const servers: { name: string; start: () => Promise<DavTestServer> }[] = [
  { name: 'Radicale', start: startRadicale },
  { name: 'Xandikos', start: startXandikos },
];

const unfold = (t: string): string => t.replace(/\r?\n[ \t]/g, '');

/** The CATEGORIES of a raw object (every line, comma lists split), sorted. */
function categoriesIn(text: string, component = ''): string[] {
  const body = component
    ? (unfold(text).split(`BEGIN:${component}`)[1]?.split(`END:${component}`)[0] ?? '')
    : unfold(text);
  return body
    .split(/\r?\n/)
    .filter((l) => /^CATEGORIES[;:]/i.test(l))
    .flatMap((l) => l.slice(l.indexOf(':') + 1).split(/(?<!\\),/))
    .map((c) => c.replace(/\\,/g, ',').trim())
    .filter((c) => c !== '')
    .sort();
}

function categoryNames(db: CrmDatabase, ids: readonly (number | null)[]): string[] {
  return ids
    .filter((id): id is number => id !== null)
    .map((id) => getCategory(db, id)!.name)
    .sort();
}

async function onlyObject(i: Installation, url: string): Promise<string> {
  const all = [...(await serverObjects(i, url)).values()];
  expect(all).toHaveLength(1);
  return all[0]!;
}

async function put(i: Installation, url: string, text: string, type: string): Promise<void> {
  await i.phone.putObject(url, null, text, type, { ifNoneMatch: '*' });
}

function vcalendar(component: 'VEVENT' | 'VTODO', uid: string, lines: string[]): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Phone//EN',
    `BEGIN:${component}`,
    `UID:${uid}`,
    `DTSTAMP:${icsUtc(daysFromNow(-1))}`,
    ...lines,
    `END:${component}`,
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

async function eventText(i: Installation, text: string): Promise<string> {
  const all = [...(await serverObjects(i, i.calendarUrl)).values()];
  return unfold(all.find((t) => t.includes(text))!);
}

describe.each(servers)('categories and organizer on $name', ({ start }) => {
  let server: DavTestServer;

  beforeAll(async () => {
    server = await start();
  }, 240_000);
  afterAll(async () => {
    await server?.stop();
  }, 240_000);

  it('imports a contact’s categories the CRM knows, keeps the others on the server, and removes only what the CRM removed', async () => {
    const i = await install(server, (s) => {
      s.agendas.events.enabled = false;
      s.agendas.tasks.enabled = false;
      // The filter names a category the CRM does not have yet: it is created on import.
      s.agendas.contacts.categories = ['Zákazník'];
    });
    createCategory(i.db, { name: 'VIP', kind: 'contact' });
    await put(
      i,
      i.addressBookUrl,
      [
        'BEGIN:VCARD',
        'VERSION:3.0',
        'UID:card-cat-1',
        'N:Malá;Jana;;;',
        'FN:Jana Malá',
        'CATEGORIES:zákazník,vip,Přátelé',
        'END:VCARD',
        '',
      ].join('\r\n'),
      'text/vcard; charset=utf-8',
    );
    expect(totals(await i.sync()).crmCreated).toBe(1);
    const [person] = listPersons(i.db, {});
    // In the CRM's spelling; "Přátelé" has no CRM category and is not made one.
    expect(categoryNames(i.db, person!.categoryIds)).toEqual(['VIP', 'Zákazník']);

    // Still tracked with the filter on: a CRM edit reaches the server, categories intact.
    updatePerson(i.db, person!.id, { jobTitle: 'ředitelka' });
    expect(totals(await i.sync()).serverUpdated).toBe(1);
    let card = await onlyObject(i, i.addressBookUrl);
    expect(unfold(card)).toContain('TITLE:ředitelka');
    expect(categoriesIn(card)).toEqual(['Přátelé', 'vip', 'zákazník']);

    // Removing a category in the CRM removes that one only.
    const vip = person!.categoryIds.find((id) => getCategory(i.db, id)!.name === 'VIP')!;
    updatePerson(i.db, person!.id, {
      categoryIds: person!.categoryIds.filter((id) => id !== vip),
    });
    expect(totals(await i.sync()).serverUpdated).toBe(1);
    card = await onlyObject(i, i.addressBookUrl);
    expect(categoriesIn(card)).toEqual(['Přátelé', 'zákazník']);
    expect(categoryNames(i.db, getPerson(i.db, person!.id)!.categoryIds)).toEqual(['Zákazník']);

    // Nothing left to do: no ping-pong between the two sides.
    const again = totals(await i.sync());
    expect(again.serverUpdated + again.crmUpdated).toBe(0);

    // The pairing state lost: re-pairing and the next CRM write keep the server's own.
    i.db.exec('DELETE FROM sync_pairings; DELETE FROM sync_server_items; DELETE FROM sync_folders');
    await i.sync();
    updatePerson(i.db, person!.id, { jobTitle: 'jednatelka' });
    await i.sync();
    card = await onlyObject(i, i.addressBookUrl);
    expect(unfold(card)).toContain('TITLE:jednatelka');
    expect(categoriesIn(card)).toEqual(['Přátelé', 'zákazník']);
    await i.close();
  }, 240_000);

  it('"all items" mode: the import default stays in the CRM and the server’s own category survives every write', async () => {
    const i = await install(server, (s) => {
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
    await put(
      i,
      i.calendarUrl,
      vcalendar('VEVENT', 'cat-event-1@phone', [
        `DTSTART:${icsUtc(daysFromNow(2))}`,
        `DTEND:${icsUtc(daysFromNow(2, 10))}`,
        'SUMMARY:Hovor',
        'CATEGORIES:Hotline',
      ]),
      'text/calendar; charset=utf-8',
    );
    expect(totals(await i.sync()).crmCreated).toBe(1);
    const [event] = listEvents(i.db, {});
    expect(categoryNames(i.db, [event!.categoryId])).toEqual(['Import']);

    updateEvent(i.db, event!.id, { subject: 'Hovor s klientem' });
    expect(totals(await i.sync()).serverUpdated).toBe(1);
    let ics = await onlyObject(i, i.calendarUrl);
    expect(ics).toContain('SUMMARY:Hovor s klientem');
    expect(categoriesIn(ics, 'VEVENT')).toEqual(['Hotline']);

    // A category set in the CRM goes to the server beside the server's own...
    updateEvent(i.db, event!.id, { categoryId: meeting });
    await i.sync();
    ics = await onlyObject(i, i.calendarUrl);
    expect(categoriesIn(ics, 'VEVENT')).toEqual(['Hotline', 'Schůzka']);
    // ...a changed one replaces only what the sync set...
    updateEvent(i.db, event!.id, { categoryId: call });
    await i.sync();
    ics = await onlyObject(i, i.calendarUrl);
    expect(categoriesIn(ics, 'VEVENT')).toEqual(['Hotline', 'Porada']);
    // ...and a removed one goes alone.
    updateEvent(i.db, event!.id, { categoryId: null });
    await i.sync();
    ics = await onlyObject(i, i.calendarUrl);
    expect(categoriesIn(ics, 'VEVENT')).toEqual(['Hotline']);
    expect(getEvent(i.db, event!.id)!.categoryId).toBeNull();
    await i.close();
  }, 240_000);

  it('"all items" mode keeps a task’s server categories too', async () => {
    const i = await install(server, (s) => {
      s.agendas.events.enabled = false;
      s.agendas.contacts.enabled = false;
      s.agendas.tasks.categoryMode = 'all';
      s.agendas.tasks.defaultCategory = 'Import';
    });
    createCategory(i.db, { name: 'Import', kind: 'task' });
    createCategory(i.db, { name: 'OSOBNÍ', kind: 'task' });
    await put(
      i,
      i.calendarUrl,
      vcalendar('VTODO', 'cat-task-1@phone', [
        `DUE:${icsUtc(daysFromNow(3))}`,
        'SUMMARY:Zavolat',
        'CATEGORIES:Osobní',
      ]),
      'text/calendar; charset=utf-8',
    );
    expect(totals(await i.sync()).crmCreated).toBe(1);
    const [task] = listTasks(i.db, {});
    expect(categoryNames(i.db, [task!.categoryId])).toEqual(['Import']);
    updateTask(i.db, task!.id, { subject: 'Zavolat zpět' });
    expect(totals(await i.sync()).serverUpdated).toBe(1);
    const ics = await onlyObject(i, i.calendarUrl);
    expect(ics).toContain('SUMMARY:Zavolat zpět');
    expect(categoriesIn(ics, 'VTODO')).toEqual(['Osobní']);
    await i.close();
  }, 240_000);

  it('gives a meeting exported from the CRM the CRM user as ORGANIZER, with SCHEDULE-AGENT=CLIENT', async () => {
    const i = await install(server, (s) => {
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
    const meeting = await eventText(i, 'Porada s klientem');
    const organizer = meeting.split(/\r?\n/).filter((l) => l.startsWith('ORGANIZER'));
    expect(organizer).toHaveLength(1);
    expect(organizer[0]).toMatch(/:mailto:pbartos@firma\.cz$/i);
    expect(organizer[0]).toMatch(/;CN="?Pavel Bartoš"?[;:]/);
    expect(organizer[0]).toMatch(/;SCHEDULE-AGENT=CLIENT[;:]/);
    expect(await eventText(i, 'Bez účastníků')).not.toContain('ORGANIZER');
    // Nothing moves on the next run: the ORGANIZER we wrote is no change on either side.
    const second = totals(await i.sync());
    expect(second.serverUpdated + second.crmUpdated).toBe(0);
    await i.close();
  }, 240_000);

  it('never replaces the ORGANIZER a server meeting has', async () => {
    const i = await install(server, (s) => {
      s.agendas.tasks.enabled = false;
      s.agendas.contacts.enabled = false;
    });
    i.db.prepare('UPDATE users SET email = ? WHERE id = ?').run('pbartos@firma.cz', i.ownerId);
    await put(
      i,
      i.calendarUrl,
      vcalendar('VEVENT', 'org-1@phone', [
        `DTSTART:${icsUtc(daysFromNow(2))}`,
        `DTEND:${icsUtc(daysFromNow(2, 10))}`,
        'SUMMARY:Cizí porada',
        'ORGANIZER;CN=Eva Nová:mailto:eva.nova@jinde.cz',
        'ATTENDEE;CN=Pavel Bartoš;PARTSTAT=ACCEPTED:mailto:pbartos@firma.cz',
      ]),
      'text/calendar; charset=utf-8',
    );
    expect(totals(await i.sync()).crmCreated).toBe(1);
    // The CRM's organizer of a server meeting changes: the server's ORGANIZER stays.
    const imported = listEvents(i.db, {}).find((e) => e.subject === 'Cizí porada')!;
    updateEvent(i.db, imported.id, {
      subject: 'Cizí porada (přesunuto)',
      organizerEmail: 'pbartos@firma.cz',
      organizerName: 'Pavel Bartoš',
    });
    expect(totals(await i.sync()).serverUpdated).toBe(1);
    const foreign = await eventText(i, 'Cizí porada (přesunuto)');
    const lines = foreign.split(/\r?\n/).filter((l) => l.startsWith('ORGANIZER'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/:mailto:eva\.nova@jinde\.cz$/i);
    await i.close();
  }, 240_000);
});
