/**
 * A desktop notification when synchronisation starts failing: once per failure, not on
 * every interval while it keeps failing, and again only after it has worked in between.
 *
 * `failureNotice` decides (pure); `createFailureNotifier` shows it with the Notification
 * class main passes in (Electron's), so tests need no Electron.
 */
import type { SyncStatus } from '../shared/app-api.ts';
import { failureText } from './failure-text.ts';
import type { TrayLanguage, TrayTranslate } from './tray-strings.ts';

export interface FailureNotice {
  title: string;
  body: string;
}

/**
 * `wasFailing`: whether the last status seen was part of a failure already notified.
 * A failure is the `error` state; it is over when the engine is `idle` again ("up to
 * date"). Running and paused change nothing, so error → syncing → error is one failure.
 */
export function failureNotice(
  wasFailing: boolean,
  status: SyncStatus,
  t: TrayTranslate,
  language: TrayLanguage = 'en',
): { failing: boolean; notice: FailureNotice | null } {
  if (status.state === 'idle') return { failing: false, notice: null };
  if (status.state !== 'error') return { failing: wasFailing, notice: null };
  if (wasFailing) return { failing: true, notice: null };
  return {
    failing: true,
    notice: { title: t('notify.failedTitle'), body: describe(status, t, language) },
  };
}

function describe(status: SyncStatus, t: TrayTranslate, language: TrayLanguage): string {
  const failure = failureText(status, language);
  if (failure != null && failure.trim() !== '') return failure;
  const item = status.lastRun?.failedItems[0];
  if (item != null) return `${item.label}: ${item.cause}`;
  return t('notify.failedBody');
}

/** The part of Electron's Notification class used here. */
export interface NotificationClass {
  isSupported(): boolean;
  new (options: { title: string; body: string }): {
    show(): void;
    on(event: 'click', listener: () => void): unknown;
  };
}

export interface FailureNotifier {
  /** Feed every status; shows a notification when a new failure starts. */
  update(status: SyncStatus): void;
}

export function createFailureNotifier(options: {
  Notification: NotificationClass;
  t: TrayTranslate;
  /** The language of the failure's own words (the tray's). */
  language?: TrayLanguage;
  /** The user clicked the notification. */
  onClick: () => void;
}): FailureNotifier {
  let failing = false;
  // Held so the notification (and its click handler) is not garbage-collected while shown.
  let current: InstanceType<NotificationClass> | undefined;
  return {
    update(status) {
      const decision = failureNotice(failing, status, options.t, options.language);
      failing = decision.failing;
      if (decision.notice == null || !options.Notification.isSupported()) return;
      current = new options.Notification(decision.notice);
      current.on('click', () => options.onClick());
      current.show();
    },
  };
}
