/** Tray menu commands become engine calls; engine statuses reach the display. */
import { describe, expect, it, vi } from 'vitest';
import type { SyncStatus } from '../../src/shared/app-api.ts';
import { connectTray } from '../../src/main/tray-controller.ts';
import { createFakeEngine, syncStatus } from './fake-engine-control.ts';

async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

function setUp(initial = syncStatus()) {
  const engine = createFakeEngine(initial);
  const shown: SyncStatus[] = [];
  const actions = { openWindow: vi.fn(), openSettings: vi.fn(), quit: vi.fn() };
  const controller = connectTray({
    control: engine.control,
    show: (status) => shown.push(status),
    ...actions,
  });
  return { engine, shown, actions, controller, states: () => shown.map((s) => s.state) };
}

describe('tray controller', () => {
  it('shows the engine status at start and every status it pushes', async () => {
    const t = setUp();
    await flush();
    expect(t.states()).toEqual(['idle']);
    t.engine.push(syncStatus({ state: 'syncing' }));
    t.engine.push(syncStatus({ state: 'error', error: 'Server unreachable.' }));
    expect(t.states()).toEqual(['idle', 'syncing', 'error']);
  });

  it('Pause then Resume: each calls the engine, and the menu follows the state', async () => {
    const t = setUp();
    await flush();
    await t.controller.handle('pause');
    expect(t.engine.control.pause).toHaveBeenCalledOnce();
    expect(t.shown.at(-1)?.state).toBe('paused');
    await t.controller.handle('resume');
    expect(t.engine.control.resume).toHaveBeenCalledOnce();
    expect(t.shown.at(-1)?.state).toBe('idle');
  });

  it('asks the engine for its status after a command, for an engine that does not push', async () => {
    const t = setUp();
    await flush();
    t.engine.control.pause.mockImplementationOnce(async () => {
      t.engine.set(syncStatus({ state: 'paused' })); // changed, but nothing pushed
    });
    await t.controller.handle('pause');
    expect(t.shown.at(-1)?.state).toBe('paused');
  });

  it('never lets an older status() answer overwrite a newer pushed one', async () => {
    const engine = createFakeEngine(syncStatus({ state: 'idle' }));
    let answer: (status: SyncStatus) => void = () => undefined;
    engine.control.status.mockImplementationOnce(
      () => new Promise<SyncStatus>((resolve) => (answer = resolve)),
    );
    const shown: SyncStatus[] = [];
    connectTray({
      control: engine.control,
      show: (s) => shown.push(s),
      openWindow: vi.fn(),
      openSettings: vi.fn(),
      quit: vi.fn(),
    });
    engine.push(syncStatus({ state: 'syncing' }));
    answer(syncStatus({ state: 'idle' })); // asked for before the push came
    await flush();
    expect(shown.map((s) => s.state)).toEqual(['syncing']);
  });

  it('Synchronize now asks the engine for a run', async () => {
    vi.spyOn(console, 'info').mockImplementation(() => undefined);
    const t = setUp();
    await t.controller.handle('sync-now');
    expect(t.engine.control.syncNow).toHaveBeenCalledOnce();
    t.engine.control.syncNow.mockResolvedValueOnce({ accepted: false, reason: 'Not set up.' });
    await t.controller.handle('sync-now');
    expect(console.info).toHaveBeenCalledWith('Synchronize now: not started: Not set up.');
    vi.restoreAllMocks();
  });

  it('Open, Settings and Quit act on the app, not the engine', async () => {
    const t = setUp();
    await t.controller.handle('open');
    await t.controller.handle('settings');
    await t.controller.handle('quit');
    expect(t.actions.openWindow).toHaveBeenCalledOnce();
    expect(t.actions.openSettings).toHaveBeenCalledOnce();
    expect(t.actions.quit).toHaveBeenCalledOnce();
    expect(t.engine.control.pause).not.toHaveBeenCalled();
    expect(t.engine.control.syncNow).not.toHaveBeenCalled();
  });

  it('logs an engine call that fails and keeps working', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const t = setUp();
    t.engine.control.pause.mockRejectedValueOnce(new Error('The engine host is not running.'));
    await t.controller.handle('pause');
    expect(console.error).toHaveBeenCalledWith('Tray: pause failed', expect.any(Error));
    await t.controller.handle('pause');
    expect(t.shown.at(-1)?.state).toBe('paused');
    vi.restoreAllMocks();
  });

  it('stops listening when disposed', async () => {
    const t = setUp();
    await flush();
    expect(t.engine.listenerCount).toBe(1);
    t.controller.dispose();
    expect(t.engine.listenerCount).toBe(0);
    t.engine.push(syncStatus({ state: 'error' }));
    expect(t.states()).toEqual(['idle']);
  });
});
