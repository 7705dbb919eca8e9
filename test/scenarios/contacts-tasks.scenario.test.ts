/**
 * Contacts (CardDAV) and tasks (CalDAV VTODO) end to end, on Radicale and Xandikos.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCategory } from '../../src/core/crm/categories.ts';
import { getCompany, insertCompany } from '../../src/core/crm/companies.ts';
import { createGroup } from '../../src/core/crm/groups.ts';
import { ensureNodePath } from '../../src/core/crm/classification.ts';
import { getPerson, insertPerson, listPersons, updatePerson } from '../../src/core/crm/persons.ts';
import { getTask, insertTask, listTasks } from '../../src/core/crm/tasks.ts';
import { listEvents } from '../../src/core/crm/events.ts';
import { startRadicale, startXandikos } from '../support/dav-servers.ts';
import type { DavTestServer } from '../support/dav-servers.ts';
import { daysFromNow, icsUtc, install, serverObjects, totals } from './harness.ts';
import type { Installation } from './harness.ts';

const servers: { name: string; start: () => Promise<DavTestServer> }[] = [
  { name: 'Radicale', start: startRadicale },
  { name: 'Xandikos', start: startXandikos },
];

function vcard(uid: string, lines: string[]): string {
  return ['BEGIN:VCARD', 'VERSION:3.0', `UID:${uid}`, ...lines, 'END:VCARD', ''].join('\r\n');
}

async function putCard(inst: Installation, text: string): Promise<string> {
  const res = await inst.phone.putObject(
    inst.addressBookUrl,
    null,
    text,
    'text/vcard; charset=utf-8',
    {
      ifNoneMatch: '*',
    },
  );
  return res.href;
}

const unfold = (t: string): string => t.replace(/\r?\n[ \t]/g, '');

describe.each(servers)('contacts and tasks on $name', ({ start }) => {
  let server: DavTestServer;

  beforeAll(async () => {
    server = await start();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('exports a CRM person with all e-mails, phones, company and category, stamped', async () => {
    const i = await install(server, (s) => {
      s.agendas.events.enabled = false;
      s.agendas.tasks.enabled = false;
    });
    const firm = insertCompany(i.db, { name: 'Elektro Černý s.r.o.' });
    const customer = createCategory(i.db, { name: 'Zákazník', kind: 'contact' });
    insertPerson(i.db, {
      firstName: 'Jiří',
      lastName: 'Černý',
      title: 'Ing.',
      jobTitle: 'jednatel',
      emails: [
        { email: 'jiri.cerny@elektro-cerny.cz', kind: 'work' },
        { email: 'jiri@seznam.cz', kind: 'home' },
      ],
      phones: [
        { number: '+420 602 111 222', kind: 'mobile' },
        { number: '+420 222 333 444', kind: 'work' },
      ],
      companies: [firm],
      categoryIds: [customer],
      city: 'Brno',
    });
    expect(totals(await i.sync()).serverCreated).toBe(1);
    const [card] = [...(await serverObjects(i, i.addressBookUrl)).values()].map(unfold);
    expect(card).toContain('jiri.cerny@elektro-cerny.cz');
    expect(card).toContain('jiri@seznam.cz');
    expect(card).toMatch(/TEL[^:]*:\+420 602 111 222/);
    expect(card).toContain('ORG:Elektro Černý s.r.o.');
    expect(card).toContain('CATEGORIES:Zákazník');
    expect(card).toMatch(/X-CRM-SYNC-ID:/);
    expect(totals(await i.sync()).serverUpdated).toBe(0);
    await i.close();
  });

  it('imports a phone contact into the synced branch, links its company, keeps unknown fields on update', async () => {
    const i = await install(server, (s) => {
      s.agendas.events.enabled = false;
      s.agendas.tasks.enabled = false;
      s.agendas.contacts.classificationBranch = 'Kontakty/Zákazníci';
    });
    const branch = ensureNodePath(i.db, 'Kontakty/Zákazníci');
    const firm = insertCompany(i.db, { name: 'SYSTEGRA s.r.o.' });
    const href = await putCard(
      i,
      vcard('phone-card-1', [
        'N:Malá;Jana;;Mgr.;',
        'FN:Mgr. Jana Malá',
        'ORG:SYSTEGRA s.r.o.',
        'TITLE:obchodní ředitelka',
        'EMAIL;TYPE=INTERNET,WORK:jana.mala@systegra.cz',
        'EMAIL;TYPE=INTERNET,HOME:jana.mala@gmail.com',
        'TEL;TYPE=CELL:+420 777 123 456',
        'X-SOCIALPROFILE;TYPE=linkedin:https://linkedin.example/in/janamala',
        'item1.X-ABLabel:asistentka',
      ]),
    );
    expect(totals(await i.sync()).crmCreated).toBe(1);
    const [person] = listPersons(i.db, {});
    expect(person).toMatchObject({
      firstName: 'Jana',
      lastName: 'Malá',
      nodeId: branch,
      jobTitle: 'obchodní ředitelka',
    });
    expect(person!.emails.map((e) => e.email)).toEqual([
      'jana.mala@systegra.cz',
      'jana.mala@gmail.com',
    ]);
    expect(person!.companies.map((c) => c.companyId)).toEqual([firm]);
    expect(getCompany(i.db, firm)!.name).toBe('SYSTEGRA s.r.o.');

    updatePerson(i.db, person!.id, { jobTitle: 'ředitelka' });
    expect(totals(await i.sync()).serverUpdated).toBe(1);
    const after = unfold((await i.phone.getObject(href))!.data);
    expect(after).toContain('TITLE:ředitelka');
    expect(after).toContain('X-SOCIALPROFILE;TYPE=linkedin:https://linkedin.example/in/janamala');
    // Radicale rewrites stored cards (upper-case names): compare names case-insensitively.
    expect(after).toMatch(/item1\.X-ABLabel:asistentka/i);
    await i.close();
  });

  it('reads a photo whose data: URI the server escaped with its media type repaired; writes REV in the basic form', async () => {
    const i = await install(server, (s) => {
      s.agendas.events.enabled = false;
      s.agendas.tasks.enabled = false;
    });
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex').toString('base64');
    const href = await putCard(
      i,
      [
        'BEGIN:VCARD',
        'VERSION:4.0',
        'UID:photo-card-1',
        'N:Fotková;Petra;;;',
        'FN:Petra Fotková',
        // As a server that takes PHOTO for text stores it: ";" and "," escaped.
        `PHOTO:data:image/png\\;base64\\,${png}`,
        'REV:2026-03-05T10:12:33Z',
        'END:VCARD',
        '',
      ].join('\r\n'),
    );
    expect(totals(await i.sync()).crmCreated).toBe(1);
    const [person] = listPersons(i.db, {});
    expect(person!.photoType).toBe('image/png');
    expect(person!.photo?.toString('base64')).toBe(png);

    updatePerson(i.db, person!.id, { jobTitle: 'fotografka' });
    expect(totals(await i.sync()).serverUpdated).toBe(1);
    const after = unfold((await i.phone.getObject(href))!.data);
    expect(after).toMatch(/^REV:\d{8}T\d{6}Z$/m);
    // Nothing changed on the next run: the repaired type is what the server copy reads as.
    expect(totals(await i.sync())).toMatchObject({ serverUpdated: 0, crmUpdated: 0 });
    await i.close();
  });

  it('syncs only the chosen categories and branch, and untracks a person moved out of it', async () => {
    const i = await install(server, (s) => {
      s.agendas.events.enabled = false;
      s.agendas.tasks.enabled = false;
      s.agendas.contacts.categories = ['Zákazník'];
      s.agendas.contacts.classificationBranch = 'Kontakty/Zákazníci';
    });
    const inBranch = ensureNodePath(i.db, 'Kontakty/Zákazníci/Velkoobchod');
    const outside = ensureNodePath(i.db, 'Kontakty/Dodavatelé');
    const customer = createCategory(i.db, { name: 'Zákazník', kind: 'contact' });
    const synced = insertPerson(i.db, {
      firstName: 'Petr',
      lastName: 'Dvořák',
      nodeId: inBranch,
      categoryIds: [customer],
    });
    insertPerson(i.db, { firstName: 'Bez', lastName: 'Kategorie', nodeId: inBranch });
    insertPerson(i.db, {
      firstName: 'Mimo',
      lastName: 'Větev',
      nodeId: outside,
      categoryIds: [customer],
    });
    await putCard(i, vcard('no-cat', ['N:Nezařazený;Karel;;;', 'FN:Karel Nezařazený']));
    await i.sync();
    const cards = [...(await serverObjects(i, i.addressBookUrl)).values()];
    expect(cards.filter((c) => c.includes('Dvořák'))).toHaveLength(1);
    expect(cards.some((c) => c.includes('Kategorie') || c.includes('Větev'))).toBe(false);
    expect(listPersons(i.db, {}).some((p) => p.lastName === 'Nezařazený')).toBe(false);

    updatePerson(i.db, synced, { nodeId: outside });
    const run = totals(await i.sync());
    expect(run.serverDeleted).toBe(0);
    expect((await serverObjects(i, i.addressBookUrl)).size).toBe(2);
    expect(getPerson(i.db, synced)).toBeDefined();
    await i.close();
  });

  it('exports CRM tasks as VTODOs and imports server tasks for the CRM user', async () => {
    const i = await install(server, (s) => {
      s.agendas.events.enabled = false;
      s.agendas.contacts.enabled = false;
      s.agendas.tasks.exportGroups = { mode: 'selected', groups: ['Obchod'] };
    });
    const sales = createGroup(i.db, { name: 'Obchod' });
    const service = createGroup(i.db, { name: 'Servis' });
    insertTask(i.db, {
      subject: 'Poslat nabídku',
      due: daysFromNow(3),
      priority: 'high',
      ownerId: i.ownerId,
      groupId: sales,
    });
    insertTask(i.db, {
      subject: 'Servisní zásah',
      due: daysFromNow(3),
      ownerId: i.ownerId,
      groupId: service,
    });
    await i.phone.putObject(
      i.calendarUrl,
      null,
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//Phone//EN',
        'BEGIN:VTODO',
        'UID:todo-1@phone',
        `DTSTAMP:${icsUtc(daysFromNow(-1))}`,
        'SUMMARY:Zavolat účetní',
        `DUE:${icsUtc(daysFromNow(2))}`,
        'STATUS:COMPLETED',
        `COMPLETED:${icsUtc(daysFromNow(-1))}`,
        'PERCENT-COMPLETE:100',
        'END:VTODO',
        'END:VCALENDAR',
        '',
      ].join('\r\n'),
      'text/calendar; charset=utf-8',
      { ifNoneMatch: '*' },
    );
    await i.sync();
    const todos = [...(await serverObjects(i, i.calendarUrl)).values()].map(unfold);
    const sent = todos.find((t) => t.includes('Poslat nabídku'));
    expect(sent).toContain('BEGIN:VTODO');
    expect(sent).toMatch(/PRIORITY:1/);
    expect(todos.some((t) => t.includes('Servisní zásah'))).toBe(false);
    const imported = listTasks(i.db, {}).find((t) => t.subject === 'Zavolat účetní');
    expect(imported).toMatchObject({ ownerId: i.ownerId, percentComplete: 100 });
    expect(imported!.completedAt).not.toBeNull();
    await i.close();
  });

  it('sends a task flagged "show in calendar" as a calendar item, not imported back as an event', async () => {
    const i = await install(server, (s) => {
      s.agendas.contacts.enabled = false;
    });
    const taskId = insertTask(i.db, {
      subject: 'Předvedení u zákazníka',
      start: daysFromNow(4, 9),
      due: daysFromNow(4, 11),
      showInCalendar: true,
      ownerId: i.ownerId,
    });
    await i.sync();
    const objects = [...(await serverObjects(i, i.calendarUrl)).entries()];
    const [href, text] = objects.find(([, t]) => t.includes('Předvedení'))!;
    expect(text).toContain('BEGIN:VEVENT');
    expect(text).not.toContain('BEGIN:VTODO');
    expect(listEvents(i.db, {})).toHaveLength(0);

    // Moved on the phone: the CRM task follows.
    const current = await i.phone.getObject(href);
    const moved = current!.data
      .replace(/DTSTART[^\r\n]*/, `DTSTART:${icsUtc(daysFromNow(5, 9))}`)
      .replace(/DTEND[^\r\n]*/, `DTEND:${icsUtc(daysFromNow(5, 11))}`);
    await i.phone.putObject(i.calendarUrl, href, moved, 'text/calendar', {
      ifMatch: current!.etag,
    });
    await i.sync();
    expect(getTask(i.db, taskId)!.due).toBe(daysFromNow(5, 11).toISOString());
    expect(listEvents(i.db, {})).toHaveLength(0);
    const again = totals(await i.sync());
    expect(again.serverCreated + again.crmCreated + again.serverUpdated + again.crmUpdated).toBe(0);
    await i.close();
  });
});
