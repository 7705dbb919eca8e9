/** Wake-up syncs: resume, screen unlock, network back; coalesced, with injected timers. */
import { describe, expect, it, vi } from 'vitest';
import {
  ONLINE_POLL_MS,
  WAKE_SETTLE_MS,
  startWakeTriggers,
  type PowerEvents,
  type WakeReason,
  type WakeTimers,
} from '../../src/main/wake-triggers.ts';

/** Timers that run only when the test says time has passed. */
class ManualTimers implements WakeTimers {
  now = 0;
  #next = 1;
  readonly #timers = new Map<number, { at: number; fn: () => void; every?: number }>();

  setTimeout(fn: () => void, ms: number): () => void {
    const id = this.#next++;
    this.#timers.set(id, { at: this.now + ms, fn });
    return () => this.#timers.delete(id);
  }
  setInterval(fn: () => void, ms: number): () => void {
    const id = this.#next++;
    this.#timers.set(id, { at: this.now + ms, fn, every: ms });
    return () => this.#timers.delete(id);
  }
  get pending(): number {
    return this.#timers.size;
  }
  /** Moves the clock on, firing what falls due in order, then lets promises settle. */
  async advance(ms: number): Promise<void> {
    const until = this.now + ms;
    for (;;) {
      const due = [...this.#timers.entries()]
        .filter(([, t]) => t.at <= until)
        .sort((a, b) => a[1].at - b[1].at)[0];
      if (due == null) break;
      const [id, timer] = due;
      this.now = timer.at;
      if (timer.every != null) timer.at += timer.every;
      else this.#timers.delete(id);
      timer.fn();
      await flush();
    }
    this.now = until;
    await flush();
  }
}

async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

class FakePowerMonitor implements PowerEvents {
  readonly listeners = new Map<string, (() => void)[]>();
  on(event: string, listener: () => void) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
  }
  removeListener(event: string, listener: () => void) {
    this.listeners.set(
      event,
      (this.listeners.get(event) ?? []).filter((l) => l !== listener),
    );
  }
  emit(event: 'resume' | 'unlock-screen') {
    for (const listener of this.listeners.get(event) ?? []) listener();
  }
}

function setUp(options: { online?: boolean; wake?: (reason: WakeReason) => Promise<void> } = {}) {
  const timers = new ManualTimers();
  const powerMonitor = new FakePowerMonitor();
  let online = options.online ?? true;
  const wake = vi.fn(options.wake ?? (async () => undefined));
  const stop = startWakeTriggers({ powerMonitor, isOnline: () => online, wake, timers });
  return {
    timers,
    powerMonitor,
    wake,
    stop,
    setOnline(value: boolean) {
      online = value;
    },
  };
}

describe('wake triggers', () => {
  it('wakes the engine after resume from sleep', async () => {
    const t = setUp();
    t.powerMonitor.emit('resume');
    expect(t.wake).not.toHaveBeenCalled(); // gives the network a moment first
    await t.timers.advance(WAKE_SETTLE_MS);
    expect(t.wake).toHaveBeenCalledExactlyOnceWith('resume');
  });

  it('wakes the engine when the screen is unlocked', async () => {
    const t = setUp();
    t.powerMonitor.emit('unlock-screen');
    await t.timers.advance(WAKE_SETTLE_MS);
    expect(t.wake).toHaveBeenCalledExactlyOnceWith('unlock-screen');
  });

  it('wakes the engine when the network comes back (checked every 30 s)', async () => {
    const t = setUp({ online: false });
    await t.timers.advance(ONLINE_POLL_MS * 3);
    expect(t.wake).not.toHaveBeenCalled(); // still offline

    t.setOnline(true);
    await t.timers.advance(ONLINE_POLL_MS - 1);
    expect(t.wake).not.toHaveBeenCalled(); // not checked yet
    await t.timers.advance(1 + WAKE_SETTLE_MS);
    expect(t.wake).toHaveBeenCalledExactlyOnceWith('online');

    await t.timers.advance(ONLINE_POLL_MS * 5); // staying online is no news
    expect(t.wake).toHaveBeenCalledOnce();

    t.setOnline(false);
    await t.timers.advance(ONLINE_POLL_MS);
    t.setOnline(true);
    await t.timers.advance(ONLINE_POLL_MS + WAKE_SETTLE_MS);
    expect(t.wake).toHaveBeenCalledTimes(2);
  });

  it('is online at start: no wake for that', async () => {
    const t = setUp({ online: true });
    await t.timers.advance(ONLINE_POLL_MS * 4);
    expect(t.wake).not.toHaveBeenCalled();
  });

  it('makes one wake of resume, unlock and network back together', async () => {
    const t = setUp({ online: false });
    await t.timers.advance(ONLINE_POLL_MS - 1_000); // the next network check is 1 s away
    t.powerMonitor.emit('resume');
    t.powerMonitor.emit('unlock-screen');
    t.powerMonitor.emit('resume');
    t.setOnline(true);
    await t.timers.advance(WAKE_SETTLE_MS);
    expect(t.wake).toHaveBeenCalledExactlyOnceWith('resume');
  });

  it('wakes again when the network comes back after an earlier wake ran offline', async () => {
    const t = setUp({ online: false });
    t.powerMonitor.emit('resume');
    await t.timers.advance(WAKE_SETTLE_MS);
    t.setOnline(true);
    await t.timers.advance(ONLINE_POLL_MS);
    expect(t.wake.mock.calls).toEqual([['resume'], ['online']]);
  });

  it('never has more than one wake pending while the engine answers slowly', async () => {
    let answer: () => void = () => undefined;
    const t = setUp({
      wake: () => new Promise<void>((resolve) => (answer = resolve)),
    });
    t.powerMonitor.emit('resume');
    await t.timers.advance(WAKE_SETTLE_MS);
    expect(t.wake).toHaveBeenCalledOnce();

    t.powerMonitor.emit('unlock-screen'); // the first wake has not been answered
    await t.timers.advance(WAKE_SETTLE_MS * 10);
    expect(t.wake).toHaveBeenCalledOnce();

    answer();
    await flush();
    t.powerMonitor.emit('unlock-screen');
    await t.timers.advance(WAKE_SETTLE_MS);
    expect(t.wake).toHaveBeenCalledTimes(2);
  });

  it('goes on after a wake that failed', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const t = setUp({ wake: async () => Promise.reject(new Error('engine host gone')) });
    t.powerMonitor.emit('resume');
    await t.timers.advance(WAKE_SETTLE_MS);
    t.powerMonitor.emit('resume');
    await t.timers.advance(WAKE_SETTLE_MS);
    expect(t.wake).toHaveBeenCalledTimes(2);
    expect(console.error).toHaveBeenCalledWith('Wake-up sync request failed', expect.any(Error));
    vi.restoreAllMocks();
  });

  it('stops: listeners and timers gone, a pending wake dropped', async () => {
    const t = setUp();
    t.powerMonitor.emit('resume');
    t.stop();
    await t.timers.advance(WAKE_SETTLE_MS + ONLINE_POLL_MS);
    expect(t.wake).not.toHaveBeenCalled();
    expect(t.timers.pending).toBe(0);
    expect(t.powerMonitor.listeners.get('resume')).toEqual([]);
    expect(t.powerMonitor.listeners.get('unlock-screen')).toEqual([]);
  });
});
