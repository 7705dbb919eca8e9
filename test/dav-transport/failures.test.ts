/**
 * How the transport fails, against small fake servers: unreachable, failing, hanging and
 * connection-dropping servers, TLS with a pinned certificate, Digest and Bearer sign-in,
 * a proxy, and a server without sync-collection (the ctag/ETag fallback).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ServerError } from '../../src/core/servers/errors.ts';
import {
  createDavTransport,
  createRequestStats,
  resetRequestStats,
} from '../../src/core/servers/dav/transport/index.ts';
import type {
  DavTransport,
  DavTransportOptions,
} from '../../src/core/servers/dav/transport/index.ts';
import { freePort } from '../support/dav-servers.ts';
import {
  checkDigest,
  selfSignedCertificate,
  startConnectProxy,
  startCtagOnlyServer,
  startFakeServer,
} from './fake-servers.ts';
import type { FakeServer } from './fake-servers.ts';
import { CALENDAR_TYPE, eventText } from './helpers.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

function transport(options: Partial<DavTransportOptions> & { url: string }) {
  const stats = createRequestStats();
  const t: DavTransport = createDavTransport({
    user: 'alice',
    password: 'secret-password',
    auth: 'basic',
    timeoutMs: 5000,
    stats,
    ...options,
  });
  cleanups.push(() => t.close());
  return { t, stats };
}

async function fake(...args: Parameters<typeof startFakeServer>): Promise<FakeServer> {
  const server = await startFakeServer(...args);
  cleanups.push(() => server.close());
  return server;
}

const ICS = eventText('x', 'X');

describe('unreachable servers', () => {
  it('nothing listening: a transient ServerError naming the address, after a single attempt', async () => {
    const port = await freePort();
    const { t, stats } = transport({ url: `http://127.0.0.1:${port}/dav/` });

    const attempt = t.discover();

    await expect(attempt).rejects.toBeInstanceOf(ServerError);
    await expect(attempt).rejects.toThrow(
      `Cannot reach http://127.0.0.1:${port}: nothing answers at 127.0.0.1:${port}.`,
    );
    await expect(attempt).rejects.toMatchObject({
      transient: true,
      // The code and parameters the app words the message with, in the user's language.
      code: 'connection-refused',
      params: { server: `http://127.0.0.1:${port}`, address: `127.0.0.1:${port}` },
    });
    expect(stats.requests).toBe(1);
    await expect(t.getObject(`http://127.0.0.1:${port}/dav/a.ics`)).rejects.toThrow(
      /nothing answers/,
    );
  });

  it('unknown host: says so', async () => {
    const { t } = transport({ url: 'http://no-such-host.invalid/dav/' });

    const attempt = t.getObject('http://no-such-host.invalid/dav/a.ics');

    await expect(attempt).rejects.toBeInstanceOf(ServerError);
    await expect(attempt).rejects.toThrow(
      /^Cannot reach http:\/\/no-such-host\.invalid: (unknown host "no-such-host\.invalid"|the name "no-such-host\.invalid" cannot be looked up)/,
    );
  });

  it('rejects an address that is no http(s) URL', () => {
    expect(() => transport({ url: 'ftp://example.com/' })).toThrow(ServerError);
    expect(() => transport({ url: 'not a url' })).toThrow(/is not a URL/);
  });
});

describe('an address that is no CalDAV/CardDAV service', () => {
  it("a web page: says what to check, not the library's words", async () => {
    const server = await fake((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<html>Not found</html>');
    });
    const { t } = transport({ url: `${server.url}webmail/` });

    const err: unknown = await t.discover().catch((e: unknown) => e);

    expect(err).toBeInstanceOf(ServerError);
    const message = (err as ServerError).message;
    expect(message).not.toMatch(/principalUrl|homeUrl/);
    expect(message).toContain(`No CalDAV or CardDAV service found at ${server.url}webmail/`);
    expect(message).toMatch(/check that this is the CalDAV\/CardDAV address/);
    expect((err as ServerError).code).toBe('no-dav-service');
  });

  it('an account without a calendar or address-book home: says so', async () => {
    const multistatus = (href: string, props: string): string =>
      `<?xml version="1.0"?><d:multistatus xmlns:d="DAV:"><d:response><d:href>${href}</d:href>` +
      `<d:propstat><d:prop>${props}</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>` +
      `</d:response></d:multistatus>`;
    const server = await fake((req, res) => {
      res.writeHead(207, { 'content-type': 'application/xml' });
      if (req.url === '/principals/alice/') res.end(multistatus(req.url, ''));
      else
        res.end(
          multistatus(
            req.url ?? '/',
            '<d:current-user-principal><d:href>/principals/alice/</d:href></d:current-user-principal>',
          ),
        );
    });
    const { t } = transport({ url: `${server.url}dav/` });

    const err: unknown = await t.discover().catch((e: unknown) => e);

    expect(err).toBeInstanceOf(ServerError);
    const message = (err as ServerError).message;
    expect(message).not.toMatch(/principalUrl|homeUrl/);
    expect(message).toMatch(/no calendar or address-book home/);
  });
});

describe('failing servers', () => {
  it('500 and 503 are transient ServerErrors naming the server and the status', async () => {
    const server = await fake((req, res) => {
      res.writeHead(req.url === '/a.ics' ? 503 : 500, { 'content-type': 'text/plain' }).end('down');
    });
    const { t } = transport({ url: server.url });

    await expect(t.getObject(`${server.url}a.ics`)).rejects.toMatchObject({
      name: 'ServerError',
      transient: true,
      message: expect.stringContaining(
        `${server.url.slice(0, -1)} failed to answer GET ${server.url}a.ics (503 Service Unavailable)`,
      ),
    });
    await expect(t.discover()).rejects.toMatchObject({ name: 'ServerError', transient: true });
    await expect(t.syncCollection(`${server.url}cal/`, null)).rejects.toMatchObject({
      name: 'ServerError',
      transient: true,
      message: expect.stringContaining('500 Internal Server Error'),
    });
    // A tokened sync answered 500 gets one full listing (Xandikos's answer to a bad
    // token); when that fails too, the error stays transient.
    await expect(t.syncCollection(`${server.url}cal/`, 'token-1')).rejects.toMatchObject({
      transient: true,
    });
    await expect(t.putObject(`${server.url}cal/`, null, ICS, CALENDAR_TYPE)).rejects.toMatchObject({
      name: 'ServerError',
      transient: true,
    });
  });

  it('a connection cut off in the middle of the answer is a transient ServerError', async () => {
    const server = await fake((_req, res) => {
      res.writeHead(207, { 'content-type': 'application/xml', 'content-length': '5000' });
      res.write(
        '<?xml version="1.0"?><D:multistatus xmlns:D="DAV:"><D:response><D:href>/cal/a.ics',
      );
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const { t } = transport({ url: server.url });

    const attempt = t.syncCollection(`${server.url}cal/`, 'token-1');

    await expect(attempt).rejects.toBeInstanceOf(ServerError);
    await expect(attempt).rejects.toMatchObject({
      transient: true,
      message: `The connection to ${server.url.slice(0, -1)} was cut off before the answer was complete; try again later.`,
      code: 'connection-cut',
      params: { server: server.url.slice(0, -1) },
    });
    await expect(t.getObject(`${server.url}cal/a.ics`)).rejects.toThrow(/cut off/);
  });

  it('a server that never answers hits the time limit', async () => {
    const server = await fake(() => {
      /* never answers */
    });
    const { t } = transport({ url: server.url, timeoutMs: 300 });

    // The message names the 0.3 s limit: that limit ended the wait (no stopwatch, which a
    // busy machine would fool).
    await expect(t.getObject(`${server.url}a.ics`)).rejects.toMatchObject({
      name: 'ServerError',
      transient: true,
      message: `${server.url.slice(0, -1)} did not answer within 0.3 s; try again later.`,
      code: 'no-answer',
      params: { server: server.url.slice(0, -1), seconds: 0.3 },
    });
  });

  it('401 on an object request is a ServerError about the credentials, not an item error', async () => {
    const server = await fake((_req, res) => {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="x"' }).end();
    });
    const { t } = transport({ url: server.url });

    await expect(t.getObject(`${server.url}a.ics`)).rejects.toMatchObject({
      name: 'ServerError',
      transient: false,
      message: `Wrong user name or password for ${server.url}a.ics (401 Unauthorized).`,
      code: 'auth-failed',
      params: { server: `${server.url}a.ics`, status: '401 Unauthorized' },
    });
  });

  it('per-object refusals are ItemErrors', async () => {
    const server = await fake((_req, res) => {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('calendar is read-only');
    });
    const { t } = transport({ url: server.url });

    await expect(
      t.putObject(`${server.url}cal/`, `${server.url}cal/a.ics`, ICS, CALENDAR_TYPE),
    ).rejects.toMatchObject({
      name: 'ItemError',
      message: `PUT ${server.url}cal/a.ics was refused (403 Forbidden: calendar is read-only).`,
      code: 'request-refused',
      params: {
        method: 'PUT',
        url: `${server.url}cal/a.ics`,
        status: '403 Forbidden',
        detail: 'calendar is read-only',
      },
    });
  });
});

describe('credentials', () => {
  it('never sends credentials to another origin after a redirect', async () => {
    const other = await fake((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/calendar', etag: '"1"' }).end(ICS);
    });
    const server = await fake((_req, res) => {
      res.writeHead(302, { location: `${other.url}moved.ics` }).end();
    });
    const { t } = transport({ url: server.url });

    const got = await t.getObject(`${server.url}a.ics`);

    expect(got?.data).toBe(ICS);
    expect(server.requests[0]?.headers.authorization).toMatch(/^Basic /);
    expect(other.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('bearer tokens go in the Authorization header', async () => {
    const server = await fake((req, res) => {
      if (req.headers.authorization !== 'Bearer tok-123') res.writeHead(401).end();
      else res.writeHead(200, { etag: '"1"' }).end(ICS);
    });
    const { t } = transport({ url: server.url, auth: 'bearer', bearerToken: 'tok-123' });

    expect((await t.getObject(`${server.url}a.ics`))?.etag).toBe('"1"');
    const expired = transport({ url: server.url, auth: 'bearer', bearerToken: 'old' });
    await expect(expired.t.getObject(`${server.url}a.ics`)).rejects.toThrow(
      `The access token was refused by ${server.url}a.ics (401 Unauthorized); sign in again.`,
    );
  });

  describe('digest', () => {
    const realm = 'crm test';
    let server: FakeServer;
    const nonces = new Set(['n-1']);
    beforeAll(async () => {
      server = await startFakeServer((req, res) => {
        if (
          checkDigest(
            req.headers.authorization,
            req.method ?? '',
            'alice',
            'secret-password',
            realm,
            nonces,
          )
        ) {
          res.writeHead(200, { 'content-type': 'text/calendar', etag: '"d1"' }).end(ICS);
        } else {
          res
            .writeHead(401, {
              'www-authenticate': `Basic realm="${realm}", Digest realm="${realm}", qop="auth", nonce="n-1", opaque="op", algorithm=MD5`,
            })
            .end();
        }
      });
    });
    afterAll(() => server.close());

    it('answers the challenge, then reuses the nonce (one request per call)', async () => {
      const { t, stats } = transport({ url: server.url, auth: 'digest' });

      expect((await t.getObject(`${server.url}a.ics`))?.data).toBe(ICS);
      expect(stats.requests).toBe(2);
      resetRequestStats(stats);
      expect((await t.getObject(`${server.url}b.ics`))?.etag).toBe('"d1"');
      expect(stats.requests).toBe(1);
      expect(server.requests.at(-1)?.headers.authorization).toMatch(/nc=00000002/);
    });

    it('a wrong password is a ServerError, after one retry only', async () => {
      const { t, stats } = transport({ url: server.url, auth: 'digest', password: 'nope' });

      await expect(t.getObject(`${server.url}a.ics`)).rejects.toThrow(
        `Wrong user name or password for ${server.url}a.ics`,
      );
      expect(stats.requests).toBe(2);
    });
  });

  describe('a sign-in method the server does not offer', () => {
    const only = async (challenge: string): Promise<FakeServer> =>
      fake((_req, res) => {
        res.writeHead(401, { 'www-authenticate': challenge }).end();
      });

    it('Basic chosen, Digest offered: says so instead of a wrong password', async () => {
      const server = await only('Digest realm="dav", qop="auth", nonce="n-9", algorithm=MD5');
      const { t } = transport({ url: server.url, auth: 'basic' });
      const err: unknown = await t.getObject(`${server.url}a.ics`).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ServerError);
      expect(err).toMatchObject({
        code: 'auth-method-not-offered',
        params: { chosen: 'Basic', offered: 'Digest' },
        message: expect.stringContaining('does not offer Basic sign-in, only Digest'),
      });
    });

    it('Digest chosen, Basic offered, and a scheme CRM Sync cannot use', async () => {
      const basic = await only('Basic realm="dav"');
      const { t } = transport({ url: basic.url, auth: 'digest' });
      await expect(t.getObject(`${basic.url}a.ics`)).rejects.toMatchObject({
        code: 'auth-method-not-offered',
        params: { chosen: 'Digest', offered: 'Basic' },
      });
      const kerberos = await only('Negotiate');
      const other = transport({ url: kerberos.url, auth: 'basic' });
      await expect(other.t.getObject(`${kerberos.url}a.ics`)).rejects.toMatchObject({
        code: 'auth-methods-unsupported',
        params: { offered: 'Negotiate (Kerberos)' },
      });
    });
  });
});

describe('TLS with a pinned certificate', () => {
  let server: FakeServer;
  let fingerprint: string;
  beforeAll(async () => {
    const cert = selfSignedCertificate();
    fingerprint = cert.fingerprint;
    server = await startFakeServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/calendar', etag: '"t1"' }).end(ICS);
    }, cert);
  });
  afterAll(() => server.close());

  it('refuses a self-signed certificate by default, showing its fingerprint', async () => {
    const { t } = transport({ url: server.url });

    const attempt = t.getObject(`${server.url}a.ics`);

    await expect(attempt).rejects.toBeInstanceOf(ServerError);
    await expect(attempt).rejects.toThrow(
      `The certificate of ${server.url.slice(0, -1)} is not trusted (self-signed, SHA-256 fingerprint ${fingerprint}); trust it in settings only if you know it.`,
    );
    await expect(attempt).rejects.toMatchObject({
      code: 'certificate-untrusted',
      params: {
        server: server.url.slice(0, -1),
        reason: 'self-signed',
        fingerprint,
        why: 'self-signed',
      },
    });
  });

  it('accepts it when its fingerprint is pinned (either spelling)', async () => {
    for (const pin of [fingerprint, fingerprint.replaceAll(':', '').toLowerCase()]) {
      const { t } = transport({ url: server.url, trustedSha256Fingerprint: pin });
      expect((await t.getObject(`${server.url}a.ics`))?.etag).toBe('"t1"');
    }
  });

  it('refuses it when another fingerprint is pinned', async () => {
    const { t } = transport({ url: server.url, trustedSha256Fingerprint: 'ab'.repeat(32) });

    const attempt = t.getObject(`${server.url}a.ics`);

    await expect(attempt).rejects.toBeInstanceOf(ServerError);
    await expect(attempt).rejects.toThrow(
      `The certificate of ${server.url.slice(0, -1)} is not trusted (self-signed, and not the trusted one, SHA-256 fingerprint ${fingerprint})`,
    );
    await expect(attempt).rejects.toMatchObject({
      code: 'certificate-untrusted',
      params: { fingerprint, why: 'not-pinned' },
    });
  });

  it('pins through a proxy too', async () => {
    const proxy = await startConnectProxy('pu', 'pp');
    cleanups.push(() => proxy.close());
    const proxied = { url: proxy.url, user: 'pu', password: 'pp' };

    const pinned = transport({
      url: server.url,
      proxy: proxied,
      trustedSha256Fingerprint: fingerprint,
    });
    expect((await pinned.t.getObject(`${server.url}a.ics`))?.etag).toBe('"t1"');
    const unpinned = transport({ url: server.url, proxy: proxied });
    await expect(unpinned.t.getObject(`${server.url}a.ics`)).rejects.toThrow(
      /is not trusted \(self-signed/,
    );
    expect(proxy.tunnels).toContain(`127.0.0.1:${server.port}`);
  });
});

describe('proxy', () => {
  it('tunnels through an authenticating proxy', async () => {
    const server = await fake((req, res) => {
      res.writeHead(200, { etag: '"p1"', 'x-auth': String(req.headers.authorization) }).end(ICS);
    });
    const proxy = await startConnectProxy('pu', 'pp');
    cleanups.push(() => proxy.close());
    const { t } = transport({
      url: server.url,
      proxy: { url: proxy.url, user: 'pu', password: 'pp' },
    });

    expect((await t.getObject(`${server.url}a.ics`))?.etag).toBe('"p1"');
    expect(proxy.tunnels).toEqual([`127.0.0.1:${server.port}`]);
    expect(server.requests[0]?.headers.authorization).toMatch(/^Basic /);
    expect(server.requests[0]?.headers['proxy-authorization']).toBeUndefined();
  });

  it('says when the proxy refuses its credentials', async () => {
    const server = await fake((_req, res) => res.writeHead(200).end(ICS));
    const proxy = await startConnectProxy('pu', 'pp');
    cleanups.push(() => proxy.close());
    const { t } = transport({
      url: server.url,
      proxy: { url: proxy.url, user: 'pu', password: 'wrong' },
    });

    await expect(t.getObject(`${server.url}a.ics`)).rejects.toMatchObject({
      name: 'ServerError',
      message: `The proxy ${proxy.url.slice(0, -1)} refused the proxy user name or password (407 Proxy Authentication Required).`,
    });
  });

  it('says when nothing answers at the proxy address', async () => {
    const port = await freePort();
    const { t } = transport({
      url: 'http://127.0.0.1:1/',
      proxy: { url: `http://127.0.0.1:${port}` },
    });

    await expect(t.getObject('http://127.0.0.1:1/a.ics')).rejects.toThrow(
      `Cannot reach the proxy http://127.0.0.1:${port}: nothing answers at 127.0.0.1:${port}.`,
    );
  });
});

describe('a server without sync-collection (ctag and ETag listing)', () => {
  async function ctagServer() {
    const server = await startCtagOnlyServer();
    cleanups.push(() => server.close());
    const made = transport({ url: server.url });
    return { server, ...made, cal: `${server.url}cal/` };
  }

  it('lists everything first, then answers a quiet sync with one request', async () => {
    const { server, t, stats, cal } = await ctagServer();
    server.store('a.ics', eventText('a', 'A'));
    server.store('b.ics', eventText('b', 'B'));

    const first = await t.syncCollection(cal, null);
    expect(first.full).toBe(true);
    expect(first.changed.map((o) => o.href).sort()).toEqual([`${cal}a.ics`, `${cal}b.ics`]);
    expect(first.token).toBe(`ctag:${server.ctag()}`);

    resetRequestStats(stats);
    const quiet = await t.syncCollection(cal, first.token);
    expect(quiet).toMatchObject({ full: false, changed: [], deleted: [], token: first.token });
    expect(stats.requests).toBe(1);
  });

  it('after a ctag change, fetches only what differs from the known ETags', async () => {
    const { server, t, stats, cal } = await ctagServer();
    server.store('a.ics', eventText('a', 'A'));
    server.store('b.ics', eventText('b', 'B'));
    server.store('c.ics', eventText('c', 'C'));
    const first = await t.syncCollection(cal, null);
    const known = new Map(first.changed.map((o) => [o.href, o.etag]));

    server.store('b.ics', eventText('b', 'B2'));
    server.objects.delete('c.ics');
    server.store('d.ics', eventText('d', 'D'));
    resetRequestStats(stats);
    const next = await t.syncCollection(cal, first.token, { knownEtags: known });

    expect(next.full).toBe(false);
    expect(next.changed.map((o) => o.href).sort()).toEqual([`${cal}b.ics`, `${cal}d.ics`]);
    expect(next.changed.find((o) => o.href === `${cal}b.ics`)?.data).toContain('SUMMARY:B2');
    expect(next.deleted).toEqual([`${cal}c.ics`]);
    expect(next.token).toBe(`ctag:${server.ctag()}`);
    // ctag check, ETag listing, one multiget.
    expect(stats.byMethod).toEqual({ PROPFIND: 2, REPORT: 1 });
  });

  it('reports objects it could not download as failed, never as gone', async () => {
    const { server, t, cal } = await ctagServer();
    server.store('a.ics', eventText('a', 'A'));
    server.store('lost.ics', eventText('lost', 'Lost'));
    server.hideFromMultiget.add('lost.ics');

    const result = await t.syncCollection(cal, null);

    expect(result.changed.map((o) => o.href)).toEqual([`${cal}a.ics`]);
    expect(result.failed).toEqual([
      { href: `${cal}lost.ics`, cause: 'the server listed it but did not return it when asked' },
    ]);
  });

  it('reads objects one by one when the server refuses multiget', async () => {
    const { server, t, stats, cal } = await ctagServer();
    server.store('a.ics', eventText('a', 'A'));
    server.store('b.ics', eventText('b', 'B'));
    server.refuseMultiget.value = true;

    const result = await t.syncCollection(cal, null);

    expect(result.changed.map((o) => o.href).sort()).toEqual([`${cal}a.ics`, `${cal}b.ics`]);
    expect(result.failed).toEqual([]);
    expect(stats.byMethod['GET']).toBe(2);
  });

  it('asks for the ETag when a PUT answer has none', async () => {
    const { server, t, cal } = await ctagServer();

    const put = await t.putObject(cal, null, eventText('new-one', 'N'), CALENDAR_TYPE);

    // No ETag in the answer: the server may have changed the text (RFC 4791 5.3.4).
    expect(put).toEqual({
      href: `${cal}new-one.ics`,
      etag: server.objects.get('new-one.ics')?.etag,
      asSent: false,
    });
  });

  it('takes a strong ETag in a PUT answer for the text stored as sent, a weak one not', async () => {
    let etag = '"v2"';
    const server = await fake((_req, res) => {
      res.writeHead(204, { etag }).end();
    });
    const { t } = transport({ url: server.url });
    const href = `${server.url}cal/a.ics`;

    const strong = await t.putObject(`${server.url}cal/`, href, ICS, CALENDAR_TYPE);
    expect(strong).toEqual({ href, etag: '"v2"', asSent: true });
    etag = 'W/"v3"';
    const weak = await t.putObject(`${server.url}cal/`, href, ICS, CALENDAR_TYPE);
    expect(weak).toEqual({ href, etag: 'W/"v3"', asSent: false });
  });
});
