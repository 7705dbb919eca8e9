/**
 * Messages between main and the engine host (src/engine-host/, run in an Electron
 * utilityProcess; it runs the EngineService of src/core/app).
 *
 * main -> engine host
 *   init            once, first: where the settings are, what the app is
 *   ping            liveness check, answered by pong
 *   call            one API method (`EngineMethod`) with its arguments (main has validated
 *                   them against the IPC contract), answered by result or error
 *   secret-value    the answer to a secret request of the engine host
 *   secret-error    ... or why it failed
 *
 * engine host -> main
 *   pong, result, error
 *   status          pushed on every status change (a `SyncStatus`)
 *   secret-get/-set/-delete
 *                   the engine's SecretStore calls: main owns the OS secret storage
 *                   (Electron safeStorage exists in main only), so the engine host asks
 *                   main for each secret and holds it in memory only. Secrets travel over
 *                   this port and are written to disk only by main, encrypted.
 *
 * Ids: main numbers its ping/call requests, the engine host its secret requests; each side
 * answers with the id it was asked with.
 */
import { z } from 'zod';
import type { CrmSyncApi } from './app-api.ts';
import {
  API_METHODS,
  AppInfoSchema,
  channelOf,
  MAIN_CHANNELS,
  SyncStatusSchema,
  type ApiMethod,
  type ipcContract,
  type IpcChannel,
  type MainChannel,
} from './ipc-contract.ts';

/** The app API as the engine offers it: all but what only main can do (dialogs, navigation). */
export type EngineAppApi = Omit<CrmSyncApi, 'onNavigate' | 'pickPath'>;

/** What main can ask of the engine: the app API (without the onStatus push) and `wake`. */
export interface EngineApi extends Omit<EngineAppApi, 'onStatus'> {
  /** Resume from sleep, screen unlocked, network back: synchronise soon (unless paused). */
  wake(): Promise<void>;
}

/** The API methods main answers itself (dialogs over its windows), never the engine. */
type MainMethod = (typeof ipcContract)[MainChannel]['method'];
export type EngineMethod = Exclude<ApiMethod, MainMethod> | 'wake';

const mainChannels: readonly IpcChannel[] = MAIN_CHANNELS;
const answeredByEngine = (method: ApiMethod): method is Exclude<ApiMethod, MainMethod> =>
  !mainChannels.includes(channelOf(method));

/** The engine methods main can call: the IPC contract's, but main's own, and `wake`. */
export const ENGINE_METHODS: readonly EngineMethod[] = [
  ...API_METHODS.filter(answeredByEngine),
  'wake',
];

/** The contract's engine methods (and wake) are exactly the methods of EngineApi. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type EngineMethodsCheck = Same<EngineMethod, keyof EngineApi> extends true ? true : never;
export const engineMethodsComplete: EngineMethodsCheck = true;

const id = z.number().int().nonnegative();
/** Secret keys as the secret stores accept them (`server.password`). */
const secretKey = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/);

export const EngineInitSchema = z.strictObject({
  /** The settings file (it may not exist yet). */
  settingsFile: z.string().min(1),
  appInfo: AppInfoSchema,
  /** Where the app remembers pause across restarts (the app's own folder, not the CLI's). */
  stateFile: z.string().min(1).optional(),
});
export type EngineInit = z.infer<typeof EngineInitSchema>;

/** main -> engine host. */
export const EngineRequestSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('init'), init: EngineInitSchema }),
  z.strictObject({ type: z.literal('ping'), id }),
  z.strictObject({
    type: z.literal('call'),
    id,
    method: z.enum(ENGINE_METHODS),
    args: z.array(z.unknown()),
  }),
  z.strictObject({ type: z.literal('secret-value'), id, value: z.string().nullable() }),
  z.strictObject({ type: z.literal('secret-error'), id, message: z.string() }),
]);
export type EngineRequest = z.infer<typeof EngineRequestSchema>;

/** engine host -> main. */
export const EngineResponseSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('pong'),
    id,
    /** Process id of the engine host, for logs. */
    pid: z.number().int().positive(),
  }),
  z.strictObject({
    type: z.literal('result'),
    id,
    /** Checked by main against the IPC contract's answer schema of the method. */
    value: z.unknown(),
  }),
  z.strictObject({
    type: z.literal('error'),
    /** Id of the request that failed, when it could be read. */
    id: id.optional(),
    message: z.string(),
  }),
  z.strictObject({ type: z.literal('status'), status: SyncStatusSchema }),
  z.strictObject({ type: z.literal('secret-get'), id, key: secretKey }),
  z.strictObject({ type: z.literal('secret-set'), id, key: secretKey, value: z.string() }),
  z.strictObject({ type: z.literal('secret-delete'), id, key: secretKey }),
]);
export type EngineResponse = z.infer<typeof EngineResponseSchema>;
