/**
 * Identity on both sides, on every server fixture: a lost pairing state re-pairs every item
 * without writing anything (items the phone made without a UID included), rows created in
 * the CRM keep the UID the server copy got, and events are linked to persons by attendee
 * e-mail also when the person comes after the event.
 */
import { expect, it } from 'vitest';
import { createCategory } from '../../src/core/crm/categories.ts';
import { insertCompany } from '../../src/core/crm/companies.ts';
import { getEvent, insertEvent, listEvents } from '../../src/core/crm/events.ts';
import { insertPerson, listPersons } from '../../src/core/crm/persons.ts';
import { insertTask, listTasks } from '../../src/core/crm/tasks.ts';
import { readJournal } from '../../src/core/sync/journal.ts';
import { NOTHING, totals } from '../support/run-totals.ts';
import { forEachFixture } from './fixtures.ts';
import type { Installation } from './fixtures.ts';
import { dayFromNow, daysFromNow, zonedAt } from '../support/times.ts';

function crmRows(i: Installation): unknown[] {
  const strip = <T extends { updatedAt: string }>(rows: T[]) =>
    rows.map(({ updatedAt: _u, ...rest }) => rest);
  return [
    ...strip(listEvents(i.db, {})),
    ...strip(listTasks(i.db, {})),
    ...strip(listPersons(i.db, {})),
  ];
}

forEachFixture((fixture) => {
  it('re-pairs every item after the pairing state is lost and writes nothing on either side', async () => {
    const i = await fixture().install((s) => {
      // Imported items get what only the CRM has: a category, a status, links.
      s.agendas.events.defaultCategory = 'Import';
      s.agendas.events.importedStatus = 'Nový';
      s.agendas.events.linkByAttendeeEmail = true;
      s.agendas.events.linkCompanies = true;
      s.agendas.tasks.defaultCategory = 'Import';
      s.agendas.tasks.showInCalendarAsEvent = true;
    });
    createCategory(i.db, { name: 'Import', kind: 'any' });
    const firm = insertCompany(i.db, { name: 'Firma a.s.' });
    insertPerson(i.db, {
      firstName: 'Jana',
      lastName: 'Malá',
      title: 'Ing.',
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
      reminderMinutes: 15,
      attendees: [{ email: 'Jan.Novak@Example.cz', name: 'Jan Novák', role: 'required' }],
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
      subject: 'Úkol (CRM)',
      allDay: true,
      due: dayFromNow(3),
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
    insertTask(i.db, {
      subject: 'Úkol v kalendáři (CRM)',
      allDay: false,
      start: daysFromNow(3, 8).toISOString(),
      due: daysFromNow(3, 9).toISOString(),
      timeZone: 'Europe/Prague',
      showInCalendar: true,
      ownerId: i.ownerId,
    });
    await i.phone.createEvent({
      subject: 'Schůzka (telefon)',
      start: zonedAt(2, 10),
      end: zonedAt(2, 11),
      zone: 'Europe/Prague',
      location: 'Brno',
      categories: ['Hotline'],
      organizer: { name: 'Organizátor', email: 'org@example.cz' },
      attendees: [{ name: 'Jana', email: 'JANA@firma.cz' }],
      reminderMinutes: 10,
    });
    await i.phone.createEvent({
      subject: 'Série (telefon)',
      start: daysFromNow(-2),
      end: daysFromNow(-2, 10),
      recurrence: { freq: 'DAILY', count: 8 },
      cancelled: [daysFromNow(0)],
      moved: [
        {
          original: daysFromNow(2),
          start: daysFromNow(2, 12),
          end: daysFromNow(2, 13),
          subject: 'Série (přesunuto)',
        },
      ],
    });
    await i.phone.createEvent({
      subject: 'Celý den (telefon)',
      start: dayFromNow(4),
      end: dayFromNow(5),
    });
    await i.phone.createTask({
      subject: 'Úkol (telefon)',
      due: dayFromNow(5),
      priority: 'high',
      percentComplete: 30,
    });
    await i.phone.createContact({
      firstName: 'Petr',
      lastName: 'Dlouhý',
      prefix: 'Ing.',
      company: 'Jiná firma',
      emails: ['Petr@Jina.cz'],
      mobile: '+420 600 000 000',
      workPhone: '+420 222 000 000',
      city: 'Praha',
      categories: ['VIP'],
    });
    // A contact without UID (vCard 3.0 allows one; Outlook never gives contacts a UID).
    if (fixture().keeps.uidlessContacts) {
      await i.phone.createContact({
        firstName: 'Eva',
        lastName: 'Bezuidová',
        emails: ['eva@x.cz'],
        noUid: true,
      });
    }

    await i.sync();
    expect(totals(await i.sync())).toEqual(NOTHING);
    const serverBefore = await i.phone.versions();
    const crmBefore = crmRows(i);
    const paired = i.db.prepare('SELECT count(*) FROM sync_pairings').pluck().get();

    i.db.exec(
      'DELETE FROM sync_pairings; DELETE FROM sync_server_items; DELETE FROM sync_folders;',
    );
    const run = await i.sync();

    expect(totals(run)).toEqual(NOTHING);
    const journal = readJournal(i.db, { runId: run.runId });
    expect(journal.filter((e) => e.conflict)).toEqual([]);
    expect(journal.filter((e) => e.action !== 'link').map((e) => [e.label, e.action])).toEqual([]);
    expect(i.db.prepare('SELECT count(*) FROM sync_pairings').pluck().get()).toBe(paired);
    expect(await i.phone.versions()).toEqual(serverBefore);
    expect(crmRows(i)).toEqual(crmBefore);
    expect(totals(await i.sync())).toEqual(NOTHING);
  });

  it('keeps the UID the server copy got on CRM rows it created, and on their pairings', async () => {
    const i = await fixture().install();
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
      due: dayFromNow(2),
      ownerId: i.ownerId,
    });
    const person = insertPerson(i.db, {
      firstName: 'Nová',
      lastName: 'Osoba',
      emails: ['nova@firma.cz'],
    });
    expect(totals(await i.sync()).serverCreated).toBe(3);

    const uidOf = async (items: Promise<{ uid?: string }[]>): Promise<string | undefined> => {
      const all = await items;
      expect(all).toHaveLength(1);
      return all[0]!.uid;
    };
    const rows = {
      event: i.db.prepare('SELECT uid FROM events WHERE id = ?').pluck().get(event),
      task: i.db.prepare('SELECT uid FROM tasks WHERE id = ?').pluck().get(task),
      person: i.db.prepare('SELECT uid FROM persons WHERE id = ?').pluck().get(person),
    };
    expect(rows).toEqual({
      event: await uidOf(i.phone.events()),
      task: await uidOf(i.phone.tasks()),
      person: await uidOf(i.phone.contacts()),
    });
    expect(Object.values(rows).every((u) => typeof u === 'string' && u.length > 0)).toBe(true);
    const pairingUids = i.db.prepare('SELECT uid FROM sync_pairings ORDER BY uid').pluck().all();
    expect(pairingUids).toEqual(Object.values(rows).sort());
    // The UID is not a change: the next run has nothing to do.
    expect(totals(await i.sync())).toEqual(NOTHING);
  });

  it('links an event to persons with an attendee address imported after it, and added later in the CRM', async () => {
    const i = await fixture().install((s) => {
      s.agendas.events.linkByAttendeeEmail = true;
      s.agendas.events.linkCompanies = true;
    });
    await i.phone.createEvent({
      subject: 'Jednání',
      start: daysFromNow(2),
      end: daysFromNow(2, 10),
      organizer: { name: 'Pavel', email: 'pbartos@example.cz' },
      attendees: [
        { name: 'Jana Malá', email: 'jana.mala@systegra.cz' },
        { name: 'Karel Novotný', email: 'Karel.Novotny@elektro.cz' },
      ],
    });
    // The contacts agenda runs after the events: this person is imported later in the run.
    await i.phone.createContact({
      firstName: 'Jana',
      lastName: 'Malá',
      company: 'SYSTEGRA s.r.o.',
      emails: ['jana.mala@systegra.cz'],
    });
    const first = await i.sync();
    const [event] = listEvents(i.db, {});
    const jana = listPersons(i.db, {}).find((p) => p.lastName === 'Malá')!;
    expect(getEvent(i.db, event!.id)!.personIds).toEqual([jana.id]);
    expect(getEvent(i.db, event!.id)!.companyIds).toEqual(jana.companies.map((c) => c.companyId));
    expect(jana.companies).toHaveLength(1);
    const linked = readJournal(i.db, { runId: first.runId }).filter(
      (e) => e.reasonCode === 'linked-to-new-person',
    );
    expect(linked.map((e) => [e.label, e.crmId, e.outcome])).toEqual([
      ['Jednání', event!.id, 'done'],
    ]);

    // Added in the CRM program later: linked by the next run (which also sends the person).
    const karel = insertPerson(i.db, {
      firstName: 'Karel',
      lastName: 'Novotný',
      emails: ['karel.novotny@elektro.cz'],
    });
    const second = await i.sync();
    expect(totals(second)).toEqual({ ...NOTHING, serverCreated: 1 });
    expect(getEvent(i.db, event!.id)!.personIds.sort()).toEqual([jana.id, karel].sort());
    expect(
      readJournal(i.db, { runId: second.runId })
        .filter((e) => e.agenda === 'events')
        .map((e) => [e.label, e.reasonCode]),
    ).toEqual([['Jednání', 'linked-to-new-person']]);

    // A link removed by hand stays removed while the person does not change.
    i.db
      .prepare('DELETE FROM event_persons WHERE event_id = ? AND person_id = ?')
      .run(event!.id, karel);
    const third = await i.sync();
    expect(readJournal(i.db, { runId: third.runId })).toEqual([]);
    expect(getEvent(i.db, event!.id)!.personIds).toEqual([jana.id]);
  });
});
