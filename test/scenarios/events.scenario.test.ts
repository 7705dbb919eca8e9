/**
 * The events agenda end to end, against real Radicale and Xandikos: the same scenarios on
 * both. Each test gets its own CRM database and its own calendar.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listTrash, restoreFromTrash } from '../../src/core/sync/crm-side/index.ts';
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
import { readJournal } from '../../src/core/sync/journal.ts';
import { startRadicale, startXandikos } from '../support/dav-servers.ts';
import type { DavTestServer } from '../support/dav-servers.ts';
import { daysFromNow, icsDate, icsUtc, install, serverObjects, totals } from './harness.ts';
import type { Installation } from './harness.ts';

const servers: { name: string; start: () => Promise<DavTestServer> }[] = [
  { name: 'Radicale', start: startRadicale },
  { name: 'Xandikos', start: startXandikos },
];

function vevent(uid: string, lines: string[], extra = ''): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Test phone//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    `DTSTAMP:${icsUtc(daysFromNow(-1))}`,
    ...lines,
    'END:VEVENT',
    extra,
    'END:VCALENDAR',
    '',
  ]
    .filter((l) => l !== '')
    .join('\r\n');
}

async function putRaw(inst: Installation, text: string): Promise<string> {
  const res = await inst.phone.putObject(
    inst.calendarUrl,
    null,
    text,
    'text/calendar; charset=utf-8',
    {
      ifNoneMatch: '*',
    },
  );
  return res.href;
}

function crmEvents(inst: Installation) {
  return listEvents(inst.db, {}).filter((e) => e.ownerId === inst.ownerId);
}

describe.each(servers)('events on $name', ({ start }) => {
  let server: DavTestServer;
  let inst: Installation;

  beforeAll(async () => {
    server = await start();
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function fresh(configure?: Parameters<typeof install>[1]): Promise<Installation> {
    inst = await install(server, configure);
    return inst;
  }

  it('sends a CRM event once, stamped with its CRM id, attendees never invited', async () => {
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
    const first = totals(await i.sync());
    expect(first.serverCreated).toBe(1);
    const objects = [...(await serverObjects(i, i.calendarUrl)).values()];
    expect(objects).toHaveLength(1);
    const ics = objects[0]!.replace(/\r\n[ \t]/g, '');
    expect(ics).toContain('SUMMARY:Schůzka s panem Novákem');
    expect(ics).toMatch(/X-CRM-SYNC-ID:/);
    expect(ics).toMatch(/ATTENDEE[^:\r\n]*SCHEDULE-AGENT=CLIENT/);
    expect(ics).toMatch(/DTSTART;TZID=Europe\/Prague:/);

    const second = totals(await i.sync());
    expect(second).toEqual({
      crmCreated: 0,
      crmUpdated: 0,
      crmDeleted: 0,
      serverCreated: 0,
      serverUpdated: 0,
      serverDeleted: 0,
      failed: 0,
    });
    expect((await serverObjects(i, i.calendarUrl)).size).toBe(1);
    await i.close();
  });

  it('imports a recurring series with its cancelled and moved occurrences, in the right zone', async () => {
    const i = await fresh();
    const first = daysFromNow(-7);
    const stamp = icsDate(first);
    const cancelled = icsDate(daysFromNow(0));
    const moved = icsDate(daysFromNow(7));
    const tz = [
      'BEGIN:VTIMEZONE',
      'TZID:Central Europe Standard Time',
      'BEGIN:STANDARD',
      'DTSTART:16010101T030000',
      'TZOFFSETFROM:+0200',
      'TZOFFSETTO:+0100',
      'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10',
      'END:STANDARD',
      'BEGIN:DAYLIGHT',
      'DTSTART:16010101T020000',
      'TZOFFSETFROM:+0100',
      'TZOFFSETTO:+0200',
      'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3',
      'END:DAYLIGHT',
      'END:VTIMEZONE',
    ].join('\r\n');
    const master = [
      `DTSTART;TZID=Central Europe Standard Time:${stamp}T100000`,
      `DTEND;TZID=Central Europe Standard Time:${stamp}T110000`,
      'RRULE:FREQ=WEEKLY;COUNT=10',
      `EXDATE;TZID=Central Europe Standard Time:${cancelled}T100000`,
      'SUMMARY:Porada obchodu',
      'X-MICROSOFT-SKYPETEAMSMEETINGURL:https://teams.example/meet/1',
    ];
    const override = [
      'BEGIN:VEVENT',
      'UID:series-1@phone',
      `DTSTAMP:${icsUtc(daysFromNow(-1))}`,
      `RECURRENCE-ID;TZID=Central Europe Standard Time:${moved}T100000`,
      `DTSTART;TZID=Central Europe Standard Time:${moved}T140000`,
      `DTEND;TZID=Central Europe Standard Time:${moved}T150000`,
      'SUMMARY:Porada obchodu (přesunuto)',
      'END:VEVENT',
    ].join('\r\n');
    const text = vevent('series-1@phone', master, override).replace(
      'BEGIN:VEVENT',
      `${tz}\r\nBEGIN:VEVENT`,
    );
    await putRaw(i, text);

    const result = totals(await i.sync());
    expect(result.crmCreated).toBe(1);
    const [event] = crmEvents(i);
    expect(event!.rrule).toContain('FREQ=WEEKLY');
    expect(event!.timeZone).toBe('Europe/Prague');
    expect(event!.exdates).toHaveLength(1);
    expect(event!.overrides).toHaveLength(1);
    expect(event!.overrides[0]!.subject).toBe('Porada obchodu (přesunuto)');
    // 10:00 Prague wall time, whatever the season.
    const startLocal = new Date(event!.start).toLocaleTimeString('cs-CZ', {
      timeZone: 'Europe/Prague',
    });
    expect(startLocal).toBe('10:00:00');
    const movedLocal = new Date(event!.overrides[0]!.start).toLocaleTimeString('cs-CZ', {
      timeZone: 'Europe/Prague',
    });
    expect(movedLocal).toBe('14:00:00');

    // A CRM edit goes back in place: exceptions and the Teams link survive.
    updateEvent(i.db, event!.id, { location: 'Zasedačka 2' });
    expect(totals(await i.sync()).serverUpdated).toBe(1);
    const [ics] = [...(await serverObjects(i, i.calendarUrl)).values()];
    const unfolded = ics!.replace(/\r\n[ \t]/g, '');
    expect(unfolded).toContain('LOCATION:Zasedačka 2');
    expect(unfolded).toContain('X-MICROSOFT-SKYPETEAMSMEETINGURL:https://teams.example/meet/1');
    expect(unfolded).toMatch(/EXDATE/);
    expect(unfolded).toMatch(/RECURRENCE-ID/);
    expect(unfolded).toContain('Porada obchodu (přesunuto)');
    await i.close();
  });

  it('keeps all-day events on their day in both directions', async () => {
    const i = await fresh();
    const day = daysFromNow(3);
    await putRaw(
      i,
      vevent('allday-1@phone', [
        `DTSTART;VALUE=DATE:${icsDate(day)}`,
        `DTEND;VALUE=DATE:${icsDate(daysFromNow(4))}`,
        'SUMMARY:Státní svátek',
      ]),
    );
    insertEvent(i.db, {
      subject: 'Inventura',
      allDay: true,
      start: daysFromNow(5).toISOString().slice(0, 10),
      end: daysFromNow(7).toISOString().slice(0, 10),
      ownerId: i.ownerId,
    });
    await i.sync();
    const imported = crmEvents(i).find((e) => e.subject === 'Státní svátek');
    expect(imported).toMatchObject({ allDay: true, start: day.toISOString().slice(0, 10) });
    const sent = [...(await serverObjects(i, i.calendarUrl)).values()].find((t) =>
      t.includes('Inventura'),
    );
    expect(sent).toContain(`DTSTART;VALUE=DATE:${icsDate(daysFromNow(5))}`);
    expect(sent).toContain(`DTEND;VALUE=DATE:${icsDate(daysFromNow(7))}`);
    await i.close();
  });

  it('applies server edits to the CRM and CRM edits to the server', async () => {
    const i = await fresh();
    const href = await putRaw(
      i,
      vevent('edit-1@phone', [
        `DTSTART:${icsUtc(daysFromNow(1))}`,
        `DTEND:${icsUtc(daysFromNow(1, 10))}`,
        'SUMMARY:Oběd',
        'X-MOZ-GENERATION:3',
      ]),
    );
    await i.sync();
    const [event] = crmEvents(i);
    expect(event!.subject).toBe('Oběd');

    const current = await i.phone.getObject(href);
    await i.phone.putObject(
      i.calendarUrl,
      href,
      current!.data.replace('SUMMARY:Oběd', 'SUMMARY:Oběd s klientem'),
      'text/calendar',
      { ifMatch: current!.etag },
    );
    expect(totals(await i.sync()).crmUpdated).toBe(1);
    expect(getEvent(i.db, event!.id)!.subject).toBe('Oběd s klientem');

    updateEvent(i.db, event!.id, { description: 'Rezervace na 12:00' });
    expect(totals(await i.sync()).serverUpdated).toBe(1);
    const after = (await i.phone.getObject(href))!.data;
    expect(after).toContain('Rezervace na 12:00');
    expect(after).toContain('X-MOZ-GENERATION:3');
    await i.close();
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
    const [href] = [...(await serverObjects(i, i.calendarUrl)).keys()];
    const current = await i.phone.getObject(href!);
    await i.phone.putObject(
      i.calendarUrl,
      href!,
      current!.data.replace('SUMMARY:Původní', 'SUMMARY:Ze serveru'),
      'text/calendar',
      { ifMatch: current!.etag },
    );
    await new Promise((r) => setTimeout(r, 1100));
    updateEvent(i.db, id, { subject: 'Z CRM' });

    const run = await i.sync();
    expect(run.agendas.find((a) => a.agenda === 'events')!.conflicts).toBe(1);
    expect(getEvent(i.db, id)!.subject).toBe('Z CRM');
    expect((await i.phone.getObject(href!))!.data).toContain('SUMMARY:Z CRM');
    const entries = readJournal(i.db, { runId: run.runId });
    expect(entries.some((e) => /changed on both sides/.test(e.reason))).toBe(true);
    // The conflicts view: exactly that item.
    const conflicts = readJournal(i.db, { runId: run.runId, conflictsOnly: true });
    expect(conflicts.map((e) => [e.label, e.conflict])).toEqual([['Z CRM', true]]);
    await i.close();
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
    const objects = await serverObjects(i, i.calendarUrl);
    const hrefOf = (s: string) => [...objects].find(([, t]) => t.includes(s))![0];
    const hrefA = hrefOf('Smazáno na serveru');
    const hrefB = hrefOf('Smazáno v CRM');
    await i.phone.deleteObject(hrefA, '');
    updateEvent(i.db, a, { location: 'upraveno v CRM' });
    deleteEvent(i.db, b);
    const curB = await i.phone.getObject(hrefB);
    await i.phone.putObject(
      i.calendarUrl,
      hrefB,
      curB!.data.replace('SUMMARY:Smazáno v CRM', 'SUMMARY:Upraveno na serveru'),
      'text/calendar',
      { ifMatch: curB!.etag },
    );

    await i.sync();
    const after = [...(await serverObjects(i, i.calendarUrl)).values()];
    expect(after.some((t) => t.includes('upraveno v CRM'))).toBe(true);
    expect(crmEvents(i).map((e) => e.subject)).toContain('Upraveno na serveru');
    await i.close();
  });

  it('moves CRM rows deleted on the server to a trash they can be restored from', async () => {
    const i = await fresh();
    insertEvent(i.db, {
      subject: 'Do koše',
      allDay: false,
      start: daysFromNow(1),
      end: daysFromNow(1, 10),
      ownerId: i.ownerId,
    });
    await i.sync();
    const [href] = [...(await serverObjects(i, i.calendarUrl)).keys()];
    await i.phone.deleteObject(href!, '');
    expect(totals(await i.sync()).crmDeleted).toBe(1);
    expect(crmEvents(i)).toHaveLength(0);
    const [entry] = listTrash(i.db);
    expect(entry!.label).toBe('Do koše');
    restoreFromTrash(i.db, entry!.id);
    expect(totals(await i.sync()).serverCreated).toBe(1);
    expect((await serverObjects(i, i.calendarUrl)).size).toBe(1);
    await i.close();
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
    const hrefs = [...(await serverObjects(i, i.calendarUrl)).keys()];
    for (const href of hrefs.slice(0, 8)) await i.phone.deleteObject(href, '');
    const refused = await i.sync();
    expect(refused.status).toBe('refused');
    expect(refused.agendas[0]!.refused).toMatch(/would delete 8 of 10/);
    expect(crmEvents(i)).toHaveLength(10);
    const forced = await i.sync({ forceDeletes: true });
    expect(totals(forced).crmDeleted).toBe(8);
    expect(crmEvents(i)).toHaveLength(2);
    await i.close();
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
    await putRaw(
      i,
      vevent('srv-1@phone', [
        `DTSTART:${icsUtc(daysFromNow(3))}`,
        `DTEND:${icsUtc(daysFromNow(3, 10))}`,
        'SUMMARY:Ze serveru',
      ]),
    );
    await i.sync();
    i.db.exec(
      'DELETE FROM sync_pairings; DELETE FROM sync_server_items; DELETE FROM sync_folders;',
    );
    const again = totals(await i.sync());
    expect(again.serverCreated + again.crmCreated).toBe(0);
    expect(crmEvents(i)).toHaveLength(2);
    expect((await serverObjects(i, i.calendarUrl)).size).toBe(2);
    await i.close();
  });

  it('skips private items and items outside the days, and untracks what leaves the window', async () => {
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
    const kept = insertEvent(i.db, {
      subject: 'Blízko',
      allDay: false,
      start: daysFromNow(1),
      end: daysFromNow(1, 10),
      ownerId: i.ownerId,
    });
    await putRaw(
      i,
      vevent('private-1@phone', [
        `DTSTART:${icsUtc(daysFromNow(2))}`,
        `DTEND:${icsUtc(daysFromNow(2, 10))}`,
        'SUMMARY:Soukromé na serveru',
        'CLASS:PRIVATE',
      ]),
    );
    await i.sync();
    const onServer = [...(await serverObjects(i, i.calendarUrl)).values()];
    expect(onServer.filter((t) => t.includes('Blízko'))).toHaveLength(1);
    expect(onServer.some((t) => t.includes('SUMMARY:Soukromé\r\n'))).toBe(false);
    expect(onServer.some((t) => t.includes('Daleko'))).toBe(false);
    expect(crmEvents(i).some((e) => e.subject === 'Soukromé na serveru')).toBe(false);

    // Moved far ahead in the CRM: no longer tracked, and the server copy is not deleted.
    updateEvent(i.db, kept, { start: daysFromNow(90), end: daysFromNow(90, 10) });
    const run = totals(await i.sync());
    expect(run.serverDeleted).toBe(0);
    expect(
      [...(await serverObjects(i, i.calendarUrl)).values()].some((t) => t.includes('Blízko')),
    ).toBe(true);
    await i.close();
  });

  it('syncs only paired categories, translating them both ways', async () => {
    const i = await fresh((s) => {
      s.agendas.events.categoryMode = 'paired';
      s.agendas.events.categoryPairs = [
        { crm: 'HOTLINE', server: 'Hotline' },
        { crm: 'REGISTRACE', server: 'Registrace' },
      ];
    });
    const hotline = createCategory(i.db, { name: 'HOTLINE', kind: 'event', icon: 'phone' });
    const other = createCategory(i.db, { name: 'OSTATNÍ', kind: 'event' });
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
    await putRaw(
      i,
      vevent('reg-1@phone', [
        `DTSTART:${icsUtc(daysFromNow(2))}`,
        `DTEND:${icsUtc(daysFromNow(2, 10))}`,
        'SUMMARY:Registrace klienta',
        'CATEGORIES:Registrace',
      ]),
    );
    await putRaw(
      i,
      vevent('x-1@phone', [
        `DTSTART:${icsUtc(daysFromNow(2))}`,
        `DTEND:${icsUtc(daysFromNow(2, 10))}`,
        'SUMMARY:Bez kategorie',
      ]),
    );
    await i.sync();
    const onServer = [...(await serverObjects(i, i.calendarUrl)).values()];
    const sent = onServer.find((t) => t.includes('Hovor'));
    expect(sent).toMatch(/CATEGORIES:Hotline/);
    expect(onServer.some((t) => t.includes('Nepárované'))).toBe(false);
    const imported = crmEvents(i).find((e) => e.subject === 'Registrace klienta');
    expect(imported).toBeDefined();
    expect(crmEvents(i).some((e) => e.subject === 'Bez kategorie')).toBe(false);
    await i.close();
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
    await putRaw(
      i,
      vevent('inv-1@phone', [
        `DTSTART:${icsUtc(daysFromNow(2))}`,
        `DTEND:${icsUtc(daysFromNow(2, 10))}`,
        'SUMMARY:Prezentace',
        'ORGANIZER;CN=Pavel Bartoš:mailto:pbartos@example.cz',
        'ATTENDEE;CN=Jana Malá;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:Jana.Mala@systegra.cz',
      ]),
    );
    await i.sync();
    const [event] = crmEvents(i);
    expect(event!.status).toBe('Příchozí');
    expect(event!.personIds).toEqual([person]);
    expect(event!.companyIds).toEqual([firm]);
    expect(event!.categoryId).not.toBeNull();
    await i.close();
  });

  it('names a broken or unknown-zone server item, syncs the rest, deletes nothing', async () => {
    const i = await fresh();
    await putRaw(
      i,
      vevent('ok-1@phone', [
        `DTSTART:${icsUtc(daysFromNow(1))}`,
        `DTEND:${icsUtc(daysFromNow(1, 10))}`,
        'SUMMARY:V pořádku',
      ]),
    );
    await putRaw(
      i,
      vevent('tz-1@phone', [
        `DTSTART;TZID=Mars/Olympus_Mons:${icsDate(daysFromNow(1))}T100000`,
        `DTEND;TZID=Mars/Olympus_Mons:${icsDate(daysFromNow(1))}T110000`,
        'SUMMARY:Neznámá zóna',
      ]),
    );
    const run = await i.sync();
    const failed = run.agendas.find((a) => a.agenda === 'events')!.failed;
    expect(failed.map((f) => f.cause).join(' ')).toMatch(/Mars\/Olympus_Mons/);
    expect(crmEvents(i).map((e) => e.subject)).toEqual(['V pořádku']);
    expect(run.status).toBe('partial');
    await i.close();
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
      await putRaw(
        i,
        vevent('one-way@phone', [
          `DTSTART:${icsUtc(daysFromNow(2))}`,
          `DTEND:${icsUtc(daysFromNow(2, 10))}`,
          'SUMMARY:Ze serveru',
        ]),
      );
      await i.sync();
      const onServer = [...(await serverObjects(i, i.calendarUrl)).values()];
      const inCrm = crmEvents(i).map((e) => e.subject);
      if (direction === 'import') {
        expect(inCrm.sort()).toEqual(['Z CRM', 'Ze serveru']);
        expect(onServer.some((t) => t.includes('SUMMARY:Z CRM'))).toBe(false);
      } else {
        expect(inCrm).toEqual(['Z CRM']);
        expect(onServer.filter((t) => t.includes('SUMMARY:Z CRM'))).toHaveLength(1);
      }
      expect(onServer.filter((t) => t.includes('Ze serveru'))).toHaveLength(1);
      await i.close();
    },
  );

  it('server-wins: a conflict keeps the server copy', async () => {
    const i = await fresh((s) => {
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
    const [href] = [...(await serverObjects(i, i.calendarUrl)).keys()];
    updateEvent(i.db, id, { subject: 'Z CRM' });
    await new Promise((r) => setTimeout(r, 1100));
    const current = await i.phone.getObject(href!);
    await i.phone.putObject(
      i.calendarUrl,
      href!,
      current!.data.replace('SUMMARY:Původní', 'SUMMARY:Ze serveru'),
      'text/calendar',
      { ifMatch: current!.etag },
    );
    const run = await i.sync();
    expect(run.agendas.find((a) => a.agenda === 'events')!.conflicts).toBe(1);
    expect(getEvent(i.db, id)!.subject).toBe('Ze serveru');
    await i.close();
  });
});
