/**
 * src/main/index.ts against a stand-in `electron` module (Electron itself cannot run here):
 * the wiring and the security settings of the main process.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as EngineControlModule from '../../src/main/engine-control.ts';
import type { EngineControl } from '../../src/main/engine-control.ts';
import { WAKE_SETTLE_MS } from '../../src/main/wake-triggers.ts';
import { defaultSettings } from '../../src/shared/settings/schema.ts';
import { RENDERER_CSP } from '../../src/shared/csp.ts';
import { ipcContract } from '../../src/shared/ipc-contract.ts';
import { createFakeEngine, syncStatus } from './fake-engine-control.ts';

type Listener = (...args: unknown[]) => unknown;

/** Records listeners by event name, like an EventEmitter without the emitting. */
class Emitter {
  readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener): this {
    return this.on(event, listener);
  }
  emit(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }
  removeListener(event: string, listener: Listener): this {
    this.listeners.set(
      event,
      (this.listeners.get(event) ?? []).filter((l) => l !== listener),
    );
    return this;
  }
}

/** A tray menu item as the fake Menu.buildFromTemplate keeps it. */
interface FakeMenuItem {
  id?: string;
  label?: string;
  type?: string;
  enabled?: boolean;
  click?: () => void;
}

function createFakeElectron() {
  const windows: FakeWindow[] = [];
  const trays: FakeTray[] = [];
  const ipcHandlers = new Map<string, Listener>();
  const forks: {
    path: string;
    child: Emitter & {
      postMessage: Listener;
      kill: Listener;
      calls: { method: string; args: unknown[] }[];
    };
  }[] = [];
  let readyResolve: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (readyResolve = resolve));
  let isReady = false;

  class FakeWindow extends Emitter {
    readonly options: Record<string, unknown>;
    readonly show = vi.fn();
    readonly hide = vi.fn();
    readonly focus = vi.fn();
    readonly restore = vi.fn();
    readonly isMinimized = vi.fn(() => false);
    readonly loadURL = vi.fn(async () => undefined);
    readonly loadFile = vi.fn(async () => undefined);
    readonly webContents = Object.assign(new Emitter(), {
      send: vi.fn(),
      isDestroyed: () => false,
    });
    constructor(options: Record<string, unknown>) {
      super();
      this.options = options;
      windows.push(this);
    }
    static fromWebContents(contents: unknown): FakeWindow | null {
      return windows.find((w) => w.webContents === contents) ?? null;
    }
  }

  class FakeTray extends Emitter {
    readonly image: unknown;
    menu: FakeMenuItem[] = [];
    readonly setImage = vi.fn();
    readonly setToolTip = vi.fn();
    readonly destroy = vi.fn();
    constructor(image: unknown) {
      super();
      this.image = image;
      trays.push(this);
    }
    setContextMenu(menu: FakeTray['menu']) {
      this.menu = menu;
    }
  }

  const notifications: FakeNotification[] = [];
  class FakeNotification extends Emitter {
    static isSupported = () => true;
    readonly options: { title: string; body: string };
    readonly show = vi.fn(() => notifications.push(this));
    constructor(options: { title: string; body: string }) {
      super();
      this.options = options;
    }
  }

  const app = Object.assign(new Emitter(), {
    isPackaged: false,
    getSystemLocale: vi.fn(() => 'en-GB'),
    getLocale: () => 'en',
    setLoginItemSettings: vi.fn(),
    requestSingleInstanceLock: vi.fn(() => true),
    quit: vi.fn(),
    exit: vi.fn(),
    enableSandbox: vi.fn(),
    setAppUserModelId: vi.fn(),
    whenReady: vi.fn(() => ready),
    isReady: () => isReady,
    getVersion: () => '0.1.0',
    getName: () => 'crm-sync',
    getAppPath: () => join(import.meta.dirname, '..', '..'),
    getPath: (name: string) => join('/tmp/crm-sync-test-user-data', name),
  });

  const webRequest = { onHeadersReceived: vi.fn() };
  const defaultSession = {
    webRequest,
    setPermissionRequestHandler: vi.fn(),
    setPermissionCheckHandler: vi.fn(),
  };

  const module = {
    app,
    BrowserWindow: FakeWindow,
    Tray: FakeTray,
    Menu: { buildFromTemplate: (template: unknown) => template },
    nativeImage: {
      createFromPath: (path: string) => ({ path, isEmpty: () => false }),
      createEmpty: () => ({ path: '', isEmpty: () => true }),
    },
    dialog: {
      showErrorBox: vi.fn(),
      showMessageBox: vi.fn(async () => ({ response: 0 })),
      showOpenDialog: vi.fn(
        async (..._args: unknown[]): Promise<{ canceled: boolean; filePaths: string[] }> => ({
          canceled: true,
          filePaths: [],
        }),
      ),
    },
    Notification: FakeNotification,
    powerMonitor: new Emitter(),
    net: { isOnline: vi.fn(() => true) },
    session: { defaultSession },
    safeStorage: {
      isAsyncEncryptionAvailable: async () => true,
      encryptStringAsync: async (s: string) => Buffer.from(s),
      decryptStringAsync: async (b: Buffer) => ({ result: b.toString(), shouldReEncrypt: false }),
      getSelectedStorageBackend: vi.fn(() => 'gnome_libsecret'),
    },
    ipcMain: {
      handle: (channel: string, handler: Listener) => ipcHandlers.set(channel, handler),
      removeHandler: (channel: string) => ipcHandlers.delete(channel),
    },
    utilityProcess: {
      fork: (path: string) => {
        // A stand-in engine host: answers ping, keeps init, answers a few calls.
        const child = Object.assign(new Emitter(), {
          init: undefined as { appInfo: unknown } | undefined,
          calls: [] as { method: string; args: unknown[] }[],
          postMessage: (message: unknown) => {
            const m = message as { type: string; id: number; method: string; args: unknown[] };
            const reply = (answer: unknown) => setTimeout(() => child.emit('message', answer), 0);
            if (m.type === 'ping') reply({ type: 'pong', id: m.id, pid: 4242 });
            if (m.type === 'init') child.init = (message as { init: { appInfo: unknown } }).init;
            if (m.type !== 'call') return;
            child.calls.push({ method: m.method, args: m.args });
            const answers: Record<string, unknown> = {
              appInfo: child.init?.appInfo,
              syncNow: { accepted: true },
            };
            reply(
              m.method in answers
                ? { type: 'result', id: m.id, value: answers[m.method] }
                : { type: 'error', id: m.id, message: `${m.method}: not in this stand-in` },
            );
          },
          kill: vi.fn(),
        });
        forks.push({ path, child });
        return child;
      },
    },
  };

  return {
    module,
    windows,
    trays,
    ipcHandlers,
    forks,
    defaultSession,
    notifications,
    async becomeReady() {
      isReady = true;
      readyResolve();
      await new Promise((resolve) => setTimeout(resolve, 10));
    },
  };
}

let electron: ReturnType<typeof createFakeElectron>;

async function startMain(
  options: {
    lock?: boolean;
    engine?: EngineControl;
    locale?: string;
    packaged?: boolean;
    keyring?: string;
  } = {},
) {
  electron = createFakeElectron();
  if (options.keyring !== undefined) {
    electron.module.safeStorage.getSelectedStorageBackend.mockReturnValue(options.keyring);
  }
  electron.module.app.requestSingleInstanceLock.mockReturnValue(options.lock ?? true);
  electron.module.app.isPackaged = options.packaged ?? false;
  // Electron's process.resourcesPath: the installed app's resources (assets/ is in there).
  Object.assign(process, { resourcesPath: join(import.meta.dirname, '..', '..') });
  if (options.locale !== undefined)
    electron.module.app.getSystemLocale.mockReturnValue(options.locale);
  vi.resetModules();
  vi.doMock('electron', () => electron.module);
  // The engine host cannot run here: main talks to the stand-in engine instead.
  const engine = options.engine;
  if (engine) {
    vi.doMock('../../src/main/engine-control.ts', async (importOriginal) => ({
      ...(await importOriginal<typeof EngineControlModule>()),
      engineControlFor: () => engine,
    }));
  } else {
    vi.doUnmock('../../src/main/engine-control.ts');
  }
  await import('../../src/main/index.ts');
  return electron;
}

const ownRendererUrl = pathToFileURL(
  join(import.meta.dirname, '..', '..', 'src', 'renderer', 'index.html'),
).href;

beforeEach(() => {
  vi.stubEnv('ELECTRON_RENDERER_URL', undefined);
  vi.spyOn(console, 'info').mockImplementation(() => undefined);
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('main process', () => {
  it('leaves at once when another instance holds the lock', async () => {
    const e = await startMain({ lock: false });
    expect(e.module.app.quit).toHaveBeenCalled();
    expect(e.module.app.whenReady).not.toHaveBeenCalled();
    expect(e.module.app.listeners.size).toBe(0);
  });

  it('enforces the sandbox for every renderer before ready', async () => {
    const e = await startMain();
    expect(e.module.app.enableSandbox).toHaveBeenCalled();
  });

  it('opens one window with secure web preferences, loading the built renderer', async () => {
    const e = await startMain();
    await e.becomeReady();
    expect(e.windows).toHaveLength(1);
    const window = e.windows[0]!;
    expect(window.options).toMatchObject({
      show: false,
      webPreferences: {
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        webviewTag: false,
        preload: expect.stringMatching(/[/\\]preload[/\\]index\.cjs$/),
      },
    });
    expect(window.loadFile).toHaveBeenCalledWith(
      expect.stringMatching(/[/\\]renderer[/\\]index\.html$/),
    );
    window.emit('ready-to-show');
    expect(window.show).toHaveBeenCalled();
  });

  it('hides the window on close and lets it go on quit', async () => {
    const e = await startMain();
    await e.becomeReady();
    const window = e.windows[0]!;
    const close = { preventDefault: vi.fn() };
    window.emit('close', close);
    expect(close.preventDefault).toHaveBeenCalled();
    expect(window.hide).toHaveBeenCalled();

    e.module.app.emit('second-instance');
    expect(e.windows).toHaveLength(1);
    expect(window.show).toHaveBeenCalled();

    e.module.app.emit('before-quit');
    const closeOnQuit = { preventDefault: vi.fn() };
    window.emit('close', closeOnQuit);
    expect(closeOnQuit.preventDefault).not.toHaveBeenCalled();
  });

  it('puts a tray icon up; without the engine, its commands are disabled', async () => {
    const e = await startMain();
    await e.becomeReady();
    expect(e.trays).toHaveLength(1);
    const tray = e.trays[0]!;
    expect(menuText(tray)).toEqual([
      '[Synchronize now]',
      '[Pause]',
      '---',
      'Open CRM Sync',
      'Settings…',
      '---',
      'Quit',
    ]);
    expect(tray.setImage).toHaveBeenCalledWith(
      expect.objectContaining({ path: expect.stringMatching(/[/\\]assets[/\\]tray-idle\.png$/) }),
    );
  });

  it('starts the engine host and gets its answer', async () => {
    const e = await startMain();
    await e.becomeReady();
    expect(e.forks.map((f) => f.path)).toEqual([expect.stringMatching(/[/\\]engine-host\.js$/)]);
    expect(console.info).toHaveBeenCalledWith('Engine host running (pid 4242).');
    e.module.app.emit('will-quit');
    expect(e.forks[0]?.child.kill).toHaveBeenCalled();
  });

  it('tells the user when passwords can only be stored without encryption (no keyring)', async () => {
    const weak = await startMain({ keyring: 'basic_text' });
    await weak.becomeReady();
    if (process.platform === 'linux') {
      expect(weak.module.dialog.showMessageBox).toHaveBeenCalledWith(
        expect.objectContaining({
          type: 'warning',
          message: expect.stringMatching(/cannot be encrypted/),
        }),
      );
    }
    const strong = await startMain({ keyring: 'gnome_libsecret' });
    await strong.becomeReady();
    expect(strong.module.dialog.showMessageBox).not.toHaveBeenCalled();
  });

  it('sends the CSP header and refuses every permission', async () => {
    const e = await startMain();
    await e.becomeReady();
    const [onHeaders] = e.defaultSession.webRequest.onHeadersReceived.mock.calls[0] as [Listener];
    const callback = vi.fn();
    onHeaders(
      { responseHeaders: { 'content-security-policy': ['default-src *'], 'X-Other': ['1'] } },
      callback,
    );
    expect(callback).toHaveBeenCalledWith({
      responseHeaders: { 'X-Other': ['1'], 'Content-Security-Policy': [RENDERER_CSP] },
    });

    const [onRequest] = e.defaultSession.setPermissionRequestHandler.mock.calls[0] as [Listener];
    const decide = vi.fn();
    onRequest({}, 'media', decide);
    expect(decide).toHaveBeenCalledWith(false);
    const [onCheck] = e.defaultSession.setPermissionCheckHandler.mock.calls[0] as [Listener];
    expect(onCheck({}, 'clipboard-read')).toBe(false);
  });

  it('denies new windows, foreign navigation and webviews in every web contents', async () => {
    const e = await startMain();
    const contents = Object.assign(new Emitter(), { setWindowOpenHandler: vi.fn() });
    e.module.app.emit('web-contents-created', {}, contents);

    const [openHandler] = contents.setWindowOpenHandler.mock.calls[0] as [Listener];
    expect(openHandler({ url: 'https://example.com/' })).toEqual({ action: 'deny' });

    const away = { url: 'https://example.com/', preventDefault: vi.fn() };
    contents.emit('will-navigate', away);
    expect(away.preventDefault).toHaveBeenCalled();
    const home = { url: `${ownRendererUrl}#/settings`, preventDefault: vi.fn() };
    contents.emit('will-navigate', home);
    expect(home.preventDefault).not.toHaveBeenCalled();
    const redirect = { url: 'http://example.com/', preventDefault: vi.fn() };
    contents.emit('will-redirect', redirect);
    expect(redirect.preventDefault).toHaveBeenCalled();
    const webview = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', webview);
    expect(webview.preventDefault).toHaveBeenCalled();
  });

  describe('IPC', () => {
    const from = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } });

    /** Calls the tray makes by itself at start (status, settings for start at login) left out. */
    const windowCalls = (calls: { method: string; args: unknown[] }[] | undefined) =>
      (calls ?? []).filter((c) => c.method !== 'status' && c.method !== 'getSettings');

    it('forwards every channel of the contract to the engine host for its own window', async () => {
      const e = await startMain();
      await e.becomeReady();
      expect([...e.ipcHandlers.keys()].sort()).toEqual(Object.keys(ipcContract).sort());
      await expect(e.ipcHandlers.get('app:info')!(from(ownRendererUrl))).resolves.toEqual({
        name: 'CRM Sync',
        version: '0.1.0',
        platform: process.platform,
        locale: 'en-GB',
      });
      await expect(e.ipcHandlers.get('sync:now')!(from(ownRendererUrl))).resolves.toEqual({
        accepted: true,
      });
      // The tray reads status and settings on its own; these are the window's calls.
      expect(windowCalls(e.forks[0]?.child.calls)).toEqual([
        { method: 'appInfo', args: [] },
        { method: 'syncNow', args: [] },
      ]);
      // The engine's failure reaches the window as the rejection's message.
      await expect(e.ipcHandlers.get('sync:preview')!(from(ownRendererUrl))).rejects.toThrow(
        'preview: not in this stand-in',
      );
    });

    it('answers settings the schema rejects with problems named by key, before the engine', async () => {
      const e = await startMain();
      await e.becomeReady();
      const settings = defaultSettings();
      settings.agendas.events.daysPast = 5000;
      await expect(
        e.ipcHandlers.get('settings:save')!(from(ownRendererUrl), settings),
      ).resolves.toEqual({
        ok: false,
        problems: [
          {
            field: 'agendas.events.daysPast',
            message: expect.stringContaining('agendas.events.daysPast must be'),
            // The window words it in its language from the code.
            code: 'setting-invalid',
            params: expect.objectContaining({ field: 'agendas.events.daysPast' }),
          },
        ],
      });
      expect(windowCalls(e.forks[0]?.child.calls)).toEqual([]);
    });

    it("sends the engine's status pushes to the window", async () => {
      const e = await startMain();
      await e.becomeReady();
      const window = e.windows[0]!;
      const status = {
        state: 'syncing',
        configured: true,
        problems: [],
        progress: [{ agenda: 'events', folder: 'Calendar', phase: 'writing', done: 1, total: 3 }],
        lastRun: null,
        nextRunAt: null,
        error: null,
      };
      e.forks[0]!.child.emit('message', { type: 'status', status });
      expect(window.webContents.send).toHaveBeenCalledWith('status:changed', status);
    });

    it('"Browse…": the open dialog over the calling window, null when cancelled', async () => {
      const e = await startMain();
      await e.becomeReady();
      const window = e.windows[0]!;
      const pick = e.ipcHandlers.get('dialog:pick-path')!;
      const caller = { ...from(ownRendererUrl), sender: window.webContents };
      e.module.dialog.showOpenDialog.mockResolvedValueOnce({
        canceled: false,
        filePaths: ['/data/crm.sqlite'],
      });
      await expect(
        pick(caller, {
          kind: 'file',
          title: 'Choose the CRM database file',
          defaultPath: '/data/old.sqlite',
          filters: [{ name: 'CRM database', extensions: ['sqlite', 'db'] }],
        }),
      ).resolves.toBe('/data/crm.sqlite');
      expect(e.module.dialog.showOpenDialog).toHaveBeenLastCalledWith(window, {
        title: 'Choose the CRM database file',
        defaultPath: '/data/old.sqlite',
        properties: ['openFile', 'showHiddenFiles'],
        filters: [{ name: 'CRM database', extensions: ['sqlite', 'db'] }],
      });

      // A folder; the user cancels.
      await expect(
        pick(caller, { kind: 'folder', title: 'Choose the folder for saved attachments' }),
      ).resolves.toBeNull();
      expect(e.module.dialog.showOpenDialog).toHaveBeenLastCalledWith(window, {
        title: 'Choose the folder for saved attachments',
        properties: ['openDirectory', 'createDirectory', 'showHiddenFiles'],
      });

      // Checked like every call, and answered by main: the engine host never hears of it.
      await expect(pick(caller, { kind: 'anything', title: 'x' })).rejects.toThrow(
        /invalid arguments/,
      );
      await expect(
        pick(
          { ...from('https://evil.example/'), sender: window.webContents },
          {
            kind: 'file',
            title: 'x',
          },
        ),
      ).rejects.toThrow(/refused/);
      expect(e.module.dialog.showOpenDialog).toHaveBeenCalledTimes(2);
      expect(windowCalls(e.forks[0]?.child.calls)).toEqual([]);
    });

    it("keeps the app's pause state in its own folder, apart from the settings", async () => {
      const e = await startMain();
      await e.becomeReady();
      const init = (e.forks[0]?.child as unknown as { init?: Record<string, unknown> }).init;
      expect(init).toMatchObject({
        settingsFile: join('/tmp/crm-sync-test-user-data', 'userData', 'settings.json'),
        stateFile: join('/tmp/crm-sync-test-user-data', 'userData', 'app-state.json'),
      });
    });

    it('refuses other senders, frames and malformed arguments', async () => {
      vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      const e = await startMain();
      await e.becomeReady();
      const appInfo = e.ipcHandlers.get('app:info')!;
      await expect(appInfo(from('https://evil.example/'))).rejects.toThrow(/refused/);
      await expect(appInfo(from(ownRendererUrl, { url: ownRendererUrl }))).rejects.toThrow(
        /refused/,
      );
      await expect(appInfo({ senderFrame: null })).rejects.toThrow(/refused/);
      await expect(appInfo(from(ownRendererUrl), 'unexpected')).rejects.toThrow(
        /invalid arguments/,
      );
    });
  });
});

type FakeTrayOf = ReturnType<typeof createFakeElectron>['trays'][number];

/** The tray menu as the user reads it: labels, "---" separators, disabled items in [ ]. */
function menuText(tray: FakeTrayOf): string[] {
  return tray.menu.map((item) =>
    item.type === 'separator'
      ? '---'
      : item.enabled === false
        ? `[${item.label ?? ''}]`
        : (item.label ?? ''),
  );
}

/** Chooses a tray menu item by its label, as a user would. */
function choose(tray: FakeTrayOf, label: string): void {
  const item = tray.menu.find((i) => i.label === label);
  if (!item?.click) throw new Error(`No menu item "${label}" in ${menuText(tray).join(' | ')}`);
  item.click();
}

/** The file name of the tray's current icon. */
function trayIcon(tray: FakeTrayOf): string | undefined {
  const image = tray.setImage.mock.lastCall?.[0] as { path: string } | undefined;
  return image?.path.split(/[/\\]/).at(-1);
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

describe('tray app', () => {
  it('shows the engine state: icon, menu and tooltip follow every status', async () => {
    // The tooltip drops the date of a run due today: the tray's "today" is the clock's, so
    // the clock is set (only Date is faked; timers stay real).
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-21T13:05:00Z'));
    const engine = createFakeEngine(
      syncStatus({ nextRunAt: '2026-11-21T13:15:00Z', lastRun: null }),
    );
    const e = await startMain({ engine: engine.control });
    await e.becomeReady();
    const tray = e.trays[0]!;
    expect(trayIcon(tray)).toBe('tray-idle.png');
    expect(menuText(tray)).toEqual([
      'Synchronize now',
      'Pause',
      '---',
      'Open CRM Sync',
      'Settings…',
      '---',
      'Quit',
    ]);
    expect(tray.setToolTip).toHaveBeenLastCalledWith(
      // Ten minutes ahead: a time with no day, in whatever zone the machine is in.
      expect.stringMatching(/^CRM Sync — last: none yet; next: \d?\d:\d\d$/),
    );

    engine.push(syncStatus({ state: 'syncing' }));
    expect(trayIcon(tray)).toBe('tray-syncing.png');
    expect(menuText(tray).slice(0, 2)).toEqual(['[Synchronize now]', 'Pause']);
    expect(tray.setToolTip).toHaveBeenLastCalledWith(
      'CRM Sync — last: none yet; next: running now',
    );

    engine.push(syncStatus({ state: 'error', error: 'Server unreachable.' }));
    expect(trayIcon(tray)).toBe('tray-error.png');

    engine.push(syncStatus({ state: 'paused' }));
    expect(trayIcon(tray)).toBe('tray-paused.png');
    expect(menuText(tray).slice(0, 2)).toEqual(['Synchronize now', 'Resume']);
  });

  it('leaves an open menu alone while only the progress changes', async () => {
    const engine = createFakeEngine(syncStatus({ state: 'syncing' }));
    const e = await startMain({ engine: engine.control });
    await e.becomeReady();
    const tray = e.trays[0]!;
    const menu = tray.menu;
    const tooltips = tray.setToolTip.mock.calls.length;
    for (let done = 1; done <= 3; done++) {
      engine.push(
        syncStatus({
          state: 'syncing',
          progress: [{ agenda: 'events', folder: 'Calendar', phase: 'writing', done, total: 3 }],
        }),
      );
    }
    expect(tray.menu).toBe(menu); // not rebuilt: Electron would close it
    expect(tray.setToolTip).toHaveBeenCalledTimes(tooltips);
  });

  it('Pause and Resume in the menu call the engine, and the label toggles', async () => {
    const engine = createFakeEngine();
    const e = await startMain({ engine: engine.control });
    await e.becomeReady();
    const tray = e.trays[0]!;

    choose(tray, 'Pause');
    await settle();
    expect(engine.control.pause).toHaveBeenCalledOnce();
    expect(engine.control.resume).not.toHaveBeenCalled();
    expect(menuText(tray)[1]).toBe('Resume');
    expect(trayIcon(tray)).toBe('tray-paused.png');

    choose(tray, 'Resume');
    await settle();
    expect(engine.control.resume).toHaveBeenCalledOnce();
    expect(menuText(tray)[1]).toBe('Pause');
    expect(trayIcon(tray)).toBe('tray-idle.png');
  });

  it('Synchronize now asks the engine; Open shows the window; Quit quits', async () => {
    const engine = createFakeEngine();
    const e = await startMain({ engine: engine.control });
    await e.becomeReady();
    const tray = e.trays[0]!;
    choose(tray, 'Synchronize now');
    await settle();
    expect(engine.control.syncNow).toHaveBeenCalledOnce();

    const window = e.windows[0]!;
    window.show.mockClear();
    choose(tray, 'Open CRM Sync');
    expect(window.show).toHaveBeenCalled();
    window.show.mockClear();
    choose(tray, 'Settings…');
    expect(window.show).toHaveBeenCalled();
    tray.emit('click'); // left click on the icon (Windows, Linux)
    expect(e.windows).toHaveLength(1);

    choose(tray, 'Quit');
    expect(e.module.app.quit).toHaveBeenCalled();
  });

  it('Settings… opens the window on its settings page', async () => {
    const engine = createFakeEngine();
    const e = await startMain({ engine: engine.control });
    await e.becomeReady();
    const tray = e.trays[0]!;
    const window = e.windows[0]!;
    choose(tray, 'Settings…');
    expect(window.show).toHaveBeenCalled();
    expect(window.webContents.send).toHaveBeenCalledWith('app:navigate', 'settings');
  });

  it('Settings… with the window not made yet: told once its page has loaded', async () => {
    vi.stubGlobal(
      'process',
      Object.assign(Object.create(process) as NodeJS.Process, {
        argv: [...process.argv, '--hidden'],
      }),
    );
    let e: Awaited<ReturnType<typeof startMain>>;
    try {
      e = await startMain({ engine: createFakeEngine().control });
      await e.becomeReady();
    } finally {
      vi.unstubAllGlobals();
    }
    expect(e.windows).toHaveLength(0); // started at login: tray only
    choose(e.trays[0]!, 'Settings…');
    const window = e.windows[0]!;
    expect(window.webContents.send).not.toHaveBeenCalled();
    window.webContents.emit('did-finish-load');
    expect(window.webContents.send).toHaveBeenCalledWith('app:navigate', 'settings');
  });

  it('after a restart while paused: the tray shows paused and offers Resume', async () => {
    // The engine remembers the pause (app-state.json) and starts paused.
    const engine = createFakeEngine(syncStatus({ state: 'paused', nextRunAt: null }));
    const e = await startMain({ engine: engine.control });
    await e.becomeReady();
    const tray = e.trays[0]!;
    expect(trayIcon(tray)).toBe('tray-paused.png');
    expect(menuText(tray).slice(0, 2)).toEqual(['Synchronize now', 'Resume']);
    expect(tray.setToolTip).toHaveBeenLastCalledWith(expect.stringMatching(/next: paused$/));
  });

  it('uses the monochrome template icons in the macOS menu bar', async () => {
    const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;
    Object.defineProperty(process, 'platform', { value: 'darwin' });
    let e: Awaited<ReturnType<typeof startMain>>;
    const engine = createFakeEngine();
    try {
      e = await startMain({ engine: engine.control });
      await e.becomeReady();
    } finally {
      Object.defineProperty(process, 'platform', platform);
    }
    const tray = e.trays[0]!;
    expect(trayIcon(tray)).toBe('tray-idleTemplate.png');
    engine.push(syncStatus({ state: 'error', error: 'x' }));
    expect(trayIcon(tray)).toBe('tray-errorTemplate.png');
    engine.push(syncStatus({ state: 'paused' }));
    expect(trayIcon(tray)).toBe('tray-pausedTemplate.png');
    // Every template image is there, with its @2x sibling.
    for (const state of ['idle', 'syncing', 'error', 'paused']) {
      for (const suffix of ['Template.png', 'Template@2x.png']) {
        expect(
          existsSync(join(import.meta.dirname, '..', '..', 'assets', `tray-${state}${suffix}`)),
        ).toBe(true);
      }
    }
  });

  it('speaks the system language: Czech and Russian tray', async () => {
    const cs = await startMain({ engine: createFakeEngine().control, locale: 'cs-CZ' });
    await cs.becomeReady();
    expect(menuText(cs.trays[0]!)).toEqual([
      'Synchronizovat nyní',
      'Pozastavit',
      '---',
      'Otevřít CRM Sync',
      'Nastavení…',
      '---',
      'Ukončit',
    ]);
    expect(cs.trays[0]!.setToolTip).toHaveBeenLastCalledWith(
      'CRM Sync — poslední: zatím žádná; příští: nenaplánována',
    );

    const ru = await startMain({ engine: createFakeEngine().control, locale: 'ru-RU' });
    await ru.becomeReady();
    expect(menuText(ru.trays[0]!)[0]).toBe('Синхронизировать сейчас');
    expect(ru.trays[0]!.setToolTip).toHaveBeenLastCalledWith(
      'CRM Sync — последняя: ещё не было; следующая: не запланирована',
    );
  });

  it('notifies a new failure once; a click on it opens the window', async () => {
    const engine = createFakeEngine();
    const e = await startMain({ engine: engine.control });
    await e.becomeReady();
    engine.push(syncStatus({ state: 'syncing' }));
    engine.push(syncStatus({ state: 'error', error: 'Wrong password for pbartos.' }));
    engine.push(syncStatus({ state: 'syncing' }));
    engine.push(syncStatus({ state: 'error' }));
    expect(e.notifications.map((n) => n.options)).toEqual([
      { title: 'CRM Sync: synchronization failed', body: 'Wrong password for pbartos.' },
    ]);

    engine.push(syncStatus({ state: 'idle' }));
    engine.push(syncStatus({ state: 'error', error: 'Server unreachable.' }));
    expect(e.notifications).toHaveLength(2);

    const window = e.windows[0]!;
    window.show.mockClear();
    e.notifications[1]!.emit('click');
    expect(window.show).toHaveBeenCalled();
  });

  it("words the failure in the system's language when the engine gives its code", async () => {
    const engine = createFakeEngine();
    const e = await startMain({ engine: engine.control, locale: 'cs-CZ' });
    await e.becomeReady();
    engine.push(
      syncStatus({
        state: 'error',
        error:
          'events (Práce): Wrong user name or password for https://dav.example.com/ (401 Unauthorized).',
        errorDetail: {
          scope: 'aborted',
          agenda: 'events',
          folder: 'Práce',
          code: 'auth-failed',
          params: { server: 'https://dav.example.com/', status: '401 Unauthorized' },
        },
      }),
    );
    engine.push(syncStatus({ state: 'idle' }));
    // A code this version does not know: the engine's English sentence.
    engine.push(
      syncStatus({
        state: 'error',
        error: 'Something new went wrong.',
        errorDetail: { scope: 'run', code: 'from-a-newer-engine', params: {} },
      }),
    );
    expect(e.notifications.map((n) => n.options.body)).toEqual([
      'Události (Práce): nesynchronizováno: Nesprávné uživatelské jméno nebo heslo pro https://dav.example.com/ (401 Unauthorized).',
      'Something new went wrong.',
    ]);
  });

  it('wakes the engine on resume, unlock and network back, once for a burst', async () => {
    vi.useFakeTimers(); // the 30 s network check and the settle delay, without waiting
    try {
      const engine = createFakeEngine();
      const e = await startMain({ engine: engine.control });
      const ready = e.becomeReady();
      await vi.advanceTimersByTimeAsync(10);
      await ready;
      e.module.powerMonitor.emit('resume');
      e.module.powerMonitor.emit('unlock-screen');
      await vi.advanceTimersByTimeAsync(WAKE_SETTLE_MS);
      expect(engine.control.wake).toHaveBeenCalledOnce();

      e.module.net.isOnline.mockReturnValue(false);
      await vi.advanceTimersByTimeAsync(30_000);
      e.module.net.isOnline.mockReturnValue(true);
      await vi.advanceTimersByTimeAsync(30_000 + WAKE_SETTLE_MS);
      expect(engine.control.wake).toHaveBeenCalledTimes(2);

      e.module.app.emit('will-quit');
      e.module.powerMonitor.emit('resume');
      await vi.advanceTimersByTimeAsync(WAKE_SETTLE_MS);
      expect(engine.control.wake).toHaveBeenCalledTimes(2);
      expect(e.trays[0]!.destroy).toHaveBeenCalled();
    } finally {
      vi.useRealTimers();
    }
  });

  describe('start at login', () => {
    let home: string;
    beforeEach(() => {
      home = mkdtempSync(join(tmpdir(), 'crm-sync-home-'));
      vi.stubEnv('HOME', home);
      vi.stubEnv('XDG_CONFIG_HOME', undefined);
      vi.stubEnv('APPIMAGE', undefined);
    });
    afterEach(() => rmSync(home, { recursive: true, force: true }));

    const autostartFile = () => join(home, '.config', 'autostart', 'crm-sync-app.desktop');

    it('follows settings.schedule.startAtLogin in the installed app', async () => {
      const on = createFakeEngine();
      const settings = (await on.control.getSettings()).settings;
      expect(settings.schedule.startAtLogin).toBe(true);
      const e = await startMain({ engine: on.control, packaged: true });
      await e.becomeReady();
      if (process.platform === 'linux') {
        expect(readFileSync(autostartFile(), 'utf8')).toContain(
          `Exec="${process.execPath}" --hidden\n`,
        );
      } else {
        expect(e.module.app.setLoginItemSettings).toHaveBeenCalledWith({
          openAtLogin: true,
          args: ['--hidden'],
        });
      }

      const off = createFakeEngine(syncStatus(), {
        exists: true,
        settings: { ...settings, schedule: { ...settings.schedule, startAtLogin: false } },
      });
      const e2 = await startMain({ engine: off.control, packaged: true });
      await e2.becomeReady();
      if (process.platform === 'linux') {
        expect(existsSync(autostartFile())).toBe(false);
      } else {
        expect(e2.module.app.setLoginItemSettings).toHaveBeenCalledWith({
          openAtLogin: false,
          args: ['--hidden'],
        });
      }
    });

    it('registers nothing in development or before the settings exist', async () => {
      const dev = await startMain({ engine: createFakeEngine().control, packaged: false });
      await dev.becomeReady();
      const fresh = createFakeEngine(syncStatus({ configured: false }), {
        exists: false,
        settings: (await createFakeEngine().control.getSettings()).settings,
      });
      const packaged = await startMain({ engine: fresh.control, packaged: true });
      await packaged.becomeReady();
      expect(existsSync(autostartFile())).toBe(false);
      expect(dev.module.app.setLoginItemSettings).not.toHaveBeenCalled();
      expect(packaged.module.app.setLoginItemSettings).not.toHaveBeenCalled();
    });
  });
});

describe('single instance', () => {
  it('a second instance brings the window back: restored, shown and focused', async () => {
    const e = await startMain();
    await e.becomeReady();
    const window = e.windows[0]!;
    window.isMinimized.mockReturnValue(true);
    window.emit('close', { preventDefault: vi.fn() }); // hidden in the tray
    window.show.mockClear();

    e.module.app.emit('second-instance', {}, ['crm-sync-app'], '/home/pavel');
    expect(window.restore).toHaveBeenCalled();
    expect(window.show).toHaveBeenCalled();
    expect(window.focus).toHaveBeenCalled();
    expect(e.windows).toHaveLength(1);
  });

  it('a second instance opens the window when the first started hidden at login', async () => {
    vi.spyOn(process, 'argv', 'get').mockReturnValue(['electron', 'app', '--hidden']);
    const e = await startMain();
    await e.becomeReady();
    expect(e.windows).toHaveLength(0);
    e.module.app.emit('second-instance', {}, ['crm-sync-app'], '/home/pavel');
    expect(e.windows).toHaveLength(1);
  });

  it('a second instance before the app is ready is ignored', async () => {
    const e = await startMain();
    e.module.app.emit('second-instance', {}, [], '/');
    expect(e.windows).toHaveLength(0);
  });
});
