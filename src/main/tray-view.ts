/**
 * What the tray shows for a sync status: icon, tooltip and menu. A pure function of its
 * arguments, so every state is unit-tested in plain Node; src/main/tray.ts puts it on
 * screen with Electron.
 */
import type { RunBrief, SyncStatus, TrayState } from '../shared/app-api.ts';
import { PRODUCT_NAME } from '../shared/product.ts';
import type { TrayStringKey, TrayTranslate } from './tray-strings.ts';

/** What a menu item asks for; src/main/tray-controller.ts carries it out. */
export type TrayCommand = 'sync-now' | 'pause' | 'resume' | 'open' | 'settings' | 'quit';

export type TrayMenuItem =
  | {
      readonly type: 'command';
      readonly command: TrayCommand;
      readonly label: string;
      readonly enabled: boolean;
    }
  | { readonly type: 'separator' };

export interface TrayView {
  readonly icon: TrayState;
  readonly tooltip: string;
  readonly menu: readonly TrayMenuItem[];
}

/**
 * Windows cuts a tray tooltip at 127 characters (NOTIFYICONDATA.szTip); longer ones are
 * shortened here with an ellipsis so the cut is visible.
 */
export const TRAY_TOOLTIP_MAX = 127;

const resultKeys: Readonly<Record<RunBrief['status'], TrayStringKey>> = {
  running: 'result.running',
  ok: 'result.ok',
  partial: 'result.partial',
  failed: 'result.failed',
  refused: 'result.refused',
  interrupted: 'result.interrupted',
};

/**
 * The tray for `status`. `locale` (BCP 47, "cs-CZ") formats the times, `t` gives the
 * words; `now` decides whether a time needs its date (it does when not today).
 */
export function trayView(
  status: SyncStatus,
  locale: string,
  t: TrayTranslate,
  now: Date = new Date(),
): TrayView {
  const syncing = status.state === 'syncing';
  const paused = status.state === 'paused';
  const command = (command: TrayCommand, key: TrayStringKey, enabled = true): TrayMenuItem => ({
    type: 'command',
    command,
    label: t(key),
    enabled,
  });
  const separator: TrayMenuItem = { type: 'separator' };
  return {
    icon: status.state,
    tooltip: tooltip(status, locale, t, now),
    menu: [
      command('sync-now', 'menu.syncNow', status.configured && !syncing),
      paused
        ? command('resume', 'menu.resume', status.configured)
        : command('pause', 'menu.pause', status.configured),
      separator,
      command('open', 'menu.open'),
      command('settings', 'menu.settings'),
      separator,
      command('quit', 'menu.quit'),
    ],
  };
}

function tooltip(status: SyncStatus, locale: string, t: TrayTranslate, now: Date): string {
  if (!status.configured) return shorten(`${PRODUCT_NAME} — ${t('tooltip.notConfigured')}`);
  const run = status.lastRun;
  const last =
    run == null
      ? t('result.never')
      : `${t(resultKeys[run.status])}, ${formatWhen(run.finishedAt ?? run.startedAt, locale, now)}`;
  let next: string;
  if (status.state === 'syncing') next = t('next.now');
  else if (status.state === 'paused') next = t('next.paused');
  else if (status.nextRunAt != null) next = formatWhen(status.nextRunAt, locale, now);
  else next = t('next.none');
  return shorten(`${PRODUCT_NAME} — ${t('tooltip.last')}: ${last}; ${t('tooltip.next')}: ${next}`);
}

function shorten(text: string): string {
  const chars = [...text];
  return chars.length <= TRAY_TOOLTIP_MAX
    ? text
    : `${chars.slice(0, TRAY_TOOLTIP_MAX - 1).join('')}…`;
}

/** "14:05" today, "21. 11. 14:05" on another day, in the machine's time zone. */
function formatWhen(iso: string, locale: string, now: Date): string {
  const when = new Date(iso);
  if (Number.isNaN(when.getTime())) return '?';
  const tag = usableLocale(locale);
  // The locale's own short time ("14:05", "09:30", "2:05 PM").
  const time = new Intl.DateTimeFormat(tag, { timeStyle: 'short' }).format(when);
  if (when.toDateString() === now.toDateString()) return time;
  const day = new Intl.DateTimeFormat(tag, { day: 'numeric', month: 'numeric' }).format(when);
  return `${day} ${time}`;
}

/** The locale if Intl accepts it ("C" or "" from a bare Linux session does not). */
function usableLocale(locale: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(locale.replace(/_/g, '-').replace(/[.@].*$/, ''))[0];
  } catch {
    return undefined;
  }
}
