/**
 * WebDAV request bodies (written here, escaped) and short answers (parsed by tsdav's
 * davRequest, then narrowed from its loosely typed tree; listings are read as they arrive
 * by multistatus-stream.ts, into the same DavEntry). tsdav's parser camel-cases element names and
 * drops namespaces: <C:calendar-data> becomes `calendarData`, <D:sync-token> `syncToken`.
 */
import { davRequest } from 'tsdav';
import type { DAVResponse } from 'tsdav';
import { isCompleteXml } from '../../xml-complete.ts';
import { incompleteAnswer } from './failures.ts';
import { canonicalHref } from './hrefs.ts';
import { headerRecord, toFetchResponse } from './http.ts';
import type { HttpClient, HttpResponse } from './http.ts';

const NAMESPACES =
  'xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" ' +
  'xmlns:card="urn:ietf:params:xml:ns:carddav" xmlns:cs="http://calendarserver.org/ns/"';

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `props` are prefixed names: "d:getetag", "c:calendar-data", "cs:getctag"... */
export function propfindBody(props: string[]): string {
  const list = props.map((p) => `<${p}/>`).join('');
  return `<?xml version="1.0" encoding="utf-8"?><d:propfind ${NAMESPACES}><d:prop>${list}</d:prop></d:propfind>`;
}

export function syncCollectionBody(token: string | null, props: string[]): string {
  const list = props.map((p) => `<${p}/>`).join('');
  const tokenXml =
    token === null ? '<d:sync-token/>' : `<d:sync-token>${escapeXml(token)}</d:sync-token>`;
  return (
    `<?xml version="1.0" encoding="utf-8"?><d:sync-collection ${NAMESPACES}>` +
    `${tokenXml}<d:sync-level>1</d:sync-level><d:prop>${list}</d:prop></d:sync-collection>`
  );
}

/** calendar-multiget / addressbook-multiget; hrefs are sent as paths (absolute-path form). */
export function multigetBody(kind: 'calendar' | 'addressbook', hrefs: string[]): string {
  const [report, data] =
    kind === 'calendar'
      ? ['c:calendar-multiget', 'c:calendar-data']
      : ['card:addressbook-multiget', 'card:address-data'];
  const list = hrefs
    .map((h) => {
      const u = new URL(h);
      return `<d:href>${escapeXml(`${u.pathname}${u.search}`)}</d:href>`;
    })
    .join('');
  return (
    `<?xml version="1.0" encoding="utf-8"?><${report} ${NAMESPACES}>` +
    `<d:prop><d:getetag/><${data}/></d:prop>${list}</${report}>`
  );
}

/**
 * calendar-query (RFC 4791 7.8) / addressbook-query (RFC 6352 8.6) for every object of a
 * collection with its ETag and data: no filter but the one each requires.
 */
export function queryBody(kind: 'calendar' | 'addressbook'): string {
  return kind === 'calendar'
    ? `<?xml version="1.0" encoding="utf-8"?><c:calendar-query ${NAMESPACES}>` +
        '<d:prop><d:getetag/><c:calendar-data/></d:prop>' +
        '<c:filter><c:comp-filter name="VCALENDAR"/></c:filter></c:calendar-query>'
    : `<?xml version="1.0" encoding="utf-8"?><card:addressbook-query ${NAMESPACES}>` +
        '<d:prop><d:getetag/><card:address-data/></d:prop><card:filter/></card:addressbook-query>';
}

export interface DavEntry {
  /** Canonical absolute URL. */
  href: string;
  /** The response's own status, 200 when it only carries propstats. */
  status: number;
  /** Properties from propstats with a 2xx status, camel-cased names. */
  props: Record<string, unknown>;
  /** Precondition names of the response's DAV:error, camel-cased ("noUidConflict"). */
  conditions: string[];
  /** The first href inside that error (a no-uid-conflict names the existing object). */
  conditionHref: string | undefined;
}

export interface DavReply {
  /** HTTP status. */
  status: number;
  statusText: string;
  /** Whether the body was a DAV:multistatus. */
  multistatus: boolean;
  entries: DavEntry[];
  /** DAV:sync-token of a sync-collection answer. */
  syncToken?: string;
  /** Precondition names of a DAV:error body, camel-cased ("validSyncToken", "noUidConflict"). */
  conditions: string[];
  /** The first href inside that error. */
  conditionHref: string | undefined;
  /** Plain-text excerpt source for messages. */
  text: string;
  http: HttpResponse;
}

export interface DavCall {
  method: string;
  url: string;
  depth?: '0' | '1';
  body?: string;
  headers?: Record<string, string>;
}

/** Sends a DAV request; any HTTP status comes back (network failures throw ServerError). */
export async function davCall(http: HttpClient, call: DavCall): Promise<DavReply> {
  let captured: HttpResponse | undefined;
  const responses: DAVResponse[] = await davRequest({
    url: call.url,
    init: {
      method: call.method as 'PROPFIND',
      headers: {
        'Content-Type': 'application/xml; charset=utf-8',
        ...(call.depth === undefined ? {} : { Depth: call.depth }),
        ...call.headers,
      },
      body: call.body,
    },
    convertIncoming: false,
    fetch: async (input, init) => {
      captured = await http.send({
        method: call.method,
        url: typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
        headers: headerRecord(init?.headers),
        ...(typeof init?.body === 'string' ? { body: init.body } : {}),
      });
      return toFetchResponse(captured, call.method);
    },
  });
  if (captured === undefined) throw new Error('davRequest did not send the request');
  return readReply(captured, responses, call.method);
}

function readReply(http: HttpResponse, responses: DAVResponse[], method: string): DavReply {
  const first: unknown = responses[0]?.raw;
  const multistatus = asRecord(asRecord(first)?.['multistatus']);
  // tsdav's parser takes a multistatus cut short for a shorter one: what is missing from a
  // listing would then read as deleted, and a sync token sent before the cut would skip it.
  if (
    (multistatus !== undefined || http.status === 207) &&
    !isCompleteXml(http.body.toString('utf8'))
  ) {
    throw incompleteAnswer(method, http.url);
  }
  const reply: DavReply = {
    status: http.status,
    statusText: http.statusText,
    multistatus: multistatus !== undefined,
    entries: [],
    conditions: [],
    conditionHref: undefined,
    text: typeof first === 'string' ? first : http.body.toString('utf8', 0, 4096),
    http,
  };
  if (multistatus === undefined) {
    // davRequest hands back error answers unparsed: read the DAV:error ourselves.
    const error = parseDavError(http.body.toString('utf8'));
    reply.conditions = error.conditions;
    reply.conditionHref = error.href;
    return reply;
  }
  const token = textOf(multistatus['syncToken']);
  if (token !== undefined) reply.syncToken = token;
  for (const response of responses) {
    const href = textOf(response.href as unknown);
    if (href === undefined || href === '') continue;
    let canonical: string;
    try {
      canonical = canonicalHref(href, http.url);
    } catch {
      continue; // not a URL at all: nothing we could ever address
    }
    const props: unknown = response.props;
    const error = asRecord(response.error as unknown);
    const conditions = childNames(error);
    reply.entries.push({
      href: canonical,
      status: typeof response.status === 'number' ? response.status : 200,
      props: asRecord(props) ?? {},
      conditions,
      conditionHref: conditions
        .map((c) => textOf(asRecord(error?.[c])?.['href']))
        .find((h) => h !== undefined),
    });
  }
  return reply;
}

/**
 * Precondition names (camel-cased, like tsdav's) and the first href of a DAV:error body:
 * `<D:error><C:no-uid-conflict><D:href>/cal/a.ics</D:href></C:no-uid-conflict></D:error>`.
 */
export function parseDavError(text: string): { conditions: string[]; href: string | undefined } {
  const body = /<(?:[\w.-]+:)?error\b[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?error\s*>/.exec(text)?.[1];
  if (body === undefined) return { conditions: [], href: undefined };
  const names = [...body.matchAll(/<(?:[\w.-]+:)?([\w.-]+)(?=[\s/>])/g)]
    .map((m) => m[1] ?? '')
    .filter((n) => n !== 'href' && n !== '')
    .map((n) => n.replace(/-+(\w)/g, (_m, c: string) => c.toUpperCase()));
  const href = /<(?:[\w.-]+:)?href\b[^>]*>([^<]*)</.exec(body)?.[1]?.trim();
  return { conditions: [...new Set(names)], href: href === '' ? undefined : href };
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Text of a parsed element: tsdav gives a primitive, a {_cdata} or {_text} object, or {} when empty. */
export function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return textOf(value[0]);
  const rec = asRecord(value);
  if (rec === undefined) return undefined;
  const cdata = rec['_cdata'];
  if (typeof cdata === 'string') return cdata;
  if (Array.isArray(cdata)) return cdata.filter((c) => typeof c === 'string').join('');
  const text = rec['_text'];
  if (typeof text === 'string' || typeof text === 'number') return String(text);
  return undefined;
}

/** Child element names of a parsed element (resourcetype -> ["collection", "calendar"]). */
export function childNames(value: unknown): string[] {
  const rec = asRecord(value);
  return rec === undefined ? [] : Object.keys(rec).filter((k) => !k.startsWith('_'));
}

/** All values of a possibly repeated element. */
export function listOf(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Whether an element tree contains an element with this (camel-cased) name anywhere. */
export function containsElement(value: unknown, name: string, depth = 0): boolean {
  if (depth > 6) return false;
  for (const item of listOf(value)) {
    const rec = asRecord(item);
    if (rec === undefined) continue;
    for (const [key, child] of Object.entries(rec)) {
      if (key === name) return true;
      if (!key.startsWith('_') && containsElement(child, name, depth + 1)) return true;
    }
  }
  return false;
}
