/**
 * The app's schedule: its state transitions as a pure function (what the poller must do
 * after start, pause, resume, wake, a settings change, a run, stop), and the Scheduler
 * that does it with a timer the test fires by hand.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadAppState } from '../../src/core/app/app-state.ts';
import { Scheduler, initialScheduleState, scheduleStep } from '../../src/core/app/scheduler.ts';
import type {
  ScheduleEvent,
  ScheduleState,
  ScheduledTrigger,
} from '../../src/core/app/scheduler.ts';
import { manualTimers } from './helpers.ts';

const TEN_MINUTES = 10 * 60_000;

/** The state after `events`, from a fresh one (paused as remembered). */
function after(events: ScheduleEvent[], paused = false): ScheduleState {
  return events.reduce(
    (state, event) => scheduleStep(state, event).state,
    initialScheduleState(paused),
  );
}

const started = (paused = false): ScheduleState =>
  after([{ type: 'start' }, { type: 'run-at-start', intervalMs: TEN_MINUTES }], paused);

describe('the schedule as states', () => {
  it('runs nothing before start, whatever the settings say', () => {
    const step = scheduleStep(initialScheduleState(false), {
      type: 'follow',
      intervalMs: TEN_MINUTES,
    });
    expect(step.effects).toEqual([]);
    expect(step.state.pollerIntervalMs).toBeNull();
    expect(scheduleStep(step.state, { type: 'wake' }).effects).toEqual([]);
  });

  it('at start runs now for the reason "startup", then the reason is used up', () => {
    const first = scheduleStep(initialScheduleState(false), { type: 'start' });
    expect(first.state.life).toBe('started');
    const step = scheduleStep(first.state, { type: 'run-at-start', intervalMs: TEN_MINUTES });
    expect(step.effects).toEqual([
      { type: 'start-poller', intervalMs: TEN_MINUTES, immediately: true },
    ]);
    expect(step.state.nextTrigger).toBe('startup');
    expect(scheduleStep(step.state, { type: 'poll' }).state.nextTrigger).toBe('schedule');
  });

  it('at start with no automatic run (off, or settings not complete) starts nothing', () => {
    const state = after([{ type: 'start' }]);
    const step = scheduleStep(state, { type: 'run-at-start', intervalMs: null });
    expect(step.effects).toEqual([]);
    expect(step.state).toMatchObject({ pollerIntervalMs: null, nextTrigger: 'schedule' });
  });

  it('paused before the last quit: no run at start; resume remembers it and runs now', () => {
    const state = started(true);
    expect(state).toMatchObject({ life: 'started', paused: true, pollerIntervalMs: null });
    const step = scheduleStep(state, { type: 'resume', intervalMs: TEN_MINUTES });
    expect(step.effects).toEqual([
      { type: 'remember-pause', paused: false },
      { type: 'start-poller', intervalMs: TEN_MINUTES, immediately: true },
    ]);
    expect(step.state).toMatchObject({ paused: false, nextTrigger: 'resume' });
  });

  it('pause remembers it and stops the poller; waking while paused runs nothing', () => {
    const step = scheduleStep(started(), { type: 'pause' });
    expect(step.effects).toEqual([
      { type: 'remember-pause', paused: true },
      { type: 'stop-poller' },
    ]);
    expect(step.state).toMatchObject({ paused: true, pollerIntervalMs: null });
    expect(scheduleStep(step.state, { type: 'wake' }).effects).toEqual([]);
    // A settings change while paused does not start it again either.
    const followed = scheduleStep(step.state, { type: 'follow', intervalMs: TEN_MINUTES });
    expect(followed.effects).toEqual([]);
  });

  it('resume when not paused changes nothing', () => {
    const state = started();
    const step = scheduleStep(state, { type: 'resume', intervalMs: TEN_MINUTES });
    expect(step).toEqual({ state, effects: [] });
  });

  it('waking runs soon for the reason "wake"', () => {
    const step = scheduleStep(started(), { type: 'wake' });
    expect(step.effects).toEqual([{ type: 'trigger-poller' }]);
    expect(step.state.nextTrigger).toBe('wake');
  });

  it('follows the settings: same interval nothing, a new one restarts, none stops', () => {
    const state = started();
    expect(scheduleStep(state, { type: 'follow', intervalMs: TEN_MINUTES }).effects).toEqual([]);
    const longer = scheduleStep(state, { type: 'follow', intervalMs: 3 * TEN_MINUTES });
    expect(longer.effects).toEqual([
      { type: 'stop-poller' },
      { type: 'start-poller', intervalMs: 3 * TEN_MINUTES, immediately: false },
    ]);
    expect(longer.state.pollerIntervalMs).toBe(3 * TEN_MINUTES);
    const off = scheduleStep(state, { type: 'follow', intervalMs: null });
    expect(off.effects).toEqual([{ type: 'stop-poller' }]);
    expect(off.state.pollerIntervalMs).toBeNull();
  });

  it('a run is "syncing" from its start to its end, whatever the schedule', () => {
    const running = scheduleStep(after([], true), { type: 'run-started' });
    expect(running).toEqual({ state: { ...after([], true), run: 'syncing' }, effects: [] });
    expect(scheduleStep(running.state, { type: 'run-ended' }).state.run).toBe('idle');
  });

  it('after stop nothing runs again, not even after the run that was under way', () => {
    const step = scheduleStep(started(), { type: 'stop' });
    expect(step.effects).toEqual([{ type: 'stop-poller' }]);
    expect(step.state).toMatchObject({ life: 'stopped', pollerIntervalMs: null });
    const later = scheduleStep(step.state, { type: 'after-run', intervalMs: TEN_MINUTES });
    expect(later.effects).toEqual([]);
    // Started again, the schedule comes back.
    const again = after([{ type: 'start' }, { type: 'run-at-start', intervalMs: TEN_MINUTES }]);
    expect(again.pollerIntervalMs).toBe(TEN_MINUTES);
  });

  it('after a run follows settings changed under it', () => {
    const step = scheduleStep(started(), { type: 'after-run', intervalMs: 3 * TEN_MINUTES });
    expect(step.effects).toContainEqual({
      type: 'start-poller',
      intervalMs: 3 * TEN_MINUTES,
      immediately: false,
    });
  });
});

describe('the Scheduler', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Lets the promise chains of a run that does not wait on anything finish. */
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

  function setUp(paused = false) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-sync-scheduler-'));
    dirs.push(dir);
    const stateFile = path.join(dir, 'app-state.json');
    const timers = manualTimers();
    const triggers: ScheduledTrigger[] = [];
    let nextRunAtNotes = 0;
    const scheduler = new Scheduler<{ reachable: boolean }>({
      paused,
      stateFile,
      setTimer: timers.setTimer,
      now: () => new Date('2026-03-02T08:00:00.000Z'),
      run: async (trigger) => {
        triggers.push(trigger);
        return { reachable: true };
      },
      onNextRunAt: () => void nextRunAtNotes++,
    });
    return { scheduler, timers, triggers, stateFile, notes: () => nextRunAtNotes };
  }

  it('runs at start, then on the interval; the next run time is known and announced', async () => {
    const { scheduler, timers, triggers, notes } = setUp();
    expect(scheduler.start()).toBe(true);
    expect(scheduler.start()).toBe(false);
    scheduler.runAtStart(TEN_MINUTES);
    await settle();
    expect(triggers).toEqual(['startup']);
    expect(timers.pending.map((t) => t.ms)).toEqual([TEN_MINUTES]);
    expect(scheduler.nextRunAt).toBe('2026-03-02T08:10:00.000Z');
    expect(notes()).toBe(1);

    expect(timers.fire()).toBe(true);
    await settle();
    expect(triggers).toEqual(['startup', 'schedule']);
    await scheduler.stop();
    expect(timers.pending).toEqual([]);
    expect(scheduler.nextRunAt).toBeNull();
  });

  it('waking runs at once for the reason "wake"', async () => {
    const { scheduler, triggers } = setUp();
    scheduler.start();
    scheduler.runAtStart(TEN_MINUTES);
    await settle();
    scheduler.wake();
    await settle();
    expect(triggers).toEqual(['startup', 'wake']);
    await scheduler.stop();
  });

  it('remembers pause in its file, and starts paused from it', async () => {
    const { scheduler, timers, triggers, stateFile } = setUp();
    scheduler.start();
    scheduler.runAtStart(TEN_MINUTES);
    await settle();
    scheduler.pause();
    expect(loadAppState(stateFile)).toEqual({ paused: true });
    expect(timers.pending).toEqual([]);
    expect(scheduler.nextRunAt).toBeNull();

    scheduler.resume(TEN_MINUTES);
    await settle();
    expect(loadAppState(stateFile)).toEqual({ paused: false });
    expect(triggers).toEqual(['startup', 'resume']);
    await scheduler.stop();
  });

  it('a run asked for waits behind the one under way, and at most one waits', async () => {
    const { scheduler } = setUp();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = scheduler.request(async () => {
      await held;
      return { reachable: true };
    });
    const second = scheduler.request(async () => ({ reachable: true }));
    const third = scheduler.request(async () => ({ reachable: false }));
    expect([first.accepted, second.accepted, third.accepted]).toEqual([true, true, false]);
    expect(third.done).toBe(second.done);
    release();
    expect(await second.done).toEqual({ reachable: true });
    await scheduler.stop();
  });
});
