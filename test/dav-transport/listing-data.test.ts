/**
 * The data in the listing itself, against a raw server that answers as each test needs:
 * how many requests of which kind a first sync sends, what happens when a server leaves
 * the data out, refuses a query or a chunk, cuts an answer short (507), compresses its
 * answers; and that one transport keeps to one connection.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MULTIGET_BATCH,
  createDavTransport,
  createRequestStats,
} from '../../src/core/servers/dav/transport/index.ts';
import type { DavTransport } from '../../src/core/servers/dav/transport/index.ts';
import { eventText } from './helpers.ts';
import { startListingServer } from './listing-server.ts';
import type { ListingOptions, ListingServer } from './listing-server.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

async function setUp(count: number, options: Partial<ListingOptions> = {}) {
  const server = await startListingServer(options);
  cleanups.push(() => server.close());
  for (let i = 0; i < count; i++) server.store(`e${i}.ics`, eventText(`uid-${i}`, `Event ${i}`));
  const stats = createRequestStats();
  const t: DavTransport = createDavTransport({
    url: server.url,
    user: 'alice',
    password: 'secret-password',
    auth: 'basic',
    timeoutMs: 10_000,
    stats,
  });
  cleanups.push(() => t.close());
  return { server, t, stats };
}

const reports = (server: ListingServer) =>
  server.requests.map((r) => r.report ?? r.method).filter((r) => r !== undefined);

function expectEveryObject(
  server: ListingServer,
  changed: { href: string; etag: string; data: string }[],
) {
  expect(changed).toHaveLength(server.objects.size);
  for (const object of changed) {
    const name = object.href.slice(server.cal.length);
    const stored = server.objects.get(name);
    // The text as a listing carries it: trimmed, as the XML parser has always read it.
    expect(object).toEqual({ href: object.href, etag: stored?.etag, data: stored?.data.trim() });
  }
}

describe('a first sync takes the data from the listing', () => {
  it('a server that returns the data: one sync-collection REPORT, no multiget', async () => {
    const { server, t, stats } = await setUp(120);

    const result = await t.syncCollection(server.cal, null, { kind: 'calendar' });

    expect(reports(server)).toEqual(['sync-collection']);
    expect(stats.requests).toBe(1);
    expect(result).toMatchObject({ full: true, failed: [], token: 'whole' });
    expectEveryObject(server, result.changed);
  });

  it('a server that returns no data, few objects: a multiget for them', async () => {
    const { server, t } = await setUp(5, { dataInSync: false });

    const result = await t.syncCollection(server.cal, null, { kind: 'calendar' });

    expect(reports(server)).toEqual(['sync-collection', 'calendar-multiget']);
    expect(server.requests[1]?.hrefs).toHaveLength(5);
    expect(result.failed).toEqual([]);
    expectEveryObject(server, result.changed);
  });

  it('a server that returns no data, many objects: one calendar-query brings them all', async () => {
    const { server, t } = await setUp(120, { dataInSync: false });

    const result = await t.syncCollection(server.cal, null, { kind: 'calendar' });

    expect(reports(server)).toEqual(['sync-collection', 'calendar-query']);
    expect(result.failed).toEqual([]);
    expectEveryObject(server, result.changed);
  });

  it('no data and the query refused: multigets in chunks of MULTIGET_BATCH', async () => {
    const count = MULTIGET_BATCH + 20;
    const { server, t } = await setUp(count, { dataInSync: false, query: false });

    const result = await t.syncCollection(server.cal, null, { kind: 'calendar' });

    expect(reports(server)).toEqual([
      'sync-collection',
      'calendar-query',
      'calendar-multiget',
      'calendar-multiget',
    ]);
    expect(server.requests.slice(2).map((r) => r.hrefs.length)).toEqual([MULTIGET_BATCH, 20]);
    expect(result.failed).toEqual([]);
    expectEveryObject(server, result.changed);
  });

  it('one object a server refuses costs only itself: its chunk is split, it alone fails', async () => {
    const { server, t } = await setUp(40, {
      dataInSync: false,
      query: false,
      refuseMultigetOf: new Set(['e17.ics']),
    });

    const result = await t.syncCollection(server.cal, null, { kind: 'calendar' });

    expect(result.failed).toEqual([
      {
        href: `${server.cal}e17.ics`,
        cause: expect.stringContaining('403') as unknown as string,
      },
    ]);
    expect(result.changed.map((o) => o.href).sort()).toEqual(
      [...server.objects.keys()]
        .filter((n) => n !== 'e17.ics')
        .map((n) => `${server.cal}${n}`)
        .sort(),
    );
    // Split, not read one by one: only the refused object's smallest chunk is read by GET.
    expect(server.requests.filter((r) => r.method === 'GET').length).toBeLessThanOrEqual(8);
  });

  it('an answer cut short with 507 is followed with its token, data included', async () => {
    const { server, t } = await setUp(30, { truncateAfter: 12 });

    const result = await t.syncCollection(server.cal, null, { kind: 'calendar' });

    expect(reports(server)).toEqual(['sync-collection', 'sync-collection']);
    expect(result).toMatchObject({ full: true, failed: [], token: 'whole' });
    expectEveryObject(server, result.changed);
  });

  it('a full listing against known ETags keeps only what changed, and names what is gone', async () => {
    const { server, t } = await setUp(6);
    const first = await t.syncCollection(server.cal, null, { kind: 'calendar' });
    const known = new Map(first.changed.map((o) => [o.href, o.etag]));
    known.set(`${server.cal}gone.ics`, '"old"');
    server.store('e2.ics', eventText('uid-2', 'Changed'));

    const again = await t.syncCollection(server.cal, null, { kind: 'calendar', knownEtags: known });

    expect(again.full).toBe(false);
    expect(again.changed.map((o) => o.href)).toEqual([`${server.cal}e2.ics`]);
    expect(again.changed[0]?.data).toContain('SUMMARY:Changed');
    expect(again.deleted).toEqual([`${server.cal}gone.ics`]);
  });
});

describe('compressed answers', () => {
  for (const encoding of ['gzip', 'deflate', 'deflate-raw', 'br'] as const) {
    it(`${encoding}: asked for, decoded, and counted as the bytes on the wire`, async () => {
      const { server, t, stats } = await setUp(50, { encoding });

      const result = await t.syncCollection(server.cal, null, { kind: 'calendar' });

      expectEveryObject(server, result.changed);
      const plain = result.changed.reduce((sum, o) => sum + o.data.length, 0);
      // What came over the wire is the compressed answer: far less than the texts in it.
      expect(stats.bytesReceived).toBeGreaterThan(0);
      expect(stats.bytesReceived).toBeLessThan(plain / 2);
    });
  }
});

describe('an answer ended by closing the connection (HTTP/1.0, as Radicale sends)', () => {
  it('is read whole, compressed and large, however slowly it is parsed', async () => {
    const count = 3000;
    const entries = Array.from({ length: count }, (_, i) => {
      // Random text, so the compressed answer is large too.
      const data = eventText(`uid-${i}`, randomBytes(300).toString('hex'));
      return `<D:response><D:href>/cal/e${i}.ics</D:href><D:propstat><D:prop><D:getetag>"e${i}"</D:getetag><C:calendar-data>${data}</C:calendar-data></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>`;
    });
    const body = zlib.gzipSync(
      `<?xml version="1.0"?><D:multistatus xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">${entries.join('')}<D:sync-token>t</D:sync-token></D:multistatus>`,
    );
    const server = net.createServer((socket) => {
      socket.once('data', () => {
        socket.write(
          'HTTP/1.0 207 Multi-Status\r\nContent-Type: application/xml\r\nContent-Encoding: gzip\r\n\r\n',
        );
        socket.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((done) => server.close(() => done())));
    const port = (server.address() as net.AddressInfo).port;
    const stats = createRequestStats();
    const t = createDavTransport({
      url: `http://127.0.0.1:${port}/`,
      user: 'alice',
      password: 'secret-password',
      auth: 'basic',
      timeoutMs: 30_000,
      stats,
    });
    cleanups.push(() => t.close());

    const result = await t.syncCollection(`http://127.0.0.1:${port}/cal/`, null, {
      kind: 'calendar',
    });

    expect(result.changed).toHaveLength(count);
    expect(result.token).toBe('t');
    expect(stats.bytesReceived).toBe(body.length);
  });
});

describe('connections', () => {
  it("one connection carries all of a run's requests (keep-alive)", async () => {
    const { server, t } = await setUp(60, { dataInSync: false, query: false });

    const first = await t.syncCollection(server.cal, null, { kind: 'calendar' });
    await t.getObject(`${server.cal}e1.ics`);
    await t.syncCollection(server.cal, first.token, { kind: 'calendar' });
    await t.getObject(`${server.cal}e2.ics`);

    expect(server.requests.length).toBeGreaterThanOrEqual(5);
    expect(server.connections()).toBe(1);
  });
});
