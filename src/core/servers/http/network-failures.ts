/**
 * What went wrong below HTTP (no answer: DNS, refused or cut connections, time limits,
 * untrusted certificates, proxies), as one coded sentence naming the address. Shared by
 * every connector that talks HTTP; credentials never appear in a message.
 */
import { STATUS_CODES } from 'node:http';
import type { MessageCode, MessageParams } from '../../../shared/message-codes.ts';
import { ServerError } from '../errors.ts';
import { displayOrigin } from './display-url.ts';

/** Thrown by the pinning connector when a certificate is neither valid nor the pinned one. */
export class UntrustedCertificateError extends Error {
  readonly code = 'CRM_SYNC_UNTRUSTED_CERTIFICATE';
  readonly fingerprint: string;
  readonly reason: string;
  constructor(reason: string, fingerprint: string) {
    super(`certificate not trusted: ${reason}`);
    this.name = 'UntrustedCertificateError';
    this.reason = reason;
    this.fingerprint = fingerprint;
  }
}

/** What kind of whole-server failure a ServerError is; drives discovery's choice of message. */
export type FailureKind = 'network' | 'auth' | 'http';
const kinds = new WeakMap<ServerError, FailureKind>();

export function tagged(err: ServerError, kind: FailureKind): ServerError {
  kinds.set(err, kind);
  return err;
}

export function failureKind(err: ServerError): FailureKind {
  return kinds.get(err) ?? 'http';
}

/** Our own time limit fired (the abort reason we set). */
export class RequestTimeoutError extends Error {
  readonly code = 'CRM_SYNC_TIMEOUT';
  constructor() {
    super('request timed out');
    this.name = 'RequestTimeoutError';
  }
}

const TLS_TRUST_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
]);

const TLS_REASONS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'signed by an unknown authority',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'signed by an unknown authority',
  UNABLE_TO_GET_ISSUER_CERT: 'signed by an unknown authority',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'signed by an unknown authority',
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'not valid yet',
  CERT_REVOKED: 'revoked',
  ERR_TLS_CERT_ALTNAME_INVALID: 'issued for another host name',
  HOSTNAME_MISMATCH: 'issued for another host name',
};

/** The same as a short code (the `why` parameter), for the app to word the reason. */
const TLS_WHY: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'unknown-authority',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unknown-authority',
  UNABLE_TO_GET_ISSUER_CERT: 'unknown-authority',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unknown-authority',
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'not-yet-valid',
  CERT_REVOKED: 'revoked',
  ERR_TLS_CERT_ALTNAME_INVALID: 'wrong-host',
  HOSTNAME_MISMATCH: 'wrong-host',
};

interface ErrorFacts {
  code?: string;
  message: string;
}

/** Walks `cause` chains (fetch wraps the socket error) and collects what tells the story. */
function facts(err: unknown): ErrorFacts[] {
  const out: ErrorFacts[] = [];
  let current: unknown = err;
  for (let depth = 0; current != null && depth < 5; depth++) {
    if (typeof current !== 'object') {
      out.push({ message: String(current) });
      break;
    }
    const rec = current as { code?: unknown; message?: unknown };
    out.push({
      code: typeof rec.code === 'string' ? rec.code : undefined,
      message: typeof rec.message === 'string' ? rec.message : String(current),
    });
    current = (current as { cause?: unknown }).cause;
  }
  return out;
}

export interface FailureContext {
  /** The URL requested. */
  url: string;
  timeoutMs: number;
  proxyUrl?: string;
  /** SHA-256 fingerprint of the server's certificate, when it could be read (for TLS errors). */
  certificateFingerprint?: string;
}

/** Network-level failure (no HTTP answer) -> ServerError. */
export function networkFailure(err: unknown, ctx: FailureContext): ServerError {
  if (err instanceof ServerError) return err;
  return tagged(describeNetworkFailure(err, ctx), 'network');
}

function describeNetworkFailure(err: unknown, ctx: FailureContext): ServerError {
  const chain = facts(err);
  const codes = chain.map((f) => f.code).filter((c): c is string => c !== undefined);
  const has = (...wanted: string[]) => codes.some((c) => wanted.includes(c));
  const origin = displayOrigin(ctx.url);
  const host = safeHost(ctx.url);
  const proxy = ctx.proxyUrl === undefined ? undefined : displayOrigin(ctx.proxyUrl);
  // Through a proxy, every connection we open goes to the proxy: failures to connect are its.
  const atProxy = proxy !== undefined;
  const opts = (transient: boolean, code: MessageCode, params: MessageParams) => ({
    cause: err,
    transient,
    code,
    params,
  });

  const untrusted = findUntrusted(err);
  if (untrusted !== undefined) {
    // A certificate that is not the one pinned in settings.
    return certificateFailure(origin, untrusted.reason, untrusted.fingerprint, err, 'not-pinned');
  }
  const tlsCode = codes.find((c) => TLS_TRUST_CODES.has(c));
  if (tlsCode !== undefined) {
    return certificateFailure(
      origin,
      TLS_REASONS[tlsCode] ?? tlsCode,
      ctx.certificateFingerprint,
      err,
      TLS_WHY[tlsCode] ?? 'untrusted',
    );
  }
  if (has('CRM_SYNC_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ABORT_ERR')) {
    const secs = Number((ctx.timeoutMs / 1000).toFixed(1));
    return new ServerError(
      `${origin} did not answer within ${secs} s; try again later.`,
      opts(true, 'no-answer', { server: origin, seconds: secs }),
    );
  }
  if (has('ENOTFOUND')) {
    const what = atProxy ? `the proxy ${proxy}` : origin;
    const unknown = atProxy ? safeHost(ctx.proxyUrl ?? '') : host;
    return new ServerError(
      `Cannot reach ${what}: unknown host "${unknown}"; check the address.`,
      opts(false, 'unknown-host', { server: atProxy ? (proxy ?? origin) : origin, host: unknown }),
    );
  }
  if (has('EAI_AGAIN')) {
    return new ServerError(
      `Cannot reach ${origin}: the name "${host}" cannot be looked up now (no network?).`,
      opts(true, 'dns-unavailable', { server: origin, host }),
    );
  }
  if (has('ECONNREFUSED')) {
    const what = atProxy ? `the proxy ${proxy}` : origin;
    const address = atProxy ? safeHostPort(ctx.proxyUrl ?? '') : safeHostPort(ctx.url);
    return new ServerError(
      `Cannot reach ${what}: nothing answers at ${address}.`,
      opts(true, 'connection-refused', { server: atProxy ? (proxy ?? origin) : origin, address }),
    );
  }
  if (has('EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN')) {
    return new ServerError(
      `Cannot reach ${origin}: no network route to it.`,
      opts(true, 'no-route', { server: origin }),
    );
  }
  if (has('ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT')) {
    return new ServerError(
      `Cannot reach ${origin}: the connection timed out.`,
      opts(true, 'connect-timeout', { server: origin }),
    );
  }
  if (has('ERR_SSL_WRONG_VERSION_NUMBER', 'EPROTO')) {
    return new ServerError(
      `Cannot talk https with ${origin}: it does not answer with TLS (should the address start with http://?).`,
      opts(false, 'not-tls', { server: origin }),
    );
  }
  const proxyStatus = chain
    .map((f) => /Proxy response \((\d{3})\)/.exec(f.message)?.[1])
    .find((s) => s !== undefined);
  if (proxyStatus !== undefined || chain.some((f) => f.message.includes('(407)'))) {
    const status = Number(proxyStatus ?? 407);
    const proxyName = proxy === undefined ? 'The proxy' : `The proxy ${proxy}`;
    if (status === 407) {
      return new ServerError(
        `${proxyName} refused the proxy user name or password (${statusText(status)}).`,
        opts(false, 'proxy-auth-failed', { proxy: proxy ?? '', status: statusText(status) }),
      );
    }
    return new ServerError(
      `${proxyName} refused to connect to ${origin} (${statusText(status)}).`,
      opts(true, 'proxy-refused', {
        proxy: proxy ?? '',
        server: origin,
        status: statusText(status),
      }),
    );
  }
  if (
    has(
      'UND_ERR_SOCKET',
      'ECONNRESET',
      'EPIPE',
      'UND_ERR_CLOSED',
      'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
    )
  ) {
    return new ServerError(
      `The connection to ${origin} was cut off before the answer was complete; try again later.`,
      opts(true, 'connection-cut', { server: origin }),
    );
  }
  const detail = chain[chain.length - 1]?.message ?? 'unknown error';
  return new ServerError(
    `Cannot reach ${origin}: ${detail}.`,
    opts(true, 'unreachable', { server: origin, detail }),
  );
}

function findUntrusted(err: unknown): UntrustedCertificateError | undefined {
  let current: unknown = err;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    if (current instanceof UntrustedCertificateError) return current;
    current = current.cause;
  }
  return undefined;
}

function certificateFailure(
  origin: string,
  reason: string,
  fingerprint: string | undefined,
  cause: unknown,
  why: string,
): ServerError {
  const print = fingerprint === undefined ? '' : `, SHA-256 fingerprint ${fingerprint}`;
  return new ServerError(
    `The certificate of ${origin} is not trusted (${reason}${print}); trust it in settings only if you know it.`,
    {
      cause,
      transient: false,
      code: 'certificate-untrusted',
      params: { server: origin, reason, fingerprint: fingerprint ?? '—', why },
    },
  );
}

function safeHost(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}

function safeHostPort(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`;
  } catch {
    return url;
  }
}

export function statusText(status: number): string {
  return `${status} ${STATUS_CODES[status] ?? ''}`.trim();
}
