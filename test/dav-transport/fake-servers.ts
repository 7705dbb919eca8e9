/**
 * Tiny HTTP(S) servers for what real servers will not do on request: fail, hang, cut the
 * connection, ask for Digest, sit behind a proxy, or lack sync-collection.
 */
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface FakeServer {
  url: string;
  port: number;
  /** Method, path and headers of every request received. */
  requests: { method: string; path: string; headers: http.IncomingHttpHeaders; body: string }[];
  close(): Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

export async function startFakeServer(
  handler: Handler,
  tls?: { key: string; cert: string },
): Promise<FakeServer> {
  const requests: FakeServer['requests'] = [];
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  };
  const server =
    tls === undefined ? http.createServer(listener) : https.createServer(tls, listener);
  return listen(server, tls === undefined ? 'http' : 'https', requests);
}

function listen(
  server: http.Server | https.Server | net.Server,
  scheme: string,
  requests: FakeServer['requests'],
): Promise<FakeServer> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = address !== null && typeof address === 'object' ? address.port : 0;
      resolve({
        url: `${scheme}://127.0.0.1:${port}/`,
        port,
        requests,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/** A self-signed certificate for 127.0.0.1 made with the openssl CLI, and its SHA-256 fingerprint. */
export function selfSignedCertificate(): { key: string; cert: string; fingerprint: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-sync-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
        '-days',
        '2',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    const key = fs.readFileSync(path.join(dir, 'key.pem'), 'utf8');
    const cert = fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8');
    return { key, cert, fingerprint: new X509Certificate(cert).fingerprint256 };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** An HTTP CONNECT proxy that wants Basic proxy credentials; records the tunnels asked for. */
export async function startConnectProxy(
  user: string,
  password: string,
): Promise<FakeServer & { tunnels: string[] }> {
  const tunnels: string[] = [];
  const expected = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const server = http.createServer((_req, res) => {
    res.writeHead(405).end();
  });
  server.on('connect', (req: IncomingMessage, client: net.Socket, head: Buffer) => {
    if (req.headers['proxy-authorization'] !== expected) {
      client.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="p"\r\n\r\n',
      );
      return;
    }
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  const fake = await listen(server, 'http', []);
  return { ...fake, tunnels };
}

/** Verifies an RFC 7616 Digest (MD5, qop=auth) Authorization header; returns the nonce used. */
export function checkDigest(
  header: string | undefined,
  method: string,
  user: string,
  password: string,
  realm: string,
  nonces: Set<string>,
): boolean {
  if (header === undefined || !header.startsWith('Digest ')) return false;
  const params = new Map<string, string>();
  for (const m of header.slice(7).matchAll(/(\w+)=("([^"]*)"|[^,\s]*)/g)) {
    params.set(m[1] ?? '', m[3] ?? m[2] ?? '');
  }
  const md5 = (s: string) => createHash('md5').update(s).digest('hex');
  const nonce = params.get('nonce') ?? '';
  if (!nonces.has(nonce) || params.get('username') !== user) return false;
  const ha1 = md5(`${user}:${realm}:${password}`);
  const ha2 = md5(`${method}:${params.get('uri') ?? ''}`);
  const expected = md5(
    `${ha1}:${nonce}:${params.get('nc') ?? ''}:${params.get('cnonce') ?? ''}:${params.get('qop') ?? ''}:${ha2}`,
  );
  return params.get('response') === expected;
}

interface StoredObject {
  etag: string;
  data: string;
}

/**
 * A calendar server without sync-collection (only ctag + ETags, like older servers), whose
 * PUT answers carry no ETag, and whose multiget can be told to leave objects out or to
 * refuse altogether. One calendar at /cal/.
 */
export async function startCtagOnlyServer(): Promise<
  FakeServer & {
    objects: Map<string, StoredObject>;
    /** Names the multiget pretends not to know. */
    hideFromMultiget: Set<string>;
    /** Multiget answers 403 (the transport then GETs one by one). */
    refuseMultiget: { value: boolean };
    ctag(): string;
    store(name: string, data: string): void;
  }
> {
  const objects = new Map<string, StoredObject>();
  const hideFromMultiget = new Set<string>();
  const refuseMultiget = { value: false };
  let version = 1;
  let etagCounter = 0;
  const ctag = () => `ctag-${version}`;
  const store = (name: string, data: string) => {
    objects.set(name, { etag: `"e${++etagCounter}"`, data });
    version++;
  };
  const multistatus = (inner: string) =>
    `<?xml version="1.0" encoding="utf-8"?><D:multistatus xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:CS="http://calendarserver.org/ns/">${inner}</D:multistatus>`;
  const propstat = (props: string) =>
    `<D:propstat><D:prop>${props}</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>`;
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

  const fake = await startFakeServer((req, res, body) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const name = url.pathname.startsWith('/cal/') ? url.pathname.slice(5) : '';
    const xml = (status: number, text: string) =>
      res.writeHead(status, { 'content-type': 'application/xml; charset=utf-8' }).end(text);
    if (req.method === 'PROPFIND' && name === '') {
      const self = `<D:response><D:href>/cal/</D:href>${propstat(
        `<D:resourcetype><D:collection/><C:calendar/></D:resourcetype><CS:getctag>${ctag()}</CS:getctag>`,
      )}</D:response>`;
      const members =
        req.headers['depth'] === '1'
          ? [...objects].map(
              ([n, o]) =>
                `<D:response><D:href>/cal/${n}</D:href>${propstat(`<D:getetag>${o.etag}</D:getetag><D:resourcetype/>`)}</D:response>`,
            )
          : [];
      xml(207, multistatus(self + members.join('')));
    } else if (req.method === 'PROPFIND') {
      const o = objects.get(name);
      if (o === undefined) res.writeHead(404).end();
      else
        xml(
          207,
          multistatus(
            `<D:response><D:href>/cal/${name}</D:href>${propstat(`<D:getetag>${o.etag}</D:getetag>`)}</D:response>`,
          ),
        );
    } else if (req.method === 'REPORT' && body.includes('sync-collection')) {
      xml(403, '<?xml version="1.0"?><D:error xmlns:D="DAV:"><D:supported-report/></D:error>');
    } else if (req.method === 'REPORT' && body.includes('calendar-multiget')) {
      if (refuseMultiget.value) {
        res.writeHead(403).end('no multiget here');
        return;
      }
      const hrefs = [...body.matchAll(/<d:href>([^<]*)<\/d:href>/g)].map((m) => m[1] ?? '');
      const parts = hrefs
        .map((h) => h.slice('/cal/'.length))
        .filter((n) => !hideFromMultiget.has(n))
        .map((n) => {
          const o = objects.get(n);
          return o === undefined
            ? `<D:response><D:href>/cal/${n}</D:href><D:status>HTTP/1.1 404 Not Found</D:status></D:response>`
            : `<D:response><D:href>/cal/${n}</D:href>${propstat(`<D:getetag>${o.etag}</D:getetag><C:calendar-data>${escape(o.data)}</C:calendar-data>`)}</D:response>`;
        });
      xml(207, multistatus(parts.join('')));
    } else if (req.method === 'GET') {
      const o = objects.get(name);
      if (o === undefined) res.writeHead(404).end();
      else res.writeHead(200, { 'content-type': 'text/calendar', etag: o.etag }).end(o.data);
    } else if (req.method === 'PUT') {
      const existing = objects.get(name);
      if (req.headers['if-none-match'] === '*' && existing !== undefined) {
        res.writeHead(412).end();
        return;
      }
      if (req.headers['if-match'] !== undefined && req.headers['if-match'] !== existing?.etag) {
        res.writeHead(412).end();
        return;
      }
      store(name, body);
      res.writeHead(existing === undefined ? 201 : 204).end(); // no ETag, as RFC 4791 allows
    } else if (req.method === 'DELETE') {
      objects.delete(name);
      version++;
      res.writeHead(204).end();
    } else {
      res.writeHead(405).end();
    }
  });
  return { ...fake, objects, hideFromMultiget, refuseMultiget, ctag, store };
}
