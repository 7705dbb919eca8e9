/**
 * One HTTP request and its whole answer, for every connector: over the connector's
 * dispatcher (proxy, pinned certificate), with a time limit that covers reading the body
 * too. No answer at all becomes a coded ServerError naming the address; for an untrusted
 * certificate the message carries its fingerprint, so the user can tell what to pin.
 * Answers come compressed when the server offers it (gzip, deflate, br) and are decoded
 * here; a caller may take the decoded body as it arrives instead of whole (a long listing
 * is then never held as one buffer). Sign-in, redirects and status handling are the caller's.
 */
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { request } from 'undici';
import type { Dispatcher } from 'undici';
import { peekCertificateFingerprint } from './dispatcher.ts';
import { RequestTimeoutError, networkFailure } from './network-failures.ts';

/** What we accept: every coding node:zlib decodes. */
export const ACCEPTED_ENCODINGS = 'gzip, deflate, br';

export interface RawAnswer {
  status: number;
  /** Lower-case names; repeated headers joined with ", " (WWW-Authenticate too, see below). */
  headers: Map<string, string>;
  /** Each WWW-Authenticate value separately (one may list several schemes). */
  authenticate: string[];
  /** The decoded body; empty when a BodySink took it. */
  body: Buffer;
  /** Body bytes as they came over the wire (compressed, when they were). */
  wireBytes: number;
}

/** Takes a decoded body chunk by chunk; throwing stops the request with that error. */
export type BodySink = (chunk: Buffer) => void;

export interface SendOptions {
  dispatcher: Dispatcher;
  timeoutMs: number;
  /** Set when the dispatcher goes through this proxy: failing to connect is then its. */
  proxyUrl?: string;
  /**
   * Asked once the status and headers are in: a sink takes the decoded body as it arrives
   * (the answer's `body` stays empty); undefined keeps it whole in `body`.
   */
  sinkFor?: (status: number, headers: Map<string, string>) => BodySink | undefined;
}

/** An error of the caller's sink: passed on as it is, not dressed as a network failure. */
class SinkError extends Error {
  readonly inner: unknown;
  constructor(inner: unknown) {
    super('body sink failed');
    this.inner = inner;
  }
}

export async function sendOnce(
  method: string,
  url: URL,
  headers: Record<string, string>,
  body: Buffer | undefined,
  options: SendOptions,
): Promise<RawAnswer> {
  const { dispatcher, timeoutMs, proxyUrl, sinkFor } = options;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new RequestTimeoutError()), timeoutMs);
  try {
    const res = await request(url, {
      method: method as Dispatcher.HttpMethod,
      headers: hasHeader(headers, 'accept-encoding')
        ? headers
        : { ...headers, 'accept-encoding': ACCEPTED_ENCODINGS },
      ...(body === undefined ? {} : { body }),
      // undici closes the connection after a request with a body unless its method is one
      // it knows to carry one (PUT, POST, PROPFIND...): every REPORT would open a new one.
      // HEAD keeps undici's close (servers that answer it with a body).
      ...(method === 'HEAD' ? {} : { reset: false }),
      dispatcher,
      signal: controller.signal,
    });
    const flat = new Map<string, string>();
    let authenticate: string[] = [];
    for (const [name, value] of Object.entries(res.headers)) {
      if (value === undefined) continue;
      const values = Array.isArray(value) ? value : [value];
      if (name === 'www-authenticate') authenticate = values;
      flat.set(name, values.join(', '));
    }
    const sink = sinkFor?.(res.statusCode, flat);
    const chunks: Buffer[] = [];
    const take: BodySink = sink ?? ((chunk) => chunks.push(chunk));
    // Every chunk is read to the end, so the connection goes back to the pool for reuse.
    const wireBytes = await readBody(res.body, flat.get('content-encoding'), (chunk) => {
      try {
        take(chunk);
      } catch (err) {
        throw new SinkError(err);
      }
    });
    // The decoded body replaces the coded one: its length and coding no longer apply.
    flat.delete('content-encoding');
    flat.delete('content-length');
    return {
      status: res.statusCode,
      headers: flat,
      authenticate,
      body: Buffer.concat(chunks),
      wireBytes,
    };
  } catch (err) {
    if (err instanceof SinkError) throw err.inner;
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

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((h) => h.toLowerCase() === name);
}

/**
 * Reads `body` to its end through the decoder its Content-Encoding names, handing each
 * decoded chunk to `take`; returns the bytes read off the wire. An unknown coding is passed
 * through as it is (the parser then says what is wrong with it). The body is read flowing,
 * never paused: undici fails an assertion when a server ends a connection-delimited answer
 * (Radicale's HTTP/1.0) while the reading is paused; `take` is synchronous and compressed
 * input waiting for the decoder is at most the compressed body.
 */
function readBody(body: Readable, encoding: string | undefined, take: BodySink): Promise<number> {
  const coding = (encoding ?? '').trim().toLowerCase();
  return new Promise<number>((resolve, reject) => {
    let wireBytes = 0;
    let decoder: zlib.Gunzip | zlib.Inflate | zlib.InflateRaw | zlib.BrotliDecompress | undefined;
    let failed = false;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      decoder?.destroy();
      body.destroy();
      reject(err instanceof Error ? err : new Error(String(err)));
    };
    const deliver = (chunk: Buffer) => {
      if (failed) return;
      try {
        take(chunk);
      } catch (err) {
        fail(err);
      }
    };
    body.on('data', (chunk: Buffer) => {
      if (failed) return;
      wireBytes += chunk.length;
      if (!CODINGS.has(coding)) {
        deliver(chunk);
        return;
      }
      if (decoder === undefined) {
        decoder = decoderFor(coding, chunk);
        decoder.on('data', deliver);
        decoder.once('error', fail);
        decoder.once('end', () => {
          if (!failed) resolve(wireBytes);
        });
      }
      decoder.write(chunk);
    });
    body.once('error', fail);
    body.once('end', () => {
      if (failed) return;
      if (decoder === undefined) resolve(wireBytes);
      else decoder.end();
    });
  });
}

const CODINGS = new Set(['gzip', 'x-gzip', 'deflate', 'br']);

function decoderFor(
  coding: string,
  first: Buffer,
): zlib.Gunzip | zlib.Inflate | zlib.InflateRaw | zlib.BrotliDecompress {
  if (coding === 'br') return zlib.createBrotliDecompress();
  if (coding !== 'deflate') return zlib.createGunzip();
  // "deflate" means zlib-wrapped (RFC 9110), but some servers send it raw: a zlib stream
  // starts with a header whose two bytes are a multiple of 31, with method 8.
  const b0 = first[0] ?? 0;
  const b1 = first[1] ?? 0;
  const wrapped = (b0 & 0x0f) === 8 && ((b0 << 8) | b1) % 31 === 0;
  return wrapped ? zlib.createInflate() : zlib.createInflateRaw();
}

function isCertificateError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /CERT|SELF_SIGNED|UNABLE_TO_/.test(code);
}
