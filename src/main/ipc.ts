/**
 * Main's side of the IPC contract (src/shared/ipc-contract.ts): one handler per channel.
 * Every call is refused unless it comes from the top frame of our own renderer, and its
 * arguments and answer are checked against the contract's schemas.
 */
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { z } from 'zod';
import {
  ipcContract,
  type IpcChannel,
  type IpcRequest,
  type IpcResponse,
} from '../shared/ipc-contract.ts';

export type IpcHandlers = {
  readonly [C in IpcChannel]: (...args: IpcRequest<C>) => IpcResponse<C> | Promise<IpcResponse<C>>;
};

const channels = Object.keys(ipcContract) as IpcChannel[];

/**
 * Registers `handlers` with ipcMain; `isTrustedUrl` says whether a frame URL is our
 * renderer. Returns a function that removes them again.
 */
export function registerIpcHandlers(
  handlers: IpcHandlers,
  isTrustedUrl: (url: string) => boolean,
): () => void {
  for (const channel of channels) {
    ipcMain.handle(channel, (event, ...args: unknown[]) =>
      dispatch(channel, handlers, isTrustedUrl, event, args),
    );
  }
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}

async function dispatch(
  channel: IpcChannel,
  handlers: IpcHandlers,
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
  if (!parsed.success) {
    throw new Error(`${channel}: invalid arguments: ${z.prettifyError(parsed.error)}`);
  }
  // The contract ties each channel's handler to its own request type; TypeScript cannot
  // follow that correlation through the union of channels, hence the widening.
  const handler = handlers[channel] as (...a: readonly unknown[]) => unknown;
  const result = await handler(...parsed.data);
  const checked = response.safeParse(result);
  if (!checked.success) {
    // A bug in main, not the renderer's fault: log the detail, send a plain message.
    console.error(`IPC ${channel}: the handler's answer breaks the contract`, checked.error);
    throw new Error(`${channel}: internal error.`);
  }
  return checked.data;
}
