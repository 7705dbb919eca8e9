/**
 * Bad input and a bad network, on real Radicale and Xandikos. Real servers refuse to store
 * malformed objects, so faults are injected between the client and the server by a proxy
 * (test/support/fault-proxy.ts): a broken object inside a valid answer, a 503 on one write,
 * a listing cut off or never answered, a write the server made but whose answer was lost.
 *
 * The house rule each test holds the engine to: the user is told which item failed and why,
 * the other items go on, nothing is lost or duplicated, nothing is deleted on a guess.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getEvent, insertEvent, listEvents } from '../../src/core/crm/events.ts';
import { getPerson, insertPerson, listPersons } from '../../src/core/crm/persons.ts';
import type { AgendaKind } from '../../src/core/sync/model.ts';
import type { AgendaSummary, RunSummary } from '../../src/core/sync/summary.ts';
import { startFaultProxy } from '../support/fault-proxy.ts';
import type { FaultProxy } from '../support/fault-proxy.ts';
import { startRadicale, startXandikos } from '../support/dav-servers.ts';
import type { DavTestServer } from '../support/dav-servers.ts';
import { daysFromNow, icsUtc, install, serverObjects, totals } from './harness.ts';
import type { Installation } from './harness.ts';

const servers: { name: string; start: () => Promise<DavTestServer> }[] = [
  { name: 'Radicale', start: startRadicale },
  { name: 'Xandikos', start: startXandikos },
];

/** Short, so an answer that never comes fails the request quickly. */
const TIMEOUT_MS = 2000;

/** A line the proxy turns into garbage (no ":"), breaking that one object only. */
const marker = (id: string): string => `X-FAULT-MARKER:${id}`;
const breakMarked = (body: string): string =>
  body.replace(/X-FAULT-MARKER:([\w-]+)/g, 'this line is garbage $1');

function vevent(uid: string, summary: string, day: number, extra: string[] = []): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Test phone//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    `DTSTAMP:${icsUtc(daysFromNow(-1))}`,
    `DTSTART:${icsUtc(daysFromNow(day))}`,
    `DTEND:${icsUtc(daysFromNow(day, 10))}`,
    `SUMMARY:${summary}`,
    ...extra,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

function vcard(uid: string, last: string, first: string, extra: string[] = []): string {
  return [
    'BEGIN:VCARD',
    'VERSION:3.0',
    `UID:${uid}`,
    `N:${last};${first};;;`,
    `FN:${first} ${last}`,
    ...extra,
    'END:VCARD',
    '',
  ].join('\r\n');
}

async function putEvent(i: Installation, text: string): Promise<string> {
  const res = await i.phone.putObject(i.calendarUrl, null, text, 'text/calendar; charset=utf-8', {
    ifNoneMatch: '*',
  });
  return res.href;
}

async function putCard(i: Installation, text: string): Promise<string> {
  const res = await i.phone.putObject(i.addressBookUrl, null, text, 'text/vcard; charset=utf-8', {
    ifNoneMatch: '*',
  });
  return res.href;
}

/** The phone edits an object on the server. */
async function editOnServer(
  i: Installation,
  collection: string,
  href: string,
  edit: (text: string) => string,
): Promise<void> {
  const current = await i.phone.getObject(href);
  const type = collection === i.addressBookUrl ? 'text/vcard' : 'text/calendar';
  await i.phone.putObject(collection, href, edit(current!.data), type, {
    ifMatch: current!.etag,
  });
}

const fileName = (href: string): string => decodeURIComponent(href.split('/').pop()!);

function agenda(run: RunSummary, kind: AgendaKind): AgendaSummary {
  const found = run.agendas.find((a) => a.agenda === kind);
  if (found === undefined) throw new Error(`the run has no ${kind} agenda`);
  return found;
}

function eventSubjects(i: Installation): string[] {
  return listEvents(i.db, {})
    .filter((e) => e.ownerId === i.ownerId)
    .map((e) => e.subject)
    .sort();
}

function personNames(i: Installation): string[] {
  return listPersons(i.db, {})
    .map((p) => `${p.firstName} ${p.lastName}`)
    .sort();
}

/** The CRM ids stamped on the server's objects: one per CRM item, never two. */
async function stamps(i: Installation, collection: string): Promise<string[]> {
  const texts = [...(await serverObjects(i, collection)).values()];
  return texts.map((t) => /X-CRM-SYNC-ID:(\S+)/.exec(t.replace(/\r\n[ \t]/g, ''))?.[1] ?? '');
}

const quiet = {
  crmCreated: 0,
  crmUpdated: 0,
  crmDeleted: 0,
  serverCreated: 0,
  serverUpdated: 0,
  serverDeleted: 0,
  failed: 0,
};

describe.each(servers)('faults on $name', ({ start }) => {
  let server: DavTestServer;
  let proxy: FaultProxy;
  let inst: Installation | undefined;

  beforeAll(async () => {
    server = await start();
    proxy = await startFaultProxy(server.url);
  });
  afterEach(async () => {
    proxy.clear();
    await inst?.close();
    inst = undefined;
  });
  afterAll(async () => {
    await proxy?.stop();
    await server?.stop();
  });

  /** Events and contacts through the proxy (tasks off: they share the events' calendar). */
  async function fresh(): Promise<Installation> {
    inst = await install(
      server,
      (s) => {
        s.agendas.tasks.enabled = false;
      },
      { url: proxy.url, timeoutMs: TIMEOUT_MS },
    );
    return inst;
  }

  it('names a malformed event and a broken vCard, imports the rest, deletes nothing, imports them once they read well', async () => {
    const i = await fresh();
    insertEvent(i.db, {
      subject: 'Z CRM',
      allDay: false,
      start: daysFromNow(1),
      end: daysFromNow(1, 10),
      ownerId: i.ownerId,
    });
    insertPerson(i.db, { firstName: 'Jan', lastName: 'Zcrm' });
    await putEvent(i, vevent('good-1', 'Dobrá 1', 2));
    const badEvent = await putEvent(i, vevent('bad-1', 'Rozbitá', 3, [marker('bad-1')]));
    await putEvent(i, vevent('good-2', 'Dobrá 2', 4));
    await putCard(i, vcard('card-ok-1', 'Dobrá', 'Anna'));
    const badCard = await putCard(i, vcard('card-bad', 'Rozbitá', 'Bára', [marker('card-bad')]));
    await putCard(i, vcard('card-ok-2', 'Dobrý', 'Cyril'));
    const broken = proxy.add({ method: 'REPORT', times: Infinity, fault: corrupt() });

    const run = await i.sync();
    expect(broken.hits).toBeGreaterThan(0);
    expect(run.status).toBe('partial');
    const events = agenda(run, 'events');
    const contacts = agenda(run, 'contacts');
    expect(events.failed).toMatchObject([
      { label: fileName(badEvent), cause: expect.stringMatching(/not valid iCalendar/) },
    ]);
    expect(contacts.failed).toMatchObject([
      { label: fileName(badCard), cause: expect.stringMatching(/not a valid vCard/) },
    ]);
    expect(eventSubjects(i)).toEqual(['Dobrá 1', 'Dobrá 2', 'Z CRM']);
    expect(personNames(i)).toEqual(['Anna Dobrá', 'Cyril Dobrý', 'Jan Zcrm']);
    expect(totals(run)).toMatchObject({ crmDeleted: 0, serverDeleted: 0 });
    expect((await serverObjects(i, i.calendarUrl)).size).toBe(4);
    expect((await serverObjects(i, i.addressBookUrl)).size).toBe(4);

    // Still broken: named again on the next run, and still nothing else happens.
    const again = await i.sync();
    expect(again.status).toBe('partial');
    expect(agenda(again, 'events').failed).toMatchObject([{ label: fileName(badEvent) }]);
    expect(agenda(again, 'contacts').failed).toMatchObject([{ label: fileName(badCard) }]);
    expect(totals(again)).toEqual({ ...quiet, failed: 2 });

    // The objects read well again (nothing changed on the server): imported, once.
    broken.remove();
    const healed = await i.sync();
    expect(healed.status).toBe('ok');
    expect(totals(healed)).toEqual({ ...quiet, crmCreated: 2 });
    expect(eventSubjects(i)).toEqual(['Dobrá 1', 'Dobrá 2', 'Rozbitá', 'Z CRM']);
    expect(personNames(i)).toEqual(['Anna Dobrá', 'Bára Rozbitá', 'Cyril Dobrý', 'Jan Zcrm']);
    expect(totals(await i.sync())).toEqual(quiet);
    expect((await serverObjects(i, i.calendarUrl)).size).toBe(4);
    expect((await serverObjects(i, i.addressBookUrl)).size).toBe(4);
  });

  it('keeps the CRM copy as it was when a synced item comes back malformed', async () => {
    const i = await fresh();
    const eventHref = await putEvent(i, vevent('meeting-1', 'Porada', 2));
    const cardHref = await putCard(i, vcard('card-1', 'Malá', 'Jana', ['TITLE:asistentka']));
    await i.sync();
    const [event] = listEvents(i.db, {}).filter((e) => e.subject === 'Porada');
    const [person] = listPersons(i.db, {}).filter((p) => p.lastName === 'Malá');
    expect(event).toBeDefined();
    expect(person).toBeDefined();

    // The phone changes both; what comes back is broken.
    await editOnServer(i, i.calendarUrl, eventHref, (t) =>
      t.replace('SUMMARY:Porada', `SUMMARY:Porada v Brně\r\n${marker('meeting-1')}`),
    );
    await editOnServer(i, i.addressBookUrl, cardHref, (t) =>
      t.replace('TITLE:asistentka', `TITLE:ředitelka\r\n${marker('card-1')}`),
    );
    const broken = proxy.add({ method: 'REPORT', times: Infinity, fault: corrupt() });
    const run = await i.sync();
    expect(broken.hits).toBeGreaterThan(0);
    expect(run.status).toBe('partial');
    expect(agenda(run, 'events').failed).toMatchObject([{ label: fileName(eventHref) }]);
    expect(agenda(run, 'contacts').failed).toMatchObject([{ label: fileName(cardHref) }]);
    expect(totals(run)).toMatchObject({ crmUpdated: 0, crmDeleted: 0, serverDeleted: 0 });
    expect(getEvent(i.db, event!.id)).toEqual(event);
    expect(getPerson(i.db, person!.id)).toEqual(person);
    // Nor was the server copy overwritten with the CRM's.
    expect((await i.phone.getObject(eventHref))!.data).toContain('Porada v Brně');
    expect((await i.phone.getObject(cardHref))!.data).toContain('ředitelka');
    const again = await i.sync();
    expect(totals(again)).toEqual({ ...quiet, failed: 2 });
    expect(getEvent(i.db, event!.id)).toEqual(event);
    expect(getPerson(i.db, person!.id)).toEqual(person);

    // Readable again: the phone's change arrives, nothing is duplicated.
    broken.remove();
    const healed = await i.sync();
    expect(healed.status).toBe('ok');
    expect(totals(healed)).toEqual({ ...quiet, crmUpdated: 2 });
    expect(getEvent(i.db, event!.id)!.subject).toBe('Porada v Brně');
    expect(getPerson(i.db, person!.id)!.jobTitle).toBe('ředitelka');
    expect(eventSubjects(i)).toEqual(['Porada v Brně']);
    expect(personNames(i)).toEqual(['Jana Malá']);
  });

  it('fails only the item whose upload the server refused, and sends it once on the next run', async () => {
    const i = await fresh();
    for (const [n, subject] of ['Akce A', 'Akce B', 'Akce C'].entries()) {
      insertEvent(i.db, {
        subject,
        allDay: false,
        start: daysFromNow(1 + n),
        end: daysFromNow(1 + n, 10),
        ownerId: i.ownerId,
      });
    }
    insertPerson(i.db, { firstName: 'Petr', lastName: 'První' });
    insertPerson(i.db, { firstName: 'Eva', lastName: 'Druhá' });
    proxy.add({ method: 'PUT', path: /\.ics$/, nth: 2, fault: { kind: 'status', status: 503 } });
    proxy.add({ method: 'PUT', path: /\.vcf$/, nth: 1, fault: { kind: 'status', status: 500 } });

    const run = await i.sync();
    expect(run.status).toBe('partial');
    const events = agenda(run, 'events');
    const contacts = agenda(run, 'contacts');
    expect(events.failed).toMatchObject([
      { label: 'Akce B', cause: expect.stringMatching(/PUT .*503 Service Unavailable/) },
    ]);
    expect(events.server.created).toBe(2);
    expect(contacts.failed).toMatchObject([
      { label: 'Petr První', cause: expect.stringMatching(/PUT .*500 Internal Server Error/) },
    ]);
    expect(contacts.server.created).toBe(1);

    proxy.clear();
    const retry = await i.sync();
    expect(retry.status).toBe('ok');
    expect(totals(retry)).toEqual({ ...quiet, serverCreated: 2 });
    // Three uploads, then only the refused one again.
    const calendarPath = new URL(i.calendarUrl).pathname;
    expect(proxy.count({ method: 'PUT', path: calendarPath })).toBe(4);
    const eventStamps = await stamps(i, i.calendarUrl);
    expect(eventStamps).toHaveLength(3);
    expect(new Set(eventStamps).size).toBe(3);
    const cardStamps = await stamps(i, i.addressBookUrl);
    expect(cardStamps).toHaveLength(2);
    expect(new Set(cardStamps).size).toBe(2);
    expect(totals(await i.sync())).toEqual(quiet);
  });

  it.each([
    { what: 'cut off', fault: { kind: 'cut' } as const, message: /cut off/ },
    { what: 'never answered', fault: { kind: 'hang' } as const, message: /did not answer/ },
  ])(
    'reports the calendar not synchronised when its change listing is $what, changes nothing, and recovers',
    async ({ fault, message }) => {
      const i = await fresh();
      insertEvent(i.db, {
        subject: 'Synchronizováno',
        allDay: false,
        start: daysFromNow(1),
        end: daysFromNow(1, 10),
        ownerId: i.ownerId,
      });
      const href = await putEvent(i, vevent('srv-1', 'Ze serveru', 2));
      await i.sync();
      const before = listEvents(i.db, {});

      insertEvent(i.db, {
        subject: 'Nové v CRM',
        allDay: false,
        start: daysFromNow(3),
        end: daysFromNow(3, 10),
        ownerId: i.ownerId,
      });
      await putEvent(i, vevent('srv-2', 'Nové na serveru', 4));
      await editOnServer(i, i.calendarUrl, href, (t) =>
        t.replace('SUMMARY:Ze serveru', 'SUMMARY:Ze serveru (změna)'),
      );
      insertPerson(i.db, { firstName: 'Karel', lastName: 'Kontakt' });
      const calendarPath = new URL(i.calendarUrl).pathname;
      proxy.add({ method: 'REPORT', path: calendarPath, body: 'sync-collection', fault });

      const run = await i.sync();
      expect(run.status).toBe('failed');
      const events = agenda(run, 'events');
      expect(events.aborted).toMatch(message);
      // The calendar was left alone; the address book went on.
      expect(listEvents(i.db, {}).filter((e) => e.subject !== 'Nové v CRM')).toEqual(before);
      expect(eventSubjects(i)).toEqual(['Nové v CRM', 'Synchronizováno', 'Ze serveru']);
      expect((await serverObjects(i, i.calendarUrl)).size).toBe(3);
      expect(agenda(run, 'contacts').server.created).toBe(1);

      proxy.clear();
      const next = await i.sync();
      expect(next.status).toBe('ok');
      expect(totals(next)).toEqual({ ...quiet, crmCreated: 1, crmUpdated: 1, serverCreated: 1 });
      expect(eventSubjects(i)).toEqual([
        'Nové na serveru',
        'Nové v CRM',
        'Synchronizováno',
        'Ze serveru (změna)',
      ]);
      expect((await serverObjects(i, i.calendarUrl)).size).toBe(4);
      expect(totals(await i.sync())).toEqual(quiet);
    },
  );

  it('does not duplicate an item the server stored though its answer was lost', async () => {
    const i = await fresh();
    insertEvent(i.db, {
      subject: 'Ztracená odpověď',
      allDay: false,
      start: daysFromNow(1),
      end: daysFromNow(1, 10),
      ownerId: i.ownerId,
    });
    insertEvent(i.db, {
      subject: 'V pořádku',
      allDay: false,
      start: daysFromNow(2),
      end: daysFromNow(2, 10),
      ownerId: i.ownerId,
    });
    insertPerson(i.db, { firstName: 'Lída', lastName: 'Ztracená' });
    // Events: another upload follows in the same run. Contacts: the lost one is the only one.
    proxy.add({ method: 'PUT', path: /\.ics$/, fault: { kind: 'drop-after-forward' } });
    proxy.add({ method: 'PUT', path: /\.vcf$/, fault: { kind: 'drop-after-forward' } });

    const run = await i.sync();
    expect(run.status).toBe('partial');
    expect(agenda(run, 'events').failed).toMatchObject([
      { label: 'Ztracená odpověď', cause: expect.stringMatching(/cut off/) },
    ]);
    expect(agenda(run, 'contacts').failed).toMatchObject([
      { label: 'Lída Ztracená', cause: expect.stringMatching(/cut off/) },
    ]);
    // The server did store them.
    expect((await serverObjects(i, i.calendarUrl)).size).toBe(2);
    expect((await serverObjects(i, i.addressBookUrl)).size).toBe(1);

    proxy.clear();
    const next = await i.sync();
    expect(next.status).toBe('ok');
    expect(totals(next)).toEqual(quiet);
    expect(agenda(next, 'events').linked + agenda(next, 'contacts').linked).toBe(2);
    const eventStamps = await stamps(i, i.calendarUrl);
    expect(eventStamps).toHaveLength(2);
    expect(new Set(eventStamps).size).toBe(2);
    expect(await stamps(i, i.addressBookUrl)).toHaveLength(1);
    expect(eventSubjects(i)).toEqual(['V pořádku', 'Ztracená odpověď']);
    expect(personNames(i)).toEqual(['Lída Ztracená']);
    expect(totals(await i.sync())).toEqual(quiet);
  });
});

function corrupt() {
  return { kind: 'corrupt', transform: breakMarked } as const;
}
