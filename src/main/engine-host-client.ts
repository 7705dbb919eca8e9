/**
 * Main's handle on the engine host process (src/engine-host/). Its `api` is the app
 * API plus `wake` (ENGINE_METHODS, read off the IPC contract), each method a message to the
 * engine host, its answer checked against the contract's schema. Status pushes reach
 * `onStatus` listeners.
 *
 * Secrets: the engine host has no safeStorage (it exists in main only), so it asks main for
 * each secret over the same channel; this client answers from main's SecretStore (Electron
 * safeStorage, encrypted on disk). A secret never touches the disk unencrypted, and the
 * engine host keeps secrets in memory only.
 *
 * When the engine host dies unexpectedly it is started again (a few times, waiting longer
 * each time); calls under way fail with a message, listeners see an error status meanwhile.
 */
import { utilityProcess } from 'electron';
import type { z } from 'zod';
import type { SecretStore } from '../core/secrets/secret-store.ts';
import type { SyncStatus } from '../shared/app-api.ts';
import { ENGINE_METHODS, EngineResponseSchema } from '../shared/engine-protocol.ts';
import type {
  EngineApi,
  EngineAppApi,
  EngineInit,
  EngineMethod,
  EngineRequest,
  EngineResponse,
} from '../shared/engine-protocol.ts';
import { ipcContract } from '../shared/ipc-contract.ts';
import { proxyMethods } from '../shared/ipc-proxy.ts';

/** The engine host process as the client uses it (Electron's UtilityProcess, or a fake). */
export interface EngineChild {
  postMessage(message: EngineRequest): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number) => void): void;
  kill(): void;
}

export interface EngineHostOptions {
  /** Sent first to every engine host started: the settings file and the app's info. */
  init: EngineInit;
  /** Main's secret store, which answers the engine host's secret requests. */
  secrets: SecretStore;
  /** How often a dead engine host is started again (default 5). */
  maxRestarts?: number;
  /** The wait before the first restart, doubling after each (default 1 s). */
  restartDelayMs?: number;
}

interface Pending {
  method: EngineMethod | 'ping';
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer?: NodeJS.Timeout;
}

/** The answer schema of each method (the IPC contract's), for checking what comes back. */
const answerSchemas: ReadonlyMap<string, z.ZodType> = new Map(
  Object.values(ipcContract).map((entry) => [entry.method, entry.response as z.ZodType]),
);

/** The engine's API as main uses it: every engine method, and the status pushes. */
export type EngineHostApi = EngineApi & Pick<EngineAppApi, 'onStatus'>;

export class EngineHost {
  /** The engine's API over this process: per ENGINE_METHODS entry, a method sending a `call`. */
  readonly api: EngineHostApi;
  readonly #fork: () => EngineChild;
  readonly #options: EngineHostOptions;
  readonly #pending = new Map<number, Pending>();
  readonly #listeners = new Set<(status: SyncStatus) => void>();
  #child: EngineChild | null = null;
  #nextId = 1;
  #stopped = false;
  #restarts = 0;
  #restartTimer: NodeJS.Timeout | null = null;
  #lastStatus: SyncStatus | null = null;

  /** `fork` starts one engine host process; see `start` for the real one. */
  constructor(fork: () => EngineChild, options: EngineHostOptions) {
    this.#fork = fork;
    this.#options = options;
    this.api = {
      ...proxyMethods<EngineApi>(ENGINE_METHODS, (method, args) =>
        this.#send(method, (id) => ({ type: 'call', id, method, args })),
      ),
      onStatus: (listener) => this.onStatus(listener),
    };
    this.#spawn();
  }

  /** Forks the engine host; `modulePath` is out/main/engine-host.js. Call after `ready`. */
  static start(modulePath: string, options: EngineHostOptions): EngineHost {
    return new EngineHost(() => {
      const child = utilityProcess.fork(modulePath, [], {
        serviceName: 'CRM Sync engine',
        stdio: 'inherit',
      });
      return {
        postMessage: (message) => child.postMessage(message),
        onMessage: (listener) => child.on('message', listener),
        onExit: (listener) => child.on('exit', listener),
        kill: () => child.kill(),
      };
    }, options);
  }

  /** Resolves with the engine host's process id once it answers. */
  async ping(timeoutMs = 10_000): Promise<number> {
    const pid = await this.#send('ping', (id) => ({ type: 'ping', id }), timeoutMs);
    return pid as number;
  }

  /** Ends the engine host (at quit); it is not started again. */
  stop(): void {
    this.#stopped = true;
    if (this.#restartTimer) clearTimeout(this.#restartTimer);
    this.#child?.kill();
  }

  onStatus(listener: (status: SyncStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  // --- The process --------------------------------------------------------------------------

  #spawn(): void {
    const child = this.#fork();
    this.#child = child;
    child.onMessage((message) => this.#onMessage(child, message));
    child.onExit((code) => this.#onExit(child, code));
    child.postMessage({ type: 'init', init: this.#options.init });
  }

  #onExit(child: EngineChild, code: number): void {
    if (child !== this.#child) return;
    this.#child = null;
    const message = `The sync engine stopped (exit code ${code}).`;
    for (const pending of this.#pending.values()) {
      if (pending.timer) clearTimeout(pending.timer);
      pending.reject(new Error(message));
    }
    this.#pending.clear();
    if (this.#stopped) return;
    const max = this.#options.maxRestarts ?? 5;
    const restarting = this.#restarts < max;
    console.error(`${message} ${restarting ? 'Starting it again.' : 'Giving up.'}`);
    this.#emit({
      state: 'error',
      configured: this.#lastStatus?.configured ?? false,
      problems: this.#lastStatus?.problems ?? [],
      progress: [],
      lastRun: this.#lastStatus?.lastRun ?? null,
      nextRunAt: null,
      error: restarting ? `${message} Starting it again.` : `${message} Restart CRM Sync.`,
    });
    if (!restarting) return;
    const delay = (this.#options.restartDelayMs ?? 1000) * 2 ** this.#restarts;
    this.#restarts++;
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = null;
      if (!this.#stopped) this.#spawn();
    }, delay);
  }

  #send(
    method: EngineMethod | 'ping',
    build: (id: number) => EngineRequest,
    timeoutMs?: number,
  ): Promise<unknown> {
    const child = this.#child;
    if (!child) return Promise.reject(new Error('The sync engine is not running.'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const pending: Pending = { method, resolve, reject };
      if (timeoutMs !== undefined) {
        pending.timer = setTimeout(() => {
          this.#pending.delete(id);
          reject(new Error(`The sync engine did not answer within ${timeoutMs} ms.`));
        }, timeoutMs);
      }
      this.#pending.set(id, pending);
      child.postMessage(build(id));
    });
  }

  #onMessage(child: EngineChild, message: unknown): void {
    const parsed = EngineResponseSchema.safeParse(message);
    if (!parsed.success) {
      console.error('Engine host sent a malformed message', parsed.error);
      return;
    }
    const response = parsed.data;
    switch (response.type) {
      case 'status':
        this.#emit(response.status);
        return;
      case 'secret-get':
      case 'secret-set':
      case 'secret-delete':
        void this.#answerSecret(child, response);
        return;
      case 'pong':
        this.#settle(response.id, (p) => p.resolve(response.pid));
        return;
      case 'result':
        this.#settle(response.id, (p) => {
          const schema = p.method === 'ping' ? undefined : answerSchemas.get(p.method);
          const checked = schema ? schema.safeParse(response.value) : undefined;
          if (checked && !checked.success) {
            console.error(`Engine ${p.method}: the answer breaks the contract`, checked.error);
            p.reject(new Error(`${p.method}: internal error.`));
            return;
          }
          p.resolve(checked ? checked.data : response.value);
        });
        return;
      case 'error':
        if (response.id === undefined) {
          console.error(`Engine host: ${response.message}`);
          return;
        }
        this.#settle(response.id, (p) => p.reject(new Error(response.message)));
        return;
    }
  }

  #settle(id: number, settle: (pending: Pending) => void): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id);
    if (pending.timer) clearTimeout(pending.timer);
    settle(pending);
  }

  async #answerSecret(
    child: EngineChild,
    request: Extract<EngineResponse, { type: 'secret-get' | 'secret-set' | 'secret-delete' }>,
  ): Promise<void> {
    const { secrets } = this.#options;
    let answer: EngineRequest;
    try {
      let value: string | null = null;
      if (request.type === 'secret-get') value = (await secrets.get(request.key)) ?? null;
      else if (request.type === 'secret-set') await secrets.set(request.key, request.value);
      else await secrets.delete(request.key);
      answer = { type: 'secret-value', id: request.id, value };
    } catch (err) {
      answer = {
        type: 'secret-error',
        id: request.id,
        message: err instanceof Error ? err.message : String(err),
      };
    }
    if (child === this.#child) child.postMessage(answer);
  }

  #emit(status: SyncStatus): void {
    this.#lastStatus = status;
    for (const listener of [...this.#listeners]) {
      try {
        listener(status);
      } catch (err) {
        console.error('A status listener failed', err);
      }
    }
  }
}
