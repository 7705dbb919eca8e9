/**
 * A small HTTP proxy in front of a real DAV test server, for injecting what real servers
 * never do on request: a corrupted object inside a valid answer, a 500/503, a connection
 * cut mid-answer, an answer that never comes, a write the server made but the client never
 * heard of, another client's edit just before a request. It listens on a free loopback port; the client is pointed at `proxy.url`.
 *
 *   const proxy = await startFaultProxy(server.url);
 *   proxy.add({ method: 'PUT', path: /\.ics$/, fault: { kind: 'status', status: 503 } });
 *   … sync against proxy.url …
 *   expect(proxy.count({ method: 'PUT' })).toBe(3);
 *   await proxy.stop();
 *
 * Requests are forwarded as they came (method, path, headers with Authorization and Host,
 * body), one upstream request each; answers are buffered, so a rule can rewrite or cut them.
 */
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** What a rule does to a matching request. */
export type Fault =
  /** Answer with this status (and body) without asking the server. */
  | { kind: 'status'; status: number; body?: string }
  /** Forward; rewrite the answer's body text (e.g. break one object inside a multistatus). */
  | { kind: 'corrupt'; transform: (body: string) => string }
  /** Forward; send the headers and half the body, then cut the connection. */
  | { kind: 'cut' }
  /** Forward and let the server finish; then cut the connection before any answer. */
  | { kind: 'drop-after-forward' }
  /** Never answer (the client's time limit fires); the server is not asked. */
  | { kind: 'hang' }
  /** Run `action` (another client's edit, say), then forward as usual. */
  | { kind: 'before'; action: () => Promise<void> };

export interface FaultRule {
  /** HTTP method, case-insensitive; any when left out. */
  method?: string;
  /** The request path (with query): a substring, or a pattern (no /g). Any when left out. */
  path?: string | RegExp;
  /** The request body: a substring, or a pattern ("sync-collection", "calendar-multiget"). */
  body?: string | RegExp;
  /** The first matching request it applies to, counting from 1. Default 1. */
  nth?: number;
  /** How many matching requests from the `nth` on it applies to. Default 1; Infinity: all. */
  times?: number;
  fault: Fault;
}

export interface RequestRecord {
  method: string;
  path: string;
  /** The fault applied, if any. */
  fault: Fault['kind'] | null;
}

export interface RuleHandle {
  /** How many requests the rule has acted on so far. */
  readonly hits: number;
  /** Stops the rule acting on further requests. */
  remove(): void;
}

export interface RequestFilter {
  method?: string;
  path?: string | RegExp;
}

export interface FaultProxy {
  /** "http://127.0.0.1:PORT/": give this to the client instead of the server's URL. */
  readonly url: string;
  add(rule: FaultRule): RuleHandle;
  /** Removes every rule (the request log stays). */
  clear(): void;
  /** Every request received, in order. */
  readonly requests: readonly RequestRecord[];
  /** How many requests matched the filter (all when none is given). */
  count(filter?: RequestFilter): number;
  stop(): Promise<void>;
}

interface Upstream {
  status: number;
  /** End-to-end headers, without Content-Length (set from the body actually sent). */
  headers: [string, string][];
  /** The server's Content-Length, for answers without a body. */
  length: string | undefined;
  body: Buffer;
}

interface ActiveRule {
  rule: FaultRule;
  matched: number;
  hits: number;
  removed: boolean;
}

/** Headers about one connection or the body's framing: never copied, set by us instead. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'content-length',
]);

export async function startFaultProxy(targetUrl: string): Promise<FaultProxy> {
  const target = new URL(targetUrl);
  if (target.protocol !== 'http:') throw new Error('the fault proxy forwards to http:// only');
  const rules: ActiveRule[] = [];
  const requests: RequestRecord[] = [];
  const sockets = new Set<Socket>();
  const upstream = new Set<http.ClientRequest>();
  const agent = new http.Agent({ keepAlive: false });

  const matches = (
    filter: { method?: string; path?: string | RegExp; body?: string | RegExp },
    method: string,
    path: string,
    body: string,
  ): boolean =>
    (filter.method === undefined || filter.method.toUpperCase() === method) &&
    textMatches(filter.path, path) &&
    textMatches(filter.body, body);

  /** The fault for this request, counting it against every rule it matches. */
  const faultFor = (method: string, path: string, body: string): Fault | null => {
    let chosen: Fault | null = null;
    for (const active of rules) {
      if (active.removed || !matches(active.rule, method, path, body)) continue;
      active.matched++;
      const first = active.rule.nth ?? 1;
      const last = first + (active.rule.times ?? 1) - 1;
      if (chosen === null && active.matched >= first && active.matched <= last) {
        active.hits++;
        chosen = active.rule.fault;
      }
    }
    return chosen;
  };

  const forward = (req: IncomingMessage, body: Buffer): Promise<Upstream> =>
    new Promise((resolve, reject) => {
      // Answers uncompressed, so that a rule can read and rewrite their text.
      const headers = endToEnd(req.rawHeaders).filter(
        ([n]) => n.toLowerCase() !== 'accept-encoding',
      );
      if (body.length > 0 || !['GET', 'HEAD', 'DELETE'].includes(req.method ?? 'GET')) {
        headers.push(['Content-Length', String(body.length)]);
      }
      const out = http.request(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: headers.flat(),
          agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            upstream.delete(out);
            resolve({
              status: res.statusCode ?? 502,
              headers: endToEnd(res.rawHeaders),
              length: res.headers['content-length'],
              body: Buffer.concat(chunks),
            });
          });
        },
      );
      upstream.add(out);
      out.on('error', (err) => {
        upstream.delete(out);
        reject(err);
      });
      out.end(body);
    });

  /** Sends `reply` with `body`; `cut` stops after half the body and drops the connection. */
  const answer = (res: ServerResponse, reply: Upstream, body: Buffer, cut = false): void => {
    // No body allowed (HEAD, 204, 304): the server's own Content-Length, if any, stands.
    const bodiless = res.req.method === 'HEAD' || reply.status === 204 || reply.status === 304;
    const length = bodiless ? reply.length : String(body.length);
    const headers =
      length === undefined ? reply.headers : [...reply.headers, ['Content-Length', length]];
    res.writeHead(reply.status, headers.flat());
    if (bodiless) res.end();
    else if (!cut) res.end(body);
    else res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const method = (req.method ?? 'GET').toUpperCase();
    const path = req.url ?? '/';
    const fault = faultFor(method, path, body.toString('utf8'));
    requests.push({ method, path, fault: fault?.kind ?? null });

    if (fault?.kind === 'hang') return; // the socket stays open until the client gives up
    if (fault?.kind === 'status') {
      const text = Buffer.from(fault.body ?? `${fault.status} (injected by the fault proxy)\n`);
      const headers: [string, string][] = [['Content-Type', 'text/plain; charset=utf-8']];
      answer(res, { status: fault.status, headers, length: undefined, body: text }, text);
      return;
    }
    if (fault?.kind === 'before') await fault.action();
    let reply: Upstream;
    try {
      reply = await forward(req, body);
    } catch {
      if (!res.headersSent) res.writeHead(502).end();
      return;
    }
    switch (fault?.kind) {
      case 'drop-after-forward':
        req.socket.destroy();
        return;
      case 'cut':
        answer(res, reply, reply.body, true);
        return;
      case 'corrupt':
        answer(res, reply, Buffer.from(fault.transform(reply.body.toString('utf8')), 'utf8'));
        return;
      default:
        answer(res, reply, reply.body);
    }
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => res.socket?.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address !== 'object') throw new Error('the proxy has no port');
  const url = `http://127.0.0.1:${address.port}/`;

  let stopped = false;
  return {
    url,
    add(rule) {
      const active: ActiveRule = { rule, matched: 0, hits: 0, removed: false };
      rules.push(active);
      return {
        get hits() {
          return active.hits;
        },
        remove: () => {
          active.removed = true;
        },
      };
    },
    clear() {
      for (const r of rules) r.removed = true;
      rules.length = 0;
    },
    requests,
    count(filter = {}) {
      return requests.filter((r) => matches(filter, r.method, r.path, '')).length;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const req of upstream) req.destroy();
      for (const socket of sockets) socket.destroy();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** [name, value] pairs of raw headers, without hop-by-hop ones and Content-Length. */
function endToEnd(raw: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    if (!HOP_BY_HOP.has(name.toLowerCase())) out.push([name, raw[i + 1]!]);
  }
  return out;
}

function textMatches(wanted: string | RegExp | undefined, text: string): boolean {
  if (wanted === undefined) return true;
  return typeof wanted === 'string' ? text.includes(wanted) : wanted.test(text);
}
