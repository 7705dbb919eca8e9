/**
 * One HTTP request and its whole answer, for every connector: over the connector's
 * dispatcher (proxy, pinned certificate), with a time limit that covers reading the body
 * too. No answer at all becomes a coded ServerError naming the address; for an untrusted
 * certificate the message carries its fingerprint, so the user can tell what to pin.
 * Sign-in, redirects and status handling are the caller's.
 */
import { request } from 'undici';
import type { Dispatcher } from 'undici';
import { peekCertificateFingerprint } from './dispatcher.ts';
import { RequestTimeoutError, networkFailure } from './network-failures.ts';

export interface RawAnswer {
  status: number;
  /** Lower-case names; repeated headers joined with ", " (WWW-Authenticate too, see below). */
  headers: Map<string, string>;
  /** Each WWW-Authenticate value separately (one may list several schemes). */
  authenticate: string[];
  body: Buffer;
}

export interface SendOptions {
  dispatcher: Dispatcher;
  timeoutMs: number;
  /** Set when the dispatcher goes through this proxy: failing to connect is then its. */
  proxyUrl?: string;
}

export async function sendOnce(
  method: string,
  url: URL,
  headers: Record<string, string>,
  body: Buffer | undefined,
  options: SendOptions,
): Promise<RawAnswer> {
  const { dispatcher, timeoutMs, proxyUrl } = options;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new RequestTimeoutError()), timeoutMs);
  try {
    const res = await request(url, {
      method: method as Dispatcher.HttpMethod,
      headers,
      ...(body === undefined ? {} : { body }),
      dispatcher,
      signal: controller.signal,
    });
    const received = Buffer.from(await res.body.arrayBuffer());
    const flat = new Map<string, string>();
    let authenticate: string[] = [];
    for (const [name, value] of Object.entries(res.headers)) {
      if (value === undefined) continue;
      const values = Array.isArray(value) ? value : [value];
      if (name === 'www-authenticate') authenticate = values;
      flat.set(name, values.join(', '));
    }
    return { status: res.statusCode, headers: flat, authenticate, body: received };
  } catch (err) {
    // Behind a proxy there is no direct connection to read the certificate over.
    const fingerprint =
      proxyUrl === undefined && isCertificateError(err)
        ? await peekCertificateFingerprint(url.href, 5000)
        : undefined;
    throw networkFailure(err, {
      url: url.href,
      timeoutMs,
      ...(proxyUrl === undefined ? {} : { proxyUrl }),
      ...(fingerprint === undefined ? {} : { certificateFingerprint: fingerprint }),
    });
  } finally {
    clearTimeout(timer);
  }
}

function isCertificateError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /CERT|SELF_SIGNED|UNABLE_TO_/.test(code);
}
