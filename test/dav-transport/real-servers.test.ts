/**
 * The transport against real Radicale and Xandikos: discovery, writes with preconditions,
 * incremental sync and its fallbacks, request counts (RequestStats) on the paths the
 * benchmark measures.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ItemError, ServerError, VersionConflictError } from '../../src/core/servers/errors.ts';
import {
  DavUidConflictError,
  resetRequestStats,
} from '../../src/core/servers/dav/transport/index.ts';
import type { DavTransport } from '../../src/core/servers/dav/transport/index.ts';
import { forEachDavServer, startRadicale } from '../support/dav-servers.ts';
import {
  CALENDAR_TYPE,
  VCARD_TYPE,
  cardText,
  eventText,
  transportFor,
  uniqueName,
} from './helpers.ts';

const open: DavTransport[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});

forEachDavServer((server) => {
  function connect(overrides = {}) {
    const made = transportFor(server(), overrides);
    open.push(made.transport);
    return made;
  }

  it('discovers calendars and address books with their components, ctag and sync support', async () => {
    const s = server();
    const events = await s.createCalendar(uniqueName('events'), ['VEVENT'], 'Meetings');
    const tasks = await s.createCalendar(uniqueName('tasks'), ['VTODO'], 'To do');
    const people = await s.createAddressBook(uniqueName('people'), 'People');
    const { transport } = connect();

    const found = await transport.discover();

    const meetings = found.calendars.find((c) => c.url === events);
    const todo = found.calendars.find((c) => c.url === tasks);
    const book = found.addressBooks.find((c) => c.url === people);
    expect(meetings).toMatchObject({ displayName: 'Meetings', supportsSyncCollection: true });
    expect(todo).toMatchObject({ displayName: 'To do', supportsSyncCollection: true });
    expect(book).toMatchObject({
      displayName: 'People',
      components: ['VCARD'],
      supportsSyncCollection: true,
    });
    for (const info of [meetings, todo, book]) {
      expect(info?.ctag).toBeTruthy();
      expect(info?.syncToken).toBeTruthy();
    }
    if (s.restrictsComponents) {
      expect(meetings?.components).toEqual(['VEVENT']);
      expect(todo?.components).toEqual(['VTODO']);
    } else {
      // Xandikos ignores the component set of MKCALENDAR: every calendar takes both.
      expect(meetings?.components).toEqual(['VEVENT', 'VTODO']);
    }
    expect(found.calendars.some((c) => c.url === people)).toBe(false);
    expect(found.addressBooks.some((c) => c.url === events)).toBe(false);
  });

  it('creates, reads, updates and deletes an object; deleting it again is fine', async () => {
    const s = server();
    const calendar = await s.createCalendar(uniqueName('roundtrip'));
    const { transport } = connect();
    const uid = uniqueName('uid');

    const created = await transport.putObject(
      calendar,
      null,
      eventText(uid, 'First'),
      CALENDAR_TYPE,
    );
    expect(created.href).toBe(`${calendar}${uid}.ics`);
    expect(created.etag).not.toBe('');

    const read = await transport.getObject(created.href);
    expect(read).toMatchObject({ href: created.href, etag: created.etag });
    expect(read?.data).toContain('SUMMARY:First');

    const updated = await transport.putObject(
      calendar,
      created.href,
      eventText(uid, 'Second'),
      CALENDAR_TYPE,
      { ifMatch: created.etag },
    );
    expect(updated.href).toBe(created.href);
    expect(updated.etag).not.toBe(created.etag);
    expect((await transport.getObject(created.href))?.data).toContain('SUMMARY:Second');

    await transport.deleteObject(created.href, updated.etag);
    expect(await transport.getObject(created.href)).toBeNull();
    await expect(transport.deleteObject(created.href, updated.etag)).resolves.toBeUndefined();
  });

  it('names new objects safely after their UID', async () => {
    const s = server();
    const calendar = await s.createCalendar(uniqueName('names'));
    const { transport } = connect();
    const uid = `${uniqueName('odd')}/with spaces@example.com`;

    const created = await transport.putObject(calendar, null, eventText(uid, 'Odd'), CALENDAR_TYPE);

    expect(created.href.startsWith(calendar)).toBe(true);
    expect(created.href.slice(calendar.length)).toMatch(/^[A-Za-z0-9._-]+\.ics$/);
    expect((await transport.getObject(created.href))?.data).toContain(`UID:${uid}`);
  });

  it('refuses writes against a stale ETag or onto an existing object with VersionConflictError', async () => {
    const s = server();
    const calendar = await s.createCalendar(uniqueName('conflict'));
    const { transport } = connect();
    const uid = uniqueName('uid');
    const created = await transport.putObject(calendar, null, eventText(uid, 'One'), CALENDAR_TYPE);
    await transport.putObject(calendar, created.href, eventText(uid, 'Two'), CALENDAR_TYPE, {
      ifMatch: created.etag,
    });

    const staleUpdate = transport.putObject(
      calendar,
      created.href,
      eventText(uid, 'Three'),
      CALENDAR_TYPE,
      {
        ifMatch: created.etag,
      },
    );
    await expect(staleUpdate).rejects.toBeInstanceOf(VersionConflictError);
    await expect(staleUpdate).rejects.toMatchObject({ serverId: created.href });
    await expect(transport.deleteObject(created.href, created.etag)).rejects.toBeInstanceOf(
      VersionConflictError,
    );
    // Same UID -> same file name; If-None-Match keeps the existing one.
    await expect(
      transport.putObject(calendar, null, eventText(uid, 'Again'), CALENDAR_TYPE),
    ).rejects.toBeInstanceOf(VersionConflictError);
    expect((await transport.getObject(created.href))?.data).toContain('SUMMARY:Two');
  });

  it('reports a second object with the same UID as a UID conflict (an item error)', async () => {
    const s = server();
    const calendar = await s.createCalendar(uniqueName('uids'));
    const { transport } = connect();
    const uid = uniqueName('uid');
    const first = await transport.putObject(calendar, null, eventText(uid, 'One'), CALENDAR_TYPE);

    const clash = transport.putObject(
      calendar,
      `${calendar}other-name.ics`,
      eventText(uid, 'Two'),
      CALENDAR_TYPE,
      {
        ifNoneMatch: '*',
      },
    );

    await expect(clash).rejects.toBeInstanceOf(DavUidConflictError);
    await expect(clash).rejects.toBeInstanceOf(ItemError);
    expect((await transport.getObject(first.href))?.data).toContain('SUMMARY:One');
  });

  it('syncs incrementally: exactly the created, updated and deleted objects; a quiet sync is one request', async () => {
    const s = server();
    const calendar = await s.createCalendar(uniqueName('sync'));
    const { transport, stats } = connect();
    const put = (uid: string, summary: string) =>
      transport.putObject(calendar, null, eventText(uid, summary), CALENDAR_TYPE);
    const a = await put(uniqueName('a'), 'A');
    const b = await put(uniqueName('b'), 'B');
    const c = await put(uniqueName('c'), 'C');

    const first = await transport.syncCollection(calendar, null);
    expect(first.full).toBe(true);
    expect(first.changed.map((o) => o.href).sort()).toEqual([a.href, b.href, c.href].sort());
    expect(first.changed.find((o) => o.href === a.href)?.data).toContain('SUMMARY:A');
    expect(first.failed).toEqual([]);
    expect(first.token).toBeTruthy();
    expect(first.token?.startsWith('ctag:')).toBe(false);

    resetRequestStats(stats);
    const quiet = await transport.syncCollection(calendar, first.token);
    expect(quiet).toMatchObject({ full: false, changed: [], deleted: [], failed: [] });
    expect(stats.requests).toBe(1);

    // Changes made by someone else (not through this transport).
    const dUid = uniqueName('d');
    const d = await s.request('PUT', `${calendar}${dUid}.ics`, eventText(dUid, 'D'), {
      'content-type': CALENDAR_TYPE,
    });
    expect(d.status).toBe(201);
    const bUid = /UID:(.*)\r\n/.exec((await transport.getObject(b.href))?.data ?? '')?.[1] ?? '';
    await s.request('PUT', b.href, eventText(bUid, 'B changed'), { 'content-type': CALENDAR_TYPE });
    await s.request('DELETE', c.href);

    resetRequestStats(stats);
    const next = await transport.syncCollection(calendar, quiet.token);
    expect(next.full).toBe(false);
    expect(next.changed.map((o) => o.href).sort()).toEqual(
      [`${calendar}${dUid}.ics`, b.href].sort(),
    );
    expect(next.changed.find((o) => o.href === b.href)?.data).toContain('SUMMARY:B changed');
    expect(next.deleted).toEqual([c.href]);
    expect(next.failed).toEqual([]);
    expect(next.token).not.toBe(quiet.token);
    // Radicale sends bodies inside the sync answer; Xandikos needs one multiget.
    expect(stats.requests).toBe(s.kind === 'radicale' ? 1 : 2);
  });

  it('does not download again what the caller already holds (its own writes)', async () => {
    const s = server();
    const calendar = await s.createCalendar(uniqueName('known'));
    const { transport, stats } = connect();
    const start = await transport.syncCollection(calendar, null);
    const mine = await transport.putObject(
      calendar,
      null,
      eventText(uniqueName('m'), 'Mine'),
      CALENDAR_TYPE,
    );

    resetRequestStats(stats);
    const next = await transport.syncCollection(calendar, start.token, {
      knownEtags: new Map([[mine.href, mine.etag]]),
    });

    expect(next).toMatchObject({ full: false, changed: [], deleted: [], failed: [] });
    expect(stats.requests).toBe(1);
  });

  it('an object created and deleted after the token: Radicale reports it gone, Xandikos says nothing', async () => {
    // RFC 6578 lets a server report only the net difference. Xandikos (git trees) does,
    // so a caller that wrote an object after reading its token cannot learn from the next
    // delta that someone deleted it: it must advance its token past its own writes.
    const s = server();
    const calendar = await s.createCalendar(uniqueName('net'));
    const { transport } = connect();
    const start = await transport.syncCollection(calendar, null);
    const mine = await transport.putObject(
      calendar,
      null,
      eventText(uniqueName('t'), 'T'),
      CALENDAR_TYPE,
    );
    await s.request('DELETE', mine.href);

    const next = await transport.syncCollection(calendar, start.token, {
      knownEtags: new Map([[mine.href, mine.etag]]),
    });

    expect(next.deleted).toEqual(s.kind === 'radicale' ? [mine.href] : []);
  });

  it('falls back to a full listing, with a reason, when the token is bogus', async () => {
    const s = server();
    const calendar = await s.createCalendar(uniqueName('bogus'));
    const { transport } = connect();
    const a = await transport.putObject(
      calendar,
      null,
      eventText(uniqueName('a'), 'A'),
      CALENDAR_TYPE,
    );
    const b = await transport.putObject(
      calendar,
      null,
      eventText(uniqueName('b'), 'B'),
      CALENDAR_TYPE,
    );
    const bogus = s.kind === 'radicale' ? 'http://radicale.org/ns/sync/0000' : '0'.repeat(40);

    const result = await transport.syncCollection(calendar, bogus);

    expect(result.full).toBe(true);
    expect(result.fallbackReason).toMatch(/sync token/);
    expect(result.changed.map((o) => o.href).sort()).toEqual([a.href, b.href].sort());
    expect(result.token).toBeTruthy();
    expect(result.token).not.toBe(bogus);

    // With what the caller holds, the fallback fetches only the difference.
    const gone = `${calendar}vanished.ics`;
    const diffed = await transport.syncCollection(calendar, bogus, {
      knownEtags: new Map([
        [a.href, a.etag],
        [b.href, '"outdated"'],
        [gone, '"x"'],
      ]),
    });
    expect(diffed.full).toBe(false);
    expect(diffed.fallbackReason).toMatch(/sync token/);
    expect(diffed.changed.map((o) => o.href)).toEqual([b.href]);
    expect(diffed.deleted).toEqual([gone]);
  });

  it('a first sync takes the data from the listing: no multiget, whatever the size', async () => {
    const s = server();
    const calendar = await s.createCalendar(uniqueName('many'));
    const { transport, stats } = connect();
    // Enough that a multiget of 100 at a time would take two REPORTs.
    const count = 130;
    const uids = Array.from({ length: count }, (_, i) => `bulk-${i}`);
    await s.seedObjects(
      calendar,
      uids.map((uid) => ({ name: `${uid}.ics`, data: eventText(uid, uid) })),
    );

    resetRequestStats(stats);
    const result = await transport.syncCollection(calendar, null, { kind: 'calendar' });

    expect(result.changed).toHaveLength(count);
    expect(result.failed).toEqual([]);
    expect(new Set(result.changed.map((o) => o.href)).size).toBe(count);
    expect(result.changed.every((o) => o.data.includes('BEGIN:VEVENT') && o.etag !== '')).toBe(
      true,
    );
    // Radicale sends the data in the sync-collection answer. Xandikos leaves it out there:
    // one calendar-query brings it all (a multiget costs Xandikos time per href).
    expect(stats.byMethod).toEqual({ REPORT: s.kind === 'radicale' ? 1 : 2 });
  });

  it("an address book's first sync takes the data from the listing too", async () => {
    const s = server();
    const book = await s.createAddressBook(uniqueName('cards'));
    const { transport, stats } = connect();
    const count = 40;
    await s.seedObjects(
      book,
      Array.from({ length: count }, (_, i) => ({
        name: `card-${i}.vcf`,
        data: cardText(`card-${i}`, `Person ${i}`),
      })),
    );

    resetRequestStats(stats);
    const result = await transport.syncCollection(book, null, { kind: 'addressbook' });

    expect(result.failed).toEqual([]);
    expect(result.changed).toHaveLength(count);
    expect(result.changed.every((o) => o.data.includes('BEGIN:VCARD') && o.etag !== '')).toBe(true);
    expect(stats.byMethod).toEqual({ REPORT: s.kind === 'radicale' ? 1 : 2 });
  });

  it('syncs an address book and stores vCards', async () => {
    const s = server();
    const book = await s.createAddressBook(uniqueName('book'));
    const { transport, stats } = connect();
    const start = await transport.syncCollection(book, null);
    expect(start).toMatchObject({ full: true, changed: [] });

    const card = await transport.putObject(
      book,
      null,
      cardText(uniqueName('card'), 'Jana Nováková'),
      VCARD_TYPE,
    );
    expect(card.href).toMatch(/\.vcf$/);
    resetRequestStats(stats);
    const next = await transport.syncCollection(book, start.token, { kind: 'addressbook' });

    expect(next.changed.map((o) => o.href)).toEqual([card.href]);
    expect(next.changed[0]?.data).toContain('FN:Jana Nováková');
    expect(stats.requests).toBe(s.kind === 'radicale' ? 1 : 2);
  });

  it('says so when a collection does not exist', async () => {
    const s = server();
    const { transport } = connect();
    const missing = `${s.calendarHomeUrl}${uniqueName('missing')}/`;

    await expect(transport.syncCollection(missing, null)).rejects.toBeInstanceOf(ServerError);
    await expect(transport.syncCollection(missing, null)).rejects.toThrow(/does not exist/);
  });
});

describe('radicale credentials', () => {
  it('refuses a wrong password with a clear ServerError naming the server', async () => {
    const s = await startRadicale();
    try {
      const { transport, stats } = transportFor(s, { password: 'wrong' });
      open.push(transport);
      const attempt = transport.discover();
      await expect(attempt).rejects.toBeInstanceOf(ServerError);
      await expect(attempt).rejects.toThrow(`Wrong user name or password for ${s.url}`);
      await expect(attempt).rejects.toMatchObject({ transient: false });
      // The .well-known redirect needs no login; the first refused PROPFIND ends discovery
      // (credentials do not get better by asking again at tsdav's other candidate URLs).
      expect(stats.requests).toBeLessThanOrEqual(2);
    } finally {
      await s.stop();
    }
  });
});
