/**
 * Contacts and tasks end to end against the fake Exchange (the scenarios of
 * contacts-tasks.scenario.test.ts in Exchange's terms).
 */
import { describe, expect, it } from 'vitest';
import { createCategory } from '../../src/core/crm/categories.ts';
import { ensureNodePath } from '../../src/core/crm/classification.ts';
import { insertCompany } from '../../src/core/crm/companies.ts';
import { getPerson, insertPerson, listPersons, updatePerson } from '../../src/core/crm/persons.ts';
import { createGroup } from '../../src/core/crm/groups.ts';
import { insertTask, listTasks, updateTask } from '../../src/core/crm/tasks.ts';
import { ewsTime, perTestInstallation } from './ews-harness.ts';
import { daysFromNow, totals } from './harness.ts';

const fresh = perTestInstallation();

describe('contacts and tasks on the fake Exchange', () => {
  it('exports a CRM person with e-mails, phones, company, degree and category, stamped', async () => {
    const i = await fresh((s) => {
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
    const [contact, ...rest] = i.contacts.items();
    expect(rest).toHaveLength(0);
    const xml = contact!.xml();
    expect(contact!.field('GivenName')).toBe('Jiří');
    expect(contact!.field('Surname')).toBe('Černý');
    expect(contact!.field('CompanyName')).toBe('Elektro Černý s.r.o.');
    expect(contact!.field('JobTitle')).toBe('jednatel');
    expect(xml).toContain('jiri.cerny@elektro-cerny.cz');
    expect(xml).toContain('jiri@seznam.cz');
    expect(xml).toContain('+420 602 111 222');
    expect(xml).toContain('Brno');
    expect(xml).toContain('Zákazník');
    expect(xml).toContain('Ing.');
    expect(contact!.extendedProperty('X-CRM-SYNC-ID')).toMatch(/^crm:person:\d+@/);
    expect(totals(await i.sync()).serverUpdated).toBe(0);
  });

  it('imports an Outlook contact into the synced branch, links its company, keeps unknown fields on update', async () => {
    const i = await fresh((s) => {
      s.agendas.events.enabled = false;
      s.agendas.tasks.enabled = false;
      s.agendas.contacts.classificationBranch = 'Kontakty/Zákazníci';
    });
    const branch = ensureNodePath(i.db, 'Kontakty/Zákazníci');
    const firm = insertCompany(i.db, { name: 'SYSTEGRA s.r.o.' });
    const created = i.contacts.create(
      [
        '<t:Contact>',
        '<t:FileAs>Malá, Jana</t:FileAs>',
        '<t:GivenName>Jana</t:GivenName>',
        '<t:CompanyName>SYSTEGRA s.r.o.</t:CompanyName>',
        '<t:EmailAddresses>',
        '<t:Entry Key="EmailAddress1">jana.mala@systegra.cz</t:Entry>',
        '<t:Entry Key="EmailAddress2">jana.mala@gmail.com</t:Entry>',
        '</t:EmailAddresses>',
        '<t:PhoneNumbers><t:Entry Key="MobilePhone">+420 777 123 456</t:Entry></t:PhoneNumbers>',
        '<t:AssistantName>Eva</t:AssistantName>',
        '<t:JobTitle>obchodní ředitelka</t:JobTitle>',
        '<t:Surname>Malá</t:Surname>',
        '</t:Contact>',
      ].join(''),
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

    updatePerson(i.db, person!.id, { jobTitle: 'ředitelka' });
    expect(totals(await i.sync()).serverUpdated).toBe(1);
    const [after] = i.contacts.items();
    expect(after!.id).toBe(created.id);
    expect(after!.field('JobTitle')).toBe('ředitelka');
    expect(after!.field('AssistantName')).toBe('Eva');
  });

  it('syncs only the chosen categories and branch', async () => {
    const i = await fresh((s) => {
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
    i.contacts.create(
      '<t:Contact><t:FileAs>Nezařazený, Karel</t:FileAs><t:GivenName>Karel</t:GivenName><t:Surname>Nezařazený</t:Surname></t:Contact>',
    );
    await i.sync();
    const names = i.contacts.items().map((c) => c.field('Surname'));
    expect(names.sort()).toEqual(['Dvořák', 'Nezařazený']);
    expect(listPersons(i.db, {}).some((p) => p.lastName === 'Nezařazený')).toBe(false);

    // Moved out of the branch: untracked, not deleted on either side.
    updatePerson(i.db, synced, { nodeId: outside });
    expect(totals(await i.sync()).serverDeleted).toBe(0);
    expect(i.contacts.items()).toHaveLength(2);
    expect(getPerson(i.db, synced)).toBeDefined();
  });

  it('exports CRM tasks of the chosen groups and imports Outlook tasks, completion and priority included', async () => {
    const i = await fresh((s) => {
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
    i.tasks.create(
      [
        '<t:Task>',
        '<t:Subject>Zavolat účetní</t:Subject>',
        '<t:Importance>Low</t:Importance>',
        `<t:CompleteDate>${ewsTime(daysFromNow(-1))}</t:CompleteDate>`,
        `<t:DueDate>${ewsTime(daysFromNow(2, 0))}</t:DueDate>`,
        '<t:PercentComplete>100</t:PercentComplete>',
        '<t:Status>Completed</t:Status>',
        '</t:Task>',
      ].join(''),
    );
    await i.sync();
    const subjects = i.tasks.items().map((t) => t.field('Subject'));
    expect(subjects.sort()).toEqual(['Poslat nabídku', 'Zavolat účetní']);
    const sent = i.tasks.items().find((t) => t.field('Subject') === 'Poslat nabídku')!;
    expect(sent.field('Importance')).toBe('High');
    expect(sent.extendedProperty('X-CRM-SYNC-ID')).toMatch(/^crm:task:\d+@/);
    const imported = listTasks(i.db, {}).find((t) => t.subject === 'Zavolat účetní');
    expect(imported).toMatchObject({ ownerId: i.ownerId, percentComplete: 100, priority: 'low' });
    expect(imported!.completedAt).not.toBeNull();

    // Completed in the CRM: Outlook shows it done.
    updateTask(i.db, offer, { completedAt: new Date().toISOString(), percentComplete: 100 });
    expect(totals(await i.sync()).serverUpdated).toBe(1);
    const done = i.tasks.items().find((t) => t.field('Subject') === 'Poslat nabídku')!;
    expect(done.field('Status')).toBe('Completed');
  });
});
