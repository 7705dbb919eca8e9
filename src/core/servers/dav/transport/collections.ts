/**
 * Making a calendar (MKCALENDAR, RFC 4791 5.3.1) or an address book (extended MKCOL,
 * RFC 5689 / RFC 6352 6.3.1) in the user's home, for a server that has none yet.
 */
import { randomUUID } from 'node:crypto';
import { ServerError } from '../../errors.ts';
import { requestFailure } from './failures.ts';
import { displayUrl } from '../../http/display-url.ts';
import { withTrailingSlash } from './hrefs.ts';
import type { HttpClient } from './http.ts';
import { escapeXml } from './multistatus.ts';
import type { DavComponent } from './types.ts';

export type NewCollectionKind = 'calendar' | 'addressbook';

function body(kind: NewCollectionKind, name: string, components: readonly DavComponent[]): string {
  const displayName = `<d:displayname>${escapeXml(name)}</d:displayname>`;
  if (kind === 'calendar') {
    const comps = components.map((c) => `<c:comp name="${c}"/>`).join('');
    return (
      `<?xml version="1.0" encoding="utf-8"?><c:mkcalendar xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">` +
      `<d:set><d:prop>${displayName}<c:supported-calendar-component-set>${comps}</c:supported-calendar-component-set>` +
      `</d:prop></d:set></c:mkcalendar>`
    );
  }
  return (
    `<?xml version="1.0" encoding="utf-8"?><d:mkcol xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav">` +
    `<d:set><d:prop><d:resourcetype><d:collection/><card:addressbook/></d:resourcetype>${displayName}` +
    `</d:prop></d:set></d:mkcol>`
  );
}

/** A URL segment from the name ("Práce 2026" -> "prace-2026"), never empty. */
function segmentOf(name: string): string {
  const plain = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return plain === '' ? randomUUID() : plain;
}

/**
 * Creates the collection under `home` and returns its URL. A name already taken there
 * (405/409/412) gets a unique suffix once; any other refusal is a ServerError naming it.
 */
export async function createCollection(
  http: HttpClient,
  home: string,
  kind: NewCollectionKind,
  name: string,
  components: readonly DavComponent[],
): Promise<string> {
  const method = kind === 'calendar' ? 'MKCALENDAR' : 'MKCOL';
  const base = segmentOf(name);
  for (const segment of [base, `${base}-${randomUUID().slice(0, 8)}`]) {
    const url = `${withTrailingSlash(home)}${segment}/`;
    const res = await http.send({
      method,
      url,
      headers: { 'Content-Type': 'application/xml; charset=utf-8' },
      body: body(kind, name, components),
    });
    if (res.status === 201) return url;
    if (res.status === 405 || res.status === 409 || res.status === 412) continue;
    if (res.status === 403) {
      throw new ServerError(
        `${displayUrl(home)} does not let this account create a ${kind === 'calendar' ? 'calendar' : 'address book'} (${method} answered 403); create it in the server's web interface.`,
        { transient: false },
      );
    }
    throw requestFailure(
      method,
      url,
      res.status,
      res.body.toString('utf8').slice(0, 200),
      'server',
    );
  }
  throw new ServerError(
    `${displayUrl(home)} refused to create "${name}": the name is taken; choose another.`,
    { transient: false },
  );
}
