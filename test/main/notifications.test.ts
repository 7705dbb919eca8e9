/** A desktop notification once per new failure: the decision, and the Electron call. */
import { describe, expect, it, vi } from 'vitest';
import type { SyncStatus, TrayState } from '../../src/shared/app-api.ts';
import { createFailureNotifier, failureNotice } from '../../src/main/notifications.ts';
import { trayTranslator } from '../../src/main/tray-strings.ts';

function status(state: TrayState, error: string | null = null): SyncStatus {
  return {
    state,
    configured: true,
    problems: [],
    progress: [],
    lastRun: null,
    nextRunAt: null,
    error,
  };
}

/** A stand-in for Electron's Notification class that records what was shown. */
function fakeNotifications(supported = true) {
  const shown: FakeNotification[] = [];
  class FakeNotification {
    static isSupported = () => supported;
    readonly options: { title: string; body: string };
    readonly listeners: (() => void)[] = [];
    constructor(options: { title: string; body: string }) {
      this.options = options;
    }
    on(_event: 'click', listener: () => void) {
      this.listeners.push(listener);
      return this;
    }
    show() {
      shown.push(this);
    }
  }
  return { Notification: FakeNotification, shown };
}

const en = trayTranslator('en');

describe('failureNotice', () => {
  it('notifies when a failure starts, not while it goes on', () => {
    const first = failureNotice(false, status('error', 'Wrong password for pbartos.'), en);
    expect(first).toEqual({
      failing: true,
      notice: { title: 'CRM Sync: synchronization failed', body: 'Wrong password for pbartos.' },
    });
    expect(failureNotice(true, status('error', 'Wrong password for pbartos.'), en)).toEqual({
      failing: true,
      notice: null,
    });
  });

  it('keeps a failure through runs and pauses; idle ends it', () => {
    expect(failureNotice(true, status('syncing'), en)).toEqual({ failing: true, notice: null });
    expect(failureNotice(true, status('paused'), en)).toEqual({ failing: true, notice: null });
    expect(failureNotice(true, status('idle'), en)).toEqual({ failing: false, notice: null });
    expect(failureNotice(false, status('syncing'), en)).toEqual({ failing: false, notice: null });
  });

  it('says what failed: the engine message, else the first failed item, else where to look', () => {
    const withItem: SyncStatus = {
      ...status('error'),
      lastRun: {
        id: 1,
        startedAt: '2026-11-21T13:00:00Z',
        finishedAt: '2026-11-21T13:01:00Z',
        trigger: 'interval',
        status: 'partial',
        lines: [],
        agendas: [],
        failedItems: [{ label: 'Meeting "Novák"', cause: 'the server refused it (403)' }],
      },
    };
    expect(failureNotice(false, withItem, en).notice?.body).toBe(
      'Meeting "Novák": the server refused it (403)',
    );
    expect(failureNotice(false, status('error'), en).notice?.body).toBe(
      'Open CRM Sync to see what went wrong.',
    );
    expect(failureNotice(false, status('error'), trayTranslator('cs-CZ')).notice).toEqual({
      title: 'CRM Sync: synchronizace selhala',
      body: 'Otevřete CRM Sync a uvidíte, co se nepovedlo.',
    });
    expect(failureNotice(false, status('error'), trayTranslator('ru-RU')).notice?.title).toBe(
      'CRM Sync: ошибка синхронизации',
    );
  });
});

describe('createFailureNotifier', () => {
  it('shows one notification per new failure, again after a success', () => {
    const { Notification, shown } = fakeNotifications();
    const notifier = createFailureNotifier({ Notification, t: en, onClick: () => undefined });
    const sequence: SyncStatus[] = [
      status('idle'),
      status('syncing'),
      status('error', 'Server unreachable.'), // new failure: shown
      status('syncing'),
      status('error', 'Server unreachable.'), // still failing at the next interval
      status('paused'),
      status('error', 'Wrong password.'), // same failure period (no success in between)
      status('syncing'),
      status('idle'), // worked again
      status('syncing'),
      status('error', 'Server unreachable.'), // new failure: shown
      status('error', 'Server unreachable.'),
    ];
    for (const s of sequence) notifier.update(s);
    expect(shown.map((n) => n.options.body)).toEqual([
      'Server unreachable.',
      'Server unreachable.',
    ]);
  });

  it('notifies a failure that is already there when the app starts', () => {
    const { Notification, shown } = fakeNotifications();
    const notifier = createFailureNotifier({ Notification, t: en, onClick: () => undefined });
    notifier.update(status('error', 'The CRM database is locked.'));
    expect(shown).toHaveLength(1);
  });

  it('opens the window when the notification is clicked', () => {
    const { Notification, shown } = fakeNotifications();
    const onClick = vi.fn();
    createFailureNotifier({ Notification, t: en, onClick }).update(status('error'));
    for (const listener of shown[0]!.listeners) listener();
    expect(onClick).toHaveBeenCalledOnce();
  });

  it('shows nothing where the desktop has no notifications, and does not fail', () => {
    const { Notification, shown } = fakeNotifications(false);
    const notifier = createFailureNotifier({ Notification, t: en, onClick: () => undefined });
    notifier.update(status('error'));
    expect(shown).toEqual([]);
  });
});
