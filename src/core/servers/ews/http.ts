/**
 * ews-javascript-api's XHR hook (IXHRApi) over the project's undici stack: the shared
 * dispatcher and request (../http/: TLS verification, the user's pinned certificate, the
 * proxy, a time limit on every answer), Basic / Bearer / NTLM sign-in done here (the library's credentials add
 * nothing), and SOAP calls counted per operation.
 *
 * The library only resolves answers with status 200; everything else is turned into a
 * typed failure (coded network ServerError, auth ServerError, EwsFault, EwsHttpStatusError).
 * The library would wrap a rejection into its own SoapFaultDetails and lose it, so the
 * failure is also kept here for the caller to take (`takeFailure`): calls are serialised
 * (one at a time per connector, see throttle.ts), so "the last failure" is that call's.
 */
import type { Dispatcher } from 'undici';
import type { IXHRApi, IXHROptions, IXHRProgress } from 'ews-javascript-api';
import { sendOnce } from '../http/send-once.ts';
import {
  EwsFault,
  EwsHttpStatusError,
  codedNetworkFailure,
  parseSoapFault,
  signInRefused,
} from './failures.ts';
import { ntlmAuthenticate, ntlmChallenge, ntlmNegotiate, offersNtlm } from './ntlm.ts';
import type { NtlmIdentity } from './ntlm.ts';
import { incompleteAnswer, isCompleteXml } from '../xml-complete.ts';
import { countCall } from './stats.ts';
import type { EwsStats } from './stats.ts';

export type EwsSignIn =
  | { kind: 'basic'; user: string; password: string }
  | { kind: 'ntlm'; identity: NtlmIdentity }
  | { kind: 'oauth'; token: string };

export interface EwsHttpOptions {
  signIn: EwsSignIn;
  dispatcher: Dispatcher;
  timeoutMs: number;
  proxyUrl?: string;
  stats?: EwsStats;
  /** Added to every request (X-AnchorMailbox when impersonating). */
  headers?: Record<string, string>;
}

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  authenticate: string[];
  body: string;
}

/** What the library reads of an XMLHttpRequest. */
export interface XhrLikeResponse {
  readonly status: number;
  readonly statusText: string;
  readonly responseText: string;
  readonly response: string;
  readonly headers: Record<string, string>;
  getResponseHeader(name: string): string | null;
  getAllResponseHeaders(): string;
}

/** The operation a SOAP body asks for: the first element inside soap:Body. */
/** The library's XMLHttpRequest type (a DOM type this project does not load). */
type XhrResult = Awaited<ReturnType<IXHRApi['xhr']>>;

export function soapOperation(body: string): string {
  const element = /<(?:[\w-]+:)?Body[^>]*>\s*<(?:[\w-]+:)?(\w+)/.exec(body)?.[1];
  // Autodiscover's element is GetUserSettingsRequestMessage; EWS's are bare (GetItem).
  return element === undefined ? 'SOAP request' : element.replace(/RequestMessage$/, '');
}

export class EwsHttp implements IXHRApi {
  readonly apiName = 'crm-sync-undici';
  readonly #options: EwsHttpOptions;
  #failure: Error | undefined;

  constructor(options: EwsHttpOptions) {
    this.#options = options;
  }

  /** The failure of the last call, once (see the file comment). */
  takeFailure(): Error | undefined {
    const failure = this.#failure;
    this.#failure = undefined;
    return failure;
  }

  clearFailure(): void {
    this.#failure = undefined;
  }

  async xhr(options: IXHROptions, _progress?: (p: IXHRProgress) => void): Promise<XhrResult> {
    const body = typeof options.data === 'string' ? options.data : '';
    const operation = soapOperation(body);
    try {
      const answer = await this.#send(options, body, operation);
      return toXhr(answer) as unknown as XhrResult;
    } catch (err) {
      this.#failure = err instanceof Error ? err : new Error(String(err));
      throw this.#failure;
    }
  }

  xhrStream(_options: IXHROptions, _progress: (p: IXHRProgress) => void): Promise<XhrResult> {
    return Promise.reject(new Error('Streaming notifications are not used by CRM Sync.'));
  }

  disconnect(): void {
    // Connections belong to the dispatcher, closed with the connector.
  }

  async #send(options: IXHROptions, body: string, operation: string): Promise<RawAnswer> {
    const url = options.url;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(
      (options.headers ?? {}) as Record<string, unknown>,
    )) {
      // The library's own Authorization (from its credentials object) is never sent.
      if (name.toLowerCase() === 'authorization' || value === undefined || value === null) continue;
      headers[name] = String(value);
    }
    Object.assign(headers, this.#options.headers ?? {});
    const signIn = this.#options.signIn;
    let answer: RawAnswer;
    if (signIn.kind === 'ntlm') {
      answer = await this.#sendNtlm(url, headers, body, operation, signIn.identity);
    } else {
      const authorization =
        signIn.kind === 'basic'
          ? `Basic ${Buffer.from(`${signIn.user}:${signIn.password}`, 'utf8').toString('base64')}`
          : `Bearer ${signIn.token}`;
      countCall(this.#options.stats, operation);
      answer = await this.#once(url, { ...headers, Authorization: authorization }, body);
    }
    return this.#check(answer, url, operation);
  }

  /**
   * NTLM authenticates a connection, not a request: try the call as is (the kept-alive
   * connection may be signed in already); on 401, negotiate and send the call with the
   * final message. All on one connection: the NTLM dispatcher keeps one per origin
   * (createDispatcher with connections: 1) and calls are serialised (throttle.ts).
   */
  async #sendNtlm(
    url: string,
    headers: Record<string, string>,
    body: string,
    operation: string,
    identity: NtlmIdentity,
  ): Promise<RawAnswer> {
    countCall(this.#options.stats, operation);
    const first = await this.#once(url, headers, body);
    if (first.status !== 401 || !offersNtlm(first.authenticate)) return first;
    const negotiated = await this.#once(
      url,
      { ...headers, Authorization: ntlmNegotiate(identity) },
      '',
    );
    const challenge = ntlmChallenge(negotiated.authenticate);
    if (negotiated.status !== 401 || challenge === undefined) return negotiated;
    return this.#once(
      url,
      { ...headers, Authorization: ntlmAuthenticate(identity, challenge) },
      body,
    );
  }

  #check(answer: RawAnswer, url: string, operation: string): RawAnswer {
    if (answer.status === 401)
      throw signInRefused(url, answer.authenticate, this.#options.signIn.kind);
    const fault = parseSoapFault(answer.body);
    if (fault !== undefined) throw new EwsFault(fault, answer.status, operation);
    if (answer.status !== 200) {
      throw new EwsHttpStatusError(
        answer.status,
        url,
        operation,
        retryAfterMs(answer.headers['retry-after']),
      );
    }
    // The library's XML parser takes a SOAP answer cut short for a shorter one: a
    // SyncFolderItems page would read as "nothing more", a GetItem as fewer items.
    if (!isCompleteXml(answer.body)) throw incompleteAnswer(operation, originOf(url), url);
    return answer;
  }

  async #once(url: string, headers: Record<string, string>, body: string): Promise<RawAnswer> {
    const { dispatcher, timeoutMs, proxyUrl } = this.#options;
    let answer: Awaited<ReturnType<typeof sendOnce>>;
    try {
      answer = await sendOnce('POST', new URL(url), headers, Buffer.from(body, 'utf8'), {
        dispatcher,
        timeoutMs,
        ...(proxyUrl === undefined ? {} : { proxyUrl }),
      });
    } catch (err) {
      throw codedNetworkFailure(err, { url, timeoutMs });
    }
    return {
      status: answer.status,
      headers: Object.fromEntries(answer.headers),
      authenticate: answer.authenticate,
      // As fetch's text(): UTF-8, a byte order mark dropped.
      body: new TextDecoder().decode(answer.body),
    };
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function toXhr(answer: RawAnswer): XhrLikeResponse {
  const headers = answer.headers;
  return {
    status: answer.status,
    statusText: 'OK',
    responseText: answer.body,
    response: answer.body,
    headers,
    getResponseHeader: (name: string) => headers[name.toLowerCase()] ?? null,
    getAllResponseHeaders: () =>
      Object.entries(headers)
        .map(([name, value]) => `${name}: ${value}`)
        .join('\r\n'),
  };
}
