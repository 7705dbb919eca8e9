/**
 * Finds the calendars and address books: tsdav finds the principal and the homes
 * (/.well-known/caldav and carddav, current-user-principal, *-home-set), then one
 * PROPFIND depth 1 per home reads every collection's name, components, ctag, sync token
 * and supported reports at once (tsdav would ask for the reports one collection at a time).
 */
import { createAccount, fetchHomeUrl } from 'tsdav';
import type { DAVAccount } from 'tsdav';
import { ServerError } from '../../errors.ts';
import { describeCause } from '../../../errors.ts';
import { failureKind } from '../../http/network-failures.ts';
import { authFailure, requestFailure } from './failures.ts';
import { displayUrl } from '../../http/display-url.ts';
import { canonicalHref, withTrailingSlash } from './hrefs.ts';
import type { HttpClient } from './http.ts';
import {
  asRecord,
  childNames,
  containsElement,
  davCall,
  listOf,
  propfindBody,
  textOf,
} from './multistatus.ts';
import type { DavCollectionInfo, DavComponent } from './types.ts';

export type CollectionKind = 'calendar' | 'addressbook';

export interface DiscoveryOptions {
  serverUrl: string;
  bearer?: boolean;
  calendarHomeUrl?: string;
  addressBookHomeUrl?: string;
}

export interface DiscoveryResult {
  calendars: DavCollectionInfo[];
  addressBooks: DavCollectionInfo[];
  /**
   * The calendar the server names as the user's default (RFC 6638
   * schedule-default-calendar-URL on the scheduling inbox); absent when it names none.
   */
  defaultCalendarUrl?: string;
  /** Where new calendars and address books go (MKCALENDAR / MKCOL). */
  calendarHomeUrl?: string;
  addressBookHomeUrl?: string;
}

const COLLECTION_PROPS = [
  'd:resourcetype',
  'd:displayname',
  'c:supported-calendar-component-set',
  'cs:getctag',
  'd:sync-token',
  'd:supported-report-set',
];

export async function discoverCollections(
  http: HttpClient,
  options: DiscoveryOptions,
  remember: (url: string, kind: CollectionKind) => void,
): Promise<DiscoveryResult> {
  const homes = await findHomes(http, options);
  const result: DiscoveryResult = {
    calendars: [],
    addressBooks: [],
    ...(homes.calendar === undefined ? {} : { calendarHomeUrl: homes.calendar }),
    ...(homes.addressBook === undefined ? {} : { addressBookHomeUrl: homes.addressBook }),
  };
  if (homes.principal !== undefined) {
    const defaultCalendarUrl = await findDefaultCalendar(http, homes.principal);
    if (defaultCalendarUrl !== undefined) result.defaultCalendarUrl = defaultCalendarUrl;
  }
  const seen = new Set<string>();
  for (const home of new Set([homes.calendar, homes.addressBook])) {
    if (home === undefined) continue;
    for (const info of await listHome(http, home, remember)) {
      if (seen.has(info.url)) continue;
      seen.add(info.url);
      if (info.components.includes('VCARD')) result.addressBooks.push(info);
      else result.calendars.push(info);
    }
  }
  return result;
}

interface Homes {
  calendar?: string;
  addressBook?: string;
  /** The user's principal, when discovery found it (not with a configured home URL). */
  principal?: string;
}

/**
 * tsdav swallows errors while probing (.well-known, three candidate roots), so the fetch
 * we give it records them, and stops after the first network or credentials failure
 * instead of asking the same dead host (or with the same wrong password) five times.
 */
class ProbeFetch {
  readonly errors: ServerError[] = [];
  forbidden: string | undefined;
  /** A network or credentials failure: asking again cannot help. */
  #fatal: ServerError | undefined;
  readonly #http: HttpClient;

  constructor(http: HttpClient) {
    this.#http = http;
  }

  readonly fetch = async (
    input: string | URL | globalThis.Request,
    init?: RequestInit,
  ): Promise<globalThis.Response> => {
    if (this.#fatal !== undefined) throw this.#fatal;
    try {
      const res = await this.#http.fetchForTsdav(input, init);
      if (res.status === 403 && init?.method === 'PROPFIND') this.forbidden ??= res.url;
      return res;
    } catch (err) {
      if (err instanceof ServerError) {
        this.errors.push(err);
        if (failureKind(err) !== 'http') this.#fatal = err;
      }
      throw err;
    }
  };
}

async function findHomes(http: HttpClient, options: DiscoveryOptions): Promise<Homes> {
  const probe = new ProbeFetch(http);
  const homes: Homes = {};
  const failures: unknown[] = [];
  let calendarAccount: DAVAccount | undefined;

  if (options.calendarHomeUrl !== undefined && options.calendarHomeUrl !== '') {
    homes.calendar = withTrailingSlash(options.calendarHomeUrl);
  } else {
    try {
      calendarAccount = await createAccount({
        account: { serverUrl: options.serverUrl, accountType: 'caldav' },
        fetch: probe.fetch,
      });
      homes.calendar = calendarAccount.homeUrl;
      if (calendarAccount.principalUrl) homes.principal = calendarAccount.principalUrl;
    } catch (err) {
      failures.push(err);
    }
  }

  if (options.addressBookHomeUrl !== undefined && options.addressBookHomeUrl !== '') {
    homes.addressBook = withTrailingSlash(options.addressBookHomeUrl);
  } else {
    homes.addressBook = await findAddressBookHome(probe, options.serverUrl, calendarAccount).catch(
      (err: unknown) => {
        failures.push(err);
        return undefined;
      },
    );
  }

  if (homes.calendar === undefined && homes.addressBook === undefined) {
    throw discoveryFailure(options, probe, failures);
  }
  return homes;
}

async function findAddressBookHome(
  probe: ProbeFetch,
  serverUrl: string,
  calendarAccount: DAVAccount | undefined,
): Promise<string | undefined> {
  if (calendarAccount?.principalUrl !== undefined) {
    // Usually one principal serves both: one PROPFIND instead of a second discovery.
    try {
      return await fetchHomeUrl({
        account: { ...calendarAccount, accountType: 'carddav' },
        fetch: probe.fetch,
      });
    } catch (err) {
      if (err instanceof ServerError && failureKind(err) === 'network') throw err;
    }
  }
  const account = await createAccount({
    account: { serverUrl, accountType: 'carddav' },
    fetch: probe.fetch,
  });
  return account.homeUrl;
}

function discoveryFailure(
  options: DiscoveryOptions,
  probe: ProbeFetch,
  failures: unknown[],
): ServerError {
  const { serverUrl } = options;
  // The server named its DAV host elsewhere: that, not what the fallback met, is the answer.
  const offer = probe.errors.find((e) => e.code === 'server-redirect-offered');
  if (offer !== undefined) return offer;
  const auth = probe.errors.find((e) => failureKind(e) === 'auth');
  if (auth !== undefined) {
    // A sign-in method the server does not offer is said as such.
    if (auth.code !== 'auth-failed' && auth.code !== 'token-refused') return auth;
    // Name the address the user typed, not the candidate URL tsdav was trying.
    return authFailure(options.serverUrl, 401, options.bearer === true);
  }
  if (probe.forbidden !== undefined) return authFailure(serverUrl, 403);
  const network = probe.errors.find((e) => failureKind(e) === 'network');
  if (network !== undefined) return network;
  const serverWide = probe.errors.find((e) => e.transient);
  if (serverWide !== undefined) return serverWide;
  const detail = plainDetail(failures.length > 0 ? describeCause(failures[0]) : '');
  return new ServerError(
    `No CalDAV or CardDAV service found at ${displayUrl(serverUrl)} (${detail}).`,
    { code: 'no-dav-service', params: { url: displayUrl(serverUrl), detail } },
  );
}

/** tsdav's words ("cannot find principalUrl") put as what the user should check. */
function plainDetail(libraryText: string): string {
  if (/cannot find homeUrl/i.test(libraryText)) {
    return 'the server knows the account but shows it no calendar or address-book home; check that CalDAV/CardDAV is enabled for this user, or set connection.dav.calendarHomeUrl';
  }
  if (libraryText === '' || /cannot find principalUrl/i.test(libraryText)) {
    return 'it does not name a calendar account for this user; check that this is the CalDAV/CardDAV address your provider documents (often ending in /dav/ or /remote.php/dav/), not a web page, and the user name';
  }
  return `${libraryText.replace(/\.$/, '')}; check the address`;
}

/**
 * The server's default calendar (RFC 6638 9.2): the principal names its scheduling inbox,
 * the inbox names the default calendar. Two small PROPFINDs on discovery (once a day). A
 * server without scheduling answers without them: no default, the first calendar is used.
 * A network or credentials failure is not swallowed: listing the homes would meet it too.
 */
async function findDefaultCalendar(
  http: HttpClient,
  principal: string,
): Promise<string | undefined> {
  const inbox = await hrefProperty(http, principal, 'c:schedule-inbox-URL');
  if (inbox === undefined) return undefined;
  const calendar = await hrefProperty(http, inbox, 'c:schedule-default-calendar-URL');
  return calendar === undefined ? undefined : withTrailingSlash(calendar);
}

/** A property holding one DAV:href, as a canonical absolute URL; undefined if absent. */
async function hrefProperty(
  http: HttpClient,
  url: string,
  prop: string,
): Promise<string | undefined> {
  let reply;
  try {
    reply = await davCall(http, {
      method: 'PROPFIND',
      url,
      depth: '0',
      body: propfindBody([prop]),
    });
  } catch (err) {
    if (err instanceof ServerError && failureKind(err) !== 'http') throw err;
    return undefined;
  }
  if (reply.status !== 207) return undefined;
  // tsdav camel-cases element names ("schedule-inbox-URL" may come as scheduleInboxURL).
  const wanted = prop.replace(/^\w+:/, '').replace(/-/g, '').toLowerCase();
  for (const entry of reply.entries) {
    const key = Object.keys(entry.props).find((k) => k.toLowerCase() === wanted);
    const href = key === undefined ? undefined : textOf(asRecord(entry.props[key])?.['href']);
    if (href !== undefined && href !== '') return canonicalHref(href, url);
  }
  return undefined;
}

async function listHome(
  http: HttpClient,
  home: string,
  remember: (url: string, kind: CollectionKind) => void,
): Promise<DavCollectionInfo[]> {
  const reply = await davCall(http, {
    method: 'PROPFIND',
    url: home,
    depth: '1',
    body: propfindBody(COLLECTION_PROPS),
  });
  if (reply.status === 403) throw authFailure(home, 403);
  if (reply.status !== 207) {
    throw requestFailure('PROPFIND', home, reply.status, '', 'server');
  }
  const homeCanonical = canonicalHref(home, home);
  const out: DavCollectionInfo[] = [];
  for (const entry of reply.entries) {
    const url = withTrailingSlash(entry.href);
    if (entry.status >= 300 || url === withTrailingSlash(homeCanonical)) continue;
    const types = childNames(entry.props['resourcetype']);
    let components: DavComponent[];
    if (types.includes('addressbook')) {
      // Radicale also lists a (meaningless) calendar component set on address books.
      components = ['VCARD'];
      remember(url, 'addressbook');
    } else if (types.includes('calendar')) {
      components = calendarComponents(entry.props['supportedCalendarComponentSet']);
      remember(url, 'calendar');
    } else {
      continue;
    }
    if (components.length === 0) continue; // journals or free-busy only
    const ctag = textOf(entry.props['getctag']);
    const syncToken = textOf(entry.props['syncToken']);
    out.push({
      url,
      displayName: textOf(entry.props['displayname']) ?? lastSegment(url),
      components,
      ...(ctag === undefined || ctag === '' ? {} : { ctag }),
      ...(syncToken === undefined || syncToken === '' ? {} : { syncToken }),
      supportsSyncCollection: supportsReport(entry.props['supportedReportSet'], 'syncCollection'),
    });
  }
  return out;
}

function calendarComponents(set: unknown): DavComponent[] {
  const names = listOf(asRecord(set)?.['comp'])
    .map((comp) => textOf(asRecord(asRecord(comp)?.['_attributes'])?.['name'])?.toUpperCase())
    .filter((n): n is string => n !== undefined);
  // No component set at all means "any component" (RFC 4791 5.2.3).
  if (names.length === 0) return ['VEVENT', 'VTODO'];
  return (['VEVENT', 'VTODO'] as const).filter((c) => names.includes(c));
}

/**
 * RFC 3253 nests <report> inside <supported-report>; Xandikos leaves it out, so look for
 * the report's element anywhere below.
 */
export function supportsReport(set: unknown, report: string): boolean {
  return containsElement(set, report);
}

function lastSegment(url: string): string {
  const parts = new URL(url).pathname.split('/').filter((p) => p !== '');
  const last = parts[parts.length - 1] ?? '';
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}
