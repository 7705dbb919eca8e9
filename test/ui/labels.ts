/**
 * The UI's own words, from the renderer's translation files (src/shared/i18n), so a test
 * finds a control by what a user of that language reads.
 */
import i18next from 'i18next';
import cs from '../../src/shared/i18n/cs.json' with { type: 'json' };
import en from '../../src/shared/i18n/en.json' with { type: 'json' };
import ru from '../../src/shared/i18n/ru.json' with { type: 'json' };

export const LANGUAGES = ['en', 'cs', 'ru'] as const;
export type Language = (typeof LANGUAGES)[number];

export type Translate = (key: string, values?: Record<string, unknown>) => string;

/** `t(key, values)` of the UI in `language`, plurals included (CLDR, as the app counts). */
export function translator(language: Language): Translate {
  const i18n = i18next.createInstance();
  void i18n.init({
    lng: language,
    fallbackLng: 'en',
    resources: { en: { translation: en }, cs: { translation: cs }, ru: { translation: ru } },
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  return (key, values) => {
    if (!i18n.exists(key, values ?? {})) throw new Error(`The UI has no text "${key}".`);
    return i18n.t(key, values ?? {}) as string;
  };
}
