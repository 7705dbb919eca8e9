/**
 * The benchmark's Radicale, and plain HTTP to it outside CRM Sync's transport (warming its
 * cache, counting what it holds): requests the benchmark does not measure.
 *
 * Tuned (the default): Radicale 3 does O(items) work on every PUT of a new item: it scans
 * the whole collection for a duplicate UID and sweeps its item cache and history folders.
 * An initial upload of 5,000 events then costs minutes of Radicale CPU (O(N²)), which would
 * drown what the benchmark is for. A small storage plugin turns those three off, and
 * fsync too (each PUT would wait ~15 ms for the disk). Requests, bytes and the client's
 * memory are the same either way; `--stock-radicale` runs the packaged behaviour.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startRadicale } from '../test/support/dav-servers.ts';
import type { DavTestServer } from '../test/support/dav-servers.ts';

const PLUGIN = `
"""CRM Sync benchmark: Radicale's multifilesystem storage without its O(items) per-PUT work."""
from radicale.storage import multifilesystem


class Collection(multifilesystem.Collection):
    def has_uid(self, uid):
        # Stock: reads every item of the collection. The benchmark checks the item counts itself.
        return False

    def _clean_item_cache(self):
        pass

    def _clean_history(self):
        pass


class Storage(multifilesystem.Storage):
    _collection_class = Collection

    def __init__(self, configuration):
        super().__init__(configuration)
        # "_filesystem_fsync" is not settable from a config file.
        self._filesystem_fsync = False
`;

export interface BenchServer {
  server: DavTestServer;
  tuned: boolean;
  stop(): Promise<void>;
}

export async function startBenchRadicale(tuned: boolean): Promise<BenchServer> {
  if (!tuned) {
    const server = await startRadicale();
    return { server, tuned, stop: () => server.stop() };
  }
  const pluginDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-sync-bench-plugin-'));
  fs.writeFileSync(path.join(pluginDir, 'crm_sync_bench_storage.py'), PLUGIN);
  const pythonPath = [pluginDir, process.env['PYTHONPATH']].filter(Boolean).join(path.delimiter);
  try {
    const server = await startRadicale({
      storage: { type: 'crm_sync_bench_storage' },
      env: { PYTHONPATH: pythonPath },
    });
    return {
      server,
      tuned,
      async stop() {
        await server.stop();
        fs.rmSync(pluginDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    fs.rmSync(pluginDir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * One request with node:http. (Radicale answers HTTP/1.0 and closes the connection; Node's
 * built-in fetch trips an internal assertion on such answers of a megabyte or more.)
 */
export function rawRequest(
  server: DavTestServer,
  method: string,
  url: string,
  body: string,
  headers: Record<string, string> = {},
  timeoutMs = 600_000,
): Promise<{ status: number; text: string }> {
  const authorization = `Basic ${Buffer.from(`${server.user}:${server.password}`).toString('base64')}`;
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        headers: {
          authorization,
          'content-type': 'application/xml; charset=utf-8',
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * The hrefs in a collection (PROPFIND depth 1 of the ETags). The first one after seeding
 * makes Radicale parse and cache every file written behind its back: a real server has
 * long done that, so the benchmark does it before measuring.
 */
export async function listHrefs(server: DavTestServer, collectionUrl: string): Promise<string[]> {
  const res = await rawRequest(
    server,
    'PROPFIND',
    collectionUrl,
    '<?xml version="1.0" encoding="utf-8"?><propfind xmlns="DAV:"><prop><getetag/></prop></propfind>',
    { depth: '1' },
  );
  if (res.status !== 207) throw new Error(`PROPFIND ${collectionUrl} answered ${res.status}`);
  const self = new URL(collectionUrl).pathname;
  return [...res.text.matchAll(/<(?:\w+:)?href>([^<]*)<\/(?:\w+:)?href>/g)]
    .map((m) => m[1] ?? '')
    .filter((href) => href !== '' && href !== self && !href.endsWith('/'));
}
