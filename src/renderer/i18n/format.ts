/** Dates, times and numbers in the chosen UI language, through Intl. */
import { createContext, useContext, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { intlLocale, isLanguage } from './index.ts';

/** The OS locale (appInfo().locale), for the region part of formats. */
export const OsLocaleContext = createContext<string>('en-GB');

export interface Formatters {
  locale: string;
  /** "21. 11. 2026 14:05" */
  dateTime(iso: string | null | undefined): string;
  /** "14:05" */
  time(iso: string | null | undefined): string;
  number(value: number): string;
  percent(value: number): string;
  /** "3 s", "2 min": how long a run took. */
  duration(fromIso: string, toIso: string | null): string;
  /** "a calendar or a task list", in the language's own way of joining them. */
  orList(items: readonly string[]): string;
}

function valid(iso: string | null | undefined): Date | undefined {
  if (!iso) return undefined;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export function makeFormatters(locale: string): Formatters {
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const time = new Intl.DateTimeFormat(locale, { timeStyle: 'short' });
  const number = new Intl.NumberFormat(locale);
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const orList = new Intl.ListFormat(locale, { type: 'disjunction' });
  const seconds = new Intl.NumberFormat(locale, { style: 'unit', unit: 'second' });
  const minutes = new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: 'minute',
    maximumFractionDigits: 0,
  });
  return {
    locale,
    dateTime: (iso) => {
      const d = valid(iso);
      return d ? dateTime.format(d) : '';
    },
    time: (iso) => {
      const d = valid(iso);
      return d ? time.format(d) : '';
    },
    number: (value) => number.format(value),
    percent: (value) => percent.format(value),
    orList: (items) => orList.format(items),
    duration: (fromIso, toIso) => {
      const from = valid(fromIso);
      const to = valid(toIso);
      if (!from || !to) return '';
      const secs = Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));
      return secs < 120 ? seconds.format(secs) : minutes.format(secs / 60);
    },
  };
}

export function useFormat(): Formatters {
  const { i18n } = useTranslation();
  const osLocale = useContext(OsLocaleContext);
  const language = isLanguage(i18n.language) ? i18n.language : 'en';
  const locale = intlLocale(language, osLocale);
  return useMemo(() => makeFormatters(locale), [locale]);
}
