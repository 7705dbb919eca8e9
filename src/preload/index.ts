/**
 * The preload: exposes `window.crmSync` (the CrmSyncApi of src/shared/app-api.ts) and
 * nothing else, no raw ipcRenderer. It runs sandboxed, so it is bundled to one CommonJS
 * file that requires only `electron`; the contract is imported as types only, keeping zod
 * out of this bundle.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { AppPage, CrmSyncApi, SyncStatus } from '../shared/app-api.ts';
import type {
  ApiChannels,
  CrmSyncApiKey,
  IpcChannel,
  IpcRequest,
  IpcResponse,
  NavigateChannel,
  StatusChannel,
} from '../shared/ipc-contract.ts';

/** Which channel each method calls: typed by the contract, so every entry must match it. */
const channels: ApiChannels = {
  appInfo: 'app:info',
  getSettings: 'settings:get',
  saveSettings: 'settings:save',
  checkCrmLogin: 'crm:check-login',
  crmLookups: 'crm:lookups',
  testConnection: 'server:test',
  setServerPassword: 'server:set-password',
  listFolders: 'server:folders',
  preview: 'sync:preview',
  syncNow: 'sync:now',
  pause: 'sync:pause',
  resume: 'sync:resume',
  status: 'sync:status',
  listRuns: 'runs:list',
  journal: 'runs:journal',
  listTrash: 'trash:list',
  restoreTrash: 'trash:restore',
  listServerCategories: 'server:categories',
  pickPath: 'dialog:pick-path',
};

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

function invoke<C extends IpcChannel>(channel: C, ...args: IpcRequest<C>): Promise<IpcResponse<C>> {
  return ipcRenderer.invoke(channel, ...args) as Promise<IpcResponse<C>>;
}

const api: CrmSyncApi = {
  appInfo: () => invoke(channels.appInfo),
  getSettings: () => invoke(channels.getSettings),
  saveSettings: (settings) => invoke(channels.saveSettings, settings),
  checkCrmLogin: (input) => invoke(channels.checkCrmLogin, input),
  crmLookups: (databasePath) => invoke(channels.crmLookups, databasePath),
  testConnection: (input) => invoke(channels.testConnection, input),
  setServerPassword: async (password, secret) => {
    // No second argument for the server's own password (the call as it always was).
    if (secret === undefined) await invoke(channels.setServerPassword, password);
    else await invoke(channels.setServerPassword, password, secret);
  },
  listServerCategories: () => invoke(channels.listServerCategories),
  pickPath: (request) => invoke(channels.pickPath, request),
  listFolders: () => invoke(channels.listFolders),
  preview: () => invoke(channels.preview),
  // No argument for a plain run (the call as it always was).
  syncNow: (choice) =>
    choice === undefined ? invoke(channels.syncNow) : invoke(channels.syncNow, choice),
  pause: async () => {
    await invoke(channels.pause);
  },
  resume: async () => {
    await invoke(channels.resume);
  },
  status: () => invoke(channels.status),
  listRuns: (limit) => invoke(channels.listRuns, limit),
  journal: (filter) => invoke(channels.journal, filter),
  listTrash: () => invoke(channels.listTrash),
  restoreTrash: (id) => invoke(channels.restoreTrash, id),
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
