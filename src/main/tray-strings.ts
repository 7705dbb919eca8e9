/**
 * The few words main shows itself (tray menu, tray tooltip, desktop notifications), in
 * English, Czech and Russian. The window has its own i18n in the renderer; main cannot
 * use it, and a tray menu needs no plural rules.
 *
 * Plain Node (no Electron import). Czech and Russian must have every English key: the
 * compiler checks it.
 */
import { PRODUCT_NAME } from '../shared/product.ts';

const en = {
  'menu.syncNow': 'Synchronize now',
  'menu.pause': 'Pause',
  'menu.resume': 'Resume',
  'menu.open': 'Open {product}',
  'menu.settings': 'Settings…',
  'menu.quit': 'Quit',
  /** Tooltip: "CRM Sync — last: OK, 14:05; next: 14:15". */
  'tooltip.last': 'last',
  'tooltip.next': 'next',
  'tooltip.notConfigured': 'not set up yet',
  'result.never': 'none yet',
  'result.running': 'running',
  'result.ok': 'OK',
  'result.partial': 'with errors',
  'result.failed': 'failed',
  'result.refused': 'refused (mass deletion)',
  'result.interrupted': 'interrupted',
  'next.now': 'running now',
  'next.paused': 'paused',
  'next.none': 'not scheduled',
  'notify.failedTitle': '{product}: synchronization failed',
  'notify.failedBody': 'Open {product} to see what went wrong.',
} as const;

export type TrayStringKey = keyof typeof en;
type Dictionary = Readonly<Record<TrayStringKey, string>>;

const cs: Dictionary = {
  'menu.syncNow': 'Synchronizovat nyní',
  'menu.pause': 'Pozastavit',
  'menu.resume': 'Pokračovat',
  'menu.open': 'Otevřít {product}',
  'menu.settings': 'Nastavení…',
  'menu.quit': 'Ukončit',
  'tooltip.last': 'poslední',
  'tooltip.next': 'příští',
  'tooltip.notConfigured': 'zatím není nastaveno',
  'result.never': 'zatím žádná',
  'result.running': 'probíhá',
  'result.ok': 'v pořádku',
  'result.partial': 's chybami',
  'result.failed': 'selhala',
  'result.refused': 'odmítnuta (hromadné mazání)',
  'result.interrupted': 'přerušena',
  'next.now': 'právě probíhá',
  'next.paused': 'pozastaveno',
  'next.none': 'nenaplánována',
  'notify.failedTitle': '{product}: synchronizace selhala',
  'notify.failedBody': 'Otevřete {product} a uvidíte, co se nepovedlo.',
};

const ru: Dictionary = {
  'menu.syncNow': 'Синхронизировать сейчас',
  'menu.pause': 'Приостановить',
  'menu.resume': 'Возобновить',
  'menu.open': 'Открыть {product}',
  'menu.settings': 'Настройки…',
  'menu.quit': 'Выход',
  'tooltip.last': 'последняя',
  'tooltip.next': 'следующая',
  'tooltip.notConfigured': 'ещё не настроено',
  'result.never': 'ещё не было',
  'result.running': 'выполняется',
  'result.ok': 'успешно',
  'result.partial': 'с ошибками',
  'result.failed': 'ошибка',
  'result.refused': 'отклонена (массовое удаление)',
  'result.interrupted': 'прервана',
  'next.now': 'выполняется сейчас',
  'next.paused': 'приостановлена',
  'next.none': 'не запланирована',
  'notify.failedTitle': '{product}: ошибка синхронизации',
  'notify.failedBody': 'Откройте {product}, чтобы узнать, что пошло не так.',
};

const dictionaries = { en, cs, ru } as const satisfies Record<string, Dictionary>;

export type TrayLanguage = keyof typeof dictionaries;

/** Looks a string up; `{name}` placeholders are filled from `vars` (`{product}` is given). */
export type TrayTranslate = (key: TrayStringKey, vars?: Readonly<Record<string, string>>) => string;

/** The language for a BCP 47 locale ("cs-CZ" → cs); English for anything else. */
export function trayLanguage(locale: string): TrayLanguage {
  const primary =
    locale
      .trim()
      .toLowerCase()
      .split(/[-_.@]/)[0] ?? '';
  return Object.hasOwn(dictionaries, primary) ? (primary as TrayLanguage) : 'en';
}

export function trayTranslator(locale: string): TrayTranslate {
  const dictionary: Dictionary = dictionaries[trayLanguage(locale)];
  return (key, vars = {}) => {
    const values: Readonly<Record<string, string>> = { product: PRODUCT_NAME, ...vars };
    return dictionary[key].replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
  };
}
