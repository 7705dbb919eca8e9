/**
 * The preload (src/preload/index.ts) against a stand-in `electron`: `window.crmSync` has one
 * method per method of the IPC contract, each invoking its own channel, and the two pushes.
 * The build writes the contract's channel table into the bundle (electron.vite.config.ts);
 * here the test supplies it the same way, as the global the build replaces.
 */
import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppPage, CrmSyncApi, SyncStatus } from '../../src/shared/app-api.ts';
import { API_CHANNELS, API_METHODS, channelOf } from '../../src/shared/ipc-contract.ts';
import { syncStatus } from './fake-engine-control.ts';

/** What main sends the window, and what the window asks of main. */
function fakeElectron() {
  const fromMain = new EventEmitter();
  const exposed = new Map<string, unknown>();
  const invoke = vi.fn(async (channel: string, ...args: unknown[]) => ({ channel, args }));
  return {
    fromMain,
    exposed,
    invoke,
    module: {
      contextBridge: {
        exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value),
      },
      ipcRenderer: {
        invoke,
        on: (channel: string, listener: (...args: unknown[]) => void) =>
          fromMain.on(channel, listener),
        removeListener: (channel: string, listener: (...args: unknown[]) => void) =>
          fromMain.removeListener(channel, listener),
      },
    },
  };
}

let electron: ReturnType<typeof fakeElectron>;

/** Runs the preload afresh and answers what it exposed as `window.crmSync`. */
async function loadPreload(): Promise<CrmSyncApi> {
  electron = fakeElectron();
  vi.resetModules();
  vi.doMock('electron', () => electron.module);
  vi.stubGlobal('__CRM_SYNC_API_CHANNELS__', API_CHANNELS);
  await import('../../src/preload/index.ts');
  vi.unstubAllGlobals();
  expect([...electron.exposed.keys()]).toEqual(['crmSync']);
  return electron.exposed.get('crmSync') as CrmSyncApi;
}

beforeEach(() => {
  vi.restoreAllMocks();
});

describe('preload', () => {
  it("exposes one method per method of the IPC contract, each invoking the method's channel", async () => {
    const api = await loadPreload();
    expect(Object.keys(api).sort()).toEqual([...API_METHODS, 'onNavigate', 'onStatus'].sort());
    for (const method of API_METHODS) {
      const call = api[method] as (...args: unknown[]) => Promise<unknown>;
      // Main answers: the promise resolves with its answer.
      await expect(call('first', 2)).resolves.toEqual({
        channel: channelOf(method),
        args: ['first', 2],
      });
    }
    expect(electron.invoke).toHaveBeenCalledTimes(API_METHODS.length);
  });

  it('sends an optional argument given as undefined as it sends one left out: not at all', async () => {
    const api = await loadPreload();
    await api.syncNow(undefined);
    await api.syncNow('force-deletes');
    await api.setServerPassword('geheim', undefined);
    await api.setServerPassword('proxy-geheim', 'proxy');
    expect(electron.invoke.mock.calls).toStrictEqual([
      ['sync:now'],
      ['sync:now', 'force-deletes'],
      ['server:set-password', 'geheim'],
      ['server:set-password', 'proxy-geheim', 'proxy'],
    ]);
  });

  it("passes main's status pushes on without the event, until unsubscribed", async () => {
    const api = await loadPreload();
    const seen: SyncStatus[] = [];
    const unsubscribe = api.onStatus((status) => seen.push(status));
    const event = { sender: 'the IPC event' };
    electron.fromMain.emit('status:changed', event, syncStatus({ state: 'syncing' }));
    unsubscribe();
    electron.fromMain.emit('status:changed', event, syncStatus({ state: 'idle' }));
    expect(seen).toEqual([syncStatus({ state: 'syncing' })]);
  });

  it('keeps a page main asked for until the UI listens, and ignores unknown pages', async () => {
    const api = await loadPreload();
    electron.fromMain.emit('app:navigate', {}, 'settings');
    electron.fromMain.emit('app:navigate', {}, 'somewhere-else');
    const pages: AppPage[] = [];
    const stop = api.onNavigate((page) => pages.push(page));
    expect(pages).toEqual(['settings']);
    electron.fromMain.emit('app:navigate', {}, 'settings');
    stop();
    electron.fromMain.emit('app:navigate', {}, 'settings');
    expect(pages).toEqual(['settings', 'settings']);
  });
});
