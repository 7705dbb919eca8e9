/**
 * The engine host: the process the sync engine runs in (an Electron utilityProcess forked
 * by main, see engine-host-client.ts), so that a sync never blocks the main thread. The
 * work is in server.ts; this file only connects it to the parent port.
 *
 * It must not import Electron at run time: the same engine runs under the plain-Node CLI.
 * `process.parentPort` is the utilityProcess channel (its type comes from Electron).
 *
 * Secrets: Electron safeStorage exists in main only, so the engine's SecretStore asks main
 * for each secret over this port (engine-protocol.ts); nothing secret is written here.
 */
import type { MessageEvent } from 'electron';
import { serveEngine } from './server.ts';

const port = process.parentPort;
if (port == null) {
  console.error('engine-host: no parent port; this file is started by the app (utilityProcess).');
  process.exit(2);
}

serveEngine({
  postMessage: (message) => port.postMessage(message),
  onMessage: (listener) => port.on('message', (event: MessageEvent) => listener(event.data)),
});
