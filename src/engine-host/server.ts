/**
 * The engine host's work, apart from the process it runs in: answers main's messages
 * (src/shared/engine-protocol.ts) with an EngineService, pushes its status, and reaches
 * main's secret store over the same port. index.ts connects it to the
 * utilityProcess's parent port; tests connect it to main's client in memory.
 *
 * Plain Node: no Electron import (the engine runs in plain Node everywhere).
 */
import { EngineService } from '../core/app/engine-service.ts';
import type { EngineServiceOptions } from '../core/app/engine-service.ts';
import { describeCause } from '../core/errors.ts';
import type { SecretStore } from '../core/secrets/secret-store.ts';
import { EngineRequestSchema } from '../shared/engine-protocol.ts';
import type {
  EngineApi,
  EngineInit,
  EngineRequest,
  EngineResponse,
} from '../shared/engine-protocol.ts';

/** The engine host's end of the channel to main. */
export interface EnginePort {
  postMessage(message: EngineResponse): void;
  onMessage(listener: (data: unknown) => void): void;
}

type SecretRequest =
  | { type: 'secret-get'; key: string }
  | { type: 'secret-set'; key: string; value: string }
  | { type: 'secret-delete'; key: string };

/**
 * The engine's SecretStore in the engine host: every call is a request to main, which
 * owns Electron safeStorage. Values stay in this process's memory only.
 */
export class PortSecretStore implements SecretStore {
  readonly description = "the app's OS secret storage (kept by the main process)";
  readonly #post: (message: EngineResponse) => void;
  readonly #pending = new Map<
    number,
    { resolve: (value: string | null) => void; reject: (error: Error) => void }
  >();
  #nextId = 1;

  constructor(post: (message: EngineResponse) => void) {
    this.#post = post;
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.#request({ type: 'secret-get', key })) ?? undefined;
  }

  async set(key: string, value: string): Promise<void> {
    await this.#request({ type: 'secret-set', key, value });
  }

  async delete(key: string): Promise<void> {
    await this.#request({ type: 'secret-delete', key });
  }

  /** Main's answer to one of our requests. */
  answer(message: Extract<EngineRequest, { type: 'secret-value' | 'secret-error' }>): void {
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    if (message.type === 'secret-value') pending.resolve(message.value);
    else pending.reject(new Error(message.message));
  }

  #request(request: SecretRequest): Promise<string | null> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#post({ ...request, id });
    });
  }
}

export interface ServeEngineOptions {
  /** Extra service options (tests: clock, connector, timers). */
  service?: Partial<Omit<EngineServiceOptions, 'settingsFile' | 'secrets' | 'appInfo'>>;
}

export interface ServedEngine {
  /** The service once main has sent `init`. */
  readonly service: EngineService | null;
  /** Stops the schedule and waits for a run under way. */
  stop(): Promise<void>;
}

/** Answers main on `port` until the process ends. */
export function serveEngine(port: EnginePort, options: ServeEngineOptions = {}): ServedEngine {
  const post = (message: EngineResponse): void => port.postMessage(message);
  const secrets = new PortSecretStore(post);
  let service: EngineService | null = null;

  const init = (init: EngineInit): void => {
    if (service) {
      post({ type: 'error', message: 'engine-host: init was sent twice.' });
      return;
    }
    service = new EngineService({
      ...options.service,
      settingsFile: init.settingsFile,
      appInfo: init.appInfo,
      ...(init.stateFile === undefined ? {} : { stateFile: init.stateFile }),
      secrets,
    });
    service.onStatus((status) => post({ type: 'status', status }));
    service.start();
  };

  const call = async (id: number, method: keyof EngineApi, args: unknown[]): Promise<void> => {
    if (!service) {
      post({ type: 'error', id, message: 'The engine is not ready yet (no init from main).' });
      return;
    }
    try {
      // Main has checked the arguments against the IPC contract for this method.
      const fn = service[method] as (...a: unknown[]) => Promise<unknown>;
      const value = await fn.apply(service, args);
      post({ type: 'result', id, value });
    } catch (err) {
      post({ type: 'error', id, message: describeCause(err) });
    }
  };

  port.onMessage((data) => {
    const parsed = EngineRequestSchema.safeParse(data);
    if (!parsed.success) {
      post({ type: 'error', message: 'engine-host: unknown or malformed request' });
      return;
    }
    const request = parsed.data;
    switch (request.type) {
      case 'init':
        init(request.init);
        break;
      case 'ping':
        post({ type: 'pong', id: request.id, pid: process.pid });
        break;
      case 'call':
        void call(request.id, request.method, request.args);
        break;
      case 'secret-value':
      case 'secret-error':
        secrets.answer(request);
        break;
    }
  });

  return {
    get service() {
      return service;
    },
    stop: async () => {
      await service?.stop();
    },
  };
}
