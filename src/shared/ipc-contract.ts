/**
 * The one IPC contract between main, preload and renderer: channel names, payload types and
 * the zod schemas main validates every payload with.
 *
 * Preload and renderer import this module with `import type` only, so zod never ends up in
 * the sandboxed preload or in the renderer bundle; main imports the schemas.
 *
 * To add a call: add a channel to `ipcContract`, a method to `ApiChannels`, implement the
 * method in src/preload/index.ts and a handler in src/main/ipc.ts. The compiler points at
 * each place that is missing.
 */
import { z } from 'zod';

export const AppInfoSchema = z.strictObject({
  /** Product name, as shown to the user. */
  name: z.string().min(1),
  /** Application version (package.json `version`). */
  version: z.string().min(1),
  /** Node's `process.platform` of the main process (`win32`, `darwin`, `linux`...). */
  platform: z.string().min(1),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

export const SyncNowResultSchema = z.strictObject({
  /** Whether a sync run was started (or queued) because of this request. */
  accepted: z.boolean(),
  /** Why the request was not accepted, in words for the user. */
  reason: z.string().min(1).optional(),
});
export type SyncNowResult = z.infer<typeof SyncNowResultSchema>;

/** No arguments: `ipcRenderer.invoke(channel)`. */
const noArgs = z.tuple([]);

/**
 * Every channel: `request` validates the argument list given to `ipcRenderer.invoke` (after
 * the channel name), `response` what main answers.
 */
export const ipcContract = {
  'app:info': { request: noArgs, response: AppInfoSchema },
  'sync:now': { request: noArgs, response: SyncNowResultSchema },
} as const;

export type IpcChannel = keyof typeof ipcContract;
/** The argument list of a call on `channel`. */
export type IpcRequest<C extends IpcChannel> = z.input<(typeof ipcContract)[C]['request']>;
/** What main answers on `channel`. */
export type IpcResponse<C extends IpcChannel> = z.output<(typeof ipcContract)[C]['response']>;

/** Which channel each method of the renderer API calls. */
interface ApiChannels {
  appInfo: 'app:info';
  syncNow: 'sync:now';
}

/** The API the preload exposes to the renderer as `window.crmSync`. */
export type CrmSyncApi = {
  readonly [M in keyof ApiChannels]: (
    ...args: IpcRequest<ApiChannels[M]>
  ) => Promise<IpcResponse<ApiChannels[M]>>;
};

/** The global name under which the preload exposes `CrmSyncApi` (`window.crmSync`). */
export type CrmSyncApiKey = 'crmSync';
