/**
 * Redirects at `crm-sync init`: the configured server's .well-known address sends
 * the user to another server (another port: another origin). Without --use-redirect the
 * other server is sent nothing (least of all the password) and init says where it was
 * sent and how to take it; with --use-redirect that address is stored and checked.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy } from '../support/fault-proxy.ts';
import type { FaultProxy } from '../support/fault-proxy.ts';
import { startRadicale } from '../support/dav-servers.ts';
import type { DavTestServer } from '../support/dav-servers.ts';
import { tempDir } from '../support/cli.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/crm-sync.mjs');
const TIMEOUT_MS = 120_000;

/** The real command in a child process; asynchronous, so this process's servers answer it. */
function crmSyncAsync(
  args: string[],
  input: string,
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env, CRM_SYNC_CONFIG: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('crm-sync init and a .well-known redirect to another server', () => {
  let radicale: DavTestServer;
  /** The other origin: Radicale behind the proxy, which logs every request it gets. */
  let other: FaultProxy;
  let configured: http.Server;
  let configuredUrl: string;

  beforeAll(async () => {
    radicale = await startRadicale();
    await radicale.createCalendar('kalendar', ['VEVENT', 'VTODO']);
    other = await startFaultProxy(radicale.url);
    configured = http.createServer((req, res) => {
      req.resume();
      if (req.url?.startsWith('/.well-known/')) res.writeHead(302, { Location: other.url }).end();
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => configured.listen(0, '127.0.0.1', resolve));
    configuredUrl = `http://127.0.0.1:${(configured.address() as AddressInfo).port}/`;
  }, TIMEOUT_MS);

  afterAll(async () => {
    configured?.closeAllConnections();
    await new Promise<void>((resolve) =>
      configured ? configured.close(() => resolve()) : resolve(),
    );
    await other?.stop();
    await radicale?.stop();
  });

  const initArgs = (config: string) => [
    'init',
    '--config',
    config,
    '--crm-user',
    'novak',
    '--server',
    'dav',
    '--url',
    configuredUrl,
    '--user',
    radicale.user,
    '--auth',
    'basic',
    '--agendas',
    'events',
    '--no-start-at-login',
    '--password-stdin',
  ];

  it(
    'asks instead of following, and sends the other server nothing',
    async () => {
      const dir = tempDir();
      const config = path.join(dir, 'crm.json');
      const res = await crmSyncAsync(initArgs(config), `${radicale.password}\n`, {
        CRM_SYNC_CRM_PASSWORD: 'crm-heslo',
      });
      expect(res.code).toBe(5);
      expect(res.stderr).toContain(`sends you to ${other.url}, another server`);
      expect(res.stderr).toContain('--use-redirect');
      expect(other.requests).toEqual([]);
      const settings = JSON.parse(fs.readFileSync(config, 'utf8'));
      expect(settings.connection.dav.url).toBe(configuredUrl);
      fs.rmSync(dir, { recursive: true, force: true });
    },
    TIMEOUT_MS,
  );

  it(
    'with --use-redirect stores the address it was sent to, and the check passes there',
    async () => {
      const dir = tempDir();
      const config = path.join(dir, 'crm.json');
      const res = await crmSyncAsync(
        [...initArgs(config), '--use-redirect'],
        `${radicale.password}\n`,
        { CRM_SYNC_CRM_PASSWORD: 'crm-heslo' },
      );
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      const settings = JSON.parse(fs.readFileSync(config, 'utf8'));
      expect(settings.connection.dav.url).toBe(other.url);
      expect(other.requests.length).toBeGreaterThan(0);
      fs.rmSync(dir, { recursive: true, force: true });
    },
    TIMEOUT_MS,
  );
});
