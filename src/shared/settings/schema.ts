/**
 * The settings file's schema: one typed, strict schema whose defaults are those of the
 * products we replace (see shared/seeds). The first-run wizard, the agenda dialogs and
 * `crm-sync config` all write these fields. Secrets have no field here at all: passwords
 * and tokens live in a SecretStore.
 */
import { z } from 'zod';
import {
  boolean,
  categoryPairs,
  choice,
  decimal,
  extensionList,
  group,
  integer,
  text,
  textList,
  version,
} from './fields.ts';
import {
  SERVER_URL_EXPECTATION,
  isBranchPath,
  isEmail,
  isFingerprint,
  isGuid,
  isMailboxSuffix,
  isProxyUrl,
  isServerUrl,
  isTenant,
} from '../settings-formats.ts';
import { CALENDAR_DATE_EXPECTATION, isCalendarDate } from '../calendar-date.ts';
import { SERVER_KIND_IDS } from '../server-kinds.ts';
import type { ServerKindId } from '../server-kinds.ts';

/**
 * The schema version this code writes: one more than the number of settings-file
 * migrations (src/core/settings/migrations.ts), so a migration comes with a new version
 * here; a test checks that the two agree.
 */
export const SETTINGS_VERSION: number = 1;

export const DIRECTIONS = ['two-way', 'import', 'export'] as const;
export const CONFLICT_POLICIES = ['newer-wins', 'server-wins', 'crm-wins'] as const;
export const AGENDA_CONFLICT_POLICIES = ['inherit', ...CONFLICT_POLICIES] as const;
export const CATEGORY_MODES = ['all', 'paired'] as const;
export const EXCHANGE_VERSIONS = [
  'Exchange2010_SP2',
  'Exchange2013',
  'Exchange2013_SP1',
  'Exchange2016',
] as const;

const EMAIL_EXPECTATION = 'an e-mail address like name@example.com, or empty';

/** Where a server URL's user name and password belong instead (fields.ts: credentials). */
const SERVER_CREDENTIALS = (userField: string) => ({
  userField,
  secret: 'server.password',
  cliHint: 'crm-sync init --password-stdin',
});

const direction = (what: string) =>
  choice(
    DIRECTIONS,
    'two-way',
    `Which way ${what} travel: "two-way", "import" (server to CRM only) or "export" (CRM to server only).`,
  );

const agendaConflictPolicy = () =>
  choice(
    AGENDA_CONFLICT_POLICIES,
    'inherit',
    'Who wins when an item changed on both sides since the last run; "inherit" uses the top-level conflictPolicy.',
  );

const folders = (what: string, fallback: string) =>
  textList(
    [],
    `Server folders to synchronise ${what} with (folder ids or paths as the folder picker writes them); empty = ${fallback}.`,
  );

/** "All calendars / all task folders" beside picking folders (source document 001). */
const allFolders = (what: string, folderKind: string) =>
  boolean(
    false,
    `Synchronise ${what} with every ${folderKind} of the server (folders is then ignored); the default one receives new CRM ${what}.`,
  );

/** "Import activities starting from" a date (source document 001): a bound on import only. */
const importFrom = (what: string) =>
  text(
    `Do not import server ${what} that lie wholly before this day (YYYY-MM-DD, a UTC day, beside the day window); empty = no such bound. Only imports: CRM ${what} are exported whatever their date, and items already synchronised stay so.`,
    { check: isCalendarDate, expectation: CALENDAR_DATE_EXPECTATION, expects: 'calendar-date' },
  );

/** "Export only activities of selected groups" (source document 001): events and tasks. */
const exportGroups = (what: string) =>
  group(`Which CRM ${what} are exported, by activity group.`, {
    mode: choice(
      ['all', 'selected'],
      'all',
      `"all": export all the CRM user's ${what}; "selected": only ${what} in the activity groups listed in groups (${what} without a group are exported too).`,
    ),
    groups: textList([], 'CRM activity group names exported in "selected" mode.'),
  });

const dayWindow = (what: string) => ({
  daysPast: integer(
    0,
    3650,
    14,
    `How many days into the past ${what} are synchronised (counted from today).`,
  ),
  daysFuture: integer(
    0,
    3650,
    31,
    `How many days into the future ${what} are synchronised (counted from today).`,
  ),
});

const categoryRules = (what: string) => ({
  categoryMode: choice(
    CATEGORY_MODES,
    'all',
    `"all": synchronise all ${what} (a CRM category travels to the server as a server category, not back); "paired": only ${what} whose category is listed in categoryPairs.`,
  ),
  defaultCategory: text(
    `CRM category given to ${what} imported from the server in "all" mode; empty = none.`,
  ),
  categoryPairs: categoryPairs(
    `CRM category <-> server category pairs, e.g. [{"crm": "HOTLINE", "server": "Hotline"}]. In "paired" mode only ${what} with a listed category are synchronised; each category may appear in one pair only.`,
  ),
});

const exchange = group(
  'Microsoft Exchange on-premises over EWS (used when connection.kind is "exchange").',
  {
    ewsUrl: text(
      'EWS endpoint, e.g. https://mail.example.com/EWS/Exchange.asmx; empty = find it by autodiscovery from connection.exchange.email.',
      {
        check: isServerUrl,
        expectation: SERVER_URL_EXPECTATION,
        expects: 'server-url',
        credentials: SERVER_CREDENTIALS('connection.exchange.user'),
      },
    ),
    email: text(
      'E-mail address of the mailbox, used for autodiscovery when connection.exchange.ewsUrl is empty.',
      { check: isEmail, expectation: EMAIL_EXPECTATION, expects: 'email' },
    ),
    user: text(
      'Account to sign in with, as used in Outlook: "user", "DOMAIN\\user" or "user@example.com". With impersonation this is the service account. Its password goes to the secret store (server.password).',
    ),
    domain: text(
      'Windows domain for NTLM sign-in when connection.exchange.user does not name one; empty = none.',
    ),
    auth: choice(
      ['ntlm', 'basic', 'oauth'],
      'ntlm',
      'How to sign in: "ntlm" (Windows integrated, the on-premises default), "basic" (user name and password) or "oauth" (a bearer token kept in the secret store as server.token).',
    ),
    mailboxMode: choice(
      ['own', 'impersonation'],
      'own',
      '"own": open the signed-in account\'s own mailbox; "impersonation": a service account opens another user\'s mailbox (needs the ApplicationImpersonation role).',
    ),
    mailbox: text(
      'SMTP address of the mailbox to open with impersonation; empty = build it from the CRM login when connection.exchange.loginAsMailboxName is on.',
      { check: isEmail, expectation: EMAIL_EXPECTATION, expects: 'email' },
    ),
    loginAsMailboxName: boolean(
      false,
      'Use the CRM login (crm.user) followed by connection.exchange.mailboxTemplate as the mailbox address when impersonating.',
    ),
    mailboxTemplate: text(
      'What follows the CRM login to make a mailbox address, e.g. "@example.com"; used with connection.exchange.loginAsMailboxName.',
      {
        check: isMailboxSuffix,
        expectation: 'text starting with "@", e.g. "@example.com", or empty',
        expects: 'mailbox-suffix',
      },
    ),
    serverVersion: choice(
      EXCHANGE_VERSIONS,
      'Exchange2016',
      'EWS schema version to request. "Exchange2016" also serves Exchange 2019 and Subscription Edition; choose an older one only for an older server.',
    ),
  },
);

const m365 = group('Microsoft 365 over Microsoft Graph (used when connection.kind is "m365").', {
  tenantId: text(
    'Microsoft Entra tenant: "organizations" (any work or school account), "common", a tenant GUID or a domain like example.onmicrosoft.com.',
    {
      default: 'organizations',
      check: isTenant,
      expectation: '"organizations", "common", "consumers", a tenant GUID or a domain name',
      expects: 'tenant',
    },
  ),
  clientId: text('Application (client) ID of the app registration used to sign in, a GUID.', {
    check: isGuid,
    expectation: 'a GUID like 00000000-0000-0000-0000-000000000000, or empty',
    expects: 'guid',
  }),
  email: text('Account to sign in as (offered at sign-in); empty = choose at sign-in.', {
    check: isEmail,
    expectation: EMAIL_EXPECTATION,
    expects: 'email',
  }),
});

const dav = group(
  'A CalDAV/CardDAV server such as Nextcloud, SOGo or Radicale (used when connection.kind is "dav").',
  {
    url: text(
      'Server or principal URL, e.g. https://cloud.example.com/remote.php/dav; calendars and address books are discovered from it.',
      {
        check: isServerUrl,
        expectation: SERVER_URL_EXPECTATION,
        expects: 'server-url',
        credentials: SERVER_CREDENTIALS('connection.dav.user'),
      },
    ),
    user: text(
      'User name on the server. Its password (or app password) goes to the secret store (server.password).',
    ),
    auth: choice(
      ['basic', 'digest', 'bearer'],
      'basic',
      'How to sign in: "basic", "digest" or "bearer" (a token kept in the secret store as server.token).',
    ),
    calendarHomeUrl: text('Calendar home URL when discovery does not find it; empty = discover.', {
      check: isServerUrl,
      expectation: SERVER_URL_EXPECTATION,
      expects: 'server-url',
      credentials: SERVER_CREDENTIALS('connection.dav.user'),
    }),
    addressBookHomeUrl: text(
      'Address book home URL when discovery does not find it; empty = discover.',
      {
        check: isServerUrl,
        expectation: SERVER_URL_EXPECTATION,
        expects: 'server-url',
        credentials: SERVER_CREDENTIALS('connection.dav.user'),
      },
    ),
  },
);

const connection = group('The groupware server to synchronise with.', {
  kind: choice(
    SERVER_KIND_IDS,
    'exchange',
    'Which server is used: "exchange" (on-premises, EWS), "m365" (Microsoft 365, Graph: not available in this version, a sync exits 6) or "dav" (CalDAV/CardDAV). The settings of the other kinds are kept, so switching back loses nothing.',
  ),
  exchange,
  m365,
  dav,
  proxy: group('HTTP proxy between crm-sync and the server.', {
    url: text('Proxy URL, e.g. http://proxy.example.com:3128; empty = connect directly.', {
      check: isProxyUrl,
      expectation: 'an http or https URL, or empty',
      expects: 'proxy-url',
      credentials: { userField: 'connection.proxy.user', secret: 'proxy.password' },
    }),
    user: text(
      'User name for the proxy; empty = none. Its password goes to the secret store (proxy.password).',
    ),
  }),
  trustedCertificate: group('A server certificate the user trusts explicitly (e.g. self-signed).', {
    sha256Fingerprint: text(
      'SHA-256 fingerprint of the one extra certificate to trust; empty = trust only the system certificate authorities.',
      {
        check: isFingerprint,
        expectation:
          '64 hexadecimal digits, optionally as colon-separated pairs (AB:CD:...), or empty',
        expects: 'fingerprint',
      },
    ),
  }),
});

const events = group('Calendar events: CRM events <-> server calendar items.', {
  enabled: boolean(true, 'Synchronise calendar events.'),
  direction: direction('events'),
  conflictPolicy: agendaConflictPolicy(),
  ...dayWindow('events'),
  importFrom: importFrom('events'),
  folders: folders('events', "the mailbox's default calendar"),
  allFolders: allFolders('events', 'calendar'),
  skipPrivate: boolean(false, 'Do not synchronise events marked private (on either side).'),
  ...categoryRules('events'),
  importedStatus: text(
    'Value set in the CRM "Status" field of events imported from the server, one of the status values the CRM\'s events use, e.g. "Incoming"; empty = leave it.',
  ),
  exportGroups: exportGroups('events'),
  linkByAttendeeEmail: boolean(
    true,
    "Link an imported event to the CRM persons whose e-mail address matches an attendee's.",
  ),
  linkCompanies: boolean(
    false,
    'Also link the event to all companies attached to those persons (with linkByAttendeeEmail).',
  ),
});

const tasks = group(
  'Tasks: CRM tasks <-> server tasks (or calendar items, see showInCalendarAsEvent).',
  {
    enabled: boolean(false, 'Synchronise tasks.'),
    direction: direction('tasks'),
    conflictPolicy: agendaConflictPolicy(),
    ...dayWindow('tasks'),
    importFrom: importFrom('tasks'),
    folders: folders('tasks', "the mailbox's default task folder"),
    allFolders: allFolders('tasks', 'task folder'),
    skipPrivate: boolean(false, 'Do not synchronise tasks marked private (on either side).'),
    ...categoryRules('tasks'),
    exportGroups: exportGroups('tasks'),
    showInCalendarAsEvent: boolean(
      true,
      'A CRM task flagged "show in calendar" goes to the server as a calendar event; other tasks go as server tasks.',
    ),
    ownerOnly: boolean(
      true,
      "Import only server tasks owned by the CRM user (crm.user): on CalDAV a task whose ORGANIZER is another address is not, on Exchange a task assigned to someone else is not; a task without an owner is the user's own.",
    ),
  },
);

const contacts = group('Contacts: CRM persons (with their companies) <-> server contacts.', {
  enabled: boolean(true, 'Synchronise contacts.'),
  direction: direction('contacts'),
  conflictPolicy: agendaConflictPolicy(),
  folders: folders('contacts', "the mailbox's default contacts folder"),
  categories: textList(
    [],
    'Synchronise only persons with one of these CRM categories; empty = all.',
  ),
  classificationBranch: text(
    'Synchronise only persons filed in this branch of the CRM classification tree (and below), as a path like "Contacts/Customers"; empty = the whole tree.',
    {
      check: isBranchPath,
      expectation: 'a path like "Contacts/Customers" without empty parts, or empty',
      expects: 'branch-path',
    },
  ),
});

const mail = group(
  'E-mail import (one way, server -> CRM), linked to the persons and companies it concerns.',
  {
    enabled: boolean(
      false,
      'Import e-mail. Not available in this version: with it on, a sync does nothing and exits 6.',
    ),
    folders: textList(
      ['Inbox', 'Sent Items'],
      'Mail folders to import from ("Inbox", "Sent Items" and other well-known names are found in any mailbox language).',
    ),
    maxAgeDays: integer(
      1,
      3650,
      31,
      'Import only messages received or sent in the last this many days.',
    ),
    linkToPersons: boolean(
      true,
      'Link an imported message to the CRM persons whose e-mail addresses it carries.',
    ),
    linkCompanies: boolean(true, 'Also link the message to the companies of those persons.'),
    attachments: group('Saving attachments of imported messages.', {
      save: boolean(false, 'Save attachments to disk and record them as CRM documents.'),
      directory: text(
        'Folder the attachments are saved in; a relative path is resolved against the folder of this settings file.',
      ),
      category: text('CRM category given to saved attachments.', { default: 'Attachment' }),
      allowedExtensions: extensionList(
        ['doc', 'docx', 'xls', 'xlsx', 'pdf', 'jpg', 'jpeg', 'txt', 'png'],
        'File extensions of attachments to save; others are skipped. `config set` also accepts text like "doc;docx;.PDF".',
      ),
    }),
  },
);

export const settingsSchema = z
  .strictObject({
    version: version(
      SETTINGS_VERSION,
      'Schema version of this file, written by crm-sync; files of older versions are upgraded when loaded.',
    ),
    crm: group('The local CRM database and whose data is synchronised.', {
      databasePath: text(
        'Path of the CRM database file (SQLite); a relative path is resolved against the folder of this settings file.',
        { default: 'crm.sqlite' },
      ),
      user: text(
        'CRM login whose events, tasks and contacts are synchronised (the CRM user, not the server account).',
      ),
    }),
    connection,
    schedule: group('When synchronisation runs.', {
      automatic: boolean(
        true,
        'Synchronise automatically every intervalMinutes (the daemon and the tray app); off: only when asked ("Synchronize now", crm-sync sync). Not the same as pausing the tray app.',
      ),
      intervalMinutes: integer(1, 1440, 10, 'Check for changes every this many minutes.'),
      startAtLogin: boolean(true, 'Start the tray app when the user logs in.'),
    }),
    guard: group(
      'Safety guard against mass deletion: a run is refused when it would delete more than maxDeleteShare of a side AND more than maxDeleteCount items.',
      {
        maxDeleteShare: decimal(
          0,
          1,
          0.3,
          'Largest share of one side a run may delete, 0.3 = 30 %.',
        ),
        maxDeleteCount: integer(
          0,
          1_000_000,
          5,
          'Deleting at most this many items is always allowed, whatever the share.',
        ),
      },
    ),
    conflictPolicy: choice(
      CONFLICT_POLICIES,
      'newer-wins',
      'Who wins when an item changed on both sides since the last run: "newer-wins" (the later change), "server-wins" or "crm-wins". Agendas may override it.',
    ),
    agendas: group('What is synchronised, per agenda.', { events, tasks, contacts, mail }),
  })
  .describe('CRM Sync settings');

export type Settings = z.output<typeof settingsSchema>;
export type ConnectionKind = ServerKindId;
/** The agendas synchronised both ways (e-mail is imported one way). */
export type TwoWayAgenda = Exclude<keyof Settings['agendas'], 'mail'>;
export type Direction = (typeof DIRECTIONS)[number];
export type ConflictPolicy = (typeof CONFLICT_POLICIES)[number];

/** Settings with every default: what `crm-sync init` writes before the user fills it in. */
export function defaultSettings(): Settings {
  return settingsSchema.parse({});
}
