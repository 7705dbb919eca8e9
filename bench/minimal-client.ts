/**
 * The "floor" of `--compare`: the least a sync client can do against a CalDAV/CardDAV
 * collection. One RFC 6578 sync-collection REPORT asks for every item with its ETag and
 * its calendar-data / address-data and reads the answer as it streams in; the next
 * REPORT, with the token, asks for what changed. It parses nothing but the multistatus
 * envelope, counts items and keeps only the token and each item's href, ETag and UID
 * (what a write with If-Match needs). Plain node:http with one kept-alive connection,
 * gzip accepted. No import from src/: its cost is the protocol's, not ours.
 */
import http from 'node:http';
import zlib from 'node:zlib';

export type CollectionKind = 'calendar' | 'addressbook';

export interface MinimalState {
  token: string;
  /** href -> [etag, uid] */
  items: Record<string, [string, string]>;
}

export interface MinimalOutcome {
  /** Items the answers carried (changed or new), items reported gone, writes sent. */
  received: number;
  removed: number;
  written: number;
}

export interface MinimalConnection {
  user: string;
  password: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

interface Answer {
  status: number;
  etag: string | undefined;
}

/** One request; the answer's body goes through `onText` chunk by chunk (decoded). */
function send(
  conn: MinimalConnection,
  method: string,
  url: string,
  body: string,
  headers: Record<string, string>,
  onText: (text: string) => void = () => undefined,
): Promise<Answer> {
  const authorization = `Basic ${Buffer.from(`${conn.user}:${conn.password}`).toString('base64')}`;
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        agent,
        headers: {
          authorization,
          'accept-encoding': 'gzip, deflate',
          'content-length': String(Buffer.byteLength(body)),
          ...headers,
        },
      },
      (res) => {
        const encoding = res.headers['content-encoding'];
        const stream =
          encoding === 'gzip'
            ? res.pipe(zlib.createGunzip())
            : encoding === 'deflate'
              ? res.pipe(zlib.createInflate())
              : res;
        stream.setEncoding('utf8');
        stream.on('data', (text: string) => onText(text));
        stream.on('end', () => {
          const etag = res.headers.etag;
          resolve({
            status: res.statusCode ?? 0,
            etag: typeof etag === 'string' ? etag : undefined,
          });
        });
        stream.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const RESPONSE_END = /<\/(?:[\w-]+:)?response>/g;
const HREF = /<(?:[\w-]+:)?href>([^<]*)<\/(?:[\w-]+:)?href>/;
const ETAG = /<(?:[\w-]+:)?getetag>([^<]*)<\/(?:[\w-]+:)?getetag>/;
const STATUS_404 = /<(?:[\w-]+:)?status>[^<]*\b404\b/;
const UID = /^UID:(.*)$/m;
const TOKEN = /<(?:[\w-]+:)?sync-token>([^<]*)<\/(?:[\w-]+:)?sync-token>/;
/** Items without data in a sync answer from which one query for everything is cheaper. */
const QUERY_FROM = 25;
/** calendar-data / address-data with content. */
const DATA = /<(?:[\w-]+:)?(?:calendar|address)-data(?:\s[^>]*)?>\s*BEGIN:/;

function reportBody(kind: CollectionKind, token: string): string {
  const data =
    kind === 'calendar'
      ? '<C:calendar-data xmlns:C="urn:ietf:params:xml:ns:caldav"/>'
      : '<CR:address-data xmlns:CR="urn:ietf:params:xml:ns:carddav"/>';
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<D:sync-collection xmlns:D="DAV:"><D:sync-token>${token}</D:sync-token>` +
    `<D:sync-level>1</D:sync-level><D:prop><D:getetag/>${data}</D:prop></D:sync-collection>`
  );
}

/** A REPORT whose <response> blocks go to `onBlock` as soon as each has arrived whole. */
async function report(
  conn: MinimalConnection,
  url: string,
  body: string,
  onBlock: (block: string) => void,
): Promise<string> {
  let pending = '';
  const answer = await send(
    conn,
    'REPORT',
    url,
    body,
    { depth: '1', 'content-type': 'application/xml; charset=utf-8' },
    (text) => {
      pending += text;
      let last = 0;
      for (const m of pending.matchAll(RESPONSE_END)) {
        const end = m.index + m[0].length;
        onBlock(pending.slice(last, end));
        last = end;
      }
      pending = pending.slice(last);
    },
  );
  if (answer.status !== 207) throw new Error(`REPORT ${url} answered ${answer.status}`);
  // What follows the last response (a sync-token may be there).
  return pending;
}

const xmlText = (s: string): string =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/**
 * One sync-collection REPORT (token "" = everything). Each <response> is handled as soon
 * as it has arrived whole, so the client holds one item at a time, not the answer. A
 * server that leaves the data out of the sync answer (Xandikos) gets one more REPORT for
 * the items that came without it (a query for everything, or a multiget for a few):
 * reading everything is what the floor measures.
 */
export async function syncCollection(
  conn: MinimalConnection,
  collectionUrl: string,
  kind: CollectionKind,
  state: MinimalState,
): Promise<MinimalOutcome> {
  const outcome: MinimalOutcome = { received: 0, removed: 0, written: 0 };
  let token: string | undefined;
  const withoutData: string[] = [];
  const take = (block: string, fromSync: boolean): void => {
    // The token may come before the responses (Radicale) or after them.
    if (fromSync) token ??= TOKEN.exec(block)?.[1];
    const href = HREF.exec(block)?.[1];
    if (href === undefined || href.endsWith('/')) return;
    if (STATUS_404.test(block) && !ETAG.test(block)) {
      delete state.items[href];
      if (fromSync) outcome.removed++;
      return;
    }
    // A query for everything brings the unchanged items too: only the wanted ones count.
    if (!fromSync && !wanted.has(href)) return;
    const etag = ETAG.exec(block)?.[1] ?? '';
    if (!DATA.test(block)) {
      if (fromSync) withoutData.push(href);
      return;
    }
    const uid = UID.exec(block)?.[1]?.trim() ?? '';
    state.items[href] = [etag.replaceAll('&quot;', '"'), uid];
    outcome.received++;
  };
  const tail = await report(conn, collectionUrl, reportBody(kind, state.token), (block) =>
    take(block, true),
  );
  token ??= TOKEN.exec(tail)?.[1];
  if (token === undefined) throw new Error('the sync-collection answer has no sync-token');
  const wanted = new Set(withoutData);
  if (withoutData.length > 0) {
    const ns =
      kind === 'calendar' ? 'urn:ietf:params:xml:ns:caldav' : 'urn:ietf:params:xml:ns:carddav';
    const data = kind === 'calendar' ? 'calendar-data' : 'address-data';
    const prop = `<D:prop><D:getetag/><X:${data}/></D:prop>`;
    // Xandikos spends time in proportion to the collection on every multiget href but
    // answers a query for everything in one pass: many items, one query; a few, a multiget.
    const body =
      withoutData.length >= QUERY_FROM
        ? kind === 'calendar'
          ? `<?xml version="1.0" encoding="utf-8"?><X:calendar-query xmlns:D="DAV:" xmlns:X="${ns}">${prop}` +
            '<X:filter><X:comp-filter name="VCALENDAR"/></X:filter></X:calendar-query>'
          : `<?xml version="1.0" encoding="utf-8"?><X:addressbook-query xmlns:D="DAV:" xmlns:X="${ns}">${prop}` +
            '<X:filter/></X:addressbook-query>'
        : `<?xml version="1.0" encoding="utf-8"?><X:${kind}-multiget xmlns:D="DAV:" xmlns:X="${ns}">${prop}` +
          withoutData.map((h) => `<D:href>${xmlText(h)}</D:href>`).join('') +
          `</X:${kind}-multiget>`;
    await report(conn, collectionUrl, body, (block) => take(block, false));
  }
  state.token = token;
  return outcome;
}

export interface LocalChanges {
  /** Hrefs to replace with `body(uid)`, hrefs to delete, new objects (name, body). */
  update: string[];
  remove: string[];
  add: { name: string; data: string }[];
  body: (uid: string) => string;
  contentType: string;
}

/** Writes local changes with If-Match (one request each), then one REPORT to move the token. */
export async function pushChanges(
  conn: MinimalConnection,
  collectionUrl: string,
  kind: CollectionKind,
  state: MinimalState,
  changes: LocalChanges,
): Promise<MinimalOutcome> {
  let written = 0;
  const origin = new URL(collectionUrl).origin;
  for (const href of changes.update) {
    const known = state.items[href];
    if (!known) throw new Error(`${href} is not known`);
    const answer = await send(conn, 'PUT', origin + href, changes.body(known[1]), {
      'content-type': changes.contentType,
      'if-match': known[0],
    });
    if (answer.status >= 300) throw new Error(`PUT ${href} answered ${answer.status}`);
    written++;
  }
  for (const href of changes.remove) {
    const known = state.items[href];
    if (!known) throw new Error(`${href} is not known`);
    const answer = await send(conn, 'DELETE', origin + href, '', { 'if-match': known[0] });
    if (answer.status >= 300) throw new Error(`DELETE ${href} answered ${answer.status}`);
    written++;
  }
  for (const o of changes.add) {
    const answer = await send(conn, 'PUT', collectionUrl + encodeURIComponent(o.name), o.data, {
      'content-type': changes.contentType,
      'if-none-match': '*',
    });
    if (answer.status >= 300) throw new Error(`PUT ${o.name} answered ${answer.status}`);
    written++;
  }
  const after = await syncCollection(conn, collectionUrl, kind, state);
  return { ...after, written };
}

export function closeMinimalClient(): void {
  agent.destroy();
}
