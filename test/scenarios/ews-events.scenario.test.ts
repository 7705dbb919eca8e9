/**
 * The events agenda end to end against the fake Exchange, driven by the real EWS client:
 * the scenarios the CalDAV servers run (events.scenario.test.ts), in Exchange's terms.
 * Each test gets its own fake mailbox and CRM database.
 */
import { describe, expect, it } from 'vitest';
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
import { zoneWallClock, zoneWallClockToMs } from '../../src/core/time/zoned-time.ts';
import { listTrash, restoreFromTrash } from '../../src/core/sync/crm-side/index.ts';
import { readJournal } from '../../src/core/sync/journal.ts';
import { bySubject, calendarItem, ewsTime, perTestInstallation } from './ews-harness.ts';
import type { EwsInstallation } from './ews-harness.ts';
import { daysFromNow, totals } from './harness.ts';

const fresh = perTestInstallation();

function crmEvents(i: EwsInstallation) {
  return listEvents(i.db, {}).filter((e) => e.ownerId === i.ownerId);
}

/** `hour`:00 Prague wall time on the day `days` from now. */
function pragueAt(days: number, hour: number): Date {
  const day = zoneWallClock(daysFromNow(days, 12).getTime(), 'Europe/Prague');
  return new Date(zoneWallClockToMs({ ...day, hour, minute: 0, second: 0 }, 'Europe/Prague'));
}

const pragueTime = (iso: string): string =>
  new Date(iso).toLocaleTimeString('cs-CZ', { timeZone: 'Europe/Prague' });

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

describe('events on the fake Exchange', () => {
  it('sends a CRM event once, stamped with its CRM id, in its zone, never inviting anyone', async () => {
    const i = await fresh();
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
    const [item, ...rest] = i.calendar.items();
    expect(rest).toHaveLength(0);
    expect(item!.field('Subject')).toBe('Schůzka s panem Novákem');
    expect(item!.field('Location')).toBe('Praha, Václavské nám. 1');
    expect(item!.xml()).toContain('Central Europe Standard Time');
    expect(item!.extendedProperty('X-CRM-SYNC-ID')).toMatch(/^crm:event:\d+@/);
    expect(item!.xml()).toContain('jan.novak@example.cz');
    // No write may e-mail the attendees.
    const creates = i.fake.calls.filter((c) => c.operation === 'CreateItem');
    expect(creates.length).toBeGreaterThan(0);
    for (const c of creates) expect(c.attributes['SendMeetingInvitations']).toBe('SendToNone');

    const callsBefore = i.fake.calls.length;
    const run = await i.sync();
    const second = totals(run);
    expect(second).toEqual({
      crmCreated: 0,
      crmUpdated: 0,
      crmDeleted: 0,
      serverCreated: 0,
      serverUpdated: 0,
      serverDeleted: 0,
      failed: 0,
    });
    expect(i.calendar.items()).toHaveLength(1);
    // Nothing changed: one SyncFolderItems per synchronised folder and nothing else (the
    // folders found on the first run are kept).
    const idle = i.fake.calls.slice(callsBefore).map((c) => c.operation);
    expect(idle).toEqual(run.agendas.map(() => 'SyncFolderItems'));
  });

  it('imports a recurring series with its cancelled and moved occurrences, in the right zone', async () => {
    const i = await fresh();
    const first = pragueAt(-7, 10);
    const startDate = zoneWallClock(first.getTime(), 'Europe/Prague');
    const weekday =
      WEEKDAYS[new Date(Date.UTC(startDate.year, startDate.month - 1, startDate.day)).getUTCDay()];
    const master = i.calendar.create(
      calendarItem({
        subject: 'Porada obchodu',
        start: first,
        end: pragueAt(-7, 11),
        extra:
          '<t:ExtendedProperty><t:ExtendedFieldURI DistinguishedPropertySetId="PublicStrings" PropertyName="X-Teams-Url" PropertyType="String"/><t:Value>https://teams.example/meet/1</t:Value></t:ExtendedProperty>',
        recurrence: `<t:Recurrence><t:WeeklyRecurrence><t:Interval>1</t:Interval><t:DaysOfWeek>${weekday}</t:DaysOfWeek></t:WeeklyRecurrence><t:NumberedRecurrence><t:StartDate>${first.toISOString().slice(0, 10)}</t:StartDate><t:NumberOfOccurrences>10</t:NumberOfOccurrences></t:NumberedRecurrence></t:Recurrence>`,
      }),
    );
    i.calendar.deleteOccurrence(master.id, ewsTime(pragueAt(0, 10)));
    i.calendar.modifyOccurrence(master.id, ewsTime(pragueAt(7, 10)), {
      start: ewsTime(pragueAt(7, 14)),
      end: ewsTime(pragueAt(7, 15)),
      subject: 'Porada obchodu (přesunuto)',
    });

    expect(totals(await i.sync()).crmCreated).toBe(1);
    const [event] = crmEvents(i);
    expect(event!.rrule).toContain('FREQ=WEEKLY');
    expect(event!.rrule).toContain('COUNT=10');
    expect(event!.timeZone).toBe('Europe/Prague');
    expect(event!.exdates).toHaveLength(1);
    expect(event!.overrides).toHaveLength(1);
    expect(event!.overrides[0]!.subject).toBe('Porada obchodu (přesunuto)');
    expect(pragueTime(event!.start as string)).toBe('10:00:00');
    expect(pragueTime(event!.overrides[0]!.start as string)).toBe('14:00:00');

    // A CRM edit goes back in place: the exceptions and the unknown property survive.
    updateEvent(i.db, event!.id, { location: 'Zasedačka 2' });
    expect(totals(await i.sync()).serverUpdated).toBe(1);
    const [after] = i.calendar.items();
    expect(after!.id).toBe(master.id);
    expect(after!.field('Location')).toBe('Zasedačka 2');
    expect(after!.extendedProperty('X-Teams-Url')).toBe('https://teams.example/meet/1');
    expect(after!.deletedOccurrences()).toHaveLength(1);
    expect(after!.exceptions().map((x) => x.field('Subject'))).toEqual([
      'Porada obchodu (přesunuto)',
    ]);
    expect(totals(await i.sync()).serverUpdated + totals(await i.sync()).crmUpdated).toBe(0);
  });

  it('sends a CRM series with a cancelled and a moved occurrence as one master with its exceptions', async () => {
    const i = await fresh();
    const start = pragueAt(1, 9);
    const moved = pragueAt(3, 9);
    const cancelled = pragueAt(2, 9);
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
          start: pragueAt(3, 11).toISOString(),
          end: new Date(pragueAt(3, 11).getTime() + 15 * 60_000).toISOString(),
          subject: 'Stand-up později',
        },
      ],
      ownerId: i.ownerId,
    });
    expect(totals(await i.sync()).serverCreated).toBe(1);
    const [master, ...others] = i.calendar.items();
    expect(others).toHaveLength(0);
    expect(master!.xml()).toContain('DailyRecurrence');
    expect(master!.deletedOccurrences()).toEqual([ewsTime(cancelled)]);
    expect(master!.exceptions().map((x) => x.field('Subject'))).toEqual(['Stand-up později']);
    // Nothing to do afterwards: what came back equals what was sent.
    expect(totals(await i.sync())).toMatchObject({ crmUpdated: 0, serverUpdated: 0, failed: 0 });
  });

  it('keeps all-day events on their day in both directions', async () => {
    const i = await fresh();
    const dayStart = pragueAt(3, 0);
    i.calendar.create(
      calendarItem({
        subject: 'Státní svátek',
        start: dayStart,
        end: pragueAt(4, 0),
        allDay: true,
      }),
    );
    const crmDay = (d: number) =>
      (() => {
        const w = zoneWallClock(daysFromNow(d, 12).getTime(), 'Europe/Prague');
        return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
      })();
    insertEvent(i.db, {
      subject: 'Inventura',
      allDay: true,
      start: crmDay(5),
      end: crmDay(7),
      ownerId: i.ownerId,
    });
    await i.sync();
    const imported = crmEvents(i).find((e) => e.subject === 'Státní svátek');
    expect(imported).toMatchObject({ allDay: true, start: crmDay(3), end: crmDay(4) });
    const [sent] = bySubject(i.calendar, 'Inventura');
    expect(sent!.field('IsAllDayEvent')).toBe('true');
    // Local midnights of the user's zone, as Outlook stores all-day events.
    expect(sent!.field('Start')).toBe(ewsTime(pragueAt(5, 0)));
    expect(sent!.field('End')).toBe(ewsTime(pragueAt(7, 0)));
  });

  it('applies server edits to the CRM and CRM edits to the server, keeping what the CRM does not model', async () => {
    const i = await fresh();
    const item = i.calendar.create(
      calendarItem({
        subject: 'Oběd',
        start: daysFromNow(1),
        end: daysFromNow(1, 10),
        extra:
          '<t:ExtendedProperty><t:ExtendedFieldURI DistinguishedPropertySetId="PublicStrings" PropertyName="X-Outlook-Flag" PropertyType="String"/><t:Value>3</t:Value></t:ExtendedProperty>',
      }),
    );
    await i.sync();
    const [event] = crmEvents(i);
    expect(event!.subject).toBe('Oběd');

    i.calendar.update(item.id, '<t:Subject>Oběd s klientem</t:Subject>');
    expect(totals(await i.sync()).crmUpdated).toBe(1);
    expect(getEvent(i.db, event!.id)!.subject).toBe('Oběd s klientem');

    updateEvent(i.db, event!.id, { description: 'Rezervace na 12:00' });
    expect(totals(await i.sync()).serverUpdated).toBe(1);
    const [after] = i.calendar.items();
    expect(after!.xml()).toContain('Rezervace na 12:00');
    expect(after!.extendedProperty('X-Outlook-Flag')).toBe('3');
    for (const c of i.fake.calls.filter((c) => c.operation === 'UpdateItem')) {
      expect(c.attributes['SendMeetingInvitationsOrCancellations']).toBe('SendToNone');
    }
  });

  it('resolves a conflict with the newer edit and says so in the journal', async () => {
    const i = await fresh();
    const id = insertEvent(i.db, {
      subject: 'Původní',
      allDay: false,
      start: daysFromNow(2),
      end: daysFromNow(2, 10),
      ownerId: i.ownerId,
      timeZone: 'Europe/Prague',
    });
    await i.sync();
    const [item] = i.calendar.items();
    i.calendar.update(item!.id, '<t:Subject>Ze serveru</t:Subject>');
    await new Promise((r) => setTimeout(r, 1100));
    updateEvent(i.db, id, { subject: 'Z CRM' });

    const run = await i.sync();
    expect(run.agendas.find((a) => a.agenda === 'events')!.conflicts).toBe(1);
    expect(getEvent(i.db, id)!.subject).toBe('Z CRM');
    expect(i.calendar.items()[0]!.field('Subject')).toBe('Z CRM');
    const conflicts = readJournal(i.db, { runId: run.runId, conflictsOnly: true });
    expect(conflicts.map((e) => [e.label, e.conflict])).toEqual([['Z CRM', true]]);
  });

  it('a change beats a delete, on either side', async () => {
    const i = await fresh();
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
    i.calendar.remove(bySubject(i.calendar, 'Smazáno na serveru')[0]!.id);
    updateEvent(i.db, a, { location: 'upraveno v CRM' });
    deleteEvent(i.db, b);
    i.calendar.update(
      bySubject(i.calendar, 'Smazáno v CRM')[0]!.id,
      '<t:Subject>Upraveno na serveru</t:Subject>',
    );

    await i.sync();
    expect(i.calendar.items().some((x) => x.field('Location') === 'upraveno v CRM')).toBe(true);
    expect(crmEvents(i).map((e) => e.subject)).toContain('Upraveno na serveru');
  });

  it('moves CRM rows deleted in Outlook to a trash they can be restored from', async () => {
    const i = await fresh();
    insertEvent(i.db, {
      subject: 'Do koše',
      allDay: false,
      start: daysFromNow(1),
      end: daysFromNow(1, 10),
      ownerId: i.ownerId,
    });
    await i.sync();
    i.calendar.remove(i.calendar.items()[0]!.id);
    expect(totals(await i.sync()).crmDeleted).toBe(1);
    expect(crmEvents(i)).toHaveLength(0);
    const [entry] = listTrash(i.db);
    expect(entry!.label).toBe('Do koše');
    restoreFromTrash(i.db, entry!.id);
    expect(totals(await i.sync()).serverCreated).toBe(1);
    expect(bySubject(i.calendar, 'Do koše')).toHaveLength(1);
  });

  it('refuses a mass deletion until forced', async () => {
    const i = await fresh();
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
    for (const item of i.calendar.items().slice(0, 8)) i.calendar.remove(item.id);
    const refused = await i.sync();
    expect(refused.status).toBe('refused');
    expect(refused.agendas[0]!.refused).toMatch(/would delete 8 of 10/);
    expect(crmEvents(i)).toHaveLength(10);
    const forced = await i.sync({ forceDeletes: true });
    expect(totals(forced).crmDeleted).toBe(8);
    expect(crmEvents(i)).toHaveLength(2);
  });

  it('re-pairs after the pairing state is lost, without a single duplicate', async () => {
    const i = await fresh();
    insertEvent(i.db, {
      subject: 'Z CRM',
      allDay: false,
      start: daysFromNow(1),
      end: daysFromNow(1, 10),
      ownerId: i.ownerId,
    });
    i.calendar.create(
      calendarItem({ subject: 'Ze serveru', start: daysFromNow(3), end: daysFromNow(3, 10) }),
    );
    await i.sync();
    i.db.exec(
      'DELETE FROM sync_pairings; DELETE FROM sync_server_items; DELETE FROM sync_folders;',
    );
    const again = totals(await i.sync());
    expect(again.serverCreated + again.crmCreated).toBe(0);
    expect(crmEvents(i)).toHaveLength(2);
    expect(i.calendar.items()).toHaveLength(2);
  });

  it('skips private items and items outside the days', async () => {
    const i = await fresh((s) => {
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
    insertEvent(i.db, {
      subject: 'Blízko',
      allDay: false,
      start: daysFromNow(1),
      end: daysFromNow(1, 10),
      ownerId: i.ownerId,
    });
    i.calendar.create(
      calendarItem({
        subject: 'Soukromé v Outlooku',
        start: daysFromNow(2),
        end: daysFromNow(2, 10),
        private: true,
      }),
    );
    await i.sync();
    expect(
      i.calendar
        .items()
        .map((x) => x.field('Subject'))
        .sort(),
    ).toEqual(['Blízko', 'Soukromé v Outlooku']);
    expect(crmEvents(i).some((e) => e.subject === 'Soukromé v Outlooku')).toBe(false);
  });

  it('syncs only paired categories, translating them both ways, and offers the master category list', async () => {
    const i = await fresh((s) => {
      s.agendas.events.categoryMode = 'paired';
      s.agendas.events.categoryPairs = [
        { crm: 'HOTLINE', server: 'Hotline' },
        { crm: 'REGISTRACE', server: 'Registrace' },
      ];
    });
    i.mailbox.categories.push('Hotline', 'Registrace', 'Osobní');
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
    i.calendar.create(
      calendarItem({
        subject: 'Registrace klienta',
        start: daysFromNow(2),
        end: daysFromNow(2, 10),
        categories: ['Registrace'],
      }),
    );
    i.calendar.create(
      calendarItem({ subject: 'Bez kategorie', start: daysFromNow(2), end: daysFromNow(2, 10) }),
    );
    await i.sync();
    const [sent] = bySubject(i.calendar, 'Hovor');
    expect(sent!.xml()).toMatch(/<t:String>Hotline<\/t:String>/);
    expect(bySubject(i.calendar, 'Nepárované')).toHaveLength(0);
    expect(
      crmEvents(i)
        .map((e) => e.subject)
        .sort(),
    ).toEqual(['Hovor', 'Nepárované', 'Registrace klienta']);

    const { createConnector } = await import('../../src/core/servers/create-connector.ts');
    const connector = await createConnector(i.settings, i.secrets);
    try {
      expect(await connector.listCategories?.()).toEqual(['Hotline', 'Registrace', 'Osobní']);
    } finally {
      await connector.close();
    }
  });

  it('gives imported events the status, default category and links to persons and companies', async () => {
    const i = await fresh((s) => {
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
    i.calendar.create(
      calendarItem({
        subject: 'Prezentace',
        start: daysFromNow(2),
        end: daysFromNow(2, 10),
      }).replace(
        '<t:StartTimeZone',
        '<t:Organizer><t:Mailbox><t:Name>Pavel Bartoš</t:Name><t:EmailAddress>pbartos@firma.test</t:EmailAddress></t:Mailbox></t:Organizer>' +
          '<t:RequiredAttendees><t:Attendee><t:Mailbox><t:Name>Jana Malá</t:Name><t:EmailAddress>Jana.Mala@systegra.cz</t:EmailAddress></t:Mailbox><t:ResponseType>Accept</t:ResponseType></t:Attendee></t:RequiredAttendees>' +
          '<t:StartTimeZone',
      ),
    );
    await i.sync();
    const [event] = crmEvents(i);
    expect(event!.status).toBe('Příchozí');
    expect(event!.personIds).toEqual([person]);
    expect(event!.companyIds).toEqual([firm]);
    expect(event!.categoryId).not.toBeNull();
  });

  it('names an item in an unknown time zone, syncs the rest, deletes nothing', async () => {
    const i = await fresh();
    i.calendar.create(
      calendarItem({ subject: 'V pořádku', start: daysFromNow(1), end: daysFromNow(1, 10) }),
    );
    i.calendar.create(
      calendarItem({
        subject: 'Neznámá zóna',
        start: daysFromNow(1),
        end: daysFromNow(1, 10),
        zone: 'Olympus Mons Standard Time',
      }),
    );
    const run = await i.sync();
    const failed = run.agendas.find((a) => a.agenda === 'events')!.failed;
    expect(failed.map((f) => `${f.label}: ${f.cause}`).join(' ')).toMatch(
      /Neznámá zóna.*Olympus Mons Standard Time/,
    );
    expect(crmEvents(i).map((e) => e.subject)).toEqual(['V pořádku']);
    expect(run.status).toBe('partial');
    expect(i.calendar.items()).toHaveLength(2);
  });

  it.each(['import', 'export'] as const)(
    '%s only: moves events one way and leaves the other side alone',
    async (direction) => {
      const i = await fresh((s) => {
        s.agendas.events.direction = direction;
      });
      insertEvent(i.db, {
        subject: 'Z CRM',
        allDay: false,
        start: daysFromNow(1),
        end: daysFromNow(1, 10),
        ownerId: i.ownerId,
      });
      i.calendar.create(
        calendarItem({ subject: 'Ze serveru', start: daysFromNow(2), end: daysFromNow(2, 10) }),
      );
      await i.sync();
      const inCrm = crmEvents(i).map((e) => e.subject);
      if (direction === 'import') {
        expect(inCrm.sort()).toEqual(['Z CRM', 'Ze serveru']);
        expect(bySubject(i.calendar, 'Z CRM')).toHaveLength(0);
      } else {
        expect(inCrm).toEqual(['Z CRM']);
        expect(bySubject(i.calendar, 'Z CRM')).toHaveLength(1);
      }
      expect(bySubject(i.calendar, 'Ze serveru')).toHaveLength(1);
    },
  );
});
