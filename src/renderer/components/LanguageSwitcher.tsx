/** The UI language: English, Čeština, Русский (each named in its own language). */
import { Dropdown, Option } from '@fluentui/react-components';
import { LocalLanguageRegular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import { isLanguage, LANGUAGES, storeLanguage, type Language } from '../i18n/index.ts';

const NAMES: Record<Language, string> = { en: 'English', cs: 'Čeština', ru: 'Русский' };

export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  const current: Language = isLanguage(i18n.language) ? i18n.language : 'en';
  return (
    <Dropdown
      aria-label={t('common.language')}
      className="language-switcher"
      style={{ minWidth: 'unset', width: '10rem' }}
      value={NAMES[current]}
      selectedOptions={[current]}
      expandIcon={<LocalLanguageRegular />}
      onOptionSelect={(_, data) => {
        if (!isLanguage(data.optionValue)) return;
        storeLanguage(data.optionValue);
        void i18n.changeLanguage(data.optionValue);
      }}
    >
      {LANGUAGES.map((lang) => (
        <Option key={lang} value={lang} lang={lang}>
          {NAMES[lang]}
        </Option>
      ))}
    </Dropdown>
  );
}
