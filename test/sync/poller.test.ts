import { describe, expect, it } from 'vitest';
import { Poller } from '../../src/core/sync/poller.ts';

/** A clock the test advances by hand. */
function manualTimers() {
  const pending: { fn: () => void; ms: number; cancelled: boolean }[] = [];
  return {
    pending,
    setTimer(fn: () => void, ms: number) {
      const t = { fn, ms, cancelled: false };
      pending.push(t);
      return { cancel: () => (t.cancelled = true) };
    },
    fireNext() {
      const t = pending.filter((p) => !p.cancelled).shift();
      if (!t) throw new Error('no timer pending');
      t.cancelled = true;
      t.fn();
      return t.ms;
    },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('Poller', () => {
  it('never runs twice at once: a trigger during a run queues exactly one more', async () => {
    const timers = manualTimers();
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    let release: () => void = () => {};
    const poller = new Poller({
      intervalMs: 600_000,
      setTimer: timers.setTimer,
      run: async () => {
        runs++;
        running++;
        maxRunning = Math.max(maxRunning, running);
        await new Promise<void>((r) => (release = r));
        running--;
        return { reachable: true };
      },
    });
    poller.start();
    poller.trigger();
    poller.trigger();
    release();
    await tick();
    await tick();
    release();
    await tick();
    await tick();
    expect(runs).toBe(2);
    expect(maxRunning).toBe(1);
    await poller.stop();
  });

  it('waits the interval after a good run and backs off while the server is unreachable', async () => {
    const timers = manualTimers();
    const reachable = [false, false, false, true];
    const poller = new Poller({
      intervalMs: 600_000,
      minBackoffMs: 60_000,
      setTimer: timers.setTimer,
      run: async () => ({ reachable: reachable.shift() ?? true }),
    });
    poller.start();
    const waits: number[] = [];
    for (let n = 0; n < 4; n++) {
      await tick();
      await tick();
      waits.push(timers.fireNext());
    }
    expect(waits).toEqual([60_000, 120_000, 240_000, 600_000]);
    await poller.stop();
  });

  it('can start by waiting the interval instead of running at once', async () => {
    const timers = manualTimers();
    let runs = 0;
    const poller = new Poller({
      intervalMs: 600_000,
      setTimer: timers.setTimer,
      run: async () => {
        runs++;
        return { reachable: true };
      },
    });
    poller.start({ immediately: false });
    poller.start({ immediately: false }); // no second timer
    await tick();
    expect(runs).toBe(0);
    expect(timers.pending.filter((t) => !t.cancelled).map((t) => t.ms)).toEqual([600_000]);
    expect(timers.fireNext()).toBe(600_000);
    await tick();
    await tick();
    expect(runs).toBe(1);
    await poller.stop();
  });
});
