/**
 * Credentials go only to the origins the user configured. Two loopback
 * servers on different ports (a different port is a different origin): the configured one
 * redirects, the other records what it is sent and must never see an Authorization header.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ServerError } from '../../src/core/servers/errors.ts';
import { createDavConnector } from '../../src/core/servers/dav/dav-connector.ts';
import { createDavTransport } from '../../src/core/servers/dav/transport/index.ts';
import { selfSignedCertificate, startFakeServer } from './fake-servers.ts';

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
}

interface Loopback {
  url: string;
  seen: Seen[];
  close(): Promise<void>;
}

async function loopback(
  answer: (req: http.IncomingMessage, res: http.ServerResponse) => void,
): Promise<Loopback> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      authorization: req.headers.authorization,
    });
    req.resume();
    req.on('end', () => answer(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const open: Loopback[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

/** The other origin: asks for a password, as a real DAV server would. */
async function otherOrigin(): Promise<Loopback> {
  const other = await loopback((_req, res) => {
    res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="other"' }).end();
  });
  open.push(other);
  return other;
}

describe('redirects and credentials', () => {
  it('does not follow a .well-known redirect to another origin: it names the target, and sends it no password', async () => {
    const other = await otherOrigin();
    const target = `${other.url}dav/`;
    const configured = await loopback((req, res) => {
      if (req.url?.startsWith('/.well-known/')) res.writeHead(302, { Location: target }).end();
      else res.writeHead(404).end();
    });
    open.push(configured);
    const connector = createDavConnector({
      url: configured.url,
      user: 'pbartos',
      password: 'tajne-heslo',
      auth: 'basic',
      timeoutMs: 10_000,
    });
    try {
      const failure = await connector.testConnection().then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(failure).toBeInstanceOf(ServerError);
      expect(failure).toMatchObject({
        code: 'server-redirect-offered',
        params: { target },
      });
      expect((failure as Error).message).toContain(`sends you to ${target}`);
    } finally {
      await connector.close();
    }
    expect(configured.seen.some((r) => r.url.startsWith('/.well-known/caldav'))).toBe(true);
    expect(other.seen.filter((r) => r.authorization !== undefined)).toEqual([]);
  });

  it('follows other redirects to another origin without the password', async () => {
    const other = await otherOrigin();
    const configured = await loopback((req, res) => {
      res.writeHead(301, { Location: new URL(req.url ?? '/', other.url).href }).end();
    });
    open.push(configured);
    const transport = createDavTransport({
      url: configured.url,
      user: 'pbartos',
      password: 'tajne-heslo',
      auth: 'basic',
      timeoutMs: 10_000,
    });
    try {
      await expect(
        transport.syncCollection(`${configured.url}cal/`, null, { kind: 'calendar' }),
      ).rejects.toBeInstanceOf(ServerError);
    } finally {
      await transport.close();
    }
    // The configured server got the password; the other one was asked, without it.
    expect(configured.seen[0]?.authorization).toMatch(/^Basic /);
    expect(other.seen.length).toBeGreaterThan(0);
    expect(other.seen.filter((r) => r.authorization !== undefined)).toEqual([]);
  });

  it('never follows a redirect from https to http, with or without the password', async () => {
    const other = await otherOrigin();
    const tls = selfSignedCertificate();
    const secure = await startFakeServer((req, res) => {
      const to = new URL(req.url ?? '/', other.url).href;
      res.writeHead(302, { Location: to }).end();
    }, tls);
    open.push({ url: secure.url, seen: [], close: () => secure.close() });
    const options = {
      url: secure.url,
      user: 'pbartos',
      password: 'tajne-heslo',
      auth: 'basic' as const,
      trustedSha256Fingerprint: tls.fingerprint,
      timeoutMs: 10_000,
    };
    // The .well-known lookup (discovery) and an ordinary request (a collection's changes).
    const connector = createDavConnector(options);
    const transport = createDavTransport(options);
    try {
      await expect(connector.testConnection()).rejects.toBeInstanceOf(ServerError);
      await expect(
        transport.syncCollection(`${secure.url}cal/`, null, { kind: 'calendar' }),
      ).rejects.toBeInstanceOf(ServerError);
    } finally {
      await connector.close();
      await transport.close();
    }
    expect(secure.requests.length).toBeGreaterThan(0);
    expect(other.seen).toEqual([]);
  });
});
