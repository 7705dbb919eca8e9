/** Small iCalendar/vCard texts and transport set-up shared by the transport tests. */
import {
  createDavTransport,
  createRequestStats,
} from '../../src/core/servers/dav/transport/index.ts';
import type {
  DavTransport,
  DavTransportOptions,
  RequestStats,
} from '../../src/core/servers/dav/transport/index.ts';
import type { DavTestServer } from '../support/dav-servers.ts';

export function eventText(
  uid: string,
  summary: string,
  component: 'VEVENT' | 'VTODO' = 'VEVENT',
): string {
  const when =
    component === 'VEVENT'
      ? ['DTSTART:20260301T090000Z', 'DTEND:20260301T100000Z']
      : ['DUE:20260301T090000Z'];
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//CRM Sync//tests//EN',
    `BEGIN:${component}`,
    `UID:${uid}`,
    'DTSTAMP:20260101T000000Z',
    ...when,
    `SUMMARY:${summary}`,
    `END:${component}`,
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

export function cardText(uid: string, name: string): string {
  return [
    'BEGIN:VCARD',
    'VERSION:3.0',
    `UID:${uid}`,
    `FN:${name}`,
    `N:${name};;;;`,
    'END:VCARD',
    '',
  ].join('\r\n');
}

export const CALENDAR_TYPE = 'text/calendar';
export const VCARD_TYPE = 'text/vcard';

export interface TransportUnderTest {
  transport: DavTransport;
  stats: RequestStats;
}

/** A transport for `server`, with its own stats; closed by the caller (or left to GC in tests). */
export function transportFor(
  server: DavTestServer,
  overrides: Partial<DavTransportOptions> = {},
): TransportUnderTest {
  const stats = createRequestStats();
  const transport = createDavTransport({
    url: server.url,
    user: server.user,
    password: server.password,
    auth: 'basic',
    timeoutMs: 20_000,
    stats,
    ...overrides,
  });
  return { transport, stats };
}

let counter = 0;
/** A collection or UID name unique within the test run. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}
