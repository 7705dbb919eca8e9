/**
 * A raw CalDAV server with one calendar at /cal/, for what the transport does with the
 * shape of listing answers: data in the sync-collection answer or not, a query it answers
 * or refuses, multiget chunks it refuses, answers cut short with 507, compressed answers,
 * and how many connections a client opens (HTTP/1.1 keep-alive, as Node's server does).
 */
import http from 'node:http';
import type net from 'node:net';
import zlib from 'node:zlib';

export type ReportKind = 'sync-collection' | 'calendar-query' | 'calendar-multiget' | 'other';

export interface ListingServer {
  url: string;
  cal: string;
  objects: Map<string, { etag: string; data: string }>;
  /** Every request: method, the REPORT's kind, and the hrefs of a multiget. */
  requests: { method: string; report: ReportKind | undefined; hrefs: string[] }[];
  /** TCP connections accepted so far. */
  connections(): number;
  options: ListingOptions;
  store(name: string, data: string): void;
  close(): Promise<void>;
}

export interface ListingOptions {
  /** sync-collection answers carry calendar-data when asked (Radicale does, Xandikos not). */
  dataInSync: boolean;
  /** calendar-query is answered; otherwise refused with 501. */
  query: boolean;
  /** A multiget naming one of these is refused with 403 (one bad object in the chunk). */
  refuseMultigetOf: Set<string>;
  /** The initial sync-collection answers this many members, then 507 and a token to go on. */
  truncateAfter?: number;
  /** Content-Encoding of every answer when the client accepts it. */
  encoding?: 'gzip' | 'deflate' | 'deflate-raw' | 'br';
}

const NS =
  'xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:CS="http://calendarserver.org/ns/"';
const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const ok = (props: string) =>
  `<D:propstat><D:prop>${props}</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>`;

export async function startListingServer(
  options: Partial<ListingOptions> = {},
): Promise<ListingServer> {
  const opts: ListingOptions = {
    dataInSync: true,
    query: true,
    refuseMultigetOf: new Set(),
    ...options,
  };
  const objects = new Map<string, { etag: string; data: string }>();
  const requests: ListingServer['requests'] = [];
  let etags = 0;
  let connections = 0;
  const sockets = new Set<net.Socket>();

  const member = (name: string, withData: boolean) => {
    const o = objects.get(name);
    if (o === undefined) return '';
    const data = withData ? `<C:calendar-data>${escapeXml(o.data)}</C:calendar-data>` : '';
    return `<D:response><D:href>/cal/${name}</D:href>${ok(`<D:getetag>${o.etag}</D:getetag>${data}`)}</D:response>`;
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const report: ReportKind | undefined =
        req.method !== 'REPORT'
          ? undefined
          : body.includes('sync-collection')
            ? 'sync-collection'
            : body.includes('calendar-query')
              ? 'calendar-query'
              : body.includes('calendar-multiget')
                ? 'calendar-multiget'
                : 'other';
      const hrefs = [...body.matchAll(/<d:href>\/cal\/([^<]*)<\/d:href>/g)].map((m) => m[1] ?? '');
      requests.push({ method: req.method ?? '', report, hrefs });
      const accepts = /gzip|deflate|br/.test(String(req.headers['accept-encoding'] ?? ''));
      const send = (status: number, text: string, type = 'application/xml; charset=utf-8') => {
        const raw = Buffer.from(text, 'utf8');
        const coding = accepts ? opts.encoding : undefined;
        const coded =
          coding === 'gzip'
            ? zlib.gzipSync(raw)
            : coding === 'deflate'
              ? zlib.deflateSync(raw)
              : coding === 'deflate-raw'
                ? zlib.deflateRawSync(raw)
                : coding === 'br'
                  ? zlib.brotliCompressSync(raw)
                  : raw;
        res.writeHead(status, {
          'content-type': type,
          'content-length': coded.length,
          ...(coding === undefined ? {} : { 'content-encoding': coding.replace('-raw', '') }),
        });
        res.end(coded);
      };
      const multistatus = (inner: string) =>
        send(
          207,
          `<?xml version="1.0" encoding="utf-8"?><D:multistatus ${NS}>${inner}</D:multistatus>`,
        );
      const name = (req.url ?? '').startsWith('/cal/') ? (req.url ?? '').slice(5) : '';

      if (req.method === 'PROPFIND') {
        multistatus(
          `<D:response><D:href>/cal/</D:href>${ok('<D:resourcetype><D:collection/><C:calendar/></D:resourcetype><CS:getctag>c1</CS:getctag>')}</D:response>`,
        );
      } else if (report === 'sync-collection') {
        const token = /<d:sync-token>([^<]*)<\/d:sync-token>/.exec(body)?.[1] ?? '';
        const asked = body.includes('calendar-data') && opts.dataInSync;
        const names = [...objects.keys()];
        const from = token === 'part' ? (opts.truncateAfter ?? 0) : 0;
        const cut = token === '' && opts.truncateAfter !== undefined;
        const listed = names.slice(from, cut ? opts.truncateAfter : undefined);
        const truncated = cut
          ? `<D:response><D:href>/cal/</D:href><D:status>HTTP/1.1 507 Insufficient Storage</D:status></D:response>`
          : '';
        multistatus(
          listed.map((n) => member(n, asked)).join('') +
            truncated +
            `<D:sync-token>${cut ? 'part' : 'whole'}</D:sync-token>`,
        );
      } else if (report === 'calendar-query') {
        if (!opts.query) send(501, 'no queries here', 'text/plain');
        else multistatus([...objects.keys()].map((n) => member(n, true)).join(''));
      } else if (report === 'calendar-multiget') {
        if (hrefs.some((h) => opts.refuseMultigetOf.has(h))) send(403, 'not these', 'text/plain');
        else multistatus(hrefs.map((n) => member(n, true)).join(''));
      } else if (req.method === 'GET') {
        const o = objects.get(name);
        if (o === undefined || opts.refuseMultigetOf.has(name)) send(403, 'no', 'text/plain');
        else {
          res.writeHead(200, { 'content-type': 'text/calendar', etag: o.etag });
          res.end(o.data);
        }
      } else {
        send(405, 'no', 'text/plain');
      }
    });
  });
  server.on('connection', (s: net.Socket) => {
    connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = address !== null && typeof address === 'object' ? address.port : 0;
  const url = `http://127.0.0.1:${port}/`;
  return {
    url,
    cal: `${url}cal/`,
    objects,
    requests,
    connections: () => connections,
    options: opts,
    store: (name, data) => objects.set(name, { etag: `"e${++etags}"`, data }),
    close: () =>
      new Promise<void>((done) => {
        for (const s of sockets) s.destroy();
        server.close(() => done());
      }),
  };
}
