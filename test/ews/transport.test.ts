/**
 * The HTTP layer under the real ews-javascript-api: a self-signed certificate is refused
 * unless the user trusted its fingerprint, NTLM signs in through an HTTP proxy (one
 * tunnel: the handshake and the calls share a connection), proxy credentials are checked,
 * and OAuth bearer tokens are sent and refused tokens named.
 */
import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeEws } from '../support/ews-fake/index.ts';
import { startFakeEws } from '../support/ews-fake/index.ts';
import { selfSignedCertificate, startConnectProxy } from '../dav-transport/fake-servers.ts';
import { startFaultProxy } from '../support/fault-proxy.ts';
import { USER, connect, expectValidRequests, failureOf, startFake } from './helpers.ts';

let fake: FakeEws;
let tlsFront: tls.Server;
let httpsUrl: string;
let fingerprint: string;

beforeAll(async () => {
  fake = await startFake();
  const certificate = selfSignedCertificate();
  fingerprint = certificate.fingerprint;
  const fakePort = Number(new URL(fake.ewsUrl).port);
  // TLS in front of the fake: the certificate is all that differs from plain http.
  tlsFront = tls.createServer({ key: certificate.key, cert: certificate.cert }, (socket) => {
    const upstream = net.connect(fakePort, '127.0.0.1');
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => tlsFront.listen(0, '127.0.0.1', resolve));
  const port = (tlsFront.address() as net.AddressInfo).port;
  httpsUrl = `https://127.0.0.1:${port}/EWS/Exchange.asmx`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => tlsFront.close(() => resolve()));
  await expectValidRequests(fake);
  await fake.stop();
});

describe('certificates', () => {
  it('refuses a self-signed certificate and names its fingerprint', async () => {
    const { connector } = connect(fake, { ewsUrl: httpsUrl });
    const err = await failureOf(connector.testConnection());
    expect(err.code).toBe('certificate-untrusted');
    expect(err.params.fingerprint).toBe(fingerprint);
    await connector.close();
  });

  it('accepts the certificate the user trusted, also for NTLM', async () => {
    const pin = fingerprint.replaceAll(':', '').toLowerCase();
    for (const auth of ['basic', 'ntlm'] as const) {
      const { connector } = connect(fake, {
        ewsUrl: httpsUrl,
        auth,
        user: `FIRMA\\${USER.user}`,
        trustedSha256Fingerprint: pin,
      });
      await connector.testConnection();
      await connector.close();
    }
  });
});

describe('a server that does not answer', () => {
  it('is asked again a few times, then named with the time limit', async () => {
    const silent = net.createServer((socket) => {
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const { connector, stats } = connect(fake, {
        ewsUrl: `http://127.0.0.1:${port}/EWS/Exchange.asmx`,
        timeoutMs: 300,
      });
      const err = await failureOf(connector.testConnection());
      expect(err).toMatchObject({ code: 'no-answer', transient: true });
      expect(err.params).toMatchObject({ seconds: 0.3 });
      // The first try and three more.
      expect(stats.byOperation.GetFolder).toBe(4);
      await connector.close();
    } finally {
      silent.close();
    }
  });
});

describe('SOAP faults', () => {
  it('reads a fault sent with HTTP 200 (which the library cannot) and waits as it asks', async () => {
    const front = await startFaultProxy(fake.ewsUrl);
    try {
      const busy =
        '<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>' +
        '<faultcode xmlns:a="http://schemas.microsoft.com/exchange/services/2006/types">a:ErrorServerBusy</faultcode>' +
        '<faultstring xml:lang="en-US">The server cannot service this request right now.</faultstring><detail>' +
        '<e:ResponseCode xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">ErrorServerBusy</e:ResponseCode>' +
        '<t:MessageXml xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"><t:Value Name="BackOffMilliseconds">20</t:Value></t:MessageXml>' +
        '</detail></s:Fault></s:Body></s:Envelope>';
      front.add({
        method: 'POST',
        body: 'GetFolder',
        fault: { kind: 'status', status: 200, body: busy },
      });
      const { connector, stats } = connect(fake, { ewsUrl: `${front.url}EWS/Exchange.asmx` });
      await connector.testConnection();
      expect(stats.byOperation.GetFolder).toBe(2);
      expect(front.count({ method: 'POST' })).toBe(2);
      await connector.close();
    } finally {
      await front.stop();
    }
  });

  it('ends a call answered by HTTP 500 with no SOAP body (a proxy error page) with its failure', async () => {
    const front = await startFaultProxy(fake.ewsUrl);
    try {
      front.add({
        method: 'POST',
        body: 'GetFolder',
        times: Infinity,
        fault: { kind: 'status', status: 500, body: 'Internal Server Error' },
      });
      const { connector } = connect(fake, { ewsUrl: `${front.url}EWS/Exchange.asmx` });
      // Before, the library read the error as an XHR and threw where nobody caught it.
      const err = await failureOf(connector.testConnection());
      expect(err.message).toMatch(/failed to answer GetFolder \(500 Internal Server Error\)/);
      await connector.close();
    } finally {
      await front.stop();
    }
  });
});

describe('proxy', () => {
  it('signs in over NTLM through the proxy on one tunnel', async () => {
    const proxy = await startConnectProxy('proxyuser', 'proxy-pw');
    try {
      const { connector } = connect(fake, {
        auth: 'ntlm',
        user: `FIRMA\\${USER.user}`,
        proxy: { url: proxy.url, user: 'proxyuser', password: 'proxy-pw' },
      });
      await connector.testConnection();
      const folders = await connector.listFolders();
      expect(folders.some((f) => f.kinds.includes('events'))).toBe(true);
      expect(proxy.tunnels).toEqual([new URL(fake.ewsUrl).host]);
      await connector.close();
    } finally {
      await proxy.close();
    }
  });

  it('names wrong proxy credentials', async () => {
    const proxy = await startConnectProxy('proxyuser', 'proxy-pw');
    try {
      const { connector } = connect(fake, {
        proxy: { url: proxy.url, user: 'proxyuser', password: 'wrong' },
      });
      const err = await failureOf(connector.testConnection());
      expect(err.code).toBe('proxy-auth-failed');
      expect(err.message).not.toContain('wrong');
      await connector.close();
    } finally {
      await proxy.close();
    }
  });
});

describe('OAuth', () => {
  it('sends the bearer token, and names a refused one', async () => {
    const oauthFake = await startFakeEws({
      accounts: [{ user: USER.user, password: USER.password, smtp: USER.smtp }],
      auth: ['bearer'],
      bearerTokens: { 'token-123': USER.user },
    });
    try {
      const good = connect(oauthFake, { auth: 'oauth', token: 'token-123', password: undefined });
      await good.connector.testConnection();
      await good.connector.close();
      const bad = connect(oauthFake, { auth: 'oauth', token: 'expired', password: undefined });
      const err = await failureOf(bad.connector.testConnection());
      expect(err.code).toBe('token-refused');
      expect(err.message).not.toContain('expired');
      await bad.connector.close();
      await expectValidRequests(oauthFake);
    } finally {
      await oauthFake.stop();
    }
  });
});
