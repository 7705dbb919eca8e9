/**
 * Identity on both sides, against real Radicale and Xandikos: a lost pairing state re-pairs
 * every item without writing anything (issue 9.5), rows created in the CRM keep the UID
 * the server copy got (9.7), and events are linked to persons by attendee e-mail also
 * when the person comes after the event (9.6).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCategory } from '../../src/core/crm/categories.ts';
import { insertCompany } from '../../src/core/crm/companies.ts';
import { getEvent, insertEvent, listEvents } from '../../src/core/crm/events.ts';
import { insertPerson, listPersons } from '../../src/core/crm/persons.ts';
import { insertTask, listTasks } from '../../src/core/crm/tasks.ts';
import { readJournal } from '../../src/core/sync/journal.ts';
import { startRadicale, startXandikos } from '../support/dav-servers.ts';
import type { DavTestServer } from '../support/dav-servers.ts';
import { daysFromNow, icsDate, icsUtc, install, serverObjects, totals } from './harness.ts';
import type { Installation } from './harness.ts';

const servers: { name: string; start: () => Promise<DavTestServer> }[] = [
  { name: 'Radicale', start: startRadicale },
  { name: 'Xandikos', start: startXandikos },
];

const NOTHING = {
  crmCreated: 0,
  crmUpdated: 0,
  crmDeleted: 0,
  serverCreated: 0,
  serverUpdated: 0,
  serverDeleted: 0,
  failed: 0,
};

const day = (d: Date): string => d.toISOString().slice(0, 10);

function calendar(components: string[][]): string {
  const lines = components.flatMap((c) => c);
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Phone//EN', ...lines, 'END:VCALENDAR', '']
    .filter((l) => l !== '')
    .join('\r\n');
}

function component(kind: 'VEVENT' | 'VTODO', uid: string, lines: string[]): string[] {
  return [
    `BEGIN:${kind}`,
    `UID:${uid}`,
    `DTSTAMP:${icsUtc(daysFromNow(-1))}`,
    ...lines,
    `END:${kind}`,
  ];
}

async function put(inst: Installation, url: string, text: string, type: string): Promise<string> {
  return (await inst.phone.putObject(url, null, text, type, { ifNoneMatch: '*' })).href;
}

const putCalendar = (inst: Installation, text: string) =>
  put(inst, inst.calendarUrl, text, 'text/calendar; charset=utf-8');
const putCard = (inst: Installation, lines: string[]) =>
  put(
    inst,
    inst.addressBookUrl,
    ['BEGIN:VCARD', ...lines, 'END:VCARD', ''].join('\r\n'),
    'text/vcard; charset=utf-8',
  );

/** Both folders' objects, raw: a re-pair that writes nothing leaves every byte as it was. */
async function everything(inst: Installation): Promise<Map<string, string>> {
  return new Map([
    ...(await serverObjects(inst, inst.calendarUrl)),
    ...(await serverObjects(inst, inst.addressBookUrl)),
  ]);
}

function crmRows(inst: Installation): unknown[] {
  const strip = <T extends { updatedAt: string }>(rows: T[]) =>
    rows.map(({ updatedAt: _u, ...rest }) => rest);
  return [
    ...strip(listEvents(inst.db, {})),
    ...strip(listTasks(inst.db, {})),
    ...strip(listPersons(inst.db, {})),
  ];
}

describe.each(servers)('identity on $name', ({ start }) => {
  let server: DavTestServer;

  beforeAll(async () => {
    server = await start();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('re-pairs every item after the pairing state is lost and writes nothing on either side', async () => {
    const i = await install(server, (s) => {
      // Imported items get what only the CRM has: a category, a status, links.
      s.agendas.events.defaultCategory = 'Import';
      s.agendas.events.importedStatus = 'Nový';
      s.agendas.events.linkByAttendeeEmail = true;
      s.agendas.events.linkCompanies = true;
      s.agendas.tasks.defaultCategory = 'Import';
      s.agendas.tasks.showInCalendarAsEvent = true;
    });
    try {
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
        ownerId: i.ownerId,
      });
      insertTask(i.db, {
        subject: 'Úkol (CRM)',
        allDay: true,
        due: day(daysFromNow(3)),
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
      await putCalendar(
        i,
        calendar([
          component('VEVENT', 'event-1@phone', [
            `DTSTART;TZID=Europe/Prague:${icsDate(daysFromNow(2))}T100000`,
            `DTEND;TZID=Europe/Prague:${icsDate(daysFromNow(2))}T110000`,
            'SUMMARY:Schůzka (telefon)',
            'CATEGORIES:Hotline',
            'ORGANIZER;CN=Organizátor:mailto:org@example.cz',
            'ATTENDEE;CN=Jana;PARTSTAT=ACCEPTED:mailto:JANA@firma.cz',
            'BEGIN:VALARM',
            'ACTION:DISPLAY',
            'TRIGGER:-PT10M',
            'END:VALARM',
          ]),
        ]),
      );
      await putCalendar(
        i,
        calendar([
          component('VEVENT', 'series-1@phone', [
            `DTSTART:${icsUtc(daysFromNow(-2))}`,
            `DTEND:${icsUtc(daysFromNow(-2, 10))}`,
            'RRULE:FREQ=DAILY;COUNT=8',
            `EXDATE:${icsUtc(daysFromNow(0))}`,
            'SUMMARY:Série (telefon)',
          ]),
          component('VEVENT', 'series-1@phone', [
            `RECURRENCE-ID:${icsUtc(daysFromNow(2))}`,
            `DTSTART:${icsUtc(daysFromNow(2, 12))}`,
            `DTEND:${icsUtc(daysFromNow(2, 13))}`,
            'SUMMARY:Série (přesunuto)',
          ]),
        ]),
      );
      await putCalendar(
        i,
        calendar([
          component('VEVENT', 'allday-1@phone', [
            `DTSTART;VALUE=DATE:${icsDate(daysFromNow(4))}`,
            `DTEND;VALUE=DATE:${icsDate(daysFromNow(5))}`,
            'SUMMARY:Celý den (telefon)',
          ]),
        ]),
      );
      await putCalendar(
        i,
        calendar([
          component('VTODO', 'task-1@phone', [
            `DUE;VALUE=DATE:${icsDate(daysFromNow(5))}`,
            'SUMMARY:Úkol (telefon)',
            'PRIORITY:1',
            'PERCENT-COMPLETE:30',
          ]),
        ]),
      );
      await putCard(i, [
        'VERSION:3.0',
        'UID:card-1@phone',
        'FN:Petr Dlouhý',
        'N:Dlouhý;Petr;;Ing.;',
        'ORG:Jiná firma',
        'EMAIL;TYPE=INTERNET:Petr@Jina.cz',
        'TEL;TYPE=CELL:+420 600 000 000',
        'TEL;TYPE=VOICE:+420 222 000 000',
        'ADR;TYPE=WORK:;;Ulice 1;Praha;;11000;CZ',
        'CATEGORIES:VIP',
      ]);
      // vCard 3.0 allows a card without UID (Radicale refuses one, Xandikos keeps it).
      if (server.kind === 'xandikos') {
        await putCard(i, [
          'VERSION:3.0',
          'FN:Eva Bezuidová',
          'N:Bezuidová;Eva;;;',
          'EMAIL:eva@x.cz',
        ]);
      }

      await i.sync();
      expect(totals(await i.sync())).toEqual(NOTHING);
      const serverBefore = await everything(i);
      const crmBefore = crmRows(i);
      const paired = i.db.prepare('SELECT count(*) FROM sync_pairings').pluck().get();

      i.db.exec(
        'DELETE FROM sync_pairings; DELETE FROM sync_server_items; DELETE FROM sync_folders;',
      );
      const run = await i.sync();

      expect(totals(run)).toEqual(NOTHING);
      const journal = readJournal(i.db, { runId: run.runId });
      expect(journal.filter((e) => e.conflict)).toEqual([]);
      expect(journal.filter((e) => e.action !== 'link').map((e) => [e.label, e.action])).toEqual(
        [],
      );
      expect(i.db.prepare('SELECT count(*) FROM sync_pairings').pluck().get()).toBe(paired);
      expect(await everything(i)).toEqual(serverBefore);
      expect(crmRows(i)).toEqual(crmBefore);
      expect(totals(await i.sync())).toEqual(NOTHING);
    } finally {
      await i.close();
    }
  }, 120_000);

  it('keeps the UID the server copy got on CRM rows it created, and on their pairings', async () => {
    const i = await install(server);
    try {
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

      const objects = [...(await everything(i)).values()].map((t) => t.replace(/\r\n[ \t]/g, ''));
      const uidIn = (label: string): string => {
        const text = objects.find((t) => t.includes(label));
        return /^UID:(.+)$/m.exec(text ?? '')?.[1]?.trim() ?? '';
      };
      const rows = {
        event: i.db.prepare('SELECT uid FROM events WHERE id = ?').pluck().get(event),
        task: i.db.prepare('SELECT uid FROM tasks WHERE id = ?').pluck().get(task),
        person: i.db.prepare('SELECT uid FROM persons WHERE id = ?').pluck().get(person),
      };
      expect(rows).toEqual({
        event: uidIn('SUMMARY:Nová schůzka'),
        task: uidIn('SUMMARY:Nový úkol'),
        person: uidIn('FN:Nová Osoba'),
      });
      expect(Object.values(rows).every((u) => typeof u === 'string' && u.length > 0)).toBe(true);
      const pairingUids = i.db.prepare('SELECT uid FROM sync_pairings ORDER BY uid').pluck().all();
      expect(pairingUids).toEqual(Object.values(rows).sort());
      // The UID is not a change: the next run has nothing to do.
      expect(totals(await i.sync())).toEqual(NOTHING);
    } finally {
      await i.close();
    }
  });

  it('links an event to persons with an attendee address imported after it, and added later in the CRM', async () => {
    const i = await install(server, (s) => {
      s.agendas.events.linkByAttendeeEmail = true;
      s.agendas.events.linkCompanies = true;
    });
    try {
      await putCalendar(
        i,
        calendar([
          component('VEVENT', 'meeting-1@phone', [
            `DTSTART:${icsUtc(daysFromNow(2))}`,
            `DTEND:${icsUtc(daysFromNow(2, 10))}`,
            'SUMMARY:Jednání',
            'ORGANIZER;CN=Pavel:mailto:pbartos@example.cz',
            'ATTENDEE;CN=Jana Malá:mailto:jana.mala@systegra.cz',
            'ATTENDEE;CN=Karel Novotný:mailto:Karel.Novotny@elektro.cz',
          ]),
        ]),
      );
      // The contacts agenda runs after the events: this person is imported later in the run.
      await putCard(i, [
        'VERSION:3.0',
        'UID:jana@phone',
        'FN:Jana Malá',
        'N:Malá;Jana;;;',
        'ORG:SYSTEGRA s.r.o.',
        'EMAIL;TYPE=WORK:jana.mala@systegra.cz',
      ]);
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
    } finally {
      await i.close();
    }
  });
});
