/** Main's handle on the engine host process (src/main/engine-host.ts). */
import { utilityProcess, type UtilityProcess } from 'electron';
import {
  EngineResponseSchema,
  type EngineRequest,
  type EngineResponse,
} from '../shared/engine-protocol.ts';

interface Pending {
  resolve: (response: EngineResponse) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class EngineHost {
  readonly #child: UtilityProcess;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #exited = false;

  private constructor(child: UtilityProcess) {
    this.#child = child;
    child.on('message', (message: unknown) => this.#onMessage(message));
    child.on('exit', (code) => {
      this.#exited = true;
      for (const pending of this.#pending.values()) {
        clearTimeout(pending.timer);
        pending.reject(new Error(`The engine host exited (code ${code}).`));
      }
      this.#pending.clear();
    });
  }

  /** Forks the engine host; `modulePath` is out/main/engine-host.js. Call after `ready`. */
  static start(modulePath: string): EngineHost {
    return new EngineHost(
      utilityProcess.fork(modulePath, [], { serviceName: 'CRM Sync engine', stdio: 'inherit' }),
    );
  }

  /** Resolves with the engine host's process id once it answers. */
  async ping(timeoutMs = 10_000): Promise<number> {
    const response = await this.#request((id) => ({ type: 'ping', id }), timeoutMs);
    if (response.type !== 'pong') throw new Error(`Engine host: ${describe(response)}`);
    return response.pid;
  }

  stop(): void {
    if (!this.#exited) this.#child.kill();
  }

  #request(build: (id: number) => EngineRequest, timeoutMs: number): Promise<EngineResponse> {
    if (this.#exited) return Promise.reject(new Error('The engine host is not running.'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`The engine host did not answer within ${timeoutMs} ms.`));
      }, timeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
      this.#child.postMessage(build(id));
    });
  }

  #onMessage(message: unknown): void {
    const parsed = EngineResponseSchema.safeParse(message);
    if (!parsed.success) {
      console.error('Engine host sent a malformed message', parsed.error);
      return;
    }
    const response = parsed.data;
    if (response.id === undefined) {
      console.error(`Engine host: ${describe(response)}`);
      return;
    }
    const pending = this.#pending.get(response.id);
    if (!pending) return;
    this.#pending.delete(response.id);
    clearTimeout(pending.timer);
    pending.resolve(response);
  }
}

function describe(response: EngineResponse): string {
  return response.type === 'error' ? response.message : `unexpected ${response.type}`;
}
