/**
 * A stand-in engine for main-process tests: an EngineControl whose status the test sets
 * and pushes, that records every call and behaves as the engine is meant to (pause/resume
 * change the state and push it).
 */
import { vi } from 'vitest';
import type { EngineControl } from '../../src/main/engine-control.ts';
import { defaultSettings } from '../../src/shared/settings/schema.ts';
import type { Settings, SyncStatus } from '../../src/shared/app-api.ts';

export function syncStatus(overrides: Partial<SyncStatus> = {}): SyncStatus {
  return {
    state: 'idle',
    configured: true,
    problems: [],
    progress: [],
    lastRun: null,
    nextRunAt: null,
    error: null,
    ...overrides,
  };
}

export function createFakeEngine(
  initial: SyncStatus = syncStatus(),
  settings: { exists: boolean; settings: Settings } = { exists: true, settings: defaultSettings() },
) {
  let current = initial;
  const listeners = new Set<(status: SyncStatus) => void>();
  const push = (status: SyncStatus): void => {
    current = status;
    for (const listener of listeners) listener(status);
  };
  const control = {
    status: vi.fn(async () => current),
    syncNow: vi.fn(async (): Promise<{ accepted: boolean; reason?: string }> => ({
      accepted: true,
    })),
    pause: vi.fn(async () => push({ ...current, state: 'paused', nextRunAt: null })),
    resume: vi.fn(async () => push({ ...current, state: 'idle' })),
    wake: vi.fn(async () => undefined),
    onStatus: vi.fn((listener: (status: SyncStatus) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    }),
    getSettings: vi.fn(async () => settings),
  } satisfies EngineControl;
  return {
    control,
    /** The engine's status changed: tell the listeners (like the engine host's push). */
    push,
    /** Changes what status() answers, without a push. */
    set(status: SyncStatus) {
      current = status;
    },
    get listenerCount() {
      return listeners.size;
    },
  };
}
