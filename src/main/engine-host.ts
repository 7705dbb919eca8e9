/**
 * The engine host: the process the sync engine will run in (an Electron utilityProcess
 * forked by main, see engine-host-client.ts), so that a sync never blocks the main thread.
 * For now it only answers pings.
 *
 * It must not import Electron at run time: the same engine runs under the plain-Node CLI.
 * `process.parentPort` is the utilityProcess channel (its type comes from Electron).
 */
import type { MessageEvent } from 'electron';
import { EngineRequestSchema, type EngineResponse } from '../shared/engine-protocol.ts';

const port = process.parentPort;
if (port == null) {
  console.error('engine-host: no parent port; this file is started by the app (utilityProcess).');
  process.exit(2);
}

function reply(message: EngineResponse): void {
  port.postMessage(message);
}

port.on('message', (event: MessageEvent) => {
  const parsed = EngineRequestSchema.safeParse(event.data);
  if (!parsed.success) {
    reply({ type: 'error', message: 'engine-host: unknown or malformed request' });
    return;
  }
  const request = parsed.data;
  switch (request.type) {
    case 'ping':
      reply({ type: 'pong', id: request.id, pid: process.pid });
      break;
  }
});
