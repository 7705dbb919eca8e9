/**
 * The app: loads appInfo (language, version), then routes by state: the first-run wizard
 * when there are no settings yet or they are not ready to sync, else the main window; the
 * Settings button opens the settings pages over the saved settings.
 */
import { FluentProvider, Button, Spinner, Text, webLightTheme } from '@fluentui/react-components';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import type { AppInfo, CrmSyncApi, Settings } from '../shared/app-api.ts';
import { ApiContext, errorText, useApi } from './api.ts';
import { OsLocaleContext } from './i18n/format.ts';
import {
  createI18n,
  isLanguage,
  languageForLocale,
  storedLanguage,
  type Language,
} from './i18n/index.ts';
import { MainWindow } from './window/MainWindow.tsx';
import { SettingsFlow } from './wizard/SettingsFlow.tsx';

type View =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | { kind: 'wizard'; settings: Settings; exists: boolean }
  | { kind: 'settings'; settings: Settings }
  | { kind: 'main' };

export function App({ info }: { info: AppInfo }) {
  const api = useApi();
  const { t } = useTranslation();
  const [view, setView] = useState<View>({ kind: 'loading' });

  const start = useCallback(async () => {
    setView({ kind: 'loading' });
    try {
      const [{ exists, settings }, status] = await Promise.all([
        api.getSettings(),
        api.status().catch(() => undefined),
      ]);
      if (!exists || status?.configured === false) {
        setView({ kind: 'wizard', settings, exists });
      } else {
        setView({ kind: 'main' });
      }
    } catch (err) {
      setView({ kind: 'failed', message: errorText(err) });
    }
  }, [api]);

  useEffect(() => {
    void start();
  }, [start]);

  const openSettings = useCallback(async () => {
    try {
      const { settings } = await api.getSettings();
      setView({ kind: 'settings', settings });
    } catch (err) {
      setView({ kind: 'failed', message: errorText(err) });
    }
  }, [api]);

  // The tray's "Settings…" (main asks): the settings page, unless the wizard (the same
  // pages) or the settings are already open.
  const viewKind = view.kind;
  useEffect(() => {
    if (viewKind !== 'main') return undefined;
    return api.onNavigate((page) => {
      if (page === 'settings') void openSettings();
    });
  }, [api, viewKind, openSettings]);

  switch (view.kind) {
    case 'loading':
      return (
        <div className="center">
          <Spinner label={t('common.loading')} />
        </div>
      );
    case 'failed':
      return (
        <div className="center" role="alert">
          <Text>{t('app.loadFailed', { message: view.message })}</Text>
          <Button onClick={() => void start()}>{t('common.retry')}</Button>
        </div>
      );
    case 'wizard':
      return (
        <SettingsFlow
          mode="wizard"
          initial={view.settings}
          exists={view.exists}
          onDone={() => setView({ kind: 'main' })}
          onCancel={view.exists ? () => setView({ kind: 'main' }) : undefined}
        />
      );
    case 'settings':
      return (
        <SettingsFlow
          mode="settings"
          initial={view.settings}
          exists
          onDone={() => setView({ kind: 'main' })}
          onCancel={() => setView({ kind: 'main' })}
        />
      );
    case 'main':
      return <MainWindow info={info} onOpenSettings={() => void openSettings()} />;
  }
}

export interface AppRootProps {
  api: CrmSyncApi;
  /** Forces the UI language (tests); else the stored choice, else the OS locale's. */
  language?: Language;
}

/** Providers (API, i18n, Fluent theme) around the app, once appInfo has answered. */
export function AppRoot({ api, language }: AppRootProps) {
  const i18n = useMemo(() => createI18n(language ?? storedLanguage() ?? 'en'), [language]);
  const [info, setInfo] = useState<AppInfo | undefined>();
  const [failure, setFailure] = useState<string | undefined>();

  useEffect(() => {
    let active = true;
    api.appInfo().then(
      (value) => {
        if (!active) return;
        if (!language && !storedLanguage())
          void i18n.changeLanguage(languageForLocale(value.locale));
        setInfo(value);
      },
      (err: unknown) => active && setFailure(errorText(err)),
    );
    return () => {
      active = false;
    };
  }, [api, i18n, language]);

  useEffect(() => {
    // The page's language follows the UI's (screen readers, hyphenation).
    const onChange = (lng: string) => {
      document.documentElement.lang = isLanguage(lng) ? lng : 'en';
    };
    onChange(i18n.language);
    i18n.on('languageChanged', onChange);
    return () => i18n.off('languageChanged', onChange);
  }, [i18n]);

  return (
    <ApiContext.Provider value={api}>
      <I18nextProvider i18n={i18n}>
        <OsLocaleContext.Provider value={info?.locale ?? 'en-GB'}>
          <FluentProvider theme={webLightTheme}>
            {info ? (
              <App info={info} />
            ) : failure ? (
              <div className="center" role="alert">
                <Text>{failure}</Text>
              </div>
            ) : (
              <div className="center">
                <Spinner />
              </div>
            )}
          </FluentProvider>
        </OsLocaleContext.Provider>
      </I18nextProvider>
    </ApiContext.Provider>
  );
}
