/**
 * The UI test bridge: the built renderer (out/renderer) in a plain browser, talking to a real
 * engine service in this process, as it talks to the engine host through main and the
 * preload in the app.
 *
 *   const bridge = await startUiBridge({ api: service });   // an EngineService
 *   await page.goto(bridge.url);
 *
 * One loopback HTTP server:
 *   GET  /…                      the files of out/renderer, with the production CSP header
 *                                (src/shared/csp.ts); index.html gets
 *                                <script src="/bridge.js" data-methods="…"> (the IPC
 *                                contract's methods) ahead of the app's module
 *   GET  /bridge.js              test/support/ui-bridge-client.js: defines `window.crmSync`,
 *                                one method per name of data-methods
 *   POST /api/<method>           a JSON array of arguments → the method's JSON answer (204
 *                                when it answers nothing); an error → 500 {message}
 *   GET  /api/status-events      Server-Sent Events, one `SyncStatus` per update (onStatus),
 *                                and `event: navigate` with a page when the test calls
 *                                navigate() (main's message for the tray's "Settings…")
 *
 * pickPath (main's system dialog in the app) answers from a queue the test fills with
 * `answerPicks(...)`: each call takes the next answer (null = cancelled; none left: null).
 *
 * Calls are checked as main checks them (src/main/ipc.ts): the arguments and the answer
 * against the IPC contract's schemas, a settings file the schema rejects answered with
 * problems named by field, any other refusal or engine error as the rejection Electron's
 * `ipcRenderer.invoke` gives ("Error invoking remote method '<channel>': Error: …").
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { settingsIssueProblems } from '../../src/core/app/field-problems.ts';
import type { AppPage, PickPathRequest, SyncStatus } from '../../src/shared/app-api.ts';
import type { EngineAppApi } from '../../src/shared/engine-protocol.ts';
import { RENDERER_CSP } from '../../src/shared/csp.ts';
import { API_METHODS, channelOf, ipcContract, isApiMethod } from '../../src/shared/ipc-contract.ts';
import type { ApiMethod } from '../../src/shared/ipc-contract.ts';

const root = path.resolve(import.meta.dirname, '../..');

/** Where `npm run build` (electron-vite) puts the renderer. */
export const RENDERER_DIR = path.join(root, 'out', 'renderer');
const RENDERER_SOURCES = path.join(root, 'src', 'renderer');
const CLIENT_FILE = path.join(import.meta.dirname, 'ui-bridge-client.js');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

/** Newest modification time of the files under `dir`. */
function newestMtime(dir: string): { file: string; mtimeMs: number } | undefined {
  let newest: { file: string; mtimeMs: number } | undefined;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const { mtimeMs } = fs.statSync(file);
    if (!newest || mtimeMs > newest.mtimeMs) newest = { file, mtimeMs };
  }
  return newest;
}

/**
 * Why the built renderer cannot be tested: missing, or older than its sources. Undefined
 * when it is there and up to date. The UI tests test the build, so it comes first:
 * `npm run build && npx vitest run test/ui` (README's `npm test` builds before vitest).
 */
export function rendererBuildProblem(dir = RENDERER_DIR): string | undefined {
  const index = path.join(dir, 'index.html');
  const hint =
    'run `npm run build` first, or `npm run test:ui` (builds, then runs the UI tests; `npm test` builds before vitest too)';
  if (!fs.existsSync(index)) {
    return `The built renderer ${path.relative(root, index)} is missing: ${hint}.`;
  }
  if (dir !== RENDERER_DIR || !fs.existsSync(RENDERER_SOURCES)) return undefined;
  const built = fs.statSync(index).mtimeMs;
  const source = newestMtime(RENDERER_SOURCES);
  if (source && source.mtimeMs > built) {
    return `The built renderer ${path.relative(root, dir)} is older than ${path.relative(root, source.file)}: ${hint}.`;
  }
  return undefined;
}

export interface UiBridgeOptions {
  /** The engine the renderer talks to: an EngineService (or anything implementing the API). */
  api: EngineAppApi;
  /** The built renderer; default out/renderer. */
  rendererDir?: string;
}

export interface UiBridge {
  /** The page to open ("http://127.0.0.1:PORT/"). */
  url: string;
  /** Queues what the next "Browse…" dialogs answer: a path, or null (cancelled). */
  answerPicks(...answers: (string | null)[]): void;
  /** Every pickPath request the page made, in order. */
  readonly picks: readonly PickPathRequest[];
  /** Main's "show this page" (the tray's "Settings…"), to every open page. */
  navigate(page: AppPage): void;
  close(): Promise<void>;
}

export async function startUiBridge(options: UiBridgeOptions): Promise<UiBridge> {
  const dir = path.resolve(options.rendererDir ?? RENDERER_DIR);
  const problem = rendererBuildProblem(dir);
  if (problem) throw new Error(problem);
  const api = options.api;

  const client = fs.readFileSync(CLIENT_FILE, 'utf8');
  // The client defines one method per name of the contract, handed over on its script tag
  // (the CSP allows no inline script).
  const bridgeScript = `<script src="/bridge.js" data-methods="${API_METHODS.join(' ')}"></script>`;
  const indexHtml = fs
    .readFileSync(path.join(dir, 'index.html'), 'utf8')
    // Before the app's module script (modules run deferred; this classic script runs first).
    .replace(/<script\b/, `${bridgeScript}\n    <script`);
  const streams = new Set<http.ServerResponse>();
  const pickAnswers: (string | null)[] = [];
  const picks: PickPathRequest[] = [];
  // What main answers itself in the app (src/main/pick-path.ts): here, the test's queue.
  const mainCalls: Record<string, (...args: unknown[]) => Promise<unknown>> = {
    pickPath: async (request) => {
      picks.push(request as PickPathRequest);
      return pickAnswers.shift() ?? null;
    },
  };
  const unsubscribes = new Set<() => void>();
  let origin = '';

  const send = (
    res: http.ServerResponse,
    status: number,
    body: string | Buffer,
    type: string,
  ): void => {
    res.writeHead(status, {
      'content-type': type,
      'content-length': Buffer.byteLength(body),
      'content-security-policy': RENDERER_CSP,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
    res.end(body);
  };
  const sendJson = (res: http.ServerResponse, status: number, value: unknown): void =>
    send(res, status, JSON.stringify(value), 'application/json; charset=utf-8');

  const serveFile = (pathname: string, res: http.ServerResponse): void => {
    if (pathname === '/' || pathname === '/index.html') {
      send(res, 200, indexHtml, CONTENT_TYPES['.html']!);
      return;
    }
    if (pathname === '/favicon.ico') {
      // Chromium asks for one; the app's window has none (Electron never asks).
      res.writeHead(204, { 'cache-control': 'no-store' }).end();
      return;
    }
    if (pathname === '/bridge.js') {
      send(res, 200, client, CONTENT_TYPES['.js']!);
      return;
    }
    const file = path.resolve(dir, `.${decodeURIComponent(pathname)}`);
    const type = CONTENT_TYPES[path.extname(file)];
    if (
      !file.startsWith(dir + path.sep) ||
      !type ||
      !fs.statSync(file, { throwIfNoEntry: false })?.isFile()
    ) {
      send(res, 404, `Not found: ${pathname}`, 'text/plain; charset=utf-8');
      return;
    }
    send(res, 200, fs.readFileSync(file), type);
  };

  /** A call as main dispatches it (src/main/ipc.ts), the error as ipcRenderer.invoke rejects. */
  const callApi = async (method: string, body: string, res: http.ServerResponse) => {
    if (!isApiMethod(method)) {
      sendJson(res, 404, { message: `No API method "${method}".` });
      return;
    }
    const channel = channelOf(method);
    const failed = (message: string) =>
      sendJson(res, 500, {
        message: `Error invoking remote method '${channel}': Error: ${message}`,
      });
    let args: unknown;
    try {
      args = JSON.parse(body === '' ? '[]' : body);
    } catch {
      failed(`${channel}: the arguments are not JSON.`);
      return;
    }
    if (!Array.isArray(args)) {
      failed(`${channel}: the arguments are not a list.`);
      return;
    }
    const { request, response } = ipcContract[channel];
    const parsed = (request as z.ZodType<unknown[]>).safeParse(args);
    if (!parsed.success) {
      const issues = parsed.error.issues
        .filter((issue) => issue.path[0] === 0)
        .map((issue) => ({ ...issue, path: issue.path.slice(1) }));
      if (channel === 'settings:save' && args.length === 1 && issues.length > 0) {
        sendJson(res, 200, { ok: false, problems: settingsIssueProblems(issues, args[0]) });
      } else {
        failed(`${channel}: invalid arguments: ${z.prettifyError(parsed.error)}`);
      }
      return;
    }
    let result: unknown;
    try {
      const own = mainCalls[method];
      if (own) {
        result = await own(...parsed.data);
      } else {
        const fn = api[method as Exclude<ApiMethod, 'pickPath'>] as (
          ...a: unknown[]
        ) => Promise<unknown>;
        result = await fn.apply(api, parsed.data);
      }
    } catch (err) {
      failed(err instanceof Error ? err.message : String(err));
      return;
    }
    const checked = (response as z.ZodType).safeParse(result);
    if (!checked.success) {
      failed(`${channel}: the answer breaks the IPC contract: ${z.prettifyError(checked.error)}`);
      return;
    }
    if (checked.data === undefined) {
      res.writeHead(204, { 'cache-control': 'no-store' }).end();
      return;
    }
    sendJson(res, 200, checked.data);
  };

  const streamStatus = (req: http.IncomingMessage, res: http.ServerResponse) => {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    // A comment first, so the browser's EventSource opens at once.
    res.write(': status updates of the engine\n\n');
    streams.add(res);
    const unsubscribe = api.onStatus((status: SyncStatus) => {
      res.write(`data: ${JSON.stringify(status)}\n\n`);
    });
    unsubscribes.add(unsubscribe);
    req.on('close', () => {
      unsubscribe();
      unsubscribes.delete(unsubscribe);
      streams.delete(res);
    });
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin || 'http://127.0.0.1');
    if (url.pathname.startsWith('/api/')) {
      // Main answers only our own window; here: only pages of this origin.
      const from = req.headers.origin;
      if (from !== undefined && from !== origin) {
        sendJson(res, 403, { message: `Refused: ${from} is not the CRM Sync page.` });
        return;
      }
      if (url.pathname === '/api/status-events' && req.method === 'GET') {
        streamStatus(req, res);
        return;
      }
      if (req.method !== 'POST') {
        sendJson(res, 405, { message: 'Use POST.' });
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const method = url.pathname.slice('/api/'.length);
        callApi(method, Buffer.concat(chunks).toString('utf8'), res).catch((err: unknown) => {
          if (!res.headersSent) sendJson(res, 500, { message: String(err) });
        });
      });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'Method not allowed', 'text/plain; charset=utf-8');
      return;
    }
    serveFile(url.pathname, res);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/`,
    answerPicks(...answers) {
      pickAnswers.push(...answers);
    },
    picks,
    navigate(page) {
      for (const res of streams) res.write(`event: navigate\ndata: ${JSON.stringify(page)}\n\n`);
    },
    async close() {
      for (const unsubscribe of unsubscribes) unsubscribe();
      unsubscribes.clear();
      for (const res of streams) res.end();
      streams.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
