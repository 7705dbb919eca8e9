/**
 * The undici dispatcher every request goes through: direct or via an HTTP proxy, with
 * normal TLS verification, plus (only when the user pinned one) acceptance of one extra
 * certificate identified by its SHA-256 fingerprint.
 */
import tls from 'node:tls';
import { Agent, Client, Pool, ProxyAgent, buildConnector } from 'undici';
import type { Dispatcher } from 'undici';
import { UntrustedCertificateError } from './network-failures.ts';

export interface DispatcherOptions {
  proxy?: { url: string; user?: string; password?: string };
  /** Normalised (lowercase hex, no colons) fingerprint of the pinned certificate. */
  pinnedSha256?: string;
  connectTimeoutMs: number;
  /**
   * Connections per origin; 1 for NTLM, which signs in a connection: the handshake and the
   * calls must share it, and undici's pools would otherwise open a second one while the
   * first is not back in the pool yet (seen through a proxy too). The DAV transport asks
   * for 1 too: its requests go one after another over one kept-alive connection. Default:
   * undici's.
   */
  connections?: number;
}

export function normalizeSha256(value: string): string {
  return value.replaceAll(':', '').trim().toLowerCase();
}

/** "AB:CD:…", the form Node prints and the settings accept. */
export function formatSha256(hex: string): string {
  return (normalizeSha256(hex).match(/.{2}/g) ?? []).join(':').toUpperCase();
}

export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const pin = options.pinnedSha256;
  const timeout = options.connectTimeoutMs;
  const single = options.connections === 1;
  const limit = options.connections === undefined ? {} : { connections: options.connections };
  if (options.proxy === undefined) {
    if (pin === undefined) return new Agent({ ...limit, connect: { timeout } });
    // Verification runs as usual (socket.authorized); the pin only rescues a failed one.
    // No session cache: a resumed session must not skip the fingerprint check.
    const base = buildConnector({ rejectUnauthorized: false, maxCachedSessions: 0, timeout });
    return new Agent({ ...limit, connect: pinning(base, pin) });
  }
  const proxy = new URL(options.proxy.url);
  const { user, password } = options.proxy;
  proxy.username = '';
  proxy.password = '';
  const token =
    user === undefined || user === ''
      ? undefined
      : `Basic ${Buffer.from(`${user}:${password ?? ''}`, 'utf8').toString('base64')}`;
  return new ProxyAgent({
    uri: proxy.href,
    ...limit,
    ...(token === undefined ? {} : { token }),
    proxyTls: { timeout },
    ...(pin === undefined
      ? { requestTls: { timeout } }
      : {
          requestTls: { timeout, rejectUnauthorized: false, maxCachedSessions: 0 },
          // ProxyAgent's tunnel connector yields the TLS socket to the origin: check it there.
          factory: (origin: string | URL, opts: object): Dispatcher => {
            const connect = (opts as { connect?: unknown }).connect;
            // Fail closed: without the tunnel connector to wrap, nothing would check the pin.
            if (typeof connect !== 'function')
              throw new Error('undici ProxyAgent changed: no connect function');
            const pinned = { ...opts, connect: pinning(connect as buildConnector.connector, pin) };
            return single ? new Client(origin, pinned) : new Pool(origin, pinned);
          },
        }),
  });
}

function pinning(inner: buildConnector.connector, pin: string): buildConnector.connector {
  return (options, callback) => {
    inner(options, (...args) => {
      const [err, socket] = args;
      if (err !== null) {
        callback(err, null);
        return;
      }
      if (socket instanceof tls.TLSSocket && !socket.authorized) {
        const seen = socket.getPeerCertificate().fingerprint256 ?? '';
        if (normalizeSha256(seen) !== pin) {
          const reason = describeAuthorizationError(socket.authorizationError);
          socket.destroy();
          callback(new UntrustedCertificateError(reason, formatSha256(seen)), null);
          return;
        }
      }
      callback(null, socket);
    });
  };
}

function describeAuthorizationError(error: Error | string | null | undefined): string {
  const code = typeof error === 'string' ? error : (error?.message ?? '');
  if (code.includes('SELF_SIGNED')) return 'self-signed, and not the trusted one';
  if (code.includes('ALTNAME') || code.includes('HOSTNAME')) {
    return 'issued for another host name, and not the trusted one';
  }
  if (code.includes('EXPIRED')) return 'expired, and not the trusted one';
  return `${code === '' ? 'unverified' : code}, and not the trusted one`;
}

/**
 * Reads the SHA-256 fingerprint of the certificate `url`'s server presents, so an "is not
 * trusted" message can tell the user what to pin. Nothing is sent over this connection.
 */
export function peekCertificateFingerprint(
  url: string,
  timeoutMs: number,
): Promise<string | undefined> {
  const target = new URL(url);
  if (target.protocol !== 'https:') return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const host = target.hostname.replace(/^\[|\]$/g, '');
    const socket = tls.connect({
      host,
      port: Number(target.port || 443),
      ...(isIpAddress(host) ? {} : { servername: host }),
      rejectUnauthorized: false,
      timeout: timeoutMs,
    });
    const done = (value: string | undefined) => {
      socket.destroy();
      resolve(value);
    };
    socket.once('secureConnect', () => {
      const print = socket.getPeerCertificate().fingerprint256;
      done(print === undefined || print === '' ? undefined : formatSha256(print));
    });
    socket.once('error', () => done(undefined));
    socket.once('timeout', () => done(undefined));
  });
}

function isIpAddress(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}
