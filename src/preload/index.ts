/**
 * The preload: exposes `window.crmSync` (the CrmSyncApi of src/shared/ipc-contract.ts) and
 * nothing else. It runs sandboxed, so it is bundled to one CommonJS file that requires only
 * `electron`; the contract is imported as types only, keeping zod out of this bundle.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type {
  CrmSyncApi,
  CrmSyncApiKey,
  IpcChannel,
  IpcRequest,
  IpcResponse,
} from '../shared/ipc-contract.ts';

function invoke<C extends IpcChannel>(channel: C, ...args: IpcRequest<C>): Promise<IpcResponse<C>> {
  return ipcRenderer.invoke(channel, ...args) as Promise<IpcResponse<C>>;
}

const api: CrmSyncApi = {
  appInfo: (...args) => invoke('app:info', ...args),
  syncNow: (...args) => invoke('sync:now', ...args),
};

const key: CrmSyncApiKey = 'crmSync';
contextBridge.exposeInMainWorld(key, api);
