/**
 * Turns a WebDAV answer that went wrong into one sentence a user can act on, naming the
 * address. Whole-server problems become ServerError (transient when retrying later may
 * help); problems with one object are ItemError; credentials never appear in a message.
 * Failures below HTTP are worded in ../../http/network-failures.ts.
 */
import { CodedItemError, ItemError, ServerError } from '../../errors.ts';
import { incompleteAnswer as sharedIncompleteAnswer } from '../../xml-complete.ts';
import { credentialsRefused, signInMethodFailure } from '../../http/sign-in-methods.ts';
import { displayOrigin, displayUrl } from '../../http/display-url.ts';
import { statusText, tagged } from '../../http/network-failures.ts';

/**
 * Creating an object failed because the collection already holds one with the same UID
 * (CalDAV/CardDAV no-uid-conflict). `existingHref` names it when the server said so.
 */
export class DavUidConflictError extends ItemError {
  readonly existingHref: string | undefined;
  constructor(message: string, existingHref: string | undefined) {
    super(message);
    this.name = 'DavUidConflictError';
    this.existingHref = existingHref;
  }
}

/** 401 (or 403 while discovering): the credentials are wrong. */
export function authFailure(url: string, status: number, bearer = false): ServerError {
  return tagged(credentialsRefused(displayUrl(url), status, bearer), 'auth');
}

/** The methods the DAV connector signs in with, as WWW-Authenticate names them. */
const DAV_SCHEMES = ['basic', 'digest', 'bearer'];

/**
 * A 401 after sign-in: a server that does not offer the method used (Basic where only
 * Digest is enabled, or the other way round) says so; otherwise the credentials were wrong.
 */
export function signInRefused(
  url: string,
  authenticate: readonly string[],
  method: 'basic' | 'digest' | 'bearer',
): ServerError {
  const other =
    method === 'bearer'
      ? undefined
      : signInMethodFailure(displayUrl(url), authenticate, method, DAV_SCHEMES);
  return other ? tagged(other, 'auth') : authFailure(url, 401, method === 'bearer');
}

/** A status that says the server as a whole cannot serve us now. */
export function isServerWideStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status !== 501 && status !== 507);
}

export function serverWideFailure(url: string, status: number, method: string): ServerError {
  if (status === 429) {
    return new ServerError(
      `${displayOrigin(url)} is limiting requests (${statusText(status)}); try again later.`,
      {
        transient: true,
        code: 'server-busy',
        params: { server: displayOrigin(url), status: statusText(status) },
      },
    );
  }
  return new ServerError(
    `${displayOrigin(url)} failed to answer ${method} ${displayUrl(url)} (${statusText(status)}); try again later.`,
    {
      transient: true,
      code: 'server-failed',
      params: {
        server: displayOrigin(url),
        method,
        url: displayUrl(url),
        status: statusText(status),
      },
    },
  );
}

/**
 * Failure of a request about one collection or object: auth and server-wide problems stay
 * ServerError, the rest concerns that one thing.
 */
export function requestFailure(
  method: string,
  url: string,
  status: number,
  detail: string,
  scope: 'item' | 'server',
): Error {
  if (status === 401) return authFailure(url, status);
  if (isServerWideStatus(status)) return serverWideFailure(url, status, method);
  if (status === 507) {
    return new ServerError(`${displayOrigin(url)} has no room left (${statusText(status)}).`, {
      transient: false,
      code: 'no-room',
      params: { server: displayOrigin(url), status: statusText(status) },
    });
  }
  const suffix = detail === '' ? '' : `: ${detail}`;
  const message = `${method} ${displayUrl(url)} was refused (${statusText(status)}${suffix}).`;
  const params = { method, url: displayUrl(url), status: statusText(status), detail };
  return scope === 'item'
    ? new CodedItemError(message, 'request-refused', params)
    : new ServerError(message, { code: 'request-refused', params });
}

/** An answer whose XML stops before its end (xml-complete.ts), as a network failure. */
export function incompleteAnswer(method: string, url: string): ServerError {
  return tagged(sharedIncompleteAnswer(method, displayOrigin(url), displayUrl(url)), 'network');
}

/**
 * A .well-known lookup (RFC 6764) that sends the user to another origin: normal for hosted
 * services, but the password goes only where the user said. Not followed; the user is
 * asked (the wizard's "Use it", `crm-sync init --use-redirect`) and the address stored.
 */
export function redirectOffered(from: string, to: string): ServerError {
  const target = new URL(to);
  target.username = '';
  target.password = '';
  const url = displayUrl(from);
  return tagged(
    new ServerError(
      `${url} sends you to ${target.href}, another server; your password was not sent there. If that is your provider's server, use ${target.href} as the server address (connection.dav.url).`,
      { transient: false, code: 'server-redirect-offered', params: { url, target: target.href } },
    ),
    'http',
  );
}

/** A redirect from https to http: never followed, the data would travel in clear. */
export function insecureRedirect(from: string, to: string): ServerError {
  const url = displayUrl(from);
  const detail = `it redirects to ${displayUrl(to)}, an unencrypted http:// address, which is never followed`;
  return tagged(
    new ServerError(`${url} was not used: ${detail}.`, {
      transient: false,
      code: 'request-refused',
      params: { method: 'GET', url, status: 'redirect', detail },
    }),
    'http',
  );
}

/** A short, single-line excerpt of a server's error text for messages. */
export function excerpt(text: string, max = 160): string {
  const line = text
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}
