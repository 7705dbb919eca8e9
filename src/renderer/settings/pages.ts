/**
 * The settings pages by name, in the order the wizard walks them, and which page (and which
 * control on it) shows the problem of a field.
 */
import type { Settings } from '../../shared/app-api.ts';

export const PAGES = ['crm', 'server', 'general'] as const;
export type PageName = (typeof PAGES)[number];

export type AgendaName = keyof Settings['agendas'];
export const AGENDAS: readonly AgendaName[] = ['events', 'tasks', 'contacts', 'mail'];

/** Fields the engine may name for the server password. */
export const PASSWORD_FIELDS: readonly string[] = [
  'server.password',
  'connection.password',
  'password',
];

/** Fields a page shows next to a control; other problems of the page go on top of it. */
const CRM_FIELDS = ['crm.databasePath', 'crm.user', 'crm.password'];
const CONNECTION_PREFIXES = ['connection.', ...PASSWORD_FIELDS];
const GENERAL_FIELDS = ['schedule.intervalMinutes', 'guard.maxDeleteShare', 'guard.maxDeleteCount'];

const CONNECTION_SHOWN: ReadonlySet<string> = new Set([
  'connection.exchange.ewsUrl',
  'connection.exchange.email',
  'connection.exchange.user',
  'connection.exchange.domain',
  'connection.exchange.mailbox',
  'connection.exchange.mailboxTemplate',
  'connection.m365.tenantId',
  'connection.m365.clientId',
  'connection.m365.email',
  'connection.dav.url',
  'connection.dav.user',
  'connection.dav.calendarHomeUrl',
  'connection.dav.addressBookHomeUrl',
  'connection.proxy.url',
  'connection.proxy.user',
  'connection.trustedCertificate.sha256Fingerprint',
  ...PASSWORD_FIELDS,
]);

/** The page a field's problem belongs to; anything not CRM or server is on General. */
export function pageOf(field: string): PageName {
  if (field === 'crm' || field.startsWith('crm.')) return 'crm';
  if (field === 'connection' || CONNECTION_PREFIXES.some((p) => field.startsWith(p))) {
    return 'server';
  }
  return 'general';
}

/** Whether a control shows this field's problem next to it (else it goes on top of the page). */
export function isShown(field: string): boolean {
  return (
    CRM_FIELDS.includes(field) ||
    CONNECTION_SHOWN.has(field) ||
    GENERAL_FIELDS.includes(field) ||
    field === 'agendas' ||
    field.startsWith('agendas.')
  );
}

/** The agenda whose dialog holds this field ("agendas.events.daysPast" -> events). */
export function agendaOf(field: string): AgendaName | undefined {
  const [head, name, rest] = field.split('.');
  if (head !== 'agendas' || rest === undefined || rest === 'enabled') return undefined;
  return AGENDAS.find((a) => a === name);
}

/** The page after this one (undefined: it is the last). */
export function pageAfter(page: PageName): PageName | undefined {
  return PAGES[PAGES.indexOf(page) + 1];
}

/** The page before this one (undefined: it is the first). */
export function pageBefore(page: PageName): PageName | undefined {
  const i = PAGES.indexOf(page);
  return i > 0 ? PAGES[i - 1] : undefined;
}
