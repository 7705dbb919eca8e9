/**
 * src/main/index.ts against a stand-in `electron` module (Electron itself cannot run here):
 * the wiring and the security settings of the main process.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RENDERER_CSP } from '../../src/shared/csp.ts';

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
}

function createFakeElectron() {
  const windows: FakeWindow[] = [];
  const trays: FakeTray[] = [];
  const ipcHandlers = new Map<string, Listener>();
  const forks: { path: string; child: Emitter & { postMessage: Listener; kill: Listener } }[] = [];
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
    constructor(options: Record<string, unknown>) {
      super();
      this.options = options;
      windows.push(this);
    }
  }

  class FakeTray extends Emitter {
    readonly image: unknown;
    menu: { id?: string; label?: string; type?: string; enabled?: boolean }[] = [];
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

  const app = Object.assign(new Emitter(), {
    isPackaged: false,
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
    dialog: { showErrorBox: vi.fn() },
    session: { defaultSession },
    safeStorage: {
      isAsyncEncryptionAvailable: async () => true,
      encryptStringAsync: async (s: string) => Buffer.from(s),
      decryptStringAsync: async (b: Buffer) => ({ result: b.toString(), shouldReEncrypt: false }),
      getSelectedStorageBackend: () => 'gnome_libsecret',
    },
    ipcMain: {
      handle: (channel: string, handler: Listener) => ipcHandlers.set(channel, handler),
      removeHandler: (channel: string) => ipcHandlers.delete(channel),
    },
    utilityProcess: {
      fork: (path: string) => {
        const child = Object.assign(new Emitter(), {
          postMessage: (message: unknown) => {
            const { id } = message as { id: number };
            setTimeout(() => child.emit('message', { type: 'pong', id, pid: 4242 }), 0);
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
    async becomeReady() {
      isReady = true;
      readyResolve();
      await new Promise((resolve) => setTimeout(resolve, 10));
    },
  };
}

let electron: ReturnType<typeof createFakeElectron>;

async function startMain(options: { lock?: boolean } = {}) {
  electron = createFakeElectron();
  electron.module.app.requestSingleInstanceLock.mockReturnValue(options.lock ?? true);
  vi.resetModules();
  vi.doMock('electron', () => electron.module);
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

  it('puts a tray icon up with the placeholder menu', async () => {
    const e = await startMain();
    await e.becomeReady();
    expect(e.trays).toHaveLength(1);
    const tray = e.trays[0]!;
    expect(tray.menu.map((item) => item.label ?? item.type)).toEqual([
      'Synchronize now',
      'separator',
      'Open CRM Sync',
      'separator',
      'Quit',
    ]);
    expect(tray.menu[0]?.enabled).toBe(false);
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

    it('answers app:info and sync:now to its own window', async () => {
      const e = await startMain();
      await e.becomeReady();
      expect([...e.ipcHandlers.keys()].sort()).toEqual(['app:info', 'sync:now']);
      await expect(e.ipcHandlers.get('app:info')!(from(ownRendererUrl))).resolves.toEqual({
        name: 'CRM Sync',
        version: '0.1.0',
        platform: process.platform,
      });
      await expect(e.ipcHandlers.get('sync:now')!(from(ownRendererUrl))).resolves.toEqual({
        accepted: false,
        reason: expect.any(String),
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
