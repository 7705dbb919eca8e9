/**
 * Real CalDAV/CardDAV servers for integration tests: Radicale and Xandikos from Debian's
 * packages (`apt-get install radicale xandikos`), each started on a free loopback port in a
 * throwaway folder, stopped (process killed, folder removed) by `stop()`.
 *
 *   forEachDavServer((server) => { it('…', async () => { const s = server(); … }) });
 *
 * runs the same tests against both. A server whose test process dies without stopping it
 * stops by itself (see SUPERVISOR).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';

export type DavServerKind = 'radicale' | 'xandikos';
export type CalendarComponent = 'VEVENT' | 'VTODO';

export interface DavTestServer {
  kind: DavServerKind;
  /** Root URL ("http://127.0.0.1:PORT/"): what a user would type. */
  url: string;
  user: string;
  password: string;
  /** Where createCalendar/createAddressBook put collections. */
  calendarHomeUrl: string;
  addressBookHomeUrl: string;
  /** Whether the server honours supported-calendar-component-set on MKCALENDAR. */
  restrictsComponents: boolean;
  /** The server's throwaway folder (its storage is under it), removed by stop(). */
  folder: string;
  /** Makes a calendar; returns its URL (ending in "/"). */
  createCalendar(
    name: string,
    components?: CalendarComponent[],
    displayName?: string,
  ): Promise<string>;
  /** Makes an address book (extended MKCOL); returns its URL (ending in "/"). */
  createAddressBook(name: string, displayName?: string): Promise<string>;
  /**
   * Puts many objects into a collection quickly, behind the transport's back. Radicale
   * fsyncs every PUT (~80 ms each), so for it the files go straight into its storage
   * folder, which it reads as the truth; Xandikos gets PUTs.
   */
  seedObjects(collectionUrl: string, objects: { name: string; data: string }[]): Promise<void>;
  /** A plain request with the test user's credentials, for setting up or checking behind the transport. */
  request(
    method: string,
    url: string,
    body?: string,
    headers?: Record<string, string>,
  ): Promise<Response>;
  stop(): Promise<void>;
}

/**
 * The servers run under a small Python supervisor (Python is there: both servers are
 * Python programs). On SIGTERM, or when the test process dies without stopping it (a
 * crashed or killed worker skips afterAll and exit hooks), it stops the server and removes
 * the server's folder. Linux tells it at once (PR_SET_PDEATHSIG); elsewhere it notices
 * within half a second that its parent is gone.
 */
const SUPERVISOR = `
import os, shutil, signal, subprocess, sys, time
folder, cmd = sys.argv[1], sys.argv[2:]
parent = os.getppid()
try:
    import ctypes
    ctypes.CDLL(None).prctl(1, signal.SIGTERM)
except Exception:
    pass
try:
    server = subprocess.Popen(cmd)
except FileNotFoundError:
    print(cmd[0] + " is not installed (apt-get install " + cmd[0] + ")", file=sys.stderr)
    sys.exit(127)
def stop(*_):
    server.terminate()
    try:
        server.wait(5)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    shutil.rmtree(folder, ignore_errors=True)
    sys.exit(0)
signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)
while server.poll() is None:
    if os.getppid() != parent:
        stop()
    time.sleep(0.5)
sys.exit(server.returncode)
`;

function spawnSupervised(
  dir: string,
  command: string[],
  env: Record<string, string> = {},
): ChildProcess {
  return spawn('python3', ['-c', SUPERVISOR, dir, ...command], {
    cwd: dir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Radicale tuned for a purpose (the benchmark): more [storage] settings, more environment. */
export interface RadicaleOptions {
  /** Added to the [storage] section, e.g. { type: 'a_storage_plugin' }. */
  storage?: Record<string, string>;
  /** Added to the server's environment (e.g. PYTHONPATH for a storage plugin). */
  env?: Record<string, string>;
}

export async function startRadicale(options: RadicaleOptions = {}): Promise<DavTestServer> {
  return withRetries(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-sync-radicale-'));
    const port = await freePort();
    const user = 'alice';
    const password = randomBytes(9).toString('base64url');
    fs.writeFileSync(path.join(dir, 'users'), `${user}:${password}\n`, { mode: 0o600 });
    const config = path.join(dir, 'config');
    fs.writeFileSync(
      config,
      [
        '[server]',
        `hosts = 127.0.0.1:${port}`,
        '[auth]',
        'type = htpasswd',
        `htpasswd_filename = ${path.join(dir, 'users')}`,
        'htpasswd_encryption = plain',
        // Radicale sleeps up to this long after a failed login; keep tests fast.
        'delay = 0',
        '[storage]',
        `filesystem_folder = ${path.join(dir, 'collections')}`,
        ...Object.entries(options.storage ?? {}).map(([key, value]) => `${key} = ${value}`),
        '[rights]',
        'type = owner_only',
        '[web]',
        'type = none',
        '[logging]',
        'level = warning',
        'mask_passwords = True',
        '',
      ].join('\n'),
    );
    const child = spawnSupervised(dir, ['radicale', '--config', config], {
      ...options.env,
      RADICALE_CONFIG: config,
    });
    const url = `http://127.0.0.1:${port}/`;
    const home = `${url}${user}/`;
    const server = makeServer({
      kind: 'radicale',
      url,
      user,
      password,
      calendarHomeUrl: home,
      addressBookHomeUrl: home,
      restrictsComponents: true,
      child,
      dir,
      storageRoot: path.join(dir, 'collections', 'collection-root'),
    });
    // The first authenticated PROPFIND of the principal creates the user's home.
    await waitUntilAnswering(server, child, home);
    return server;
  });
}

export async function startXandikos(): Promise<DavTestServer> {
  return withRetries(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-sync-xandikos-'));
    const port = await freePort();
    const child = spawnSupervised(dir, [
      'xandikos',
      '-d',
      path.join(dir, 'data'),
      '-l',
      '127.0.0.1',
      '-p',
      String(port),
      '--defaults',
    ]);
    const url = `http://127.0.0.1:${port}/`;
    const server = makeServer({
      kind: 'xandikos',
      url,
      // Xandikos has no authentication; it ignores the header we send anyway.
      user: 'user',
      password: 'unused',
      calendarHomeUrl: `${url}user/calendars/`,
      addressBookHomeUrl: `${url}user/contacts/`,
      restrictsComponents: false,
      child,
      dir,
    });
    await waitUntilAnswering(server, child, `${url}user/`);
    return server;
  });
}

export function startDavServer(kind: DavServerKind): Promise<DavTestServer> {
  return kind === 'radicale' ? startRadicale() : startXandikos();
}

export const DAV_SERVER_KINDS: readonly DavServerKind[] = ['radicale', 'xandikos'];

/**
 * Runs `fn`'s tests once per server kind, each kind in its own describe block with its
 * own server started before and stopped after the block.
 */
export function forEachDavServer(fn: (server: () => DavTestServer) => void): void {
  for (const kind of DAV_SERVER_KINDS) {
    describe(kind, () => {
      let current: DavTestServer | undefined;
      beforeAll(async () => {
        current = await startDavServer(kind);
      });
      afterAll(async () => {
        await current?.stop();
        current = undefined;
      });
      fn(() => {
        if (current === undefined) throw new Error(`the ${kind} test server is not running`);
        return current;
      });
    });
  }
}

interface ServerParts {
  kind: DavServerKind;
  url: string;
  user: string;
  password: string;
  calendarHomeUrl: string;
  addressBookHomeUrl: string;
  restrictsComponents: boolean;
  child: ChildProcess;
  dir: string;
  /** Radicale: the folder that mirrors URL paths (collection-root). */
  storageRoot?: string;
}

function makeServer(parts: ServerParts): DavTestServer & { output(): string } {
  const { child, dir } = parts;
  let output = '';
  child.once('error', (err: NodeJS.ErrnoException) => {
    output += err.code === 'ENOENT' ? 'python3 is not installed' : err.message;
  });
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const authorization = `Basic ${Buffer.from(`${parts.user}:${parts.password}`).toString('base64')}`;
  const request = (method: string, url: string, body?: string, headers?: Record<string, string>) =>
    fetch(url, {
      method,
      headers: { authorization, ...headers },
      ...(body === undefined ? {} : { body }),
    });

  let stopped = false;
  return {
    kind: parts.kind,
    url: parts.url,
    user: parts.user,
    password: parts.password,
    calendarHomeUrl: parts.calendarHomeUrl,
    addressBookHomeUrl: parts.addressBookHomeUrl,
    restrictsComponents: parts.restrictsComponents,
    folder: dir,
    output: () => output,
    request,
    async seedObjects(collectionUrl, objects) {
      if (parts.storageRoot !== undefined) {
        const folder = path.join(
          parts.storageRoot,
          decodeURIComponent(new URL(collectionUrl).pathname),
        );
        for (const o of objects) fs.writeFileSync(path.join(folder, o.name), o.data);
        return;
      }
      for (let i = 0; i < objects.length; i += 10) {
        await Promise.all(
          objects.slice(i, i + 10).map(async (o) => {
            const res = await request(
              'PUT',
              `${collectionUrl}${encodeURIComponent(o.name)}`,
              o.data,
              {
                'content-type': o.name.endsWith('.vcf') ? 'text/vcard' : 'text/calendar',
              },
            );
            await res.arrayBuffer();
            if (res.status !== 201) throw new Error(`PUT ${o.name} answered ${res.status}`);
          }),
        );
      }
    },
    async createCalendar(name, components = ['VEVENT', 'VTODO'], displayName = name) {
      const url = `${parts.calendarHomeUrl}${encodeURIComponent(name)}/`;
      const comps = components.map((c) => `<C:comp name="${c}"/>`).join('');
      const res = await request(
        'MKCALENDAR',
        url,
        `<?xml version="1.0" encoding="utf-8"?><C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">` +
          `<D:set><D:prop><D:displayname>${escapeXml(displayName)}</D:displayname>` +
          `<C:supported-calendar-component-set>${comps}</C:supported-calendar-component-set>` +
          `</D:prop></D:set></C:mkcalendar>`,
        { 'content-type': 'application/xml; charset=utf-8' },
      );
      await res.arrayBuffer();
      if (res.status !== 201) throw new Error(`MKCALENDAR ${url} answered ${res.status}`);
      return url;
    },
    async createAddressBook(name, displayName = name) {
      const url = `${parts.addressBookHomeUrl}${encodeURIComponent(name)}/`;
      const res = await request(
        'MKCOL',
        url,
        `<?xml version="1.0" encoding="utf-8"?><D:mkcol xmlns:D="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav">` +
          `<D:set><D:prop><D:resourcetype><D:collection/><CR:addressbook/></D:resourcetype>` +
          `<D:displayname>${escapeXml(displayName)}</D:displayname></D:prop></D:set></D:mkcol>`,
        { 'content-type': 'application/xml; charset=utf-8' },
      );
      await res.arrayBuffer();
      if (res.status !== 201) throw new Error(`MKCOL ${url} answered ${res.status}`);
      return url;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await killProcess(child);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until the server answers an authenticated PROPFIND with 207, or fails with its output. */
async function waitUntilAnswering(
  server: DavTestServer & { output(): string },
  child: ChildProcess,
  probeUrl: string,
): Promise<void> {
  const deadline = Date.now() + 20_000;
  let last = 'no answer';
  try {
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
        throw new Error(
          `${server.kind} exited (${child.exitCode ?? child.signalCode}): ${server.output()}`,
        );
      }
      try {
        const res = await server.request(
          'PROPFIND',
          probeUrl,
          '<?xml version="1.0"?><propfind xmlns="DAV:"><prop><resourcetype/></prop></propfind>',
          { depth: '0', 'content-type': 'application/xml' },
        );
        await res.arrayBuffer();
        if (res.status === 207) return;
        last = `answered ${res.status}`;
      } catch (err) {
        last = err instanceof Error ? err.message : String(err);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${server.kind} did not start within 20 s (${last}): ${server.output()}`);
  } catch (err) {
    await server.stop();
    throw err;
  }
}

async function killProcess(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
  await exited;
  clearTimeout(timer);
}

/** A port nobody listens on right now (the server binds it a moment later). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

/** Another process may grab the port between freePort() and the server's bind: try again. */
async function withRetries<T>(start: () => Promise<T>): Promise<T> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await start();
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
