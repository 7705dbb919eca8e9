/**
 * "Every N minutes" for the daemon and the tray app: runs never overlap, a run can be
 * asked for at any time (Synchronize now, resume from sleep, network back), and while the
 * server is unreachable the wait grows (1, 2, 4… minutes, at most the interval).
 */
export interface PollerOptions {
  intervalMs: number;
  /** One run; resolves to whether the server was reachable. */
  run: () => Promise<{ reachable: boolean }>;
  /** For tests and the app: the clock. */
  setTimer?: (fn: () => void, ms: number) => { cancel(): void };
  minBackoffMs?: number;
}

export class Poller {
  private readonly opts: PollerOptions;
  private timer: { cancel(): void } | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private failures = 0;

  constructor(opts: PollerOptions) {
    this.opts = opts;
  }

  /**
   * Runs now, then on the interval; with `immediately: false` the first run waits the
   * interval (the app after a settings change, when nothing asked for a run).
   */
  start(options: { immediately?: boolean } = {}): void {
    this.stopped = false;
    if (options.immediately === false) {
      if (!this.running && !this.timer) this.schedule();
      return;
    }
    this.trigger();
  }

  /** A run as soon as possible; if one is under way, one more right after it. */
  trigger(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.timer?.cancel();
    this.timer = null;
    this.running = this.runOnce().finally(() => {
      this.running = null;
      if (this.stopped) return;
      if (this.again) {
        this.again = false;
        this.trigger();
      } else {
        this.schedule();
      }
    });
  }

  /** The wait before the next run, given how the last ones went. */
  nextDelayMs(): number {
    if (this.failures === 0) return this.opts.intervalMs;
    const min = this.opts.minBackoffMs ?? 60_000;
    return Math.min(this.opts.intervalMs, min * 2 ** (this.failures - 1));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = null;
    await this.running;
  }

  private async runOnce(): Promise<void> {
    try {
      const { reachable } = await this.opts.run();
      this.failures = reachable ? 0 : this.failures + 1;
    } catch {
      this.failures++;
    }
  }

  private schedule(): void {
    const set =
      this.opts.setTimer ??
      ((fn: () => void, ms: number) => {
        const t = setTimeout(fn, ms);
        return { cancel: () => clearTimeout(t) };
      });
    this.timer = set(() => this.trigger(), this.nextDelayMs());
  }
}
