/**
 * A reverse proxy on loopback that counts what a client asks of the server: requests by
 * method, bytes up and down (bodies as they cross the wire, so compressed when the server
 * compressed them) and connections opened. `--compare` points every client at it, so the
 * three clients are counted the same way whatever their own statistics say.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Traffic {
  requests: number;
  byMethod: Record<string, number>;
  bytesUp: number;
  bytesDown: number;
  /** Client connections accepted: fewer than requests when connections are reused. */
  connections: number;
  /**
   * Sum of the requests' durations (request arrived to answer sent): the time the client
   * spent waiting for the server, not for itself.
   */
  requestMs: number;
}

export interface CountingProxy {
  /** "http://127.0.0.1:PORT/": the server's root as the clients see it. */
  url: string;
  /** The counts since the last call, which starts a new count. */
  take(): Traffic;
  /** The proxy's URL for a server URL (same path). */
  via(serverUrl: string): string;
  stop(): Promise<void>;
}

function emptyTraffic(): Traffic {
  return { requests: 0, byMethod: {}, bytesUp: 0, bytesDown: 0, connections: 0, requestMs: 0 };
}

export async function startCountingProxy(serverUrl: string): Promise<CountingProxy> {
  const target = new URL(serverUrl);
  // The proxy's own connections to the server are kept alive: they are not the client's.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  let traffic = emptyTraffic();

  const server = http.createServer((req, res) => {
    const method = req.method ?? 'GET';
    const started = performance.now();
    const counted = traffic;
    res.on('finish', () => {
      counted.requestMs += performance.now() - started;
    });
    traffic.requests++;
    traffic.byMethod[method] = (traffic.byMethod[method] ?? 0) + 1;
    const headers = { ...req.headers };
    // The server sees its own host (Radicale and Xandikos answer with paths, not URLs).
    headers.host = target.host;
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        method,
        path: req.url,
        headers,
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.headers);
        answer.on('data', (chunk: Buffer) => {
          traffic.bytesDown += chunk.length;
        });
        answer.pipe(res);
      },
    );
    upstream.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`bench proxy: ${err.message}`);
    });
    req.on('data', (chunk: Buffer) => {
      traffic.bytesUp += chunk.length;
    });
    req.pipe(upstream);
  });
  server.on('connection', () => {
    traffic.connections++;
  });
  // Long first syncs: no server-side timeouts in the way.
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  server.keepAliveTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/`;
  return {
    url,
    take() {
      const t = traffic;
      traffic = emptyTraffic();
      return t;
    },
    via(serverUrl: string) {
      const u = new URL(serverUrl);
      return `${url.slice(0, -1)}${u.pathname}${u.search}`;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
