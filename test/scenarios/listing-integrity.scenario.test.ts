/**
 * Issue 9, points 1 and 2, on real Radicale and Xandikos behind the fault proxy: an answer
 * that is not complete is never evidence of a deletion, a deletion inferred from a listing
 * is confirmed with the server before the CRM row goes, and a change the run could not
 * read is read again later (the change token never moves past it).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listEvents } from '../../src/core/crm/events.ts';
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

/** Generous: two cores shared by many test processes. */
const SCENARIO_TIMEOUT_MS = 120_000;

/** What a server answers a sync token it no longer knows (RFC 6578 3.2). */
const TOKEN_REFUSED = {
  kind: 'status',
  status: 403,
  body: '<?xml version="1.0" encoding="utf-8"?><D:error xmlns:D="DAV:"><D:valid-sync-token/></D:error>',
} as const;

/** A sync-collection REPORT that carries a token (not the initial, empty one). */
const WITH_TOKEN = /<d:sync-token>[^<]+<\/d:sync-token>/;
/** The initial sync-collection: the full listing the engine falls back to. */
const WITHOUT_TOKEN = '<d:sync-token/>';

/** Keeps the first `keep` <response> elements and stops there: the multistatus never closes. */
function cutAfterResponses(keep: number): (body: string) => string {
  return (body) => {
    const closing = /<\/(?:[\w-]+:)?response>/g;
    let end = -1;
    for (let n = 0; n < keep; n++) {
      const m = closing.exec(body);
      if (m === null) return body.slice(0, Math.floor(body.length / 2));
      end = m.index + m[0].length;
    }
    return body.slice(0, end);
  };
}

/** Leaves out the <response> elements whose href ends with one of `names`; the XML stays whole. */
function dropResponses(names: string[]): (body: string) => string {
  return (body) =>
    body.replace(/<((?:[\w-]+:)?)response\b[\s\S]*?<\/\1response>/g, (element) =>
      names.some((n) => element.includes(`${n}<`)) ? '' : element,
    );
}

function vevent(uid: string, summary: string, day: number): string {
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
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

function events(run: RunSummary): AgendaSummary {
  const found = run.agendas.find((a) => a.agenda === 'events');
  if (found === undefined) throw new Error('the run has no events agenda');
  return found;
}

function subjects(i: Installation): string[] {
  return listEvents(i.db, {})
    .filter((e) => e.ownerId === i.ownerId)
    .map((e) => e.subject)
    .sort();
}

const fileName = (href: string): string => decodeURIComponent(href.split('/').pop()!);

describe.each(servers)('listing integrity on $name', ({ start }) => {
  let server: DavTestServer;
  let proxy: FaultProxy;
  let inst: Installation | undefined;

  beforeAll(async () => {
    server = await start();
    proxy = await startFaultProxy(server.url);
  }, SCENARIO_TIMEOUT_MS);
  afterEach(async () => {
    proxy.clear();
    await inst?.close();
    inst = undefined;
  });
  afterAll(async () => {
    await proxy?.stop();
    await server?.stop();
  });

  /** Events only, through the proxy; `count` server events synced into the CRM. */
  async function synced(count: number): Promise<{ i: Installation; hrefs: string[] }> {
    const i = await install(
      server,
      (s) => {
        s.agendas.tasks.enabled = false;
        s.agendas.contacts.enabled = false;
      },
      { url: proxy.url, timeoutMs: 20_000 },
    );
    inst = i;
    const hrefs: string[] = [];
    for (let n = 0; n < count; n++) {
      const uid = `ev-${String(n).padStart(2, '0')}`;
      const res = await i.phone.putObject(
        i.calendarUrl,
        null,
        vevent(uid, `Akce ${String(n).padStart(2, '0')}`, 1 + (n % 20)),
        'text/calendar; charset=utf-8',
        { ifNoneMatch: '*' },
      );
      hrefs.push(res.href);
    }
    const first = await i.sync();
    expect(first.status).toBe('ok');
    expect(subjects(i)).toHaveLength(count);
    return { i, hrefs };
  }

  it(
    'deletes nothing when the listing after a refused token is cut short, and converges later',
    async () => {
      const { i } = await synced(40);
      const before = subjects(i);
      // The token is refused; the fallback listing stops after 28 of 40 objects (12 = 30 %,
      // exactly at the guard's line, so the guard alone would let it through).
      proxy.add({ method: 'REPORT', body: WITH_TOKEN, times: Infinity, fault: TOKEN_REFUSED });
      const cut = proxy.add({
        method: 'REPORT',
        body: WITHOUT_TOKEN,
        fault: { kind: 'corrupt', transform: cutAfterResponses(28) },
      });

      const run = await i.sync();
      expect(cut.hits).toBe(1);
      expect(run.status).toBe('failed');
      expect(events(run).aborted).toMatch(/incomplete|not complete/i);
      expect(totals(run)).toMatchObject({ crmDeleted: 0, serverDeleted: 0 });
      expect(subjects(i)).toEqual(before);

      // The server is well again (the token still refused): a complete listing, no loss.
      proxy.clear();
      proxy.add({ method: 'REPORT', body: WITH_TOKEN, fault: TOKEN_REFUSED });
      const healed = await i.sync();
      expect(healed.status).toBe('ok');
      expect(totals(healed)).toMatchObject({ crmDeleted: 0, crmCreated: 0, serverCreated: 0 });
      expect(subjects(i)).toEqual(before);
      proxy.clear();
      expect(totals(await i.sync())).toMatchObject({ crmDeleted: 0, crmCreated: 0 });
      expect(subjects(i)).toEqual(before);
      expect((await serverObjects(i, i.calendarUrl)).size).toBe(40);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    'confirms deletions from a listing: objects left out but still there are kept, really deleted ones go',
    async () => {
      const { i, hrefs } = await synced(12);
      // Two objects really deleted by another client; three more left out of a listing
      // that is otherwise complete and well-formed.
      await i.phone.deleteObject(hrefs[0]!, '');
      await i.phone.deleteObject(hrefs[1]!, '');
      const omitted = [hrefs[5]!, hrefs[6]!, hrefs[7]!].map(fileName);
      proxy.add({ method: 'REPORT', body: WITH_TOKEN, times: Infinity, fault: TOKEN_REFUSED });
      const dropped = proxy.add({
        method: 'REPORT',
        body: WITHOUT_TOKEN,
        fault: { kind: 'corrupt', transform: dropResponses(omitted) },
      });

      const run = await i.sync();
      expect(dropped.hits).toBe(1);
      expect(totals(run)).toMatchObject({ crmDeleted: 2, serverDeleted: 0 });
      expect(subjects(i)).toEqual([
        'Akce 02',
        'Akce 03',
        'Akce 04',
        'Akce 05',
        'Akce 06',
        'Akce 07',
        'Akce 08',
        'Akce 09',
        'Akce 10',
        'Akce 11',
      ]);
      // The three the listing left out are named, not deleted.
      expect(events(run).failed).toHaveLength(3);
      expect(events(run).failed).toEqual(
        ['Akce 05', 'Akce 06', 'Akce 07'].map((label) =>
          expect.objectContaining({ label, code: 'item-left-out-of-listing' }),
        ),
      );

      proxy.clear();
      const healed = await i.sync();
      expect(healed.status).toBe('ok');
      expect(totals(healed)).toMatchObject({ crmDeleted: 0, crmCreated: 0, serverCreated: 0 });
      expect(subjects(i)).toHaveLength(10);
      expect((await serverObjects(i, i.calendarUrl)).size).toBe(10);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    'brings a server edit to the CRM after a run with a failing multiget and a cut answer',
    async () => {
      const { i, hrefs } = await synced(6);
      // Another client edits two events.
      for (const [n, href] of [hrefs[2]!, hrefs[4]!].entries()) {
        const current = await i.phone.getObject(href);
        await i.phone.putObject(
          i.calendarUrl,
          href,
          current!.data.replace(/SUMMARY:(.*)/, `SUMMARY:$1 změna ${n}`),
          'text/calendar; charset=utf-8',
          { ifMatch: current!.etag },
        );
      }
      // The change report is cut short after one object, and the first multiget fails.
      proxy.add({
        method: 'REPORT',
        body: WITH_TOKEN,
        fault: { kind: 'corrupt', transform: cutAfterResponses(1) },
      });
      proxy.add({ method: 'REPORT', body: 'multiget', fault: { kind: 'status', status: 500 } });
      const run = await i.sync();
      expect(totals(run)).toMatchObject({ crmDeleted: 0 });

      proxy.clear();
      await i.sync();
      await i.sync();
      expect(subjects(i)).toEqual([
        'Akce 00',
        'Akce 01',
        'Akce 02 změna 0',
        'Akce 03',
        'Akce 04 změna 1',
        'Akce 05',
      ]);
    },
    SCENARIO_TIMEOUT_MS,
  );
});
