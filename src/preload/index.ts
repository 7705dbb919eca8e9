/**
 * The preload: exposes `window.crmSync` (the CrmSyncApi of src/shared/app-api.ts) and
 * nothing else, no raw ipcRenderer. It runs sandboxed, so it is bundled to one CommonJS
 * file that requires only `electron`; the contract is imported as types only, keeping zod
 * out of this bundle.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { CrmSyncApi, SyncStatus } from '../shared/app-api.ts';
import type {
  ApiChannels,
  CrmSyncApiKey,
  IpcChannel,
  IpcRequest,
  IpcResponse,
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
};

const statusChannel: StatusChannel = 'status:changed';

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
  setServerPassword: async (password) => {
    await invoke(channels.setServerPassword, password);
  },
  listFolders: () => invoke(channels.listFolders),
  preview: () => invoke(channels.preview),
  syncNow: () => invoke(channels.syncNow),
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
};

const key: CrmSyncApiKey = 'crmSync';
contextBridge.exposeInMainWorld(key, api);
