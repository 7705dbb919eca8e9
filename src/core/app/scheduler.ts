/**
 * When the app's engine synchronises by itself: a run at start, then every interval while
 * "synchronise automatically" is on and the settings are complete; none while paused; one
 * soon on waking or resuming. Every run, scheduled or asked for, goes through one run
 * queue, so two never overlap.
 *
 * Where the schedule stands is one value (`ScheduleState`), changed only by `scheduleStep`:
 * a pure function from the state and what happened to the next state and what to do with
 * the poller. `Scheduler` holds the value and does what the step says.
 */
import { Poller } from '../sync/poller.ts';
import { saveAppState } from './app-state.ts';
import { RunQueue } from './run-queue.ts';
import type { RunRequest } from './run-queue.ts';

export type SetTimer = (fn: () => void, ms: number) => { cancel(): void };

/** A real timer that does not keep the process alive. */
const unrefTimer: SetTimer = (fn, ms) => {
  const timer = setTimeout(fn, ms);
  timer.unref();
  return { cancel: () => clearTimeout(timer) };
};

/** Why a run of the schedule happens (the run's trigger in the history). */
export type ScheduledTrigger = 'schedule' | 'startup' | 'wake' | 'resume';

export interface ScheduleState {
  /** Before start(), between start() and stop(), after stop(). */
  readonly life: 'created' | 'started' | 'stopped';
  /** The user paused synchronisation (remembered across restarts). */
  readonly paused: boolean;
  /** Whether a run, scheduled or asked for, is under way. */
  readonly run: 'idle' | 'syncing';
  /** The interval of the poller that runs; null while none runs. */
  readonly pollerIntervalMs: number | null;
  /** Why the poller's next run happens. */
  readonly nextTrigger: ScheduledTrigger;
}

/**
 * What happened. `intervalMs` is the interval the settings ask for, null when they ask for
 * no automatic run (no settings, not complete, or "synchronise automatically" off).
 */
export type ScheduleEvent =
  | { type: 'start' }
  /** After start: the first run now, when the schedule runs at all. */
  | { type: 'run-at-start'; intervalMs: number | null }
  /** The settings were read or saved: follow their interval (no run now). */
  | { type: 'follow'; intervalMs: number | null }
  | { type: 'stop' }
  | { type: 'pause' }
  | { type: 'resume'; intervalMs: number | null }
  | { type: 'wake' }
  | { type: 'run-started' }
  | { type: 'run-ended' }
  /** A run has ended and been reported: the settings may have changed under it. */
  | { type: 'after-run'; intervalMs: number | null }
  /** The poller starts a run: the reason for it is used up. */
  | { type: 'poll' };

export type ScheduleEffect =
  | { type: 'start-poller'; intervalMs: number; immediately: boolean }
  | { type: 'stop-poller' }
  | { type: 'trigger-poller' }
  | { type: 'remember-pause'; paused: boolean };

export interface ScheduleStep {
  state: ScheduleState;
  effects: ScheduleEffect[];
}

export function initialScheduleState(paused: boolean): ScheduleState {
  return { life: 'created', paused, run: 'idle', pollerIntervalMs: null, nextTrigger: 'schedule' };
}

/** The next state, and what to do with the poller and the remembered pause. */
export function scheduleStep(state: ScheduleState, event: ScheduleEvent): ScheduleStep {
  switch (event.type) {
    case 'start':
      return noEffects({ ...state, life: 'started' });
    case 'run-at-start': {
      const step = reschedule({ ...state, nextTrigger: 'startup' }, event.intervalMs, true);
      // Nothing runs at start (not configured, paused): later runs are the schedule's.
      if (step.state.pollerIntervalMs === null) {
        return { ...step, state: { ...step.state, nextTrigger: 'schedule' } };
      }
      return step;
    }
    case 'follow':
      return reschedule(state, event.intervalMs, false);
    case 'stop':
      return stopPoller({ ...state, life: 'stopped' });
    case 'pause': {
      const step = stopPoller({ ...state, paused: true });
      return { ...step, effects: [{ type: 'remember-pause', paused: true }, ...step.effects] };
    }
    case 'resume': {
      if (!state.paused) return noEffects(state);
      const resumed: ScheduleState = { ...state, paused: false, nextTrigger: 'resume' };
      const step = reschedule(resumed, event.intervalMs, true);
      return { ...step, effects: [{ type: 'remember-pause', paused: false }, ...step.effects] };
    }
    case 'wake':
      if (state.pollerIntervalMs === null) return noEffects(state);
      return { state: { ...state, nextTrigger: 'wake' }, effects: [{ type: 'trigger-poller' }] };
    case 'run-started':
      return noEffects({ ...state, run: 'syncing' });
    case 'run-ended':
      return noEffects({ ...state, run: 'idle' });
    case 'after-run':
      // After stop() a run that was under way schedules nothing.
      if (state.life === 'stopped') return noEffects(state);
      return reschedule(state, event.intervalMs, false);
    case 'poll':
      return noEffects({ ...state, nextTrigger: 'schedule' });
  }
}

function noEffects(state: ScheduleState): ScheduleStep {
  return { state, effects: [] };
}

function stopPoller(state: ScheduleState): ScheduleStep {
  if (state.pollerIntervalMs === null) return noEffects(state);
  return { state: { ...state, pollerIntervalMs: null }, effects: [{ type: 'stop-poller' }] };
}

/** A poller at the interval asked for when the schedule may run, none otherwise. */
function reschedule(
  state: ScheduleState,
  intervalMs: number | null,
  runNow: boolean,
): ScheduleStep {
  if (state.life !== 'started' || state.paused || intervalMs === null) return stopPoller(state);
  if (state.pollerIntervalMs === intervalMs) {
    return { state, effects: runNow ? [{ type: 'trigger-poller' }] : [] };
  }
  const stopped = stopPoller(state);
  return {
    state: { ...stopped.state, pollerIntervalMs: intervalMs },
    effects: [...stopped.effects, { type: 'start-poller', intervalMs, immediately: runNow }],
  };
}

export interface SchedulerOptions<R extends { reachable: boolean }> {
  /** Paused before the last quit (app-state.ts). */
  paused: boolean;
  /** Where the pause is remembered. */
  stateFile: string;
  /** The schedule's timer (tests drive it by hand); default: a real one. */
  setTimer?: SetTimer;
  now: () => Date;
  /** One run, start to end; never rejects (the outcome says how it went). */
  run: (trigger: ScheduledTrigger) => Promise<R>;
  /** The time of the next run changed while no run is under way. */
  onNextRunAt: () => void;
}

/** The schedule's state, its poller and timer, and the run queue. */
export class Scheduler<R extends { reachable: boolean }> {
  readonly #options: SchedulerOptions<R>;
  readonly #queue = new RunQueue<R>();
  #state: ScheduleState;
  #poller: Poller | null = null;
  #nextRunAt: { at: string; token: object } | null = null;

  constructor(options: SchedulerOptions<R>) {
    this.#options = options;
    this.#state = initialScheduleState(options.paused);
  }

  get state(): ScheduleState {
    return this.#state;
  }

  /** When the next scheduled run is due (ISO time), or null. */
  get nextRunAt(): string | null {
    return this.#nextRunAt?.at ?? null;
  }

  /** False when already started. */
  start(): boolean {
    if (this.#state.life === 'started') return false;
    this.#dispatch({ type: 'start' });
    return true;
  }

  runAtStart(intervalMs: number | null): void {
    this.#dispatch({ type: 'run-at-start', intervalMs });
  }

  follow(intervalMs: number | null): void {
    this.#dispatch({ type: 'follow', intervalMs });
  }

  /** Stops the schedule and waits for what the queue holds to end. */
  async stop(): Promise<void> {
    this.#dispatch({ type: 'stop' });
    await this.#queue.idle();
  }

  pause(): void {
    this.#dispatch({ type: 'pause' });
  }

  resume(intervalMs: number | null): void {
    this.#dispatch({ type: 'resume', intervalMs });
  }

  wake(): void {
    this.#dispatch({ type: 'wake' });
  }

  runStarted(): void {
    this.#dispatch({ type: 'run-started' });
  }

  runEnded(): void {
    this.#dispatch({ type: 'run-ended' });
  }

  afterRun(intervalMs: number | null): void {
    this.#dispatch({ type: 'after-run', intervalMs });
  }

  /** A run asked for ("Synchronize now"): queued behind the one under way, at most one. */
  request(run: () => Promise<R>): RunRequest<R> {
    return this.#queue.request(run);
  }

  /** `job` when no run is under way (a preview); not counted as a run. */
  exclusive<T>(job: () => Promise<T>): Promise<T> {
    return this.#queue.exclusive(job);
  }

  #dispatch(event: ScheduleEvent): void {
    const { state, effects } = scheduleStep(this.#state, event);
    // Set first: starting the poller may ask at once for the next trigger.
    this.#state = state;
    for (const effect of effects) this.#apply(effect);
  }

  #apply(effect: ScheduleEffect): void {
    switch (effect.type) {
      case 'start-poller': {
        const poller = new Poller({
          intervalMs: effect.intervalMs,
          setTimer: (fn, ms) => this.#scheduleTimer(fn, ms),
          run: async () => {
            const trigger = this.#state.nextTrigger;
            this.#dispatch({ type: 'poll' });
            const outcome = await this.#queue.request(() => this.#options.run(trigger)).done;
            return { reachable: outcome.reachable };
          },
        });
        this.#poller = poller;
        poller.start({ immediately: effect.immediately });
        return;
      }
      case 'stop-poller': {
        const poller = this.#poller;
        this.#poller = null;
        this.#nextRunAt = null;
        // Not awaited: a run under way ends on its own; the stopped poller starts no other.
        if (poller) void poller.stop();
        return;
      }
      case 'trigger-poller':
        this.#poller?.trigger();
        return;
      case 'remember-pause':
        this.#rememberPause(effect.paused);
        return;
    }
  }

  #scheduleTimer(fn: () => void, ms: number): { cancel(): void } {
    const token = {};
    const at = new Date(this.#options.now().getTime() + ms).toISOString();
    this.#nextRunAt = { at, token };
    const setTimer = this.#options.setTimer ?? unrefTimer;
    const handle = setTimer(() => {
      if (this.#nextRunAt?.token === token) this.#nextRunAt = null;
      fn();
    }, ms);
    if (this.#state.run !== 'syncing') this.#options.onNextRunAt();
    return {
      cancel: () => {
        handle.cancel();
        if (this.#nextRunAt?.token === token) this.#nextRunAt = null;
      },
    };
  }

  #rememberPause(paused: boolean): void {
    const file = this.#options.stateFile;
    try {
      saveAppState(file, { paused });
    } catch (err) {
      // Pause works for this session all the same; only the next start would not know.
      console.warn(`The pause could not be remembered in ${file}`, err);
    }
  }
}
