/**
 * The events agenda end to end, on every server fixture: create, update and delete both
 * ways, conflicts, the deletion guard and the trash, recurrence with exceptions, time
 * zones, all-day events, the per-agenda settings. Each test gets its own CRM database and
 * its own calendar (or mailbox).
 */
import { expect, it } from 'vitest';
import { createCategory } from '../../src/core/crm/categories.ts';
import { insertCompany } from '../../src/core/crm/companies.ts';
import {
  deleteEvent,
  getEvent,
  insertEvent,
  listEvents,
  updateEvent,
} from '../../src/core/crm/events.ts';
import { insertPerson } from '../../src/core/crm/persons.ts';
import { listTrash, restoreFromTrash } from '../../src/core/sync/crm-side/index.ts';
import { readJournal } from '../../src/core/sync/journal.ts';
import { NOTHING, totals } from '../support/run-totals.ts';
import { forEachFixture } from './fixtures.ts';
import type { Installation, PhoneItem } from './fixtures.ts';
import { clockIn, dayFromNow, daysFromNow, zonedAt } from '../support/times.ts';

function crmEvents(i: Installation) {
  return listEvents(i.db, {}).filter((e) => e.ownerId === i.ownerId);
}

async function phoneEvent(i: Installation, subject: string): Promise<PhoneItem> {
  const found = (await i.phone.events()).filter((e) => e.subject === subject);
  expect(found).toHaveLength(1);
  return found[0]!;
}

async function phoneSubjects(i: Installation): Promise<string[]> {
  return (await i.phone.events()).map((e) => e.subject ?? '').sort();
}

forEachFixture((fixture) => {
  it('sends a CRM event once, stamped with its CRM id, in its zone, never inviting anyone', async () => {
    const i = await fixture().install();
    insertEvent(i.db, {
      subject: 'Schůzka s panem Novákem',
      location: 'Praha, Václavské nám. 1',
      allDay: false,
      start: daysFromNow(2, 8),
      end: daysFromNow(2, 9),
      timeZone: 'Europe/Prague',
      ownerId: i.ownerId,
      attendees: [{ email: 'jan.novak@example.cz', name: 'Jan Novák', role: 'required' }],
    });
    expect(totals(await i.sync()).serverCreated).toBe(1);
    const [event, ...rest] = await i.phone.events();
    expect(rest).toHaveLength(0);
    expect(event!.subject).toBe('Schůzka s panem Novákem');
    expect(event!.location).toBe('Praha, Václavské nám. 1');
    expect(event!.zone).toBe('Europe/Prague');
    expect(event!.start).toBe(daysFromNow(2, 8).toISOString());
    expect(event!.stamp).toMatch(/^crm:event:\d+@/);
    expect(event!.attendees.map((a) => a.toLowerCase())).toEqual(['jan.novak@example.cz']);
    expect(await i.noInvitationsSent()).toBe(true);

    expect(totals(await i.sync())).toEqual(NOTHING);
    expect(await i.phone.events()).toHaveLength(1);
  });

  it('imports a recurring series with its cancelled and moved occurrences, in the right zone', async () => {
    const i = await fixture().install();
    // Outlook's zone name: the server (or the phone's VTIMEZONE) says which zone it is.
    const zone = 'Central Europe Standard Time';
    const ref = await i.phone.createEvent({
      subject: 'Porada obchodu',
      start: zonedAt(-7, 10),
      end: zonedAt(-7, 11),
      zone,
      recurrence: { freq: 'WEEKLY', count: 10 },
      cancelled: [zonedAt(0, 10)],
      moved: [
        {
          original: zonedAt(7, 10),
          start: zonedAt(7, 14),
          end: zonedAt(7, 15),
          subject: 'Porada obchodu (přesunuto)',
        },
      ],
      unknown: [
        { name: 'X-MICROSOFT-SKYPETEAMSMEETINGURL', value: 'https://teams.example/meet/1' },
      ],
    });

    expect(totals(await i.sync()).crmCreated).toBe(1);
    const [event] = crmEvents(i);
    expect(event!.rrule).toContain('FREQ=WEEKLY');
    expect(event!.rrule).toContain('COUNT=10');
    expect(event!.timeZone).toBe('Europe/Prague');
    expect(event!.exdates).toHaveLength(1);
    expect(event!.overrides).toHaveLength(1);
    expect(event!.overrides[0]!.subject).toBe('Porada obchodu (přesunuto)');
    // 10:00 Prague wall time, whatever the season.
    expect(clockIn(event!.start as string)).toBe('10:00:00');
    expect(clockIn(event!.overrides[0]!.start as string)).toBe('14:00:00');

    // A CRM edit goes back in place: the exceptions and the unknown property survive.
    updateEvent(i.db, event!.id, { location: 'Zasedačka 2' });
    expect(totals(await i.sync()).serverUpdated).toBe(1);
    const [after, ...others] = await i.phone.events();
    expect(others).toHaveLength(0);
    expect(after!.ref).toBe(ref);
    expect(after!.location).toBe('Zasedačka 2');
    expect(after!.property('X-MICROSOFT-SKYPETEAMSMEETINGURL')).toBe(
      'https://teams.example/meet/1',
    );
    expect(after!.recurrence).toBe('WEEKLY');
    expect(after!.cancelled).toHaveLength(1);
    expect(after!.exceptions).toEqual(['Porada obchodu (přesunuto)']);
    const again = totals(await i.sync());
    expect(again.serverUpdated + again.crmUpdated).toBe(0);
  });

  it('sends a CRM series with a cancelled and a moved occurrence as one item with its exceptions', async () => {
    const i = await fixture().install();
    const start = zonedAt(1, 9);
    const cancelled = zonedAt(2, 9);
    const moved = zonedAt(3, 9);
    insertEvent(i.db, {
      subject: 'Denní stand-up',
      allDay: false,
      start,
      end: new Date(start.getTime() + 15 * 60_000),
      timeZone: 'Europe/Prague',
      rrule: 'FREQ=DAILY;COUNT=5',
      exdates: [cancelled.toISOString()],
      overrides: [
        {
          recurrenceId: moved.toISOString(),
          start: zonedAt(3, 11).toISOString(),
          end: new Date(zonedAt(3, 11).getTime() + 15 * 60_000).toISOString(),
          subject: 'Stand-up později',
        },
      ],
      ownerId: i.ownerId,
    });
    expect(totals(await i.sync()).serverCreated).toBe(1);
    const [series, ...others] = await i.phone.events();
    expect(others).toHaveLength(0);
    expect(series!.recurrence).toBe('DAILY');
    expect(series!.cancelled).toEqual([cancelled.toISOString()]);
    expect(series!.exceptions).toEqual(['Stand-up později']);
    // Nothing to do afterwards: what came back equals what was sent.
    expect(totals(await i.sync())).toMatchObject({ crmUpdated: 0, serverUpdated: 0, failed: 0 });
  });

  it('keeps all-day events on their day in both directions', async () => {
    const i = await fixture().install();
    await i.phone.createEvent({
      subject: 'Státní svátek',
      start: dayFromNow(3),
      end: dayFromNow(4),
    });
    insertEvent(i.db, {
      subject: 'Inventura',
      allDay: true,
      start: dayFromNow(5),
      end: dayFromNow(7),
      ownerId: i.ownerId,
    });
    await i.sync();
    const imported = crmEvents(i).find((e) => e.subject === 'Státní svátek');
    expect(imported).toMatchObject({ allDay: true, start: dayFromNow(3), end: dayFromNow(4) });
    const sent = await phoneEvent(i, 'Inventura');
    expect(sent).toMatchObject({ allDay: true, start: dayFromNow(5), end: dayFromNow(7) });
  });

  it('applies server edits to the CRM and CRM edits to the server, keeping what the CRM does not model', async () => {
    const i = await fixture().install();
    const ref = await i.phone.createEvent({
      subject: 'Oběd',
      start: daysFromNow(1),
      end: daysFromNow(1, 10),
      unknown: [{ name: 'X-MOZ-GENERATION', value: '3' }],
    });
    await i.sync();
    const [event] = crmEvents(i);
    expect(event!.subject).toBe('Oběd');

    await i.phone.update(ref, { subject: 'Oběd s klientem' });
    expect(totals(await i.sync()).crmUpdated).toBe(1);
    expect(getEvent(i.db, event!.id)!.subject).toBe('Oběd s klientem');

    updateEvent(i.db, event!.id, { description: 'Rezervace na 12:00' });
    expect(totals(await i.sync()).serverUpdated).toBe(1);
    const after = await phoneEvent(i, 'Oběd s klientem');
    expect(after.ref).toBe(ref);
    expect(after.description).toContain('Rezervace na 12:00');
    expect(after.property('X-MOZ-GENERATION')).toBe('3');
    expect(await i.noInvitationsSent()).toBe(true);
  });

  it('resolves a conflict with the newer edit and says so in the journal', async () => {
    const i = await fixture().install();
    const id = insertEvent(i.db, {
      subject: 'Původní',
      allDay: false,
      start: daysFromNow(2),
      end: daysFromNow(2, 10),
      ownerId: i.ownerId,
      timeZone: 'Europe/Prague',
    });
    await i.sync();
    const { ref } = await phoneEvent(i, 'Původní');
    await i.phone.update(ref, { subject: 'Ze serveru' });
    await new Promise((r) => setTimeout(r, 1100));
    updateEvent(i.db, id, { subject: 'Z CRM' });

    const run = await i.sync();
    expect(run.agendas.find((a) => a.agenda === 'events')!.conflicts).toBe(1);
    expect(getEvent(i.db, id)!.subject).toBe('Z CRM');
    expect(await phoneSubjects(i)).toEqual(['Z CRM']);
    const entries = readJournal(i.db, { runId: run.runId });
    expect(entries.some((e) => /changed on both sides/.test(e.reason))).toBe(true);
    // The conflicts view: exactly that item.
    const conflicts = readJournal(i.db, { runId: run.runId, conflictsOnly: true });
    expect(conflicts.map((e) => [e.label, e.conflict])).toEqual([['Z CRM', true]]);
  });

  it('server-wins: a conflict keeps the server copy', async () => {
    const i = await fixture().install((s) => {
      s.conflictPolicy = 'server-wins';
    });
    const id = insertEvent(i.db, {
      subject: 'Původní',
      allDay: false,
      start: daysFromNow(2),
      end: daysFromNow(2, 10),
      ownerId: i.ownerId,
    });
    await i.sync();
    const { ref } = await phoneEvent(i, 'Původní');
    updateEvent(i.db, id, { subject: 'Z CRM' });
    await new Promise((r) => setTimeout(r, 1100));
    await i.phone.update(ref, { subject: 'Ze serveru' });
    const run = await i.sync();
    expect(run.agendas.find((a) => a.agenda === 'events')!.conflicts).toBe(1);
    expect(getEvent(i.db, id)!.subject).toBe('Ze serveru');
  });

  it('a change beats a delete, on either side', async () => {
    const i = await fixture().install();
    const a = insertEvent(i.db, {
      subject: 'Smazáno na serveru',
      allDay: false,
      start: daysFromNow(1),
      end: daysFromNow(1, 10),
      ownerId: i.ownerId,
    });
    const b = insertEvent(i.db, {
      subject: 'Smazáno v CRM',
      allDay: false,
      start: daysFromNow(2),
      end: daysFromNow(2, 10),
      ownerId: i.ownerId,
    });
    await i.sync();
    await i.phone.remove((await phoneEvent(i, 'Smazáno na serveru')).ref);
    updateEvent(i.db, a, { location: 'upraveno v CRM' });
    deleteEvent(i.db, b);
    await i.phone.update((await phoneEvent(i, 'Smazáno v CRM')).ref, {
      subject: 'Upraveno na serveru',
    });

    await i.sync();
    expect((await i.phone.events()).some((e) => e.location === 'upraveno v CRM')).toBe(true);
    expect(crmEvents(i).map((e) => e.subject)).toContain('Upraveno na serveru');
  });

  it('moves CRM rows deleted on the server to a trash they can be restored from', async () => {
    const i = await fixture().install();
    insertEvent(i.db, {
      subject: 'Do koše',
      allDay: false,
      start: daysFromNow(1),
      end: daysFromNow(1, 10),
      ownerId: i.ownerId,
    });
    await i.sync();
    await i.phone.remove((await phoneEvent(i, 'Do koše')).ref);
    expect(totals(await i.sync()).crmDeleted).toBe(1);
    expect(crmEvents(i)).toHaveLength(0);
    const [entry] = listTrash(i.db);
    expect(entry!.label).toBe('Do koše');
    restoreFromTrash(i.db, entry!.id);
    expect(totals(await i.sync()).serverCreated).toBe(1);
    expect(await phoneSubjects(i)).toEqual(['Do koše']);
  });

  it('refuses a mass deletion until forced', async () => {
    const i = await fixture().install();
    for (let n = 0; n < 10; n++) {
      insertEvent(i.db, {
        subject: `Akce ${n}`,
        allDay: false,
        start: daysFromNow(1 + n),
        end: daysFromNow(1 + n, 10),
        ownerId: i.ownerId,
      });
    }
    await i.sync();
    for (const e of (await i.phone.events()).slice(0, 8)) await i.phone.remove(e.ref);
    const refused = await i.sync();
    expect(refused.status).toBe('refused');
    expect(refused.agendas[0]!.refused).toMatch(/would delete 8 of 10/);
    expect(crmEvents(i)).toHaveLength(10);
    const forced = await i.sync({ forceDeletes: true });
    expect(totals(forced).crmDeleted).toBe(8);
    expect(crmEvents(i)).toHaveLength(2);
  });

  it('re-pairs after the pairing state is lost, without a single duplicate', async () => {
    const i = await fixture().install();
    insertEvent(i.db, {
      subject: 'Z CRM',
      allDay: false,
      start: daysFromNow(1),
      end: daysFromNow(1, 10),
      ownerId: i.ownerId,
    });
    await i.phone.createEvent({
      subject: 'Ze serveru',
      start: daysFromNow(3),
      end: daysFromNow(3, 10),
    });
    await i.sync();
    i.db.exec(
      'DELETE FROM sync_pairings; DELETE FROM sync_server_items; DELETE FROM sync_folders;',
    );
    const again = totals(await i.sync());
    expect(again.serverCreated + again.crmCreated).toBe(0);
    expect(crmEvents(i)).toHaveLength(2);
    expect(await i.phone.events()).toHaveLength(2);
  });

  it('skips private items and items outside the days, and untracks what leaves the window', async () => {
    const i = await fixture().install((s) => {
      s.agendas.events.skipPrivate = true;
    });
    insertEvent(i.db, {
      subject: 'Soukromé',
      isPrivate: true,
      allDay: false,
      start: daysFromNow(1),
      end: daysFromNow(1, 10),
      ownerId: i.ownerId,
    });
    insertEvent(i.db, {
      subject: 'Daleko',
      allDay: false,
      start: daysFromNow(60),
      end: daysFromNow(60, 10),
      ownerId: i.ownerId,
    });
    const kept = insertEvent(i.db, {
      subject: 'Blízko',
      allDay: false,
      start: daysFromNow(1),
      end: daysFromNow(1, 10),
      ownerId: i.ownerId,
    });
    await i.phone.createEvent({
      subject: 'Soukromé na serveru',
      start: daysFromNow(2),
      end: daysFromNow(2, 10),
      private: true,
    });
    await i.sync();
    expect(await phoneSubjects(i)).toEqual(['Blízko', 'Soukromé na serveru']);
    expect(crmEvents(i).some((e) => e.subject === 'Soukromé na serveru')).toBe(false);

    // Moved far ahead in the CRM: no longer tracked, and the server copy is not deleted.
    updateEvent(i.db, kept, { start: daysFromNow(90), end: daysFromNow(90, 10) });
    expect(totals(await i.sync()).serverDeleted).toBe(0);
    expect(await phoneSubjects(i)).toEqual(['Blízko', 'Soukromé na serveru']);
  });

  it('syncs only paired categories, translating them both ways, and offers the master list where there is one', async () => {
    const i = await fixture().install((s) => {
      s.agendas.events.categoryMode = 'paired';
      s.agendas.events.categoryPairs = [
        { crm: 'HOTLINE', server: 'Hotline' },
        { crm: 'REGISTRACE', server: 'Registrace' },
      ];
    });
    i.phone.setCategoryList?.(['Hotline', 'Registrace', 'Osobní']);
    const hotline = createCategory(i.db, { name: 'HOTLINE', kind: 'event', icon: 'phone' });
    const other = createCategory(i.db, { name: 'OSTATNÍ', kind: 'event' });
    createCategory(i.db, { name: 'REGISTRACE', kind: 'event' });
    insertEvent(i.db, {
      subject: 'Hovor',
      categoryId: hotline,
      allDay: false,
      start: daysFromNow(1),
      end: daysFromNow(1, 10),
      ownerId: i.ownerId,
    });
    insertEvent(i.db, {
      subject: 'Nepárované',
      categoryId: other,
      allDay: false,
      start: daysFromNow(1),
      end: daysFromNow(1, 10),
      ownerId: i.ownerId,
    });
    await i.phone.createEvent({
      subject: 'Registrace klienta',
      start: daysFromNow(2),
      end: daysFromNow(2, 10),
      categories: ['Registrace'],
    });
    await i.phone.createEvent({
      subject: 'Bez kategorie',
      start: daysFromNow(2),
      end: daysFromNow(2, 10),
    });
    await i.sync();
    expect((await phoneEvent(i, 'Hovor')).categories).toEqual(['Hotline']);
    expect(await phoneSubjects(i)).toEqual(['Bez kategorie', 'Hovor', 'Registrace klienta']);
    expect(
      crmEvents(i)
        .map((e) => e.subject)
        .sort(),
    ).toEqual(['Hovor', 'Nepárované', 'Registrace klienta']);
    if (fixture().keeps.categoryList) {
      expect(await i.listCategories()).toEqual(['Hotline', 'Registrace', 'Osobní']);
    }
  });

  it('gives imported events the status, default category and links to persons and companies', async () => {
    const i = await fixture().install((s) => {
      s.agendas.events.importedStatus = 'Příchozí';
      s.agendas.events.defaultCategory = 'Schůzka';
      s.agendas.events.linkByAttendeeEmail = true;
      s.agendas.events.linkCompanies = true;
    });
    createCategory(i.db, { name: 'Schůzka', kind: 'event' });
    const firm = insertCompany(i.db, { name: 'SYSTEGRA s.r.o.' });
    const person = insertPerson(i.db, {
      firstName: 'Jana',
      lastName: 'Malá',
      emails: ['jana.mala@systegra.cz'],
      companies: [firm],
    });
    await i.phone.createEvent({
      subject: 'Prezentace',
      start: daysFromNow(2),
      end: daysFromNow(2, 10),
      organizer: { name: 'Pavel Bartoš', email: 'pbartos@example.cz' },
      attendees: [{ name: 'Jana Malá', email: 'Jana.Mala@systegra.cz' }],
    });
    await i.sync();
    const [event] = crmEvents(i);
    expect(event!.status).toBe('Příchozí');
    expect(event!.personIds).toEqual([person]);
    expect(event!.companyIds).toEqual([firm]);
    expect(event!.categoryId).not.toBeNull();
  });

  it('names an item in an unknown time zone where times are wall times, syncs the rest, deletes nothing', async () => {
    const i = await fixture().install();
    await i.phone.createEvent({
      subject: 'V pořádku',
      start: daysFromNow(1),
      end: daysFromNow(1, 10),
    });
    const ref = await i.phone.createEvent({
      subject: 'Neznámá zóna',
      start: daysFromNow(1),
      end: daysFromNow(1, 10),
      zone: 'Olympus Mons Standard Time',
    });
    const run = await i.sync();
    const failed = run.agendas.find((a) => a.agenda === 'events')!.failed;
    expect(await i.phone.events()).toHaveLength(2);
    if (!fixture().keeps.wallTimes) {
      // An instant needs no zone: the event comes in at its time, the unknown zone dropped.
      expect(failed).toEqual([]);
      const strange = crmEvents(i).find((e) => e.subject === 'Neznámá zóna');
      expect(strange).toMatchObject({ start: daysFromNow(1).toISOString(), timeZone: null });
      return;
    }
    expect(failed).toHaveLength(1);
    // Named by its subject, or where the item could not be read at all, by its name on the server.
    const named = `${failed[0]!.label}: ${failed[0]!.cause}`;
    expect(named).toMatch(/Olympus Mons Standard Time/);
    expect(named.includes('Neznámá zóna') || named.includes(ref.split('/').pop()!)).toBe(true);
    expect(crmEvents(i).map((e) => e.subject)).toEqual(['V pořádku']);
    expect(run.status).toBe('partial');
  });

  it.each(['import', 'export'] as const)(
    '%s only: moves events one way and leaves the other side alone',
    async (direction) => {
      const i = await fixture().install((s) => {
        s.agendas.events.direction = direction;
      });
      insertEvent(i.db, {
        subject: 'Z CRM',
        allDay: false,
        start: daysFromNow(1),
        end: daysFromNow(1, 10),
        ownerId: i.ownerId,
      });
      await i.phone.createEvent({
        subject: 'Ze serveru',
        start: daysFromNow(2),
        end: daysFromNow(2, 10),
      });
      await i.sync();
      const inCrm = crmEvents(i).map((e) => e.subject);
      if (direction === 'import') {
        expect(inCrm.sort()).toEqual(['Z CRM', 'Ze serveru']);
        expect(await phoneSubjects(i)).toEqual(['Ze serveru']);
      } else {
        expect(inCrm).toEqual(['Z CRM']);
        expect(await phoneSubjects(i)).toEqual(['Z CRM', 'Ze serveru']);
      }
    },
  );
});
