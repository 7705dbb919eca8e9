/**
 * Authorization headers. Basic and Bearer are sent with every request; Digest (RFC 7616,
 * qop=auth, MD5/SHA-256 and their -sess forms) answers the server's first challenge and
 * then reuses its nonce with a growing nonce count, so a quiet sync stays one request.
 * tsdav's own "Digest" only sends a precomputed string, hence this.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { DavAuthMethod } from './types.ts';

export interface Authenticator {
  /** The method it signs in with, to tell a refused password from a method not offered. */
  readonly method: DavAuthMethod;
  /** Header value for a request, or undefined (digest before the first challenge). */
  header(method: string, url: URL): string | undefined;
  /**
   * Called with a 401's WWW-Authenticate values; true when a retry with new credentials
   * makes sense (a first or stale digest challenge).
   */
  challenge(values: string[], attemptHadAuth: boolean): boolean;
}

export function createAuthenticator(options: {
  auth: DavAuthMethod;
  user: string;
  password?: string;
  bearerToken?: string;
}): Authenticator {
  if (options.auth === 'bearer') {
    const value = `Bearer ${options.bearerToken ?? ''}`;
    return { method: 'bearer', header: () => value, challenge: () => false };
  }
  if (options.auth === 'digest')
    return new DigestAuthenticator(options.user, options.password ?? '');
  const basic = `Basic ${Buffer.from(`${options.user}:${options.password ?? ''}`, 'utf8').toString('base64')}`;
  return { method: 'basic', header: () => basic, challenge: () => false };
}

interface DigestChallenge {
  realm: string;
  nonce: string;
  opaque?: string;
  algorithm: string;
  qop?: 'auth';
  stale: boolean;
}

class DigestAuthenticator implements Authenticator {
  readonly method = 'digest';
  #user: string;
  #password: string;
  #challenge: DigestChallenge | undefined;
  #nonceCount = 0;

  constructor(user: string, password: string) {
    this.#user = user;
    this.#password = password;
  }

  header(method: string, url: URL): string | undefined {
    const c = this.#challenge;
    if (c === undefined) return undefined;
    const hash = hashFor(c.algorithm);
    const uri = `${url.pathname}${url.search}`;
    const cnonce = randomBytes(12).toString('hex');
    const nc = (++this.#nonceCount).toString(16).padStart(8, '0');
    let ha1 = hash(`${this.#user}:${c.realm}:${this.#password}`);
    if (c.algorithm.toUpperCase().endsWith('-SESS')) ha1 = hash(`${ha1}:${c.nonce}:${cnonce}`);
    const ha2 = hash(`${method}:${uri}`);
    const response =
      c.qop === 'auth'
        ? hash(`${ha1}:${c.nonce}:${nc}:${cnonce}:auth:${ha2}`)
        : hash(`${ha1}:${c.nonce}:${ha2}`);
    const parts = [
      `username=${quote(this.#user)}`,
      `realm=${quote(c.realm)}`,
      `nonce=${quote(c.nonce)}`,
      `uri=${quote(uri)}`,
      `algorithm=${c.algorithm}`,
      `response=${quote(response)}`,
    ];
    if (c.qop === 'auth') parts.push('qop=auth', `nc=${nc}`, `cnonce=${quote(cnonce)}`);
    if (c.opaque !== undefined) parts.push(`opaque=${quote(c.opaque)}`);
    return `Digest ${parts.join(', ')}`;
  }

  challenge(values: string[], attemptHadAuth: boolean): boolean {
    const parsed = values.map(parseDigestChallenge).find((c) => c !== undefined);
    if (parsed === undefined) return false;
    // A challenge after we answered one with the same nonce means the password is wrong,
    // unless the server says the nonce went stale (or forgot it: a new nonce).
    const retry = !attemptHadAuth || parsed.stale || parsed.nonce !== this.#challenge?.nonce;
    this.#challenge = parsed;
    this.#nonceCount = 0;
    return retry;
  }
}

const ALGORITHMS: Record<string, string> = {
  MD5: 'md5',
  'MD5-SESS': 'md5',
  'SHA-256': 'sha256',
  'SHA-256-SESS': 'sha256',
};

function hashFor(algorithm: string): (text: string) => string {
  const name = ALGORITHMS[algorithm.toUpperCase()] ?? 'md5';
  return (text) => createHash(name).update(text, 'utf8').digest('hex');
}

function quote(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

/** The Digest challenge in one WWW-Authenticate value (which may list several schemes). */
export function parseDigestChallenge(value: string): DigestChallenge | undefined {
  const start = /(?:^|,)\s*Digest\s+/i.exec(value);
  if (start === null) return undefined;
  const params = new Map<string, string>();
  const param = /\s*([A-Za-z0-9_-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^,\s]*)\s*(?:,|$)/y;
  param.lastIndex = start.index + start[0].length;
  for (let m = param.exec(value); m !== null; m = param.exec(value)) {
    const raw = m[2] ?? '';
    const unquoted = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
    params.set((m[1] ?? '').toLowerCase(), unquoted);
  }
  const nonce = params.get('nonce');
  if (nonce === undefined) return undefined;
  const algorithm = params.get('algorithm') ?? 'MD5';
  if (ALGORITHMS[algorithm.toUpperCase()] === undefined) return undefined;
  const qops = (params.get('qop') ?? '').split(',').map((q) => q.trim().toLowerCase());
  // qop=auth-int alone (integrity of the body) is not supported; plain RFC 2069 is.
  if (params.has('qop') && !qops.includes('auth')) return undefined;
  return {
    realm: params.get('realm') ?? '',
    nonce,
    ...(params.has('opaque') ? { opaque: params.get('opaque') ?? '' } : {}),
    algorithm,
    ...(qops.includes('auth') ? { qop: 'auth' as const } : {}),
    stale: (params.get('stale') ?? '').toLowerCase() === 'true',
  };
}
