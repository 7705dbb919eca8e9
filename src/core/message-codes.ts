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
  'certificate-untrusted', // {server, reason, fingerprint}
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
] as const;

export type MessageCode = (typeof MESSAGE_CODES)[number];

export interface CodedMessage {
  code: MessageCode;
  params: MessageParams;
}
