/**
 * Asks the engine to synchronise soon when the computer wakes from sleep, the screen is
 * unlocked, or the network comes back. Electron's powerMonitor has no "online" event, so
 * `isOnline()` (Electron's `net.isOnline`) is polled and an offline → online change counts.
 *
 * Wakes coalesce: resume, unlock and network-back arriving together make one wake, and
 * never more than one is pending (scheduled or still running). Main passes powerMonitor
 * and the timers in, so tests drive all of it without Electron or real time.
 */

export type WakeReason = 'resume' | 'unlock-screen' | 'online';

/** The part of Electron's powerMonitor used here. */
export interface PowerEvents {
  on(event: 'resume' | 'unlock-screen', listener: () => void): unknown;
  removeListener(event: 'resume' | 'unlock-screen', listener: () => void): unknown;
}

export interface WakeTimers {
  /** Calls `fn` once after `ms`; returns a cancel function. */
  setTimeout(fn: () => void, ms: number): () => void;
  /** Calls `fn` every `ms`; returns a cancel function. */
  setInterval(fn: () => void, ms: number): () => void;
}

export interface WakeTriggerOptions {
  powerMonitor: PowerEvents;
  isOnline: () => boolean;
  /** Asks the engine for a run; the next wake can be scheduled once it settles. */
  wake: (reason: WakeReason) => void | Promise<void>;
  timers?: WakeTimers;
  /** How often the network state is checked (30 s). */
  onlinePollMs?: number;
  /**
   * The wait between a trigger and the wake (3 s), which also lets Wi-Fi reconnect after
   * a resume and gathers triggers that come together.
   */
  settleMs?: number;
}

export const ONLINE_POLL_MS = 30_000;
export const WAKE_SETTLE_MS = 3_000;

const realTimers: WakeTimers = {
  setTimeout(fn, ms) {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
  setInterval(fn, ms) {
    const timer = setInterval(fn, ms);
    return () => clearInterval(timer);
  },
};

/** Starts listening; the returned function stops it (and drops a pending wake). */
export function startWakeTriggers(options: WakeTriggerOptions): () => void {
  const timers = options.timers ?? realTimers;
  let pending = false;
  let stopped = false;
  let cancelScheduled: (() => void) | undefined;

  const fire = (reason: WakeReason): void => {
    cancelScheduled = undefined;
    if (stopped) return;
    let result: void | Promise<void>;
    try {
      result = options.wake(reason);
    } catch (err) {
      console.error('Wake-up sync request failed', err);
      pending = false;
      return;
    }
    Promise.resolve(result)
      .catch((err: unknown) => console.error('Wake-up sync request failed', err))
      .finally(() => {
        pending = false;
      });
  };

  const trigger = (reason: WakeReason): void => {
    if (stopped || pending) return;
    pending = true;
    cancelScheduled = timers.setTimeout(() => fire(reason), options.settleMs ?? WAKE_SETTLE_MS);
  };

  const onResume = (): void => trigger('resume');
  const onUnlock = (): void => trigger('unlock-screen');
  options.powerMonitor.on('resume', onResume);
  options.powerMonitor.on('unlock-screen', onUnlock);

  let online = options.isOnline();
  const cancelPoll = timers.setInterval(() => {
    const now = options.isOnline();
    if (now && !online) trigger('online');
    online = now;
  }, options.onlinePollMs ?? ONLINE_POLL_MS);

  return () => {
    stopped = true;
    cancelPoll();
    cancelScheduled?.();
    options.powerMonitor.removeListener('resume', onResume);
    options.powerMonitor.removeListener('unlock-screen', onUnlock);
  };
}
