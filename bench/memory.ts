/**
 * Peak resident memory of this process, sampled every 50 ms. The sampler is a worker
 * thread, so it keeps sampling while the main thread is busy in synchronous work (SQLite,
 * planning) where a timer on the main thread would never fire.
 */
import { setImmediate } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';

const SAMPLER = `
const { workerData } = require('node:worker_threads');
const shared = new BigInt64Array(workerData.buffer);
setInterval(() => {
  const rss = BigInt(process.memoryUsage().rss);
  let seen = Atomics.load(shared, 0);
  while (rss > seen) {
    const before = Atomics.compareExchange(shared, 0, seen, rss);
    if (before === seen) break;
    seen = before;
  }
  Atomics.add(shared, 1, 1n);
}, workerData.intervalMs);
`;

export class RssSampler {
  /** [0] = highest RSS since reset (bytes), [1] = samples since reset. */
  readonly #shared = new BigInt64Array(new SharedArrayBuffer(16));
  readonly #worker: Worker;

  constructor(intervalMs = 50) {
    this.#worker = new Worker(SAMPLER, {
      eval: true,
      workerData: { buffer: this.#shared.buffer, intervalMs },
    });
    this.reset();
  }

  /** Starts a new measurement from the current RSS. */
  reset(): void {
    Atomics.store(this.#shared, 0, BigInt(process.memoryUsage().rss));
    Atomics.store(this.#shared, 1, 0n);
  }

  /** Highest RSS seen since reset (including now). */
  peak(): number {
    return Math.max(Number(Atomics.load(this.#shared, 0)), process.memoryUsage().rss);
  }

  samples(): number {
    return Number(Atomics.load(this.#shared, 1));
  }

  async stop(): Promise<void> {
    await this.#worker.terminate();
  }
}

/** process.resourceUsage().maxRSS (kB, the process's peak so far) in bytes. */
export function maxRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

/**
 * Frees what can be freed before a baseline is taken (the child runs with --expose-gc).
 * Native finalizers (better-sqlite3 statements) run only once the event loop turns.
 */
export async function collectGarbage(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 2; i++) {
    gc?.();
    await setImmediate();
  }
}
