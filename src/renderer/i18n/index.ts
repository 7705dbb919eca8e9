/**
 * UI languages: English, Czech and Russian, from JSON resources bundled with the renderer.
 * Plurals follow CLDR through Intl.PluralRules (keys end in _one/_few/_many/_other); the
 * default language comes from the OS locale (appInfo().locale), a choice in the language
 * switcher is remembered in localStorage.
 */
import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import cs from '../../shared/i18n/cs.json';
import en from '../../shared/i18n/en.json';
import ru from '../../shared/i18n/ru.json';

export const LANGUAGES = ['en', 'cs', 'ru'] as const;
export type Language = (typeof LANGUAGES)[number];

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}

export const resources = { en, cs, ru } as const;

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The UI language for an OS locale: "cs-CZ" -> cs, "sk-SK" -> cs, "ru-RU" -> ru, else en. */
export function languageForLocale(locale: string): Language {
  const primary = locale.toLowerCase().split(/[-_]/)[0] ?? '';
  if (primary === 'cs' || primary === 'sk') return 'cs';
  if (primary === 'ru') return 'ru';
  return 'en';
}

/**
 * The locale Intl formats dates and numbers with: the OS locale when it is of the chosen
 * language (keeps "en-GB" day order), else the language's own.
 */
export function intlLocale(language: Language, osLocale: string): string {
  const os = osLocale.replace('_', '-');
  if (languageForLocale(os) === language && os.toLowerCase().startsWith(language)) return os;
  return { en: 'en-GB', cs: 'cs-CZ', ru: 'ru-RU' }[language];
}

const STORAGE_KEY = 'crm-sync.language';

export function storedLanguage(): Language | undefined {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return isLanguage(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function storeLanguage(language: Language): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // No storage (a locked-down profile): the choice lasts for this session.
  }
}

/** A fresh i18next instance (one per app, one per test), initialised synchronously. */
export function createI18n(language: Language): I18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    lng: language,
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    resources: {
      en: { translation: en },
      cs: { translation: cs },
      ru: { translation: ru },
    },
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
  });
  return instance;
}
