/**
 * Bad input and a bad network, on every server whose fixture can fail (fault-fixtures.ts):
 * an item the server cannot give (broken, or not found), answers lost after the server
 * carried a creation out, another client's edit landing just before an upload, a wrong
 * password; where the server can, one upload refused and a change listing cut off or never
 * answered.
 *
 * The house rule each test holds the engine to: the user is told which item failed and why,
 * the other items go on, nothing is lost or duplicated, nothing is deleted on a guess.
 */
import { expect, it } from 'vitest';
import { getEvent, insertEvent, listEvents, updateEvent } from '../../src/core/crm/events.ts';
import { getPerson, insertPerson, listPersons } from '../../src/core/crm/persons.ts';
import { readJournal } from '../../src/core/sync/journal.ts';
import type { AgendaKind } from '../../src/core/model/items.ts';
import type { AgendaSummary, RunSummary } from '../../src/core/sync/summary.ts';
import { NOTHING, totals } from '../support/run-totals.ts';
import { forEachFaultFixture } from './fault-fixtures.ts';
import type { FaultInstallation } from './fault-fixtures.ts';
import { daysFromNow } from '../support/times.ts';

function agenda(run: RunSummary, kind: AgendaKind): AgendaSummary {
  const found = run.agendas.find((a) => a.agenda === kind);
  if (found === undefined) throw new Error(`the run has no ${kind} agenda`);
  return found;
}

function eventSubjects(i: FaultInstallation): string[] {
  return listEvents(i.db, {})
    .filter((e) => e.ownerId === i.ownerId)
    .map((e) => e.subject)
    .sort();
}

function personNames(i: FaultInstallation): string[] {
  return listPersons(i.db, {})
    .map((p) => `${p.firstName} ${p.lastName}`)
    .sort();
}

function addEvent(i: FaultInstallation, subject: string, day: number): number {
  return insertEvent(i.db, {
    subject,
    allDay: false,
    start: daysFromNow(day),
    end: daysFromNow(day, 10),
    ownerId: i.ownerId,
  });
}

const phoneEvent = (i: FaultInstallation, subject: string, day: number): Promise<string> =>
  i.phone.createEvent({ subject, start: daysFromNow(day), end: daysFromNow(day, 10) });

/** The CRM stamps on the server's items: one per CRM item, never two. */
async function stamps(i: FaultInstallation, kind: 'events' | 'contacts'): Promise<string[]> {
  const items = kind === 'events' ? await i.phone.events() : await i.phone.contacts();
  return items.map((o) => o.stamp ?? '');
}

/** Events and contacts (tasks off: on DAV they share the events' calendar). */
const eventsAndContacts = (s: { agendas: { tasks: { enabled: boolean } } }): void => {
  s.agendas.tasks.enabled = false;
};

forEachFaultFixture((fixture) => {
  it('names an event and a contact it cannot read, imports the rest, deletes nothing, imports them once they read well', async () => {
    const i = await fixture().installFaulty(eventsAndContacts);
    addEvent(i, 'Z CRM', 1);
    insertPerson(i.db, { firstName: 'Jan', lastName: 'Zcrm' });
    await phoneEvent(i, 'Dobrá 1', 2);
    const badEvent = await i.faults.unreadable(await phoneEvent(i, 'Rozbitá', 3));
    await phoneEvent(i, 'Dobrá 2', 4);
    await i.phone.createContact({ firstName: 'Anna', lastName: 'Dobrá' });
    const badCard = await i.faults.unreadable(
      await i.phone.createContact({ firstName: 'Bára', lastName: 'Rozbitá' }),
    );
    await i.phone.createContact({ firstName: 'Cyril', lastName: 'Dobrý' });

    const run = await i.sync();
    expect(badEvent.hits + badCard.hits).toBeGreaterThan(0);
    expect(run.status).toBe('partial');
    expect(agenda(run, 'events').failed).toMatchObject([
      { label: badEvent.label, cause: expect.stringMatching(badEvent.cause) },
    ]);
    expect(agenda(run, 'contacts').failed).toMatchObject([
      { label: badCard.label, cause: expect.stringMatching(badCard.cause) },
    ]);
    expect(eventSubjects(i)).toEqual(['Dobrá 1', 'Dobrá 2', 'Z CRM']);
    expect(personNames(i)).toEqual(['Anna Dobrá', 'Cyril Dobrý', 'Jan Zcrm']);
    expect(totals(run)).toMatchObject({ crmDeleted: 0, serverDeleted: 0 });
    expect(await i.phone.events()).toHaveLength(4);
    expect(await i.phone.contacts()).toHaveLength(4);

    // Still unreadable: named again on the next run, and still nothing else happens.
    const again = await i.sync();
    expect(again.status).toBe('partial');
    expect(agenda(again, 'events').failed).toMatchObject([{ label: badEvent.label }]);
    expect(agenda(again, 'contacts').failed).toMatchObject([{ label: badCard.label }]);
    expect(totals(again)).toEqual({ ...NOTHING, failed: 2 });

    // The items read well again (nothing changed on the server): imported, once.
    badEvent.heal();
    badCard.heal();
    const healed = await i.sync();
    expect(healed.status).toBe('ok');
    expect(totals(healed)).toEqual({ ...NOTHING, crmCreated: 2 });
    expect(eventSubjects(i)).toEqual(['Dobrá 1', 'Dobrá 2', 'Rozbitá', 'Z CRM']);
    expect(personNames(i)).toEqual(['Anna Dobrá', 'Bára Rozbitá', 'Cyril Dobrý', 'Jan Zcrm']);
    expect(totals(await i.sync())).toEqual(NOTHING);
    expect(await i.phone.events()).toHaveLength(4);
    expect(await i.phone.contacts()).toHaveLength(4);
  });

  it('keeps the CRM copy as it was when a synced item cannot be read, and goes on with the rest', async () => {
    const i = await fixture().installFaulty(eventsAndContacts);
    const readableRef = await phoneEvent(i, 'Čitelná', 1);
    const eventRef = await phoneEvent(i, 'Porada', 2);
    const cardRef = await i.phone.createContact({
      firstName: 'Jana',
      lastName: 'Malá',
      jobTitle: 'asistentka',
    });
    await i.sync();
    const [event] = listEvents(i.db, {}).filter((e) => e.subject === 'Porada');
    const [person] = listPersons(i.db, {}).filter((p) => p.lastName === 'Malá');
    expect(event).toBeDefined();
    expect(person).toBeDefined();

    // The phone changes all three; two of them cannot be read back.
    await i.phone.update(readableRef, { location: 'Praha' });
    await i.phone.update(eventRef, { subject: 'Porada v Brně' });
    await i.setJobTitle(cardRef, 'ředitelka');
    const badEvent = await i.faults.unreadable(eventRef);
    const badCard = await i.faults.unreadable(cardRef);
    const run = await i.sync();
    expect(badEvent.hits + badCard.hits).toBeGreaterThan(0);
    expect(run.status).toBe('partial');
    expect(agenda(run, 'events').failed).toMatchObject([{ label: badEvent.label }]);
    expect(agenda(run, 'contacts').failed).toMatchObject([{ label: badCard.label }]);
    expect(totals(run)).toMatchObject({ crmUpdated: 1, crmDeleted: 0, serverDeleted: 0 });
    expect(listEvents(i.db, {}).find((e) => e.subject === 'Čitelná')?.location).toBe('Praha');
    expect(getEvent(i.db, event!.id)).toEqual(event);
    expect(getPerson(i.db, person!.id)).toEqual(person);
    // Nor was the server copy overwritten with the CRM's.
    const onServer = async (ref: string) =>
      [...(await i.phone.events()), ...(await i.phone.contacts())].find((o) => o.ref === ref);
    expect((await onServer(eventRef))?.subject).toBe('Porada v Brně');
    expect((await onServer(cardRef))?.jobTitle).toBe('ředitelka');
    const again = await i.sync();
    expect(totals(again)).toEqual({ ...NOTHING, failed: 2 });
    expect(getEvent(i.db, event!.id)).toEqual(event);
    expect(getPerson(i.db, person!.id)).toEqual(person);

    // Readable again: the phone's changes arrive, nothing is duplicated.
    badEvent.heal();
    badCard.heal();
    const healed = await i.sync();
    expect(healed.status).toBe('ok');
    expect(totals(healed)).toEqual({ ...NOTHING, crmUpdated: 2 });
    expect(getEvent(i.db, event!.id)!.subject).toBe('Porada v Brně');
    expect(getPerson(i.db, person!.id)!.jobTitle).toBe('ředitelka');
    expect(eventSubjects(i)).toEqual(['Porada v Brně', 'Čitelná']);
    expect(personNames(i)).toEqual(['Jana Malá']);
  });

  it('does not duplicate an item the server stored though its answer was lost', async () => {
    const i = await fixture().installFaulty(eventsAndContacts);
    addEvent(i, 'Ztracená odpověď', 1);
    addEvent(i, 'V pořádku', 2);
    insertPerson(i.db, { firstName: 'Lída', lastName: 'Ztracená' });
    // Events: another creation follows in the same run. Contacts: the lost one is the only one.
    i.faults.loseCreationAnswers([1, 3]);

    const run = await i.sync();
    expect(run.status).toBe('partial');
    expect(agenda(run, 'events').failed).toMatchObject([
      { label: 'Ztracená odpověď', cause: expect.stringMatching(/cut off/) },
    ]);
    expect(agenda(run, 'contacts').failed).toMatchObject([
      { label: 'Lída Ztracená', cause: expect.stringMatching(/cut off/) },
    ]);
    // The server did store them.
    expect(await i.phone.events()).toHaveLength(2);
    expect(await i.phone.contacts()).toHaveLength(1);

    i.faults.clear();
    const next = await i.sync();
    expect(next.status).toBe('ok');
    expect(totals(next)).toEqual(NOTHING);
    expect(agenda(next, 'events').linked + agenda(next, 'contacts').linked).toBe(2);
    const eventStamps = await stamps(i, 'events');
    expect(eventStamps).toHaveLength(2);
    expect(new Set(eventStamps).size).toBe(2);
    expect(await stamps(i, 'contacts')).toHaveLength(1);
    expect(eventSubjects(i)).toEqual(['V pořádku', 'Ztracená odpověď']);
    expect(personNames(i)).toEqual(['Lída Ztracená']);
    expect(totals(await i.sync())).toEqual(NOTHING);
  });

  it('never overwrites a phone edit that lands between reading and writing', async () => {
    const i = await fixture().installFaulty((s) => {
      s.agendas.tasks.enabled = false;
      s.agendas.contacts.enabled = false;
    });
    const id = addEvent(i, 'Původní', 2);
    await i.sync();
    const [item] = await i.phone.events();
    updateEvent(i.db, id, { location: 'Z CRM' });
    // The phone saves the item just before our upload: what we read is stale.
    i.faults.beforeNextUpload(() => i.phone.update(item!.ref, { subject: 'Z telefonu' }));
    await i.sync();
    expect((await i.phone.events()).map((e) => e.subject)).toEqual(['Z telefonu']);
    // The next run sees both edits and settles them by the conflict rule (the newer whole
    // item wins): both sides end the same, journaled as a conflict, nothing duplicated.
    const settled = await i.sync();
    expect(agenda(settled, 'events').conflicts).toBe(1);
    const final = await i.phone.events();
    const crm = getEvent(i.db, id)!;
    expect(final).toHaveLength(1);
    expect(final[0]!.subject).toBe(crm.subject);
    expect(final[0]!.location ?? '').toBe(crm.location ?? '');
    expect(eventSubjects(i)).toHaveLength(1);
  });

  if (fixture().can.checkPasswords)
    it('says the password is wrong, in one sentence, and changes nothing', async () => {
      const i = await fixture().installFaulty();
      addEvent(i, 'Akce', 1);
      await i.faults.wrongPassword!();
      const err = await i.sync().then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(/password/i);
      expect((err as { code?: string }).code).toBe('auth-failed');
      expect(await i.phone.events()).toHaveLength(0);
      expect(readJournal(i.db, {})).toHaveLength(0);
    });

  // Where the server can refuse one upload without its client retrying it.
  if (fixture().can.refuseUploads)
    it('fails only the item whose upload the server refused, and sends it once on the next run', async () => {
      const i = await fixture().installFaulty(eventsAndContacts);
      const refusals = i.faults.refusals!;
      for (const [n, subject] of ['Akce A', 'Akce B', 'Akce C'].entries())
        addEvent(i, subject, 1 + n);
      insertPerson(i.db, { firstName: 'Petr', lastName: 'První' });
      insertPerson(i.db, { firstName: 'Eva', lastName: 'Druhá' });
      refusals.refuse('events', 2, 503);
      refusals.refuse('contacts', 1, 500);

      const run = await i.sync();
      expect(run.status).toBe('partial');
      const events = agenda(run, 'events');
      const contacts = agenda(run, 'contacts');
      expect(events.failed).toMatchObject([
        { label: 'Akce B', cause: expect.stringMatching(/503 Service Unavailable/) },
      ]);
      expect(events.server.created).toBe(2);
      expect(contacts.failed).toMatchObject([
        { label: 'Petr První', cause: expect.stringMatching(/500 Internal Server Error/) },
      ]);
      expect(contacts.server.created).toBe(1);

      i.faults.clear();
      const retry = await i.sync();
      expect(retry.status).toBe('ok');
      expect(totals(retry)).toEqual({ ...NOTHING, serverCreated: 2 });
      // Three uploads, then only the refused one again.
      expect(refusals.uploads('events')).toBe(4);
      const eventStamps = await stamps(i, 'events');
      expect(eventStamps).toHaveLength(3);
      expect(new Set(eventStamps).size).toBe(3);
      const cardStamps = await stamps(i, 'contacts');
      expect(cardStamps).toHaveLength(2);
      expect(new Set(cardStamps).size).toBe(2);
      expect(totals(await i.sync())).toEqual(NOTHING);
    });

  // Where the change listing can be cut off or left unanswered without the client retrying.
  if (fixture().can.breakListings)
    it.each([
      { what: 'cut off', how: 'cut', message: /cut off/ },
      { what: 'never answered', how: 'hang', message: /did not answer/ },
    ] as const)(
      'reports the calendar not synchronised when its change listing is $what, changes nothing, and recovers',
      async ({ how, message }) => {
        const i = await fixture().installFaulty(eventsAndContacts);
        addEvent(i, 'Synchronizováno', 1);
        const ref = await phoneEvent(i, 'Ze serveru', 2);
        await i.sync();
        const before = listEvents(i.db, {});

        addEvent(i, 'Nové v CRM', 3);
        await phoneEvent(i, 'Nové na serveru', 4);
        await i.phone.update(ref, { subject: 'Ze serveru (změna)' });
        insertPerson(i.db, { firstName: 'Karel', lastName: 'Kontakt' });
        i.faults.brokenListing!(how);

        const run = await i.sync();
        expect(run.status).toBe('failed');
        expect(agenda(run, 'events').aborted).toMatch(message);
        // The calendar was left alone; the address book went on.
        expect(listEvents(i.db, {}).filter((e) => e.subject !== 'Nové v CRM')).toEqual(before);
        expect(eventSubjects(i)).toEqual(['Nové v CRM', 'Synchronizováno', 'Ze serveru']);
        expect(await i.phone.events()).toHaveLength(3);
        expect(agenda(run, 'contacts').server.created).toBe(1);

        i.faults.clear();
        const next = await i.sync();
        expect(next.status).toBe('ok');
        expect(totals(next)).toEqual({
          ...NOTHING,
          crmCreated: 1,
          crmUpdated: 1,
          serverCreated: 1,
        });
        expect(eventSubjects(i)).toEqual([
          'Nové na serveru',
          'Nové v CRM',
          'Synchronizováno',
          'Ze serveru (změna)',
        ]);
        expect(await i.phone.events()).toHaveLength(4);
        expect(totals(await i.sync())).toEqual(NOTHING);
      },
    );
});
