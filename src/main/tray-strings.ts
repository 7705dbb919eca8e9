/**
 * The words main shows itself (tray menu, tray tooltip, desktop notifications) in the
 * window's language files (src/shared/i18n, section `tray`), so one translator's file
 * holds every text of a language. Main cannot run the renderer's i18next, and a tray menu
 * needs no plural rules: a lookup with `{{name}}` filled is enough.
 *
 * Plain Node (no Electron import).
 */
import cs from '../shared/i18n/cs.json' with { type: 'json' };
import en from '../shared/i18n/en.json' with { type: 'json' };
import ru from '../shared/i18n/ru.json' with { type: 'json' };
import { PRODUCT_NAME } from '../shared/product.ts';

type Tree = { readonly [key: string]: string | Tree };
const resources = { en, cs, ru } as const satisfies Record<string, Tree>;

export type TrayLanguage = keyof typeof resources;

type Tray = (typeof en)['tray'];
/** "menu.syncNow", "tooltip.last", …: the keys of the `tray` section. */
export type TrayStringKey = {
  [Group in keyof Tray]: `${Group & string}.${keyof Tray[Group] & string}`;
}[keyof Tray];

/** Looks a string up; `{{name}}` placeholders are filled from `vars` (`product` is given). */
export type TrayTranslate = (key: TrayStringKey, vars?: Readonly<Record<string, string>>) => string;

/** The language for a BCP 47 locale ("cs-CZ" → cs); English for anything else. */
export function trayLanguage(locale: string): TrayLanguage {
  const primary =
    locale
      .trim()
      .toLowerCase()
      .split(/[-_.@]/)[0] ?? '';
  return Object.hasOwn(resources, primary) ? (primary as TrayLanguage) : 'en';
}

function lookup(tree: Tree, key: string): string | undefined {
  let node: string | Tree | undefined = tree;
  for (const part of key.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/**
 * The text of a dotted `key` of the language files with `{{name}}` filled, falling back to
 * English; undefined when neither has it.
 */
export function sharedText(
  language: TrayLanguage,
  key: string,
  values: Readonly<Record<string, string | number>>,
): string | undefined {
  const template = lookup(resources[language], key) ?? lookup(resources.en, key);
  return template?.replace(/\{\{(\w+)\}\}/g, (whole, name: string) =>
    values[name] === undefined ? whole : String(values[name]),
  );
}

export function trayTranslator(locale: string): TrayTranslate {
  const language = trayLanguage(locale);
  return (key, vars = {}) =>
    sharedText(language, `tray.${key}`, { product: PRODUCT_NAME, ...vars }) ?? key;
}
