/**
 * The settings rules, checked in the renderer before anything is sent: the same formats
 * (src/shared/settings-formats.ts, shared with the schema) and ranges as the schema, and
 * the same rules for what is missing as the engine's readiness check
 * (src/shared/settings/rules.ts, worded here by KEY_OF_RULE), so a mistake is explained
 * next to its field at once.
 * The engine checks everything again on save; its problems are shown the same way.
 * (The renderer cannot import src/core: it runs sandboxed and gets only the preload API.)
 */
import type { FieldProblem, Settings } from '../../shared/app-api.ts';
import type { resources } from '../i18n/index.ts';
// The schema's own format checks: one module for both sides.
import {
  isBranchPath,
  isEmail,
  isFingerprint,
  hasUrlCredentials,
  isGuid,
  isMailboxSuffix,
  isProxyUrl,
  isServerUrl,
  isTenant,
  normalizeExtensions,
  EXTENSION_PATTERN,
} from '../../shared/settings-formats.ts';
import { isCalendarDate } from '../../shared/calendar-date.ts';
import type { MessageCode } from '../../shared/message-codes.ts';
import { serverKind } from '../../shared/server-kinds.ts';
import {
  categoryPairsRule,
  connectionRules,
  crmRules,
  exportGroupsRule,
  noAgendaRule,
} from '../../shared/settings/rules.ts';
import type { RuleProblem } from '../../shared/settings/rules.ts';

export type EventsSettings = Settings['agendas']['events'];
export type TasksSettings = Settings['agendas']['tasks'];
export type ContactsSettings = Settings['agendas']['contacts'];
export type MailSettings = Settings['agendas']['mail'];
export type ConnectionSettings = Settings['connection'];
export type CategoryPair = EventsSettings['categoryPairs'][number];

export type ValidationKey = keyof (typeof resources)['en']['validation'];

/**
 * A problem of one field: a message of ours (translated) or the engine's (`text` in English,
 * `engine` its problems, worded in the UI language where they have a code).
 */
export type Problem =
  | { key: ValidationKey; values?: Record<string, string | number> }
  | { text: string; engine?: readonly FieldProblem[] };

/** Problems by field: dotted settings keys ("agendas.events.daysPast") or wizard fields. */
export type Problems = Readonly<Record<string, Problem>>;

export const LIMITS = {
  days: { min: 0, max: 3650 },
  mailDays: { min: 1, max: 3650 },
  interval: { min: 1, max: 1440 },
  guardCount: { min: 0, max: 1_000_000 },
  guardPercent: { min: 0, max: 100 },
} as const;

/**
 * Attachment types as typed ("doc; .PDF, xlsx") -> ["doc", "pdf", "xlsx"], as `config set`
 * reads them; `invalid` holds what is still not an extension.
 */
export function parseExtensions(text: string): { list: string[]; invalid: string[] } {
  const list = normalizeExtensions(text.split(/[;,\s]+/));
  return { list, invalid: list.filter((p) => !EXTENSION_PATTERN.test(p)) };
}

export function isWhole(value: number, range: { min: number; max: number }): boolean {
  return Number.isInteger(value) && value >= range.min && value <= range.max;
}

/** Text typed into a number field -> the number, or NaN when it is not a whole number. */
export function parseWhole(text: string): number {
  const trimmed = text.trim();
  return /^-?\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

/** The first name that occurs twice, ignoring case and surrounding spaces. */
export function firstDuplicate(names: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const name of names) {
    const norm = name.trim().toLowerCase();
    if (norm === '') continue;
    if (seen.has(norm)) return name;
    seen.add(norm);
  }
  return undefined;
}

// --- sections ---

type Mutable = Record<string, Problem>;

/** How the app words each shared rule (src/shared/settings/rules.ts). */
const KEY_OF_RULE: Partial<Record<MessageCode, ValidationKey>> = {
  'readiness-crm-database': 'databasePathEmpty',
  'readiness-crm-user': 'crmUserEmpty',
  'readiness-exchange-address': 'exchangeEndpoint',
  'readiness-exchange-user': 'exchangeUser',
  'readiness-exchange-mailbox': 'mailboxEmpty',
  'readiness-exchange-mailbox-template': 'mailboxTemplateEmpty',
  'readiness-dav-url': 'davUrlEmpty',
  'readiness-dav-user': 'davUser',
  'readiness-category-pairs': 'pairsNeeded',
  'readiness-export-groups': 'groupsNeeded',
};

/** The shared rules' problems, each on its field in the app's words. */
function addRules(out: Mutable, problems: readonly RuleProblem[]) {
  for (const problem of problems) {
    const key = KEY_OF_RULE[problem.code];
    if (key !== undefined) out[problem.field] = { key };
  }
}

/** A URL field: a user name or password in it is named first (it belongs in its own fields). */
function url(out: Mutable, field: string, value: string, kind: 'serverUrl' | 'proxyUrl') {
  const valid = kind === 'serverUrl' ? isServerUrl : isProxyUrl;
  if (hasUrlCredentials(value)) out[field] = { key: 'urlCredentials' };
  else if (!valid(value)) out[field] = { key: kind };
}

function range(out: Mutable, field: string, value: number, limits: { min: number; max: number }) {
  if (!isWhole(value, limits)) out[field] = { key: 'wholeNumber', values: { ...limits } };
}

export function validateCrm(crm: Settings['crm']): Problems {
  const out: Mutable = {};
  addRules(out, crmRules(crm));
  return out;
}

/** Each server kind's field formats; what is missing is the shared rules'. */
const CONNECTION_FORMATS: Record<
  ConnectionSettings['kind'],
  (out: Mutable, c: ConnectionSettings) => void
> = {
  exchange(out, { exchange }) {
    const p = 'connection.exchange';
    url(out, `${p}.ewsUrl`, exchange.ewsUrl, 'serverUrl');
    if (!isEmail(exchange.email)) out[`${p}.email`] = { key: 'email' };
    if (exchange.mailboxMode === 'impersonation') {
      if (!isEmail(exchange.mailbox)) out[`${p}.mailbox`] = { key: 'email' };
      if (!isMailboxSuffix(exchange.mailboxTemplate)) {
        out[`${p}.mailboxTemplate`] = { key: 'mailboxTemplate' };
      }
    }
  },
  m365(out, { m365 }) {
    const p = 'connection.m365';
    if (!isTenant(m365.tenantId)) out[`${p}.tenantId`] = { key: 'tenant' };
    if (m365.clientId === '') out[`${p}.clientId`] = { key: 'clientIdEmpty' };
    else if (!isGuid(m365.clientId)) out[`${p}.clientId`] = { key: 'guid' };
    if (!isEmail(m365.email)) out[`${p}.email`] = { key: 'email' };
  },
  dav(out, { dav }) {
    const p = 'connection.dav';
    if (dav.url !== '') url(out, `${p}.url`, dav.url, 'serverUrl');
    url(out, `${p}.calendarHomeUrl`, dav.calendarHomeUrl, 'serverUrl');
    url(out, `${p}.addressBookHomeUrl`, dav.addressBookHomeUrl, 'serverUrl');
  },
};

export function validateConnection(connection: ConnectionSettings): Problems {
  const out: Mutable = {};
  const { kind, proxy, trustedCertificate } = connection;
  // A kind this version lacks (src/shared/server-kinds.ts): said on the server choice.
  if (!serverKind(kind).available) out['connection.kind'] = { key: 'm365Unavailable' };
  CONNECTION_FORMATS[kind](out, connection);
  // A missing value is named rather than its format (both empty EWS URL and e-mail).
  addRules(out, connectionRules(connection));
  url(out, 'connection.proxy.url', proxy.url, 'proxyUrl');
  if (!isFingerprint(trustedCertificate.sha256Fingerprint)) {
    out['connection.trustedCertificate.sha256Fingerprint'] = { key: 'fingerprint' };
  }
  return out;
}

function validatePairs(
  out: Mutable,
  name: 'events' | 'tasks',
  agenda: EventsSettings | TasksSettings,
) {
  const prefix = `agendas.${name}`;
  const pairs: readonly CategoryPair[] = agenda.categoryPairs;
  pairs.forEach((pair, i) => {
    if (pair.crm.trim() === '') out[`${prefix}.categoryPairs.${i}.crm`] = { key: 'pairCrmEmpty' };
    if (pair.server.trim() === '') {
      out[`${prefix}.categoryPairs.${i}.server`] = { key: 'pairServerEmpty' };
    }
  });
  const crm = firstDuplicate(pairs.map((p) => p.crm));
  const server = firstDuplicate(pairs.map((p) => p.server));
  if (crm !== undefined) {
    out[`${prefix}.categoryPairs`] = { key: 'pairDuplicateCrm', values: { name: crm } };
  } else if (server !== undefined) {
    out[`${prefix}.categoryPairs`] = { key: 'pairDuplicateServer', values: { name: server } };
  } else {
    addRules(out, categoryPairsRule(name, agenda));
  }
}

function validateFolders(out: Mutable, field: string, folders: readonly string[]) {
  if (folders.some((f) => f.trim() === '')) out[field] = { key: 'folderEmpty' };
}

/** What the events and tasks agendas share: "import from" and the export groups. */
function validateActivities(
  out: Mutable,
  name: 'events' | 'tasks',
  a: EventsSettings | TasksSettings,
) {
  if (!isCalendarDate(a.importFrom)) out[`agendas.${name}.importFrom`] = { key: 'calendarDate' };
  addRules(out, exportGroupsRule(name, a));
}

/**
 * The status given to imported events must be one the CRM's events use (`statuses`, from
 * the CRM lookups; undefined while they load: not checked yet).
 */
export function validateImportedStatus(
  status: string,
  statuses: readonly string[] | undefined,
): Problems {
  if (status === '' || statuses === undefined || statuses.includes(status)) return {};
  return { 'agendas.events.importedStatus': { key: 'statusUnknown', values: { status } } };
}

export function validateEvents(events: EventsSettings): Problems {
  const out: Mutable = {};
  const p = 'agendas.events';
  range(out, `${p}.daysPast`, events.daysPast, LIMITS.days);
  range(out, `${p}.daysFuture`, events.daysFuture, LIMITS.days);
  validateFolders(out, `${p}.folders`, events.folders);
  validatePairs(out, 'events', events);
  validateActivities(out, 'events', events);
  return out;
}

export function validateTasks(tasks: TasksSettings): Problems {
  const out: Mutable = {};
  const p = 'agendas.tasks';
  range(out, `${p}.daysPast`, tasks.daysPast, LIMITS.days);
  range(out, `${p}.daysFuture`, tasks.daysFuture, LIMITS.days);
  validateFolders(out, `${p}.folders`, tasks.folders);
  validatePairs(out, 'tasks', tasks);
  validateActivities(out, 'tasks', tasks);
  return out;
}

/** `categoriesOn`: the "only contacts with these categories" box is ticked. */
export function validateContacts(contacts: ContactsSettings, categoriesOn = false): Problems {
  const out: Mutable = {};
  const p = 'agendas.contacts';
  validateFolders(out, `${p}.folders`, contacts.folders);
  if (categoriesOn && contacts.categories.length === 0) {
    out[`${p}.categories`] = { key: 'categoriesNeeded' };
  }
  if (!isBranchPath(contacts.classificationBranch)) {
    out[`${p}.classificationBranch`] = { key: 'branch' };
  }
  return out;
}

export function validateMail(mail: MailSettings): Problems {
  const out: Mutable = {};
  const p = 'agendas.mail';
  if (mail.folders.length === 0) out[`${p}.folders`] = { key: 'mailFoldersNeeded' };
  else validateFolders(out, `${p}.folders`, mail.folders);
  range(out, `${p}.maxAgeDays`, mail.maxAgeDays, LIMITS.mailDays);
  if (mail.attachments.save && mail.attachments.directory.trim() === '') {
    out[`${p}.attachments.directory`] = { key: 'attachmentsDirectory' };
  }
  const bad = mail.attachments.allowedExtensions.find((e) => !EXTENSION_PATTERN.test(e));
  if (bad !== undefined) {
    out[`${p}.attachments.allowedExtensions`] = { key: 'extension', values: { name: bad } };
  }
  return out;
}

/** The General step: interval, which agendas, the guard. */
export function validateGeneral(settings: Settings): Problems {
  const out: Mutable = {};
  range(out, 'schedule.intervalMinutes', settings.schedule.intervalMinutes, LIMITS.interval);
  const share = settings.guard.maxDeleteShare;
  if (!(Number.isFinite(share) && share >= 0 && share <= 1)) {
    out['guard.maxDeleteShare'] = { key: 'wholeNumber', values: { ...LIMITS.guardPercent } };
  }
  range(out, 'guard.maxDeleteCount', settings.guard.maxDeleteCount, LIMITS.guardCount);
  const { mail } = settings.agendas;
  // Turning on e-mail import is answered by mailUnavailable instead.
  if (!mail.enabled && noAgendaRule(settings.agendas).length > 0) {
    out['agendas'] = { key: 'noAgenda' };
  }
  // Not in this version, on any server (src/shared/settings/unavailable.ts).
  if (mail.enabled) out['agendas.mail.enabled'] = { key: 'mailUnavailable' };
  return out;
}

/** Every rule of every enabled part: what Finish and Save check before saving. */
export function validateSettings(settings: Settings): Problems {
  const { events, tasks, contacts, mail } = settings.agendas;
  return {
    ...validateCrm(settings.crm),
    ...validateConnection(settings.connection),
    ...validateGeneral(settings),
    ...(events.enabled ? validateEvents(events) : {}),
    ...(tasks.enabled ? validateTasks(tasks) : {}),
    ...(contacts.enabled ? validateContacts(contacts) : {}),
    ...(mail.enabled ? validateMail(mail) : {}),
  };
}

/** The engine's problems by field (several for one field are joined). */
export function fromFieldProblems(problems: readonly FieldProblem[]): Problems {
  const out: Record<string, { text: string; engine: FieldProblem[] }> = {};
  for (const problem of problems) {
    const prior = out[problem.field];
    out[problem.field] = prior
      ? { text: `${prior.text} ${problem.message}`, engine: [...prior.engine, problem] }
      : { text: problem.message, engine: [problem] };
  }
  return out;
}

export function hasProblems(problems: Problems): boolean {
  return Object.keys(problems).length > 0;
}

/** The problems whose field is `prefix` or below it. */
export function problemsUnder(problems: Problems, prefix: string): Problems {
  return Object.fromEntries(
    Object.entries(problems).filter(
      ([field]) => field === prefix || field.startsWith(`${prefix}.`),
    ),
  );
}
