/**
 * Main's engine-host client (src/main/engine-host-client.ts) and the engine host's server
 * (src/engine-host/server.ts) talking over an in-memory channel that copies every
 * message as a process boundary would, with the real EngineService behind: calls, status
 * pushes, secrets kept by main, failures and restarts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openCrmDatabase } from '../../src/core/crm/database.ts';
import { createUser } from '../../src/core/crm/users.ts';
import { MemorySecretStore } from '../../src/core/secrets/memory-secret-store.ts';
import { defaultSettings } from '../../src/shared/settings/schema.ts';
import type { EngineChild } from '../../src/main/engine-host-client.ts';
import { serveEngine } from '../../src/engine-host/server.ts';
import type { ServedEngine } from '../../src/engine-host/server.ts';
import type { SyncStatus } from '../../src/shared/app-api.ts';
import { ENGINE_METHODS } from '../../src/shared/engine-protocol.ts';
import { API_METHODS } from '../../src/shared/ipc-contract.ts';
import { freePort } from '../support/dav-servers.ts';
import { APP_INFO } from '../app/helpers.ts';

// The client forks through Electron's utilityProcess; here the test supplies the process.
vi.mock('electron', () => ({ utilityProcess: {} }));
const { EngineHost } = await import('../../src/main/engine-host-client.ts');

interface FakeProcess {
  child: EngineChild;
  served: ServedEngine;
  /** The process dies with `code` (a crash): no goodbye, messages in flight are lost. */
  crash(code: number): void;
  /** Resolves with the exit code once main has been told of the exit. */
  exited: Promise<number>;
}

let dir: string;
let secrets: MemorySecretStore;
let processes: FakeProcess[];
let hosts: InstanceType<typeof EngineHost>[];

/** One engine host "process": the server on one end of a copying channel. */
function forkInMemory(): EngineChild {
  let alive = true;
  let toMain: (message: unknown) => void = () => undefined;
  let toEngine: (message: unknown) => void = () => undefined;
  let onExit: (code: number) => void = () => undefined;
  let exited: (code: number) => void = () => undefined;
  const deliver = (to: () => (message: unknown) => void, message: unknown) =>
    setImmediate(() => {
      if (alive) to()(structuredClone(message));
    });
  const served = serveEngine({
    postMessage: (message) => deliver(() => toMain, message),
    onMessage: (listener) => (toEngine = listener),
  });
  const exit = (code: number) => {
    if (!alive) return;
    alive = false;
    void served.stop();
    onExit(code);
    exited(code);
  };
  const child: EngineChild = {
    postMessage: (message) => deliver(() => toEngine, message),
    onMessage: (listener) => (toMain = listener),
    onExit: (listener) => (onExit = listener),
    kill: () => setImmediate(() => exit(0)),
  };
  processes.push({
    child,
    served,
    crash: exit,
    exited: new Promise((resolve) => (exited = resolve)),
  });
  return child;
}

function startHost(options: { restartDelayMs?: number; maxRestarts?: number } = {}) {
  const host = new EngineHost(forkInMemory, {
    init: { settingsFile: path.join(dir, 'settings.json'), appInfo: APP_INFO },
    secrets,
    restartDelayMs: 1,
    ...options,
  });
  hosts.push(host);
  return host;
}

/** Settings for a CRM in `dir` and a CalDAV server where nothing answers. */
async function settingsWithDeadServer() {
  const db = openCrmDatabase(path.join(dir, 'crm.sqlite'), { create: true });
  createUser(db, { login: 'pbartos', displayName: 'Pavel Bartoš', password: 'heslo' });
  db.close();
  const settings = defaultSettings();
  settings.crm.user = 'pbartos';
  settings.connection.kind = 'dav';
  settings.connection.dav.url = `http://127.0.0.1:${await freePort()}/`;
  settings.connection.dav.user = 'pbartos';
  return settings;
}

function statusesOf(host: { onStatus(l: (s: SyncStatus) => void): () => void }) {
  const seen: SyncStatus[] = [];
  const waiters: { test: (s: SyncStatus) => boolean; resolve: (s: SyncStatus) => void }[] = [];
  host.onStatus((status) => {
    seen.push(status);
    for (const w of [...waiters]) {
      if (w.test(status)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(status);
      }
    }
  });
  return {
    seen,
    until(test: (s: SyncStatus) => boolean): Promise<SyncStatus> {
      const found = seen.find(test);
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ test, resolve }));
    },
  };
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-sync-engine-host-'));
  secrets = new MemorySecretStore();
  processes = [];
  hosts = [];
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterEach(async () => {
  for (const host of hosts) host.stop();
  await Promise.all(processes.map((p) => p.served.stop()));
  vi.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('engine host', () => {
  it("offers the IPC contract's methods but main's own (pickPath), and wake", () => {
    const host = startHost();
    expect(ENGINE_METHODS).toEqual([...API_METHODS.filter((m) => m !== 'pickPath'), 'wake']);
    expect(Object.keys(host.api).sort()).toEqual([...ENGINE_METHODS, 'onStatus'].sort());
  });

  it('answers the app API and pushes status changes', async () => {
    const host = startHost();
    expect(await host.ping()).toBe(process.pid);
    expect(await host.api.appInfo()).toEqual(APP_INFO);
    expect(await host.api.getSettings()).toMatchObject({ exists: false });
    const statuses = statusesOf(host);

    const settings = await settingsWithDeadServer();
    expect(await host.api.saveSettings(settings)).toEqual({ ok: true });
    const saved = await statuses.until((s) => s.configured);
    expect(saved.problems).toEqual([]);
    expect((await host.api.getSettings()).settings.crm.user).toBe('pbartos');
    // Configured: no run until the user asks (the wizard's Synchronize now). Nothing
    // answers at the server address, so the run fails, once.
    expect(await host.api.syncNow()).toEqual({ accepted: true });
    const failed = await statuses.until((s) => s.error !== null);
    expect(failed).toMatchObject({
      state: 'error',
      error: expect.stringMatching(/nothing answers/),
    });
    expect(await host.api.listRuns(5)).toEqual([
      expect.objectContaining({ status: 'failed', trigger: 'manual' }),
    ]);
  });

  it('keeps secrets in main: the engine host asks for them over the channel', async () => {
    const host = startHost();
    const settings = await settingsWithDeadServer();
    expect(await host.api.saveSettings(settings)).toEqual({ ok: true });

    const connection = settings.connection;
    expect(await host.api.testConnection({ connection, password: '' })).toEqual({
      ok: false,
      problems: [
        {
          field: 'connection.password',
          message: 'Enter the password.',
          code: 'server-password-empty',
          params: {},
        },
      ],
    });
    await host.api.setServerPassword('geheim-123');
    expect(await secrets.get('server.password')).toBe('geheim-123');
    // The proxy's password goes to main's store too, under its own key.
    await host.api.setServerPassword('proxy-456', 'proxy');
    expect(await secrets.get('proxy.password')).toBe('proxy-456');
    expect(await secrets.get('server.password')).toBe('geheim-123');
    // The engine host read the stored password back from main: it got as far as the server.
    const tested = await host.api.testConnection({ connection, password: '' });
    expect(tested).toEqual({
      ok: false,
      problems: [
        {
          field: 'connection.dav.url',
          message: expect.stringMatching(/nothing answers/),
          code: 'connection-refused',
          params: expect.objectContaining({ server: expect.stringMatching(/^http:/) }),
        },
      ],
    });
    // Nothing the engine host wrote holds the password.
    for (const file of fs.readdirSync(dir)) {
      expect(fs.readFileSync(path.join(dir, file)).includes('geheim-123')).toBe(false);
      expect(fs.readFileSync(path.join(dir, file)).includes('proxy-456')).toBe(false);
    }
  });

  it("passes on the engine's failures and main's secret store failures as messages", async () => {
    const host = startHost();
    fs.writeFileSync(path.join(dir, 'settings.json'), '{"schedule": {"intervalMinutes": 0}}');
    await expect(host.api.getSettings()).rejects.toThrow(
      /schedule\.intervalMinutes must be a whole number from 1 to 1440/,
    );
    vi.spyOn(secrets, 'set').mockRejectedValue(new Error('The OS keyring is locked.'));
    await expect(host.api.setServerPassword('x')).rejects.toThrow('The OS keyring is locked.');
  });

  it('starts the engine host again when it dies, telling the listeners', async () => {
    const host = startHost();
    await host.ping();
    const statuses = statusesOf(host);
    const pending = host.api.appInfo();
    processes[0]!.crash(3);
    await expect(pending).rejects.toThrow('The sync engine stopped (exit code 3).');
    expect(statuses.seen.at(-1)).toMatchObject({
      state: 'error',
      error: 'The sync engine stopped (exit code 3). Starting it again.',
    });
    await vi.waitUntil(() => processes.length === 2);
    expect(await host.api.appInfo()).toEqual(APP_INFO); // init was sent to the new one
  });

  it('gives up after the last restart and is not started again after stop', async () => {
    const host = startHost({ maxRestarts: 0 });
    await host.ping();
    const statuses = statusesOf(host);
    processes[0]!.crash(1);
    expect(statuses.seen.at(-1)?.error).toBe(
      'The sync engine stopped (exit code 1). Restart CRM Sync.',
    );
    await expect(host.api.status()).rejects.toThrow('The sync engine is not running.');

    const other = startHost();
    await other.ping();
    const otherStatuses = statusesOf(other);
    other.stop();
    expect(await processes[1]!.exited).toBe(0);
    expect(otherStatuses.seen).toEqual([]); // a quit, not a crash: no error, no restart
    await expect(other.api.appInfo()).rejects.toThrow('The sync engine is not running.');
    expect(processes).toHaveLength(2);
  });
});
