/**
 * Turns what went wrong talking to Exchange into one coded sentence a user can act on.
 * The XHR layer (http.ts) raises the raw facts (EwsFault, EwsHttpStatusError, coded network
 * ServerErrors); callers, who know the mailbox and folder, turn them into ServerError or
 * ItemError here. Credentials never appear in a message.
 */
import { ServiceError, ServiceResponseException } from 'ews-javascript-api';
import type { ServiceResponse } from 'ews-javascript-api';
import { ServerError } from '../errors.ts';
import { credentialsRefused, signInMethodFailure } from '../http/sign-in-methods.ts';
import type { MessageCode, MessageParams } from '../../../shared/message-codes.ts';
import { networkFailure, statusText } from '../http/network-failures.ts';
import type { FailureContext } from '../http/network-failures.ts';

/** A SOAP fault (request-wide error) the server answered with. */
export class EwsFault extends Error {
  readonly responseCode: string;
  readonly faultText: string;
  /** BackOffMilliseconds from the fault's MessageXml (throttling). */
  readonly backOffMs: number | undefined;
  readonly httpStatus: number;
  readonly operation: string;
  constructor(fault: ParsedFault, httpStatus: number, operation: string) {
    super(`${operation}: ${fault.responseCode}${fault.text === '' ? '' : ` (${fault.text})`}`);
    this.name = 'EwsFault';
    this.responseCode = fault.responseCode;
    this.faultText = fault.text;
    this.backOffMs = fault.backOffMs;
    this.httpStatus = httpStatus;
    this.operation = operation;
  }
}

/** An HTTP answer without a SOAP envelope we could use (503, 404, a proxy's error page). */
export class EwsHttpStatusError extends Error {
  /**
   * Not `status`: ews-javascript-api takes a rejection with `status` 500 for an XHR and
   * parses its (absent) body as a SOAP fault, throwing where no caller can catch it, so the
   * call never settles.
   */
  readonly httpStatus: number;
  readonly url: string;
  readonly operation: string;
  /** From Retry-After, when the server sent one. */
  readonly retryAfterMs: number | undefined;
  constructor(status: number, url: string, operation: string, retryAfterMs: number | undefined) {
    super(`${operation}: HTTP ${statusText(status)}`);
    this.name = 'EwsHttpStatusError';
    this.httpStatus = status;
    this.url = url;
    this.operation = operation;
    this.retryAfterMs = retryAfterMs;
  }
}

export interface ParsedFault {
  responseCode: string;
  text: string;
  backOffMs: number | undefined;
}

/** Reads a SOAP fault out of an answer body (any HTTP status: some servers send 200). */
export function parseSoapFault(body: string): ParsedFault | undefined {
  if (!/<(?:[\w-]+:)?Fault[\s>]/.test(body)) return undefined;
  const responseCode =
    /<(?:[\w-]+:)?ResponseCode\b[^>]*>\s*([^<\s]+)\s*</.exec(body)?.[1] ??
    /<(?:[\w-]+:)?faultcode[^>]*>(?:[^<:]*:)?([^<]+)</.exec(body)?.[1] ??
    'ErrorInternalServerError';
  const text =
    /<(?:[\w-]+:)?Message\b[^>]*>([^<]*)</.exec(body)?.[1] ??
    /<faultstring[^>]*>([^<]*)</.exec(body)?.[1] ??
    '';
  const backOff = /Name="BackOffMilliseconds"[^>]*>\s*(\d+)\s*</.exec(body)?.[1];
  return {
    responseCode: responseCode.trim(),
    text: decodeXmlText(text).trim(),
    backOffMs: backOff === undefined ? undefined : Number(backOff),
  };
}

function decodeXmlText(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The EWS error code ("ErrorItemNotFound") of a fault or a failed response message. */
export function ewsErrorCode(err: unknown): string | undefined {
  if (err instanceof EwsFault) return err.responseCode;
  if (err instanceof ServiceResponseException) return serviceErrorName(err.ErrorCode);
  return undefined;
}

export function serviceErrorName(code: unknown): string | undefined {
  if (typeof code === 'string') return code;
  if (typeof code !== 'number') return undefined;
  const name: unknown = (ServiceError as unknown as Record<number, unknown>)[code];
  return typeof name === 'string' ? name : undefined;
}

/** BackOffMilliseconds a throttling fault or failed response message carried. */
export function responseBackOffMs(err: unknown): number | undefined {
  if (err instanceof EwsFault) return err.backOffMs;
  if (!(err instanceof ServiceResponseException)) return undefined;
  return detailsBackOffMs(err.Response);
}

/** BackOffMilliseconds among a response message's MessageXml values. */
export function detailsBackOffMs(response: ServiceResponse | null | undefined): number | undefined {
  const details = response?.ErrorDetails;
  if (details === undefined || details === null) return undefined;
  for (const pair of details.Items) {
    if (String(pair.key).toLowerCase() === 'backoffmilliseconds') {
      const ms = Number(pair.value);
      return Number.isFinite(ms) ? ms : undefined;
    }
  }
  return undefined;
}

/** Throttling answers: the server did nothing and asks us to come back later. */
export const THROTTLING_CODES = new Set([
  'ErrorServerBusy',
  'ErrorTooManyObjectsOpened',
  'ErrorExceededConnectionCount',
]);

/** Faults that pass by themselves (a mailbox moving, a store restarting). */
const TRANSIENT_CODES = new Set([
  ...THROTTLING_CODES,
  'ErrorMailboxStoreUnavailable',
  'ErrorMailboxMoveInProgress',
  'ErrorInternalServerTransientError',
  'ErrorConnectionFailed',
  'ErrorTimeoutExpired',
]);

export const SYNC_STATE_CODES = new Set([
  'ErrorInvalidSyncStateData',
  'ErrorInvalidSyncStateDataVersion',
]);

/** What the caller knows when a call fails: named in the sentence. */
export interface EwsFailureContext {
  /** "https://mail.example.com": the server as messages show it. */
  server: string;
  /** The signed-in account. */
  account: string;
  /** The mailbox acted on (the impersonated one, or the account's own). */
  mailbox: string;
  /** The EWS operation, for "while …" in messages. */
  operation: string;
  /** Display name of the folder the call was about, if any. */
  folder?: string;
}

function coded(
  message: string,
  code: MessageCode,
  params: MessageParams,
  transient: boolean,
  cause?: unknown,
): ServerError {
  return new ServerError(message, {
    code,
    params,
    transient,
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Any failure of an EWS call as a ServerError (per-item errors are the caller's business). */
export function toServerError(err: unknown, ctx: EwsFailureContext): ServerError {
  if (err instanceof ServerError) return err;
  if (err instanceof EwsHttpStatusError) return httpStatusFailure(err, ctx);
  const code = ewsErrorCode(err);
  if (code !== undefined) return ewsCodeFailure(code, faultText(err), ctx, err);
  const detail = err instanceof Error ? err.message : String(err);
  return coded(
    `${ctx.server} answered ${ctx.operation} in a way CRM Sync does not understand (${oneLine(detail)}).`,
    'server-failed',
    { server: ctx.server, method: ctx.operation, url: ctx.server, status: detail },
    false,
    err,
  );
}

function faultText(err: unknown): string {
  if (err instanceof EwsFault) return err.faultText;
  if (err instanceof ServiceResponseException) return err.Message;
  return '';
}

function ewsCodeFailure(
  code: string,
  text: string,
  ctx: EwsFailureContext,
  cause: unknown,
): ServerError {
  const { server, account, mailbox, operation } = ctx;
  switch (code) {
    // ErrorCannotFindUser: what some servers answer an impersonation of an unknown address.
    case 'ErrorNonExistentMailbox':
    case 'ErrorMailboxNotFound':
    case 'ErrorCannotFindUser':
      return coded(
        `There is no mailbox ${mailbox} on ${server}; check the e-mail address.`,
        'mailbox-not-found',
        { mailbox },
        false,
        cause,
      );
    case 'ErrorImpersonateUserDenied':
    case 'ErrorImpersonationDenied':
    case 'ErrorImpersonationFailed':
      return coded(
        `The account ${account} may not open the mailbox ${mailbox} on ${server} (impersonation denied); an Exchange administrator must grant it the ApplicationImpersonation role.`,
        'impersonation-denied',
        { account, mailbox },
        false,
        cause,
      );
    case 'ErrorAccessDenied':
      if (ctx.folder !== undefined) {
        const folder = ctx.folder;
        return coded(
          `The account ${account} may not open the folder "${folder}" of ${mailbox}; grant it access or choose another folder.`,
          'folder-access-denied',
          { folder, mailbox },
          false,
          cause,
        );
      }
      break;
    case 'ErrorFolderNotFound':
      if (ctx.folder !== undefined) {
        const folder = ctx.folder;
        return coded(
          `The folder "${folder}" of ${mailbox} is no longer there; choose another folder.`,
          'collection-missing',
          { collection: folder, status: code },
          false,
          cause,
        );
      }
      break;
    default:
      break;
  }
  if (THROTTLING_CODES.has(code)) {
    return coded(
      `${server} is too busy to answer ${operation} (${code}) and asked to wait longer than CRM Sync waits; try again later.`,
      'server-busy',
      { server, status: code },
      true,
      cause,
    );
  }
  const suffix = text === '' ? '' : `: ${oneLine(text)}`;
  return coded(
    `${server} refused ${operation} (${code}${suffix}).`,
    'server-failed',
    { server, method: operation, url: server, status: code },
    TRANSIENT_CODES.has(code),
    cause,
  );
}

function httpStatusFailure(err: EwsHttpStatusError, ctx: EwsFailureContext): ServerError {
  const status = statusText(err.httpStatus);
  if (err.httpStatus === 503 || err.httpStatus === 429) {
    return coded(
      `${ctx.server} is too busy to answer ${ctx.operation} (${status}); try again later.`,
      'server-busy',
      { server: ctx.server, status },
      true,
      err,
    );
  }
  const transient = err.httpStatus >= 500;
  const hint =
    err.httpStatus === 404 ? '; check the EWS address' : transient ? '; try again later' : '';
  return coded(
    `${ctx.server} failed to answer ${ctx.operation} (${status})${hint}.`,
    'server-failed',
    { server: ctx.server, method: ctx.operation, url: displayPath(err.url), status },
    transient,
    err,
  );
}

function displayPath(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return url;
  }
}

function oneLine(text: string, max = 200): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

/**
 * A network failure (no HTTP answer), worded and coded as for every connector
 * (../http/network-failures.ts); the fallback code only guards against a sentence that
 * lost its code.
 */
export function codedNetworkFailure(err: unknown, ctx: FailureContext): ServerError {
  const described = networkFailure(err, ctx);
  if (described.code !== undefined) return described;
  return new ServerError(described.message, {
    code: 'unreachable',
    params: { server: originOf(ctx.url), detail: described.message },
    transient: described.transient,
    cause: err,
  });
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid address)';
  }
}

/** The methods the EWS connector signs in with, as WWW-Authenticate names them. */
const EWS_SCHEMES = ['basic', 'ntlm', 'bearer'];

/**
 * A 401: a server that does not offer the chosen method (NTLM, the default, where only
 * Basic is enabled) says so; otherwise the user name or password was refused. A refused
 * token is always that (its challenges say nothing about the token).
 */
export function signInRefused(
  url: string,
  authenticate: readonly string[],
  kind: 'basic' | 'ntlm' | 'oauth',
): ServerError {
  const chosen = kind === 'ntlm' ? 'ntlm' : 'basic';
  const other =
    kind === 'oauth'
      ? undefined
      : signInMethodFailure(originOf(url), authenticate, chosen, EWS_SCHEMES);
  return other ?? credentialsRefused(originOf(url), 401, kind === 'oauth');
}
