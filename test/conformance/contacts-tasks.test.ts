/**
 * Contacts and tasks end to end, on every server fixture: CRM persons out with every
 * e-mail, phone, company and category; the phone's contacts in, into the synced branch,
 * with what the CRM does not model kept; the category and branch filters; tasks both ways
 * by group, completion and priority; a task shown in the calendar travels as an event.
 */
import { expect, it } from 'vitest';
import { createCategory } from '../../src/core/crm/categories.ts';
import { ensureNodePath } from '../../src/core/crm/classification.ts';
import { getCompany, insertCompany } from '../../src/core/crm/companies.ts';
import { listEvents } from '../../src/core/crm/events.ts';
import { createGroup } from '../../src/core/crm/groups.ts';
import { getPerson, insertPerson, listPersons, updatePerson } from '../../src/core/crm/persons.ts';
import { getTask, insertTask, listTasks, updateTask } from '../../src/core/crm/tasks.ts';
import { totals } from '../support/run-totals.ts';
import { forEachFixture } from './fixtures.ts';
import { dayIn, daysFromNow } from '../support/times.ts';

const LOCAL_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

const contactsOnly = (s: {
  agendas: { events: { enabled: boolean }; tasks: { enabled: boolean } };
}): void => {
  s.agendas.events.enabled = false;
  s.agendas.tasks.enabled = false;
};

forEachFixture((fixture) => {
  it('exports a CRM person with e-mails, phones, company, degree, address and category, stamped', async () => {
    const i = await fixture().install(contactsOnly);
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
    const [contact, ...rest] = await i.phone.contacts();
    expect(rest).toHaveLength(0);
    expect(contact).toMatchObject({
      firstName: 'Jiří',
      lastName: 'Černý',
      company: 'Elektro Černý s.r.o.',
      jobTitle: 'jednatel',
      city: 'Brno',
      categories: ['Zákazník'],
    });
    expect(contact!.displayName).toContain('Ing.');
    expect(contact!.emails).toEqual(['jiri.cerny@elektro-cerny.cz', 'jiri@seznam.cz']);
    expect(contact!.phones).toContain('+420 602 111 222');
    expect(contact!.phones).toContain('+420 222 333 444');
    expect(contact!.stamp).toMatch(/^crm:person:\d+@/);
    expect(totals(await i.sync()).serverUpdated).toBe(0);
  });

  it('imports a phone contact into the synced branch, links its company, keeps unknown fields on update', async () => {
    const i = await fixture().install((s) => {
      contactsOnly(s);
      s.agendas.contacts.classificationBranch = 'Kontakty/Zákazníci';
    });
    const branch = ensureNodePath(i.db, 'Kontakty/Zákazníci');
    const firm = insertCompany(i.db, { name: 'SYSTEGRA s.r.o.' });
    const ref = await i.phone.createContact({
      firstName: 'Jana',
      lastName: 'Malá',
      prefix: 'Mgr.',
      company: 'SYSTEGRA s.r.o.',
      jobTitle: 'obchodní ředitelka',
      emails: ['jana.mala@systegra.cz', 'jana.mala@gmail.com'],
      mobile: '+420 777 123 456',
      assistant: 'Eva',
      unknown: [
        { name: 'X-SOCIALPROFILE', value: 'https://linkedin.example/in/janamala' },
        { name: 'item1.X-ABLabel', value: 'asistentka' },
      ],
    });
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
    const [after] = await i.phone.contacts();
    expect(after!.ref).toBe(ref);
    expect(after!.jobTitle).toBe('ředitelka');
    expect(after!.assistant).toBe('Eva');
    expect(after!.property('X-SOCIALPROFILE')).toBe('https://linkedin.example/in/janamala');
    expect(after!.property('item1.X-ABLabel')).toBe('asistentka');
  });

  it('syncs only the chosen categories and branch, and untracks a person moved out of it', async () => {
    const i = await fixture().install((s) => {
      contactsOnly(s);
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
    await i.phone.createContact({ firstName: 'Karel', lastName: 'Nezařazený' });
    await i.sync();
    const names = (await i.phone.contacts()).map((c) => c.lastName);
    expect(names.sort()).toEqual(['Dvořák', 'Nezařazený']);
    expect(listPersons(i.db, {}).some((p) => p.lastName === 'Nezařazený')).toBe(false);

    // Moved out of the branch: untracked, not deleted on either side.
    updatePerson(i.db, synced, { nodeId: outside });
    expect(totals(await i.sync()).serverDeleted).toBe(0);
    expect(await i.phone.contacts()).toHaveLength(2);
    expect(getPerson(i.db, synced)).toBeDefined();
  });

  it('exports CRM tasks of the chosen groups and imports the phone’s tasks, completion and priority included', async () => {
    const i = await fixture().install((s) => {
      s.agendas.events.enabled = false;
      s.agendas.contacts.enabled = false;
      s.agendas.tasks.exportGroups = { mode: 'selected', groups: ['Obchod'] };
      s.agendas.tasks.showInCalendarAsEvent = false;
    });
    const sales = createGroup(i.db, { name: 'Obchod' });
    const service = createGroup(i.db, { name: 'Servis' });
    const offer = insertTask(i.db, {
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
    await i.phone.createTask({
      subject: 'Zavolat účetní',
      due: daysFromNow(2),
      priority: 'low',
      completed: daysFromNow(-1),
      percentComplete: 100,
    });
    await i.sync();
    const tasks = await i.phone.tasks();
    expect(tasks.map((t) => t.subject).sort()).toEqual(['Poslat nabídku', 'Zavolat účetní']);
    const sent = tasks.find((t) => t.subject === 'Poslat nabídku')!;
    expect(sent.priority).toBe('high');
    expect(sent.stamp).toMatch(/^crm:task:\d+@/);
    const imported = listTasks(i.db, {}).find((t) => t.subject === 'Zavolat účetní');
    expect(imported).toMatchObject({ ownerId: i.ownerId, percentComplete: 100, priority: 'low' });
    expect(imported!.completedAt).not.toBeNull();
    // Its due time, or on a server that keeps task dates as days, its day.
    expect(imported).toMatchObject(
      fixture().keeps.taskTimes
        ? { allDay: false, due: daysFromNow(2).toISOString() }
        : { allDay: true, due: dayIn(daysFromNow(2), LOCAL_ZONE) },
    );

    // Completed in the CRM: the phone shows it done.
    updateTask(i.db, offer, { completedAt: new Date().toISOString(), percentComplete: 100 });
    expect(totals(await i.sync()).serverUpdated).toBe(1);
    const done = (await i.phone.tasks()).find((t) => t.subject === 'Poslat nabídku')!;
    expect(done.completed).toBe(true);
  });

  it('sends a task flagged "show in calendar" as a calendar item, not imported back as an event', async () => {
    const i = await fixture().install((s) => {
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
    const shown = (await i.phone.events()).find((e) => e.subject === 'Předvedení u zákazníka');
    expect(shown).toBeDefined();
    expect((await i.phone.tasks()).some((t) => t.subject === 'Předvedení u zákazníka')).toBe(false);
    expect(listEvents(i.db, {})).toHaveLength(0);

    // Moved on the phone: the CRM task follows.
    await i.phone.update(shown!.ref, { start: daysFromNow(5, 9), end: daysFromNow(5, 11) });
    await i.sync();
    expect(getTask(i.db, taskId)!.due).toBe(daysFromNow(5, 11).toISOString());
    expect(listEvents(i.db, {})).toHaveLength(0);
    const again = totals(await i.sync());
    expect(again.serverCreated + again.crmCreated + again.serverUpdated + again.crmUpdated).toBe(0);
  });
});
