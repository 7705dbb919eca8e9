/**
 * A small CalDAV/CardDAV server that serves objects exactly as stored, byte for byte, for
 * feeding the real DAV connector input a real server would refuse (Radicale will not list
 * a collection holding one object it cannot parse). It checks Basic credentials and does
 * what the connector asks of a server: PROPFIND discovery (principal, home sets,
 * collections), REPORT sync-collection (RFC 6578 tokens, an unknown token refused with
 * valid-sync-token), calendar-multiget/addressbook-multiget, GET, PUT and DELETE with ETags
 * and If-Match/If-None-Match, and a UID clash refused as no-uid-conflict. No parsing of the
 * objects beyond finding a UID; no time-range queries.
 *
 * Layout: /dav/ (root) → /dav/principal/ → home /dav/home/ → /dav/home/calendar/ (VEVENT,
 * VTODO) and /dav/home/contacts/.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export type RawCollection = 'calendar' | 'contacts';

export interface RawDavServer {
  /** What the user types: "http://127.0.0.1:PORT/dav/". */
  url: string;
  user: string;
  password: string;
  calendarUrl: string;
  addressBookUrl: string;
  /** Stores an object behind the client's back (no checks), as another client might have. */
  seed(collection: RawCollection, name: string, data: Buffer | string): void;
  /** The stored objects of a collection, by file name. */
  objects(collection: RawCollection): Map<string, Buffer>;
  /** Requests received, by method. */
  requests: Map<string, number>;
  close(): Promise<void>;
}

interface Stored {
  data: Buffer;
  etag: string;
  /** Change counter when it was last written. */
  version: number;
}

interface CollectionState {
  kind: 'calendar' | 'addressbook';
  items: Map<string, Stored>;
  /** Deleted names and the change counter of their deletion. */
  deleted: Map<string, number>;
}

const ROOT = '/dav/';
const PRINCIPAL = '/dav/principal/';
const HOME = '/dav/home/';
const COLLECTIONS: Record<RawCollection, string> = {
  calendar: '/dav/home/calendar/',
  contacts: '/dav/home/contacts/',
};
const TOKEN_PREFIX = 'http://raw-dav.invalid/sync/';

const NS =
  'xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" ' +
  'xmlns:card="urn:ietf:params:xml:ns:carddav" xmlns:cs="http://calendarserver.org/ns/"';

export async function startRawDavServer(
  options: { user?: string; password?: string } = {},
): Promise<RawDavServer> {
  const user = options.user ?? 'fuzz';
  const password = options.password ?? 'fuzz-heslo';
  const expectedAuth = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const requests = new Map<string, number>();
  let counter = 1;
  const collections = new Map<string, CollectionState>([
    [COLLECTIONS.calendar, { kind: 'calendar', items: new Map(), deleted: new Map() }],
    [COLLECTIONS.contacts, { kind: 'addressbook', items: new Map(), deleted: new Map() }],
  ]);

  const store = (state: CollectionState, name: string, data: Buffer): Stored => {
    const version = ++counter;
    const etag = `"${createHash('sha1').update(data).update(String(version)).digest('hex').slice(0, 16)}"`;
    const stored = { data, etag, version };
    state.items.set(name, stored);
    state.deleted.delete(name);
    return stored;
  };

  const handle = (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    const method = req.method ?? '';
    requests.set(method, (requests.get(method) ?? 0) + 1);
    if (req.headers.authorization !== expectedAuth) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="raw-dav"' }).end();
      return;
    }
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const text = body.toString('utf8');
    if (method === 'OPTIONS') {
      res
        .writeHead(200, {
          DAV: '1, 3, calendar-access, addressbook',
          Allow: 'OPTIONS, GET, PUT, DELETE, PROPFIND, REPORT',
        })
        .end();
      return;
    }
    const owner = collectionOf(path);
    const name = owner === undefined ? undefined : path.slice(owner.length);
    const state = owner === undefined ? undefined : collections.get(owner);
    switch (method) {
      case 'PROPFIND':
        return propfind(res, path, String(req.headers.depth ?? 'infinity'), text);
      case 'REPORT':
        if (state === undefined || owner === undefined || name !== '') return reply(res, 404);
        return report(res, owner, state, String(req.headers.depth ?? '0'), text);
      case 'GET': {
        const item = name === undefined ? undefined : state?.items.get(name);
        if (item === undefined || state === undefined) return reply(res, 404);
        res.writeHead(200, { 'Content-Type': contentType(state), ETag: item.etag }).end(item.data);
        return;
      }
      case 'PUT': {
        if (state === undefined || name === undefined || name === '' || name.includes('/'))
          return reply(res, 409);
        const existing = state.items.get(name);
        const ifMatch = req.headers['if-match'];
        const ifNoneMatch = req.headers['if-none-match'];
        if (ifNoneMatch === '*' && existing !== undefined) return reply(res, 412);
        if (ifMatch !== undefined && ifMatch !== existing?.etag) return reply(res, 412);
        const wanted = state.kind === 'calendar' ? 'text/calendar' : 'text/vcard';
        if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith(wanted)) {
          return reply(res, 415);
        }
        const uid = uidOf(body);
        if (uid === undefined) return reply(res, 400);
        for (const [other, item] of state.items) {
          if (other !== name && uidOf(item.data) === uid) {
            const condition =
              state.kind === 'calendar' ? 'c:no-uid-conflict' : 'card:no-uid-conflict';
            res
              .writeHead(403, { 'Content-Type': 'application/xml; charset=utf-8' })
              .end(
                `<?xml version="1.0" encoding="utf-8"?><d:error ${NS}><${condition}><d:href>${escape(owner + other)}</d:href></${condition}></d:error>`,
              );
            return;
          }
        }
        const stored = store(state, name, body);
        res.writeHead(existing === undefined ? 201 : 204, { ETag: stored.etag }).end();
        return;
      }
      case 'DELETE': {
        const item = name === undefined ? undefined : state?.items.get(name);
        if (item === undefined || state === undefined || name === undefined) return reply(res, 404);
        const ifMatch = req.headers['if-match'];
        if (ifMatch !== undefined && ifMatch !== item.etag) return reply(res, 412);
        state.items.delete(name);
        state.deleted.set(name, ++counter);
        return reply(res, 204);
      }
      default:
        return reply(res, 405);
    }
  };

  const collectionOf = (path: string): string | undefined =>
    [...collections.keys()].find((c) => path === c || (path.startsWith(c) && path !== c));

  const syncToken = (): string => `${TOKEN_PREFIX}${counter}`;

  const propfind = (res: ServerResponse, path: string, depth: string, body: string): void => {
    const wanted = requestedProps(body);
    const responses: string[] = [];
    const resource = (href: string): boolean => {
      const props = propsOf(href);
      if (props === undefined) return false;
      responses.push(propResponse(href, props, wanted));
      return true;
    };
    if (!resource(path)) return reply(res, 404);
    if (depth === '1') {
      if (path === HOME) for (const c of collections.keys()) resource(c);
      const state = collections.get(path);
      if (state !== undefined)
        for (const name of [...state.items.keys()].sort()) resource(path + name);
    } else if (depth !== '0') {
      return reply(res, 403); // no infinite depth, as most servers
    }
    multistatus(res, responses);
  };

  /** Every property a resource has, as XML inside <d:prop>, by local name. */
  const propsOf = (href: string): Map<string, string> | undefined => {
    const common = new Map<string, string>([
      ['current-user-principal', `<d:href>${PRINCIPAL}</d:href>`],
      ['calendar-home-set', `<d:href>${HOME}</d:href>`],
      ['addressbook-home-set', `<d:href>${HOME}</d:href>`],
    ]);
    if (href === ROOT || href === HOME)
      return new Map([...common, ['resourcetype', '<d:collection/>']]);
    if (href === PRINCIPAL)
      return new Map([
        ...common,
        ['resourcetype', '<d:collection/><d:principal/>'],
        ['displayname', user],
      ]);
    const state = collections.get(href);
    if (state !== undefined) {
      const calendar = state.kind === 'calendar';
      return new Map([
        ...common,
        [
          'resourcetype',
          calendar ? '<d:collection/><c:calendar/>' : '<d:collection/><card:addressbook/>',
        ],
        ['displayname', calendar ? 'Fuzz calendar' : 'Fuzz contacts'],
        ...(calendar
          ? ([
              ['supported-calendar-component-set', '<c:comp name="VEVENT"/><c:comp name="VTODO"/>'],
            ] as [string, string][])
          : []),
        ['getctag', escape(syncToken())],
        ['sync-token', escape(syncToken())],
        [
          'supported-report-set',
          `<d:supported-report><d:report><d:sync-collection/></d:report></d:supported-report>` +
            `<d:supported-report><d:report>${calendar ? '<c:calendar-multiget/>' : '<card:addressbook-multiget/>'}</d:report></d:supported-report>`,
        ],
      ]);
    }
    const owner = collectionOf(href);
    const item =
      owner === undefined ? undefined : collections.get(owner)?.items.get(href.slice(owner.length));
    if (item === undefined || owner === undefined) return undefined;
    return new Map([
      ['resourcetype', ''],
      ['getetag', escape(item.etag)],
      ['getcontenttype', contentType(collections.get(owner)!)],
      ['getcontentlength', String(item.data.length)],
    ]);
  };

  const report = (
    res: ServerResponse,
    owner: string,
    state: CollectionState,
    depth: string,
    body: string,
  ): void => {
    const kind = /<(?:[\w-]+:)?(sync-collection|calendar-multiget|addressbook-multiget)[\s>/]/.exec(
      body,
    )?.[1];
    const wanted = requestedProps(body);
    const dataProp = state.kind === 'calendar' ? 'calendar-data' : 'address-data';
    const entry = (name: string, item: Stored): Buffer[] => {
      const props = [`<d:getetag>${escape(item.etag)}</d:getetag>`];
      const missing: string[] = [];
      const parts: Buffer[] = [];
      for (const p of wanted ?? ['getetag']) {
        if (p === 'getetag') continue;
        if (p !== dataProp) missing.push(`<d:${p}/>`);
      }
      const withData = (wanted ?? []).includes(dataProp);
      const prefix = state.kind === 'calendar' ? 'c' : 'card';
      parts.push(
        Buffer.from(
          `<d:response><d:href>${escape(owner + name)}</d:href><d:propstat><d:prop>${props.join('')}` +
            (withData ? `<${prefix}:${dataProp}>` : ''),
        ),
      );
      if (withData) parts.push(escapeBytes(item.data));
      parts.push(
        Buffer.from(
          (withData ? `</${prefix}:${dataProp}>` : '') +
            `</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>` +
            (missing.length > 0
              ? `<d:propstat><d:prop>${missing.join('')}</d:prop><d:status>HTTP/1.1 404 Not Found</d:status></d:propstat>`
              : '') +
            `</d:response>`,
        ),
      );
      return parts;
    };
    const gone = (href: string): Buffer =>
      Buffer.from(
        `<d:response><d:href>${escape(href)}</d:href><d:status>HTTP/1.1 404 Not Found</d:status></d:response>`,
      );

    if (kind === 'sync-collection') {
      if (depth !== '0') return reply(res, 400);
      const token = /<(?:[\w-]+:)?sync-token\s*>([^<]*)</.exec(body)?.[1]?.trim() ?? '';
      let since = 0;
      if (token !== '') {
        const n = token.startsWith(TOKEN_PREFIX) ? Number(token.slice(TOKEN_PREFIX.length)) : NaN;
        if (!Number.isInteger(n) || n < 1 || n > counter) {
          res
            .writeHead(403, { 'Content-Type': 'application/xml; charset=utf-8' })
            .end(
              `<?xml version="1.0" encoding="utf-8"?><d:error ${NS}><d:valid-sync-token/></d:error>`,
            );
          return;
        }
        since = n;
      }
      const parts: Buffer[] = [];
      for (const [name, item] of state.items)
        if (item.version > since) parts.push(...entry(name, item));
      if (since > 0)
        for (const [name, at] of state.deleted) if (at > since) parts.push(gone(owner + name));
      return multistatusBytes(res, parts, `<d:sync-token>${escape(syncToken())}</d:sync-token>`);
    }
    if (kind === 'calendar-multiget' || kind === 'addressbook-multiget') {
      if ((kind === 'calendar-multiget') !== (state.kind === 'calendar')) return reply(res, 403);
      const parts: Buffer[] = [];
      for (const m of body.matchAll(/<(?:[\w-]+:)?href\s*>([^<]*)</g)) {
        const href = decodeURIComponent(unescape(m[1]!.trim()));
        const path = new URL(href, 'http://x').pathname;
        const item = path.startsWith(owner) ? state.items.get(path.slice(owner.length)) : undefined;
        parts.push(...(item === undefined ? [gone(path)] : entry(path.slice(owner.length), item)));
      }
      return multistatusBytes(res, parts, '');
    }
    reply(res, 501);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        handle(req, res, Buffer.concat(chunks));
      } catch (err) {
        res.writeHead(500).end(String(err));
      }
    });
  });
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const port = await new Promise<number>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(address !== null && typeof address === 'object' ? address.port : 0);
    });
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    url: `${base}${ROOT}`,
    user,
    password,
    calendarUrl: `${base}${COLLECTIONS.calendar}`,
    addressBookUrl: `${base}${COLLECTIONS.contacts}`,
    seed(collection, name, data) {
      store(collections.get(COLLECTIONS[collection])!, name, Buffer.from(data));
    },
    objects(collection) {
      const items = collections.get(COLLECTIONS[collection])!.items;
      return new Map([...items].map(([name, item]) => [name, item.data]));
    },
    requests,
    close: () =>
      new Promise<void>((done) => {
        for (const s of sockets) s.destroy();
        server.close(() => done());
      }),
  };
}

function contentType(state: CollectionState): string {
  return state.kind === 'calendar' ? 'text/calendar; charset=utf-8' : 'text/vcard; charset=utf-8';
}

/** Local names of the properties asked for; undefined for allprop or an empty body. */
function requestedProps(body: string): string[] | undefined {
  const prop = /<(?:[\w-]+:)?prop\s*>([\s\S]*?)<\/(?:[\w-]+:)?prop\s*>/.exec(body)?.[1];
  if (prop === undefined) return undefined;
  return [...prop.matchAll(/<(?:[\w-]+:)?([\w-]+)[\s/>]/g)].map((m) => m[1]!);
}

function propResponse(
  href: string,
  props: Map<string, string>,
  wanted: string[] | undefined,
): string {
  const names = wanted ?? [...props.keys()];
  const found = names.filter((n) => props.has(n));
  const missing = names.filter((n) => !props.has(n));
  const ns = (n: string): string =>
    ['calendar-home-set', 'supported-calendar-component-set', 'calendar-data'].includes(n)
      ? 'c'
      : ['addressbook-home-set', 'address-data'].includes(n)
        ? 'card'
        : n === 'getctag'
          ? 'cs'
          : 'd';
  let xml = `<d:response><d:href>${escape(href)}</d:href>`;
  if (found.length > 0) {
    xml += `<d:propstat><d:prop>${found.map((n) => `<${ns(n)}:${n}>${props.get(n)}</${ns(n)}:${n}>`).join('')}</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>`;
  }
  if (missing.length > 0) {
    xml += `<d:propstat><d:prop>${missing.map((n) => `<${ns(n)}:${n}/>`).join('')}</d:prop><d:status>HTTP/1.1 404 Not Found</d:status></d:propstat>`;
  }
  return `${xml}</d:response>`;
}

function multistatus(res: ServerResponse, responses: string[]): void {
  multistatusBytes(
    res,
    responses.map((r) => Buffer.from(r)),
    '',
  );
}

function multistatusBytes(res: ServerResponse, parts: Buffer[], tail: string): void {
  res.writeHead(207, { 'Content-Type': 'application/xml; charset=utf-8' });
  res.end(
    Buffer.concat([
      Buffer.from(`<?xml version="1.0" encoding="utf-8"?><d:multistatus ${NS}>`),
      ...parts,
      Buffer.from(`${tail}</d:multistatus>`),
    ]),
  );
}

function reply(res: ServerResponse, status: number): void {
  res.writeHead(status).end();
}

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function unescape(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/**
 * XML-escapes stored bytes without decoding them, so the object goes out as stored (invalid
 * UTF-8 included). CR is written as a character reference: a literal one would be turned
 * into LF by any XML parser.
 */
function escapeBytes(data: Buffer): Buffer {
  const out: Buffer[] = [];
  let from = 0;
  for (let i = 0; i < data.length; i++) {
    const b = data[i]!;
    const ref =
      b === 0x26
        ? '&amp;'
        : b === 0x3c
          ? '&lt;'
          : b === 0x3e
            ? '&gt;'
            : b === 0x0d
              ? '&#13;'
              : undefined;
    if (ref === undefined) continue;
    out.push(data.subarray(from, i), Buffer.from(ref));
    from = i + 1;
  }
  out.push(data.subarray(from));
  return Buffer.concat(out);
}

/** The first UID in an object (unfolded), for the UID-clash check. */
function uidOf(data: Buffer): string | undefined {
  const text = data.toString('utf8').replace(/\r?\n[ \t]/g, '');
  return /^UID(?:;[^:\r\n]*)?:([^\r\n]*)$/m.exec(text)?.[1]?.trim();
}
