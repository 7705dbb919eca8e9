/**
 * Runs EWS calls one at a time and retries what the server asks us to retry: throttling
 * (ErrorServerBusy with BackOffMilliseconds, connection-count errors, HTTP 503/429 with
 * Retry-After) after waiting as told, timeouts and cut connections with exponential
 * back-off. Anything else, or waiting longer than allowed, ends as a ServerError naming
 * the operation (failures.ts); per-item codes the caller handles itself pass through.
 */
import { ServerError } from '../errors.ts';
import {
  EwsHttpStatusError,
  THROTTLING_CODES,
  ewsErrorCode,
  responseBackOffMs,
  toServerError,
} from './failures.ts';
import type { EwsFailureContext } from './failures.ts';
import type { EwsHttp } from './http.ts';

export interface EwsCallerOptions {
  http: EwsHttp;
  /** Longest total wait for throttling back-offs in one call. */
  maxBackOffMs: number;
  /** Server, account and mailbox, for messages. */
  context: Omit<EwsFailureContext, 'operation' | 'folder'>;
  /** Tests replace the clock. */
  sleep?: (ms: number) => Promise<void>;
}

export interface CallOptions {
  /** Display name of the folder the call is about (ErrorAccessDenied names it). */
  folder?: string;
  /**
   * EWS error codes the caller handles (ErrorItemNotFound, ErrorIrresolvableConflict …):
   * the library's exception is rethrown as is.
   */
  passThrough?: ReadonlySet<string>;
  /**
   * False for calls that must not be sent twice (CreateItem): a timeout may mean the
   * server did it. Throttling answers are retried anyway (the server did nothing).
   */
  retryNetwork?: boolean;
}

/** Retries of a timed-out or cut call; waits 0.5 s, 1 s, 2 s. */
const NETWORK_RETRIES = 3;
const NETWORK_BASE_MS = 500;
/** When a throttling answer says nothing about how long to wait. */
const THROTTLE_BASE_MS = 1000;
const MAX_THROTTLE_RETRIES = 20;

const sleepReal = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class EwsCaller {
  readonly #options: EwsCallerOptions;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: EwsCallerOptions) {
    this.#options = options;
  }

  get context(): Omit<EwsFailureContext, 'operation' | 'folder'> {
    return this.#options.context;
  }

  /** Runs one library call (`fn` must make exactly one request) with retries. */
  run<T>(operation: string, fn: () => Promise<T>, options: CallOptions = {}): Promise<T> {
    const next = this.#queue.then(
      () => this.#attempts(operation, fn, options),
      () => this.#attempts(operation, fn, options),
    );
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #attempts<T>(operation: string, fn: () => Promise<T>, options: CallOptions): Promise<T> {
    const { http, maxBackOffMs } = this.#options;
    const sleep = this.#options.sleep ?? sleepReal;
    let waited = 0;
    let throttled = 0;
    let networkFailures = 0;
    for (;;) {
      http.clearFailure();
      let failure: unknown;
      try {
        return await fn();
      } catch (err) {
        // The library wraps our rejection; the XHR layer kept the real failure.
        failure = http.takeFailure() ?? err;
      }
      const code = ewsErrorCode(failure);
      if (code !== undefined && options.passThrough?.has(code) === true) throw failure;
      const throttleWait = throttlingWait(failure, throttled);
      if (throttleWait !== undefined) {
        throttled++;
        if (waited + throttleWait <= maxBackOffMs && throttled <= MAX_THROTTLE_RETRIES) {
          waited += throttleWait;
          await sleep(throttleWait);
          continue;
        }
        throw this.#gaveUp(failure, operation, options, waited);
      }
      if (isRetryableNetwork(failure) && options.retryNetwork !== false) {
        if (networkFailures < NETWORK_RETRIES) {
          await sleep(NETWORK_BASE_MS * 2 ** networkFailures);
          networkFailures++;
          continue;
        }
      }
      throw this.#final(failure, operation, options);
    }
  }

  #final(failure: unknown, operation: string, options: CallOptions): ServerError {
    return toServerError(failure, {
      ...this.#options.context,
      operation,
      ...(options.folder === undefined ? {} : { folder: options.folder }),
    });
  }

  #gaveUp(failure: unknown, operation: string, options: CallOptions, waited: number): ServerError {
    const err = this.#final(failure, operation, options);
    const seconds = Math.round(waited / 1000);
    const server = this.#options.context.server;
    return new ServerError(
      `${server} stayed too busy to answer ${operation} (waited ${seconds} s as it asked); try again later.`,
      { code: 'server-busy', params: err.params, transient: true, cause: failure },
    );
  }
}

/** How long a throttling answer asks us to wait; undefined when it is not one. */
function throttlingWait(failure: unknown, attempt: number): number | undefined {
  const fallback = THROTTLE_BASE_MS * 2 ** Math.min(attempt, 6);
  if (failure instanceof EwsHttpStatusError) {
    if (failure.httpStatus !== 503 && failure.httpStatus !== 429) return undefined;
    return failure.retryAfterMs ?? fallback;
  }
  const code = ewsErrorCode(failure);
  if (code === undefined || !THROTTLING_CODES.has(code)) return undefined;
  return responseBackOffMs(failure) ?? fallback;
}

function isRetryableNetwork(failure: unknown): boolean {
  return (
    failure instanceof ServerError &&
    (failure.code === 'no-answer' ||
      failure.code === 'connection-cut' ||
      failure.code === 'answer-incomplete')
  );
}
