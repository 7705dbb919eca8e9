/**
 * Main's side of the IPC contract (src/shared/ipc-contract.ts): one handler per channel.
 * Every call is refused unless it comes from the top frame of our own renderer, and its
 * arguments and answer are checked against the contract's schemas. The handlers forward
 * to the engine host (`engineIpcHandlers`); the engine's status pushes go to the window
 * on the `status:changed` channel (`forwardStatus`).
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { z } from 'zod';
import { settingsIssueProblems } from '../core/app/field-problems.ts';
import type { CrmSyncApi, SyncStatus } from '../shared/app-api.ts';
import type { EngineApi } from '../shared/engine-protocol.ts';
import {
  ipcContract,
  MAIN_CHANNELS,
  STATUS_CHANNEL,
  type IpcChannel,
  type IpcRequest,
  type IpcResponse,
  type MainChannel,
} from '../shared/ipc-contract.ts';

/** The channels the engine host answers. */
export type EngineChannel = Exclude<IpcChannel, MainChannel>;

export type IpcHandlers = {
  readonly [C in EngineChannel]: (
    ...args: IpcRequest<C>
  ) => IpcResponse<C> | Promise<IpcResponse<C>>;
};

/** The channels main answers itself, told which window's web contents called. */
export type MainIpcHandlers = {
  readonly [C in MainChannel]: (
    sender: WebContents,
    ...args: IpcRequest<C>
  ) => IpcResponse<C> | Promise<IpcResponse<C>>;
};

const channels = Object.keys(ipcContract) as IpcChannel[];
const isMainChannel = (channel: IpcChannel): channel is MainChannel =>
  (MAIN_CHANNELS as readonly string[]).includes(channel);
const engineChannels = channels.filter((c): c is EngineChannel => !isMainChannel(c));

/**
 * Registers `handlers` with ipcMain; `isTrustedUrl` says whether a frame URL is our
 * renderer. Returns a function that removes them again.
 */
export function registerIpcHandlers(
  handlers: IpcHandlers,
  isTrustedUrl: (url: string) => boolean,
  mainHandlers: MainIpcHandlers,
): () => void {
  for (const channel of channels) {
    ipcMain.handle(channel, (event, ...args: unknown[]) =>
      dispatch(channel, handlers, mainHandlers, isTrustedUrl, event, args),
    );
  }
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}

/** Every channel forwarded to its engine method (the engine host client's `api`). */
export function engineIpcHandlers(engine: Omit<EngineApi, 'wake'>): IpcHandlers {
  const handlers: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const channel of engineChannels) {
    const method = ipcContract[channel].method;
    const fn = engine[method] as (...args: unknown[]) => Promise<unknown>;
    handlers[channel] = (...args) => fn.apply(engine, args);
  }
  // One handler per channel, each calling the method the contract names for it; the
  // contract's compile-time checks tie each method's arguments and answer to its channel.
  return handlers as unknown as IpcHandlers;
}

/** Where status updates go: the web contents of our windows (gone ones are skipped). */
export interface StatusTarget {
  isDestroyed(): boolean;
  send(channel: typeof STATUS_CHANNEL, status: SyncStatus): void;
}

/**
 * Sends every status the engine pushes to the renderer windows `targets` lists at that
 * moment. Returns the unsubscribe.
 */
export function forwardStatus(
  engine: Pick<CrmSyncApi, 'onStatus'>,
  targets: () => Iterable<StatusTarget | undefined>,
): () => void {
  return engine.onStatus((status) => {
    for (const target of targets()) {
      if (target && !target.isDestroyed()) target.send(STATUS_CHANNEL, status);
    }
  });
}

/**
 * Requests that fail validation are refused with an error, except a settings file that the
 * schema rejects: that is the user's input, answered like the engine does, with problems
 * named by the dotted settings key.
 */
function answerInvalidRequest(channel: IpcChannel, args: unknown[], error: z.ZodError): unknown {
  if (channel === 'settings:save' && args.length === 1) {
    const issues = error.issues
      .filter((issue) => issue.path[0] === 0)
      .map((issue) => ({ ...issue, path: issue.path.slice(1) }));
    if (issues.length > 0) return { ok: false, problems: settingsIssueProblems(issues, args[0]) };
  }
  throw new Error(`${channel}: invalid arguments: ${z.prettifyError(error)}`);
}

async function dispatch(
  channel: IpcChannel,
  handlers: IpcHandlers,
  mainHandlers: MainIpcHandlers,
  isTrustedUrl: (url: string) => boolean,
  event: IpcMainInvokeEvent,
  args: unknown[],
): Promise<unknown> {
  const frame = event.senderFrame;
  if (frame == null || frame.parent != null || !isTrustedUrl(frame.url)) {
    console.warn(`IPC ${channel} refused: sender ${frame?.url ?? '(gone)'} is not our renderer.`);
    throw new Error(`${channel}: refused, the sender is not the CRM Sync window.`);
  }
  const { request, response } = ipcContract[channel];
  const parsed = request.safeParse(args);
  if (!parsed.success) return answerInvalidRequest(channel, args, parsed.error);
  // The contract ties each channel's handler to its own request type; TypeScript cannot
  // follow that correlation through the union of channels, hence the widening.
  const result = isMainChannel(channel)
    ? await (mainHandlers[channel] as (sender: WebContents, ...a: readonly unknown[]) => unknown)(
        event.sender,
        ...parsed.data,
      )
    : await (handlers[channel] as (...a: readonly unknown[]) => unknown)(...parsed.data);
  const checked = (response as z.ZodType).safeParse(result);
  if (!checked.success) {
    // A bug in main or the engine, not the renderer's fault: log the detail, send a plain message.
    console.error(`IPC ${channel}: the handler's answer breaks the contract`, checked.error);
    throw new Error(`${channel}: internal error.`);
  }
  return checked.data;
}
