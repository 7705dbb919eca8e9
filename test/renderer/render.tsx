/**
 * Rendering a component as the app does (API, i18n, Fluent theme), for component tests.
 * Web animations are switched off: Fluent's motion then completes at once in tests.
 */
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { configure, render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { I18nextProvider } from 'react-i18next';
import type { CrmSyncApi } from '../../src/shared/app-api.ts';
import { ApiContext } from '../../src/renderer/api.ts';
import { OsLocaleContext } from '../../src/renderer/i18n/format.ts';
import { createI18n, type Language } from '../../src/renderer/i18n/index.ts';
import { FakeApi } from './fake-api.ts';

Object.defineProperty(Element.prototype, 'animate', { value: undefined, configurable: true });
// Fluent's focus management settles over a few ticks; a loaded machine needs more than 1 s.
configure({ asyncUtilTimeout: 5000 });

export interface Rendered extends RenderResult {
  api: CrmSyncApi;
}

export function renderUi(
  ui: ReactElement,
  options: { api?: CrmSyncApi; language?: Language; osLocale?: string } = {},
): Rendered {
  const api = options.api ?? new FakeApi();
  const i18n = createI18n(options.language ?? 'en');
  const result = render(
    <ApiContext.Provider value={api}>
      <I18nextProvider i18n={i18n}>
        <OsLocaleContext.Provider value={options.osLocale ?? 'en-GB'}>
          <FluentProvider theme={webLightTheme}>{ui}</FluentProvider>
        </OsLocaleContext.Provider>
      </I18nextProvider>
    </ApiContext.Provider>,
  );
  return { ...result, api };
}

/** The text of what an element's aria-describedby points at (a field's message and hint). */
export function descriptionOf(element: Element): string {
  const ids = (element.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
  return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
}
