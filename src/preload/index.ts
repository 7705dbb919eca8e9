/**
 * The preload: exposes `window.crmSync` (the CrmSyncApi of src/shared/app-api.ts) and
 * nothing else, no raw ipcRenderer. It runs sandboxed, so it is bundled to one CommonJS
 * file that requires only `electron`; the contract is imported as types only and its
 * method -> channel table comes in by the build, keeping zod out of this bundle.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { AppPage, CrmSyncApi, SyncStatus } from '../shared/app-api.ts';
import type {
  ApiChannels,
  ApiMethod,
  CrmSyncApiKey,
  NavigateChannel,
  StatusChannel,
} from '../shared/ipc-contract.ts';
import { proxyMethods } from '../shared/ipc-proxy.ts';

/**
 * Which channel each method calls: the IPC contract's `API_CHANNELS`, written into this
 * bundle by the build (electron.vite.config.ts `define`), so the preload has the contract's
 * table without its schemas.
 */
declare const __CRM_SYNC_API_CHANNELS__: ApiChannels;
const channels = __CRM_SYNC_API_CHANNELS__;

const statusChannel: StatusChannel = 'status:changed';
const navigateChannel: NavigateChannel = 'app:navigate';
const PAGES: readonly AppPage[] = ['settings'];

// A page main asks for before the UI listens (the tray's "Settings…" opening a new window)
// waits here for the first listener.
let pendingPage: AppPage | undefined;
const navigateListeners = new Set<(page: AppPage) => void>();
ipcRenderer.on(navigateChannel, (_event: IpcRendererEvent, page: unknown) => {
  if (!PAGES.includes(page as AppPage)) return;
  if (navigateListeners.size === 0) pendingPage = page as AppPage;
  for (const listener of navigateListeners) listener(page as AppPage);
});

const api: CrmSyncApi = {
  ...proxyMethods<Pick<CrmSyncApi, ApiMethod>>(
    Object.keys(channels) as ApiMethod[],
    (method, args) => ipcRenderer.invoke(channels[method], ...args),
  ),
  onStatus: (listener) => {
    // The renderer gets the status only, never the event (it carries the sender).
    const forward = (_event: IpcRendererEvent, status: SyncStatus): void => listener(status);
    ipcRenderer.on(statusChannel, forward);
    return () => {
      ipcRenderer.removeListener(statusChannel, forward);
    };
  },
  onNavigate: (listener) => {
    navigateListeners.add(listener);
    const pending = pendingPage;
    pendingPage = undefined;
    if (pending !== undefined) listener(pending);
    return () => {
      navigateListeners.delete(listener);
    };
  },
};

const key: CrmSyncApiKey = 'crmSync';
contextBridge.exposeInMainWorld(key, api);
