/**
 * Identity on both sides against the fake Exchange (identity.scenario.test.ts in Exchange's
 * terms): a lost pairing state re-pairs without a write, Outlook-made tasks and contacts
 * (which carry no uid) included; rows created in the CRM keep the UID their item got.
 */
import { describe, expect, it } from 'vitest';
import { createCategory } from '../../src/core/crm/categories.ts';
import { insertCompany } from '../../src/core/crm/companies.ts';
import { insertEvent, listEvents } from '../../src/core/crm/events.ts';
import { insertPerson, listPersons } from '../../src/core/crm/persons.ts';
import { insertTask, listTasks } from '../../src/core/crm/tasks.ts';
import { readJournal } from '../../src/core/sync/journal.ts';
import { calendarItem, ewsTime, perTestInstallation } from './ews-harness.ts';
import type { EwsInstallation } from './ews-harness.ts';
import { daysFromNow, totals } from './harness.ts';

const fresh = perTestInstallation();

const NOTHING = {
  crmCreated: 0,
  crmUpdated: 0,
  crmDeleted: 0,
  serverCreated: 0,
  serverUpdated: 0,
  serverDeleted: 0,
  failed: 0,
};

const WRITES = new Set(['CreateItem', 'UpdateItem', 'DeleteItem']);

const day = (d: Date): string => d.toISOString().slice(0, 10);

function crmRows(i: EwsInstallation): unknown[] {
  const strip = <T extends { updatedAt: string }>(rows: T[]) =>
    rows.map(({ updatedAt: _u, ...rest }) => rest);
  return [
    ...strip(listEvents(i.db, {})),
    ...strip(listTasks(i.db, {})),
    ...strip(listPersons(i.db, {})),
  ];
}

function changeKeys(i: EwsInstallation): string[] {
  return [i.calendar, i.tasks, i.contacts]
    .flatMap((f) => f.items())
    .map((item) => `${item.id} ${item.changeKey}`)
    .sort();
}

describe('identity on the fake Exchange', () => {
  it('re-pairs every item after the pairing state is lost and writes nothing on either side', async () => {
    const i = await fresh((s) => {
      s.agendas.events.defaultCategory = 'Import';
      s.agendas.events.importedStatus = 'Nový';
      s.agendas.events.linkByAttendeeEmail = true;
      s.agendas.tasks.defaultCategory = 'Import';
    });
    createCategory(i.db, { name: 'Import', kind: 'any' });
    const firm = insertCompany(i.db, { name: 'Firma a.s.' });
    insertPerson(i.db, {
      firstName: 'Jana',
      lastName: 'Malá',
      emails: [{ email: 'jana@firma.cz', kind: 'work' }],
      phones: [{ number: '+420 777 111 222', kind: 'mobile' }],
      companies: [firm],
      city: 'Brno',
    });
    insertEvent(i.db, {
      subject: 'Porada (CRM)',
      allDay: false,
      start: daysFromNow(1, 8),
      end: daysFromNow(1, 9),
      timeZone: 'Europe/Prague',
      ownerId: i.ownerId,
      attendees: [{ email: 'jan.novak@example.cz', name: 'Jan Novák', role: 'required' }],
    });
    insertEvent(i.db, {
      subject: 'Série (CRM)',
      allDay: false,
      start: daysFromNow(-3, 8),
      end: daysFromNow(-3, 9),
      timeZone: 'Europe/Prague',
      rrule: 'FREQ=DAILY;COUNT=10',
      exdates: [daysFromNow(-1, 8).toISOString()],
      overrides: [
        {
          recurrenceId: daysFromNow(1, 8).toISOString(),
          allDay: false,
          start: daysFromNow(1, 10).toISOString(),
          end: daysFromNow(1, 11).toISOString(),
          subject: 'Série (přesunuto)',
        },
      ],
      ownerId: i.ownerId,
    });
    insertTask(i.db, {
      subject: 'Úkol s časem (CRM)',
      allDay: false,
      start: daysFromNow(3, 8).toISOString(),
      due: daysFromNow(3, 9).toISOString(),
      timeZone: 'Europe/Prague',
      ownerId: i.ownerId,
    });
    i.calendar.create(
      calendarItem({
        subject: 'Schůzka (Outlook)',
        start: daysFromNow(2),
        end: daysFromNow(2, 10),
        categories: ['Hotline'],
        location: 'Brno',
      }),
    );
    i.calendar.create(
      calendarItem({
        subject: 'Celý den (Outlook)',
        start: daysFromNow(4, 0),
        end: daysFromNow(5, 0),
        allDay: true,
      }),
    );
    i.calendar.create(
      calendarItem({
        subject: 'Série (Outlook)',
        start: daysFromNow(-2),
        end: daysFromNow(-2, 10),
        recurrence: [
          '<t:Recurrence>',
          '<t:DailyRecurrence><t:Interval>1</t:Interval></t:DailyRecurrence>',
          `<t:NumberedRecurrence><t:StartDate>${day(daysFromNow(-2))}</t:StartDate>`,
          '<t:NumberOfOccurrences>5</t:NumberOfOccurrences></t:NumberedRecurrence>',
          '</t:Recurrence>',
        ].join(''),
      }),
    );
    // Outlook gives tasks and contacts no uid.
    i.tasks.create(
      [
        '<t:Task>',
        '<t:Subject>Úkol (Outlook)</t:Subject>',
        '<t:Importance>High</t:Importance>',
        `<t:DueDate>${ewsTime(daysFromNow(2, 0))}</t:DueDate>`,
        '<t:PercentComplete>30</t:PercentComplete>',
        '<t:Status>InProgress</t:Status>',
        '</t:Task>',
      ].join(''),
    );
    i.contacts.create(
      [
        '<t:Contact>',
        '<t:FileAs>Dlouhý, Petr</t:FileAs>',
        '<t:GivenName>Petr</t:GivenName>',
        '<t:CompanyName>Jiná firma</t:CompanyName>',
        '<t:EmailAddresses><t:Entry Key="EmailAddress1">Petr@Jina.cz</t:Entry></t:EmailAddresses>',
        '<t:PhoneNumbers><t:Entry Key="MobilePhone">+420 777 123 456</t:Entry></t:PhoneNumbers>',
        '<t:Surname>Dlouhý</t:Surname>',
        '</t:Contact>',
      ].join(''),
    );
    await i.sync();
    expect(totals(await i.sync())).toEqual(NOTHING);
    const serverBefore = changeKeys(i);
    const crmBefore = crmRows(i);
    const paired = i.db.prepare('SELECT count(*) FROM sync_pairings').pluck().get();

    i.db.exec(
      'DELETE FROM sync_pairings; DELETE FROM sync_server_items; DELETE FROM sync_folders;',
    );
    const callsBefore = i.fake.calls.length;
    const run = await i.sync();

    expect(totals(run)).toEqual(NOTHING);
    expect(i.fake.calls.slice(callsBefore).filter((c) => WRITES.has(c.operation))).toEqual([]);
    const journal = readJournal(i.db, { runId: run.runId });
    expect(journal.filter((e) => e.conflict)).toEqual([]);
    expect(journal.filter((e) => e.action !== 'link').map((e) => [e.label, e.action])).toEqual([]);
    expect(i.db.prepare('SELECT count(*) FROM sync_pairings').pluck().get()).toBe(paired);
    expect(changeKeys(i)).toEqual(serverBefore);
    expect(crmRows(i)).toEqual(crmBefore);
    expect(totals(await i.sync())).toEqual(NOTHING);
  });

  it('keeps the UID the item got on CRM rows it created, and on their pairings', async () => {
    const i = await fresh();
    const event = insertEvent(i.db, {
      subject: 'Nová schůzka',
      allDay: false,
      start: daysFromNow(1),
      end: daysFromNow(1, 10),
      ownerId: i.ownerId,
    });
    const task = insertTask(i.db, {
      subject: 'Nový úkol',
      allDay: true,
      due: day(daysFromNow(2)),
      ownerId: i.ownerId,
    });
    const person = insertPerson(i.db, {
      firstName: 'Nová',
      lastName: 'Osoba',
      emails: ['nova@firma.cz'],
    });
    expect(totals(await i.sync()).serverCreated).toBe(3);

    const rows = {
      event: i.db.prepare('SELECT uid FROM events WHERE id = ?').pluck().get(event),
      task: i.db.prepare('SELECT uid FROM tasks WHERE id = ?').pluck().get(task),
      person: i.db.prepare('SELECT uid FROM persons WHERE id = ?').pluck().get(person),
    };
    expect(rows).toEqual({
      event: i.calendar.items()[0]!.field('UID'),
      task: i.tasks.items()[0]!.extendedProperty('X-CRM-SYNC-UID'),
      person: i.contacts.items()[0]!.extendedProperty('X-CRM-SYNC-UID'),
    });
    expect(Object.values(rows).every((u) => typeof u === 'string' && u.length > 0)).toBe(true);
    const pairingUids = i.db.prepare('SELECT uid FROM sync_pairings ORDER BY uid').pluck().all();
    expect(pairingUids).toEqual(Object.values(rows).sort());
    expect(totals(await i.sync())).toEqual(NOTHING);
  });
});
