/**
 * The Electron main process: kept thin. It owns the tray, the window, OS secret storage and
 * the engine host process; everything the product does lives in src/core.
 */
import { join } from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  safeStorage,
  session,
  type Session,
  type WebContents,
} from 'electron';
import { APP_ID, PRODUCT_NAME } from '../shared/product.ts';
import { engineControlFor } from './engine-control.ts';
import { EngineHost } from './engine-host-client.ts';
import { engineIpcHandlers, forwardStatus, registerIpcHandlers } from './ipc.ts';
import { pickPathHandler } from './pick-path.ts';
import { NAVIGATE_CHANNEL } from '../shared/ipc-contract.ts';
import { isTrustedRendererUrl, rendererCsp, resolveRendererLocation } from './renderer-location.ts';
import { SafeStorageSecretStore } from './safe-storage-secret-store.ts';
import { assetsDirectory } from './tray-icons.ts';
import { startTrayApp, type TrayApp } from './tray-app.ts';

/** Started at login (src/main/login-item.ts registers it so): stay in the tray. */
const startHidden = process.argv.includes('--hidden');

// Build layout (electron.vite.config.ts): out/main/index.js, out/main/engine-host.js,
// out/preload/index.cjs, out/renderer/index.html.
const preloadPath = join(import.meta.dirname, '../preload/index.cjs');
const engineHostPath = join(import.meta.dirname, 'engine-host.js');
const renderer = resolveRendererLocation({
  isPackaged: app.isPackaged,
  devServerUrl: process.env.ELECTRON_RENDERER_URL,
  rendererIndexHtml: join(import.meta.dirname, '../renderer/index.html'),
});
const isOurRenderer = (url: string): boolean => isTrustedRendererUrl(renderer, url);
const assetsDir = assetsDirectory({
  isPackaged: app.isPackaged,
  resourcesPath: process.resourcesPath,
  appPath: app.getAppPath(),
});

let mainWindow: BrowserWindow | undefined;
let trayApp: TrayApp | undefined;
let engine: EngineHost | undefined;
let quitting = false;

if (!app.requestSingleInstanceLock()) {
  // Another instance runs: it gets 'second-instance' and shows its window.
  app.quit();
} else {
  app.enableSandbox(); // every renderer, whatever its webPreferences say
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID);

  app.on('second-instance', () => showMainWindow());
  app.on('activate', () => showMainWindow()); // macOS: click on the Dock icon
  app.on('window-all-closed', () => {
    // Stay alive in the tray (having this listener stops Electron from quitting).
  });
  app.on('before-quit', () => {
    quitting = true;
  });
  app.on('will-quit', () => {
    trayApp?.stop();
    engine?.stop();
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));

  app
    .whenReady()
    .then(onReady)
    .catch((err: unknown) => {
      console.error('CRM Sync failed to start', err);
      dialog.showErrorBox(PRODUCT_NAME, `${PRODUCT_NAME} failed to start:\n${String(err)}`);
      app.exit(1);
    });
}

function onReady(): void {
  hardenSession(session.defaultSession);

  const secrets = new SafeStorageSecretStore({
    safeStorage,
    filePath: join(app.getPath('userData'), 'secrets.json'),
    platform: process.platform,
  });
  (secrets.isWeak ? console.warn : console.info)(`Secrets: ${secrets.description}`);
  if (secrets.isWeak) {
    // Linux without a keyring: safeStorage can only obscure, not encrypt. Say so, once a start.
    void dialog.showMessageBox({
      type: 'warning',
      title: PRODUCT_NAME,
      message: 'Passwords cannot be encrypted on this computer.',
      detail: `${secrets.description}\nInstall and unlock a keyring (GNOME Keyring or KWallet), then enter the server password again in Settings.`,
    });
  }

  // The engine host runs the engine; it reaches `secrets` through main (engine-host-client.ts).
  engine = EngineHost.start(engineHostPath, {
    secrets,
    init: {
      settingsFile: process.env.CRM_SYNC_CONFIG ?? join(app.getPath('userData'), 'settings.json'),
      // Pause is the app's, remembered in its own folder (never in a settings file the CLI uses).
      stateFile: join(app.getPath('userData'), 'app-state.json'),
      appInfo: {
        name: PRODUCT_NAME,
        version: app.getVersion(),
        platform: process.platform,
        locale: app.getSystemLocale(),
      },
    },
  });
  registerIpcHandlers(engineIpcHandlers(engine.api), isOurRenderer, {
    'dialog:pick-path': pickPathHandler(dialog, (sender) => BrowserWindow.fromWebContents(sender)),
  });
  forwardStatus(engine, () => [mainWindow?.webContents]);
  engine.ping().then(
    (pid) => console.info(`Engine host running (pid ${pid}).`),
    (err: unknown) => console.error('Engine host did not start', err),
  );

  trayApp = startTrayApp({
    control: engineControlFor(engine),
    assetsDir,
    openWindow: showMainWindow,
    openSettings: showSettings,
    quit: () => app.quit(),
  });

  if (!startHidden) showMainWindow();
}

/** The tray's "Settings…": the window, told to show its settings page. */
function showSettings(): void {
  if (!app.isReady()) return;
  const created = mainWindow === undefined;
  showMainWindow();
  const contents = mainWindow?.webContents;
  if (!contents) return;
  // A new window listens once loaded (the preload keeps the page until the UI asks for it).
  if (created) contents.once('did-finish-load', () => contents.send(NAVIGATE_CHANNEL, 'settings'));
  else contents.send(NAVIGATE_CHANNEL, 'settings');
}

function showMainWindow(): void {
  if (!app.isReady()) return;
  if (!mainWindow) {
    mainWindow = createMainWindow(); // shows itself once rendered ('ready-to-show')
    return;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    title: PRODUCT_NAME,
    // The wizard, dialogs and history table need this much room (checked in the UI tests
    // at 960 x 720 in English, Czech and Russian).
    width: 960,
    height: 720,
    minWidth: 760,
    minHeight: 560,
    show: false,
    autoHideMenuBar: true,
    // Windows and macOS take the icon from the executable / app bundle.
    ...(process.platform === 'linux' ? { icon: join(assetsDir, 'icon.png') } : {}),
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  window.on('close', (event) => {
    // Closing the window hides it; the app lives on in the tray until "Quit".
    if (!quitting) {
      event.preventDefault();
      window.hide();
    }
  });
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = undefined;
  });

  const loaded =
    renderer.kind === 'dev-server'
      ? window.loadURL(renderer.url.href)
      : window.loadFile(join(import.meta.dirname, '../renderer/index.html'));
  loaded.catch((err: unknown) => console.error('The window failed to load', err));
  return window;
}

/** Applied to every web contents the app ever creates (windows, devtools, anything new). */
function hardenWebContents(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => {
    if (!isOurRenderer(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isOurRenderer(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

function hardenSession(ses: Session): void {
  // The UI needs no camera, notifications-by-web-API, geolocation, clipboard reads...
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);

  // The CSP as a header too (the <meta> tag in index.html carries the same policy).
  const csp = rendererCsp(renderer);
  ses.webRequest.onHeadersReceived((details, callback) => {
    const responseHeaders = Object.fromEntries(
      Object.entries(details.responseHeaders ?? {}).filter(
        ([name]) => name.toLowerCase() !== 'content-security-policy',
      ),
    );
    responseHeaders['Content-Security-Policy'] = [csp];
    callback({ responseHeaders });
  });
}
