/**
 * Every request of the transport (and of tsdav, through `fetchForTsdav`) goes through here:
 * one dispatcher (proxy, pinned certificate), credentials sent only to the server's own
 * origins, a time limit covering the whole answer, redirects followed by us (so the
 * credential rule holds), bodies read in full (or handed to a sink as they arrive) and
 * counted in RequestStats as bytes on the wire, and network failures turned into ServerError.
 */
import { Response } from 'undici';
import type { Dispatcher } from 'undici';
import type { Authenticator } from './auth.ts';
import { statusText } from '../../http/network-failures.ts';
import { CredentialOrigins, redirectStep } from '../../http/redirects.ts';
import { sendOnce } from '../../http/send-once.ts';
import type { BodySink } from '../../http/send-once.ts';
import {
  insecureRedirect,
  isServerWideStatus,
  redirectOffered,
  serverWideFailure,
  signInRefused,
} from './failures.ts';
import type { RequestStats } from './stats.ts';

export interface HttpResponse {
  status: number;
  statusText: string;
  /** Lower-case names; repeated headers joined with ", " except WWW-Authenticate (see below). */
  headers: Map<string, string>;
  /** Each WWW-Authenticate value separately (one may list several schemes). */
  authenticate: string[];
  body: Buffer;
  /** The URL that answered (after redirects). */
  url: string;
}

/** Chooses, from the final answer's status and headers, a sink for its body (see HttpRequest). */
export type SinkChooser = (
  status: number,
  headers: Map<string, string>,
  /** The URL that answered (after redirects). */
  url: string,
) => BodySink | undefined;

export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** 'manual' hands 3xx answers back (tsdav's .well-known lookup wants them). */
  redirect?: 'follow' | 'manual';
  /**
   * For the answer that is handed back (not a 401 or a redirect followed): a sink that takes
   * its decoded body as it arrives, leaving `body` empty; undefined keeps it whole.
   */
  sink?: SinkChooser;
}

export interface HttpClientOptions {
  serverUrl: string;
  authenticator: Authenticator;
  dispatcher: Dispatcher;
  timeoutMs: number;
  stats?: RequestStats;
  proxyUrl?: string;
  /** Bearer sign-in: a 401 means an expired token rather than a wrong password. */
  bearer?: boolean;
  /** Other addresses the user configured (home URLs): their origins get credentials too. */
  alsoTrusted?: string[];
}

export class HttpClient {
  readonly #options: HttpClientOptions;
  /**
   * Origins that get credentials (redirects.ts); a .well-known lookup that points elsewhere
   * is put to the user instead (redirectOffered).
   */
  readonly #trustedOrigins: CredentialOrigins;

  constructor(options: HttpClientOptions) {
    this.#options = options;
    this.#trustedOrigins = new CredentialOrigins([
      options.serverUrl,
      ...(options.alsoTrusted ?? []),
    ]);
  }

  /**
   * Sends a request; answers of any status but 401 come back. Network failures and 401
   * (after answering a Digest challenge) throw ServerError.
   */
  async send(req: HttpRequest): Promise<HttpResponse> {
    let method = req.method;
    let url = new URL(req.url);
    let body = req.body;
    let retriedAuth = false;
    for (let hop = 0; ; hop++) {
      const auth = this.#trustedOrigins.has(url)
        ? this.#options.authenticator.header(method, url)
        : undefined;
      const sink = req.sink;
      const final: SinkChooser | undefined =
        sink === undefined
          ? undefined
          : (status, headers, answered) =>
              status === 401 || (status >= 300 && status < 400 && headers.has('location'))
                ? undefined
                : sink(status, headers, answered);
      const res = await this.#once(method, url, req.headers ?? {}, body, auth, final);
      if (res.status === 401) {
        const trusted = this.#trustedOrigins.has(url);
        if (trusted && !retriedAuth) {
          retriedAuth = true;
          if (this.#options.authenticator.challenge(res.authenticate, auth !== undefined)) continue;
        }
        // No caller can do anything with a 401 but tell the user.
        throw signInRefused(url.href, res.authenticate, this.#options.authenticator.method);
      }
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location !== undefined) {
        const step = redirectStep(url, res.status, location, hop, req.redirect === 'manual');
        if (step.kind === 'insecure') throw insecureRedirect(url.href, step.url.href);
        if (step.kind === 'other-origin') throw redirectOffered(url.href, step.url.href);
        if (step.kind === 'answer') return res;
        if (step.asGet) {
          method = 'GET';
          body = undefined;
        }
        url = step.url;
        continue;
      }
      return res;
    }
  }

  /**
   * A fetch for tsdav. Besides `send`, it throws ServerError for server-wide failures
   * (5xx, 429): tsdav would only say "cannot find principalUrl".
   */
  readonly fetchForTsdav = async (
    input: string | URL | globalThis.Request,
    init?: RequestInit,
  ): Promise<globalThis.Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = init?.method ?? 'GET';
    const res = await this.send({
      method,
      url,
      headers: headerRecord(init?.headers),
      ...(typeof init?.body === 'string' ? { body: init.body } : {}),
      redirect: init?.redirect === 'manual' ? 'manual' : 'follow',
    });
    if (isServerWideStatus(res.status)) throw serverWideFailure(res.url, res.status, method);
    return toFetchResponse(res, method);
  };

  async #once(
    method: string,
    url: URL,
    headers: Record<string, string>,
    body: string | undefined,
    authorization: string | undefined,
    sinkFor: SinkChooser | undefined,
  ): Promise<HttpResponse> {
    const { stats, dispatcher, timeoutMs, proxyUrl } = this.#options;
    const payload = body === undefined ? undefined : Buffer.from(body, 'utf8');
    if (stats !== undefined) {
      stats.requests++;
      stats.byMethod[method] = (stats.byMethod[method] ?? 0) + 1;
      stats.bytesSent += payload?.length ?? 0;
    }
    const answer = await sendOnce(
      method,
      url,
      { ...headers, ...(authorization === undefined ? {} : { authorization }) },
      payload,
      {
        dispatcher,
        timeoutMs,
        ...(proxyUrl === undefined ? {} : { proxyUrl }),
        ...(sinkFor === undefined
          ? {}
          : { sinkFor: (status, answerHeaders) => sinkFor(status, answerHeaders, url.href) }),
      },
    );
    if (stats !== undefined) stats.bytesReceived += answer.wireBytes;
    return {
      status: answer.status,
      headers: answer.headers,
      authenticate: answer.authenticate,
      body: answer.body,
      statusText: statusText(answer.status).replace(/^\d+\s*/, ''),
      url: url.href,
    };
  }
}

/** The buffered answer as a Fetch API Response, the form tsdav consumes. */
export function toFetchResponse(res: HttpResponse, method: string): globalThis.Response {
  const nullBody = res.status === 204 || res.status === 304 || method === 'HEAD';
  const headers = [...res.headers].filter(([name]) => name !== 'www-authenticate');
  const response = new Response(nullBody ? null : new Uint8Array(res.body), {
    status: res.status,
    statusText: res.statusText,
    headers,
  });
  // tsdav reads response.url for the href of error entries.
  Object.defineProperty(response, 'url', { value: res.url });
  return response as unknown as globalThis.Response;
}

export function headerRecord(init: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (init === undefined) return out;
  if (Array.isArray(init)) {
    for (const [name, value] of init)
      if (name !== undefined && value !== undefined) out[name] = value;
  } else if (init instanceof Headers) {
    init.forEach((value, name) => (out[name] = value));
  } else {
    for (const [name, value] of Object.entries(init)) out[name] = String(value);
  }
  return out;
}
