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
  'collection-missing', // {collection, status}
  'no-access-token', // {url}
  'server-address-invalid', // {address}
  'proxy-address-invalid', // {address}
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
  'no-folder-for-agenda', // {agenda}
  // One item (a run goes on with the others; a refused request is 'request-refused').
  'item-gone', // {item}
  // The safety guard refused a folder (nothing was changed).
  'guard-empty-listing', // {folder, tracked}
  'guard-mass-delete-crm', // {count, tracked, percent, limit}
  'guard-mass-delete-server', // {count, tracked, folder, percent, limit}
] as const;

export type MessageCode = (typeof MESSAGE_CODES)[number];

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
