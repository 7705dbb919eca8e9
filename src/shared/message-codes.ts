/**
 * Stable codes for the failures a user reads (wrong password, unknown host, no such
 * mailbox …), so the app can word them in its language. Errors carry the code and its
 * parameters next to their English sentence (UserError.code/params); the CLI prints the
 * sentence, the app translates `error.<code>` (renderer i18n) and falls back to the
 * sentence for a code it does not know. A test checks every code here has en/cs/ru text.
 *
 * Parameters are plain strings or numbers (server origins, host names, HTTP statuses as
 * "401 Unauthorized", item labels), never secrets.
 */
export type MessageParams = Record<string, string | number>;

export const MESSAGE_CODES = [
  // Reaching and signing in to a server (every connector).
  'auth-failed', // {server, status}
  'token-refused', // {server, status}
  'auth-method-not-offered', // {server, chosen, offered}: the 401 offers other sign-in methods
  'auth-methods-unsupported', // {server, offered, supported}: it offers none CRM Sync has
  'unknown-host', // {server, host}
  'dns-unavailable', // {server, host}
  'connection-refused', // {server, address}
  'no-route', // {server}
  'connect-timeout', // {server}
  'no-answer', // {server, seconds}
  'not-tls', // {server}
  'certificate-untrusted', // {server, reason, fingerprint, why?: short code of the reason}
  'proxy-auth-failed', // {proxy, status}
  'proxy-refused', // {proxy, server, status}
  'connection-cut', // {server}
  'answer-incomplete', // {server, method, url}: the XML stops before its end
  'unreachable', // {server, detail}
  'server-busy', // {server, status}
  'server-failed', // {server, method, url, status}
  'no-room', // {server, status}
  'request-refused', // {method, url, status, detail}
  'server-kind-unsupported', // {kind}
  // Exchange (EWS) specifics.
  'mailbox-not-found', // {mailbox}
  'impersonation-denied', // {account, mailbox}
  'folder-access-denied', // {folder, mailbox}
  'autodiscover-failed', // {email, detail}
  // CalDAV/CardDAV specifics.
  'no-dav-service', // {url, detail}
  'server-redirect-offered', // {url, target}: .well-known sends to another origin; ask the user
  'collection-missing', // {collection, status}
  'no-access-token', // {url}
  'server-address-invalid', // {address}
  'proxy-address-invalid', // {address}
  'server-address-credentials', // {address}: a user name or password in the URL (not shown)
  'proxy-address-credentials', // {address}
  // The CRM login check (wizard step 1) and the server password field.
  'crm-database-choose', // {}
  'crm-database-missing', // {path}
  'crm-database-folder', // {path}
  'crm-database-unreadable', // {path, detail}
  'crm-login-empty', // {}
  'crm-user-unknown', // {user, path}
  'crm-user-disabled', // {user}
  'crm-password-empty', // {}
  'crm-password-wrong', // {user}
  'server-password-empty', // {}
  'server-token-empty', // {}
  // What the server offers the account (connection test, sync).
  'no-folders', // {user}
  'no-calendars', // {user}
  'folder-create-unsupported', // {}
  'no-folder-for-agenda', // {agenda}
  // One item (a run goes on with the others; a refused request is 'request-refused').
  'item-gone', // {item}
  // The safety guard refused a folder (nothing was changed).
  'guard-empty-listing', // {folder, tracked}
  'guard-mass-delete-crm', // {count, tracked, percent, limit}
  'guard-mass-delete-server', // {count, tracked, folder, percent, limit}
  // Why a server object could not be read (or written): the item is named by its label.
  'item-unknown-time-zone', // {item, zone}
  'item-time-zone-broken', // {item, zone}
  'item-recurrence-unsupported', // {item, detail}: Exchange sent a pattern we cannot read
  'item-recurrence-unreadable', // {item, rule, detail}: an RRULE that cannot be read
  'item-recurrence-inexpressible', // {item, rule, detail}: an RRULE Exchange cannot hold
  'item-malformed', // {item, format, detail}: not valid iCalendar/vCard (format names which)
  'item-value-unreadable', // {item, property, detail}: e.g. a DTSTART that is not a date
  'item-no-start', // {item}
  'item-event-and-task', // {item}
  'item-contact-group', // {item}
  'item-no-name', // {item}
  'item-unreadable', // {item, detail}: any other reason, in the reader's (English) words
  'item-left-out-of-listing', // {item}: a listing lacked it, the server still has it: kept
  'item-missing-unconfirmed', // {item}: a listing lacked it, not confirmed gone: kept for now
  // What is missing before a sync can run (readiness); `field` is the dotted key to set.
  'readiness-crm-database', // {field}
  'readiness-crm-database-missing', // {field, path}
  'readiness-crm-user', // {field}
  'readiness-exchange-address', // {field, emailField}
  'readiness-exchange-user', // {field, authField}
  'readiness-exchange-mailbox', // {field, switchField}
  'readiness-exchange-mailbox-template', // {field}
  'readiness-dav-url', // {field}
  'readiness-dav-user', // {field}
  'readiness-no-agenda', // {field, fields, last}: the agendas' enabled keys, comma-separated + last
  'readiness-category-pairs', // {field, modeField}
  'readiness-export-groups', // {field, modeField}
  // Asked for, but not available in this version (settings/unavailable.ts): sync exits 6.
  'readiness-m365-unavailable', // {field}
  'readiness-mail-unavailable', // {field}
  'settings-none', // {file}: no settings file yet
  'run-already-waiting', // {}: "Synchronize now" while a run is under way and another waits
  'settings-file-invalid', // {file}: a heading, followed by one setting-* problem per clause
  // Settings validation (the settings file, saving from the app); `field` is the dotted key.
  'setting-invalid', // {field, expectation, expects, value, …expects' params}
  'setting-item-invalid', // {field, expectation, expects, value, item, …}: a list's item
  'setting-unknown', // {field}
  'setting-unknown-similar', // {field, suggestions}: known keys, comma-separated
  'setting-secret', // {field}: a password or token put in the settings file
  'setting-url-credentials', // {field, userField, cliWays}: a URL with a user name or password
  'setting-pair-duplicate-crm', // {field, category}
  'setting-pair-duplicate-server', // {field, category}
  'setting-group-invalid', // {field, value}
  'settings-not-object', // {value}
] as const;

export type MessageCode = (typeof MESSAGE_CODES)[number];

/**
 * What a setting must be, the `expects` parameter of 'setting-invalid': the app words it
 * as `expectation.<code>` (with the message's other parameters: min, max, choices,
 * version) in place of the English `expectation`.
 */
export const EXPECTATION_CODES = [
  'text', // any text
  'whole-number', // {min, max}
  'number', // {min, max}
  'boolean',
  'choice', // {choices, last}: the allowed values, quoted: all but the last comma-separated
  'names', // a list of non-empty names
  'extensions', // a list of file extensions
  'category-pairs',
  'version', // {version}
  'server-url',
  'proxy-url',
  'email',
  'mailbox-suffix',
  'tenant',
  'guid',
  'fingerprint',
  'branch-path',
  'calendar-date',
] as const;

export type ExpectationCode = (typeof EXPECTATION_CODES)[number];

export interface CodedMessage {
  code: MessageCode;
  params: MessageParams;
}

export function isMessageCode(value: unknown): value is MessageCode {
  return typeof value === 'string' && (MESSAGE_CODES as readonly string[]).includes(value);
}

/**
 * The code and parameters a thrown error carries (UserError, ServerError, or any error with
 * a known `code` and `params`), or undefined: the app then shows the English sentence.
 * Node's own codes ("ENOTFOUND") are not message codes and are ignored.
 */
export function codedMessageOf(err: unknown): CodedMessage | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { code, params } = err as { code?: unknown; params?: unknown };
  if (!isMessageCode(code)) return undefined;
  return { code, params: plainParams(params) };
}

function plainParams(value: unknown): MessageParams {
  const out: MessageParams = {};
  if (typeof value !== 'object' || value === null) return out;
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === 'string' || typeof v === 'number') out[key] = v;
  }
  return out;
}
