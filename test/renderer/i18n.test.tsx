// @vitest-environment happy-dom
import { act, cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test } from 'vitest';
import { LanguageSwitcher } from '../../src/renderer/components/LanguageSwitcher.tsx';
import { PreviewList } from '../../src/renderer/components/PreviewList.tsx';
import { makeFormatters } from '../../src/renderer/i18n/format.ts';
import {
  createI18n,
  intlLocale,
  languageForLocale,
  LANGUAGES,
  resources,
} from '../../src/renderer/i18n/index.ts';
import { ProgressList } from '../../src/renderer/window/ProgressList.tsx';
import { RunsTab } from '../../src/renderer/window/RunsTab.tsx';
import type { PlannedItem } from '../../src/shared/app-api.ts';
import { RUNS } from './fake-api.ts';
import { renderUi } from './render.tsx';

afterEach(cleanup);

function plan(events: number, tasks = 0, contacts = 0): PlannedItem[] {
  const items = (agenda: PlannedItem['agenda'], n: number) =>
    Array.from({ length: n }, (_, i) => ({
      agenda,
      action: 'create-server',
      label: `${agenda} ${i + 1}`,
      reason: 'new in the CRM',
      reasonCode: 'new-in-crm',
      reasonParams: {},
    }));
  return [...items('events', events), ...items('tasks', tasks), ...items('contacts', contacts)];
}

const headings = () => screen.getAllByRole('heading').map((h) => h.textContent);

describe('plural forms', () => {
  test('Czech: 1 událost / 2 události / 5 událostí (one, few, other)', () => {
    for (const [n, expected] of [
      [1, 'Události — 1 událost'],
      [2, 'Události — 2 události'],
      [4, 'Události — 4 události'],
      [5, 'Události — 5 událostí'],
      [22, 'Události — 22 událostí'], // CLDR: few is 2–4 only
      [25, 'Události — 25 událostí'],
    ] as const) {
      renderUi(<PreviewList items={plan(n)} />, { language: 'cs' });
      expect(headings()).toEqual([expected]);
      cleanup();
    }
    renderUi(<PreviewList items={plan(0, 3, 1)} />, { language: 'cs' });
    expect(headings()).toEqual(['Úkoly — 3 úkoly', 'Kontakty — 1 kontakt']);
  });

  test('Russian: 1 событие / 2 события / 5 событий / 21 событие (one, few, many)', () => {
    for (const [n, expected] of [
      [1, 'События — 1 событие'],
      [3, 'События — 3 события'],
      [5, 'События — 5 событий'],
      [11, 'События — 11 событий'],
      [21, 'События — 21 событие'],
      [24, 'События — 24 события'],
    ] as const) {
      renderUi(<PreviewList items={plan(n)} />, { language: 'ru' });
      expect(headings()).toEqual([expected]);
      cleanup();
    }
    renderUi(<PreviewList items={plan(0, 5, 2)} />, { language: 'ru' });
    expect(headings()).toEqual(['Задачи — 5 задач', 'Контакты — 2 контакта']);
  });

  test('the many form (fractions in Czech) is used where CLDR says so', () => {
    const cs = createI18n('cs');
    expect(cs.t('count.events', { count: 1.5 })).toBe('1.5 události');
    const ru = createI18n('ru');
    expect(ru.t('count.events', { count: 1.5 })).toBe('1.5 события');
  });

  test('progress counts and failed items agree with their numbers', () => {
    renderUi(
      <ProgressList
        progress={[{ agenda: 'tasks', folder: 'Úkoly', phase: 'writing', done: 2, total: 3 }]}
      />,
      { language: 'cs' },
    );
    expect(screen.getByText('2 / 3 úkoly')).toBeTruthy();
    expect(screen.getByText('Zápis')).toBeTruthy();
    cleanup();

    const run = { ...RUNS[0]!, failedItems: [...RUNS[0]!.failedItems, ...RUNS[0]!.failedItems] };
    renderUi(<RunsTab runs={[run]} onShowItems={() => {}} />, { language: 'ru' });
    expect(screen.getByText('2 элемента с ошибкой')).toBeTruthy();
    expect(screen.getByText(/Вручную · 4 с/)).toBeTruthy();
  });
});

describe('languages', () => {
  type Tree = { [key: string]: string | Tree };
  function keys(tree: Tree, prefix = ''): string[] {
    return Object.entries(tree).flatMap(([k, v]) =>
      typeof v === 'string' ? [`${prefix}${k}`] : keys(v, `${prefix}${k}.`),
    );
  }
  const PLURAL = /_(zero|one|two|few|many|other)$/;
  const base = (key: string) => key.replace(PLURAL, '');

  test('Czech and Russian translate every English text, with all their plural forms', () => {
    const en = keys(resources.en as Tree);
    for (const language of ['cs', 'ru'] as const) {
      const translated = keys(resources[language] as Tree);
      expect(new Set(translated.map(base))).toEqual(new Set(en.map(base)));
      const plural = new Set(en.filter((k) => PLURAL.test(k)).map(base));
      const forms = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
      for (const key of plural) {
        for (const form of forms) expect(translated).toContain(`${key}_${form}`);
      }
    }
  });

  test('placeholders survive translation', () => {
    const placeholders = (text: string) =>
      [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    const en = resources.en as unknown as Record<string, Record<string, unknown>>;
    const flat = (tree: Record<string, unknown>, prefix = ''): [string, string][] =>
      Object.entries(tree).flatMap(([k, v]) =>
        typeof v === 'string'
          ? [[`${prefix}${k}`, v]]
          : flat(v as Record<string, unknown>, `${prefix}${k}.`),
      );
    const english = new Map(flat(en).map(([k, v]) => [base(k), placeholders(v)]));
    for (const language of ['cs', 'ru'] as const) {
      for (const [key, text] of flat(resources[language] as unknown as Record<string, unknown>)) {
        expect([key, placeholders(text)]).toEqual([key, english.get(base(key))]);
      }
    }
  });

  test('the default language follows the OS locale', () => {
    expect(languageForLocale('cs-CZ')).toBe('cs');
    expect(languageForLocale('sk_SK')).toBe('cs');
    expect(languageForLocale('ru-RU')).toBe('ru');
    expect(languageForLocale('de-AT')).toBe('en');
    expect(LANGUAGES).toEqual(['en', 'cs', 'ru']);
    expect(intlLocale('en', 'en-US')).toBe('en-US');
    expect(intlLocale('cs', 'en-US')).toBe('cs-CZ');
  });

  test("dates and times are written the chosen locale's way (Europe/Prague here)", () => {
    const iso = '2026-11-20T13:05:00.000Z';
    expect(makeFormatters('cs-CZ').time(iso)).toBe('14:05');
    expect(makeFormatters('cs-CZ').dateTime(iso)).toBe('20. 11. 2026 14:05');
    expect(makeFormatters('ru-RU').dateTime(iso)).toBe('20 нояб. 2026 г., 14:05');
    expect(makeFormatters('en-US').time(iso)).toBe('2:05 PM');
    expect(makeFormatters('cs-CZ').dateTime(null)).toBe('');
  });

  test('the language switcher changes every text at once', async () => {
    const user = userEvent.setup();
    renderUi(
      <>
        <LanguageSwitcher />
        <PreviewList items={plan(2)} />
      </>,
      { language: 'en' },
    );
    expect(headings()).toEqual(['Events — 2 events']);
    await user.click(screen.getByRole('combobox', { name: 'Language' }));
    await user.click(screen.getByRole('option', { name: 'Čeština' }));
    expect(headings()).toEqual(['Události — 2 události']);
    expect(within(screen.getByRole('table')).getAllByText('Vytvořeno na serveru')).toHaveLength(2);
    await user.click(screen.getByRole('combobox', { name: 'Jazyk' }));
    await user.click(screen.getByRole('option', { name: 'Русский' }));
    expect(headings()).toEqual(['События — 2 события']);
    expect(window.localStorage.getItem('crm-sync.language')).toBe('ru');
    act(() => window.localStorage.clear());
  });
});
