/** Every reason code has its English sentence and a translation in each UI language. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REASON_CODES, reasonText } from '../../src/core/sync/reasons.ts';

type Tree = { [key: string]: string | Tree };
const load = (language: string): Tree =>
  JSON.parse(
    readFileSync(new URL(`../../src/shared/i18n/${language}.json`, import.meta.url), 'utf8'),
  ) as Tree;

const PARAMS = {
  error: 'timeout',
  categories: 'Obchod, Servis',
  group: 'Interní',
  crmTime: '2026-11-20T10:00:00Z',
  serverTime: '2026-11-20T09:00:00Z',
  persons: 2,
  companies: 1,
  owner: 'jnovak@firma.cz',
  date: '2026-01-01',
};

describe('reason codes', () => {
  it('are unique and each has an English sentence', () => {
    expect(new Set(REASON_CODES).size).toBe(REASON_CODES.length);
    for (const code of REASON_CODES) {
      const text = reasonText(code, PARAMS);
      expect(text.length, code).toBeGreaterThan(5);
      expect(text, code).not.toMatch(/undefined|\{\{/);
    }
  });

  it('keep the sentences the journal and the CLI have always shown', () => {
    expect(reasonText('new-in-crm')).toBe('new in the CRM');
    expect(reasonText('crm-outside-days')).toBe(
      'the CRM item is outside the synchronised days: no longer synchronised; nothing is deleted',
    );
    expect(reasonText('conflict-crm-wins')).toBe(
      'changed on both sides; the CRM copy wins (policy: CRM wins)',
    );
    expect(reasonText('server-unreadable', { error: '404' })).toBe(
      'the server copy could not be read (404); it is left as it is',
    );
  });

  it.each(['en', 'cs', 'ru'])('has a %s translation for every code, with its parameters', (lng) => {
    const reasons = load(lng).reason as Record<string, string>;
    expect(typeof reasons).toBe('object');
    for (const code of REASON_CODES) {
      const text = reasons[code];
      expect(typeof text, `${lng} reason.${code}`).toBe('string');
      // The same parameters as the English sentence.
      const names = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
      const english = (load('en').reason as Record<string, string>)[code] ?? '';
      expect(names(text ?? ''), `${lng} reason.${code}`).toEqual(names(english));
    }
  });

  it('the English UI text is the engine sentence', () => {
    const reasons = load('en').reason as Record<string, string>;
    for (const code of REASON_CODES) {
      const ui = (reasons[code] ?? '').replace(/\{\{(\w+)\}\}/g, (_, name: string) =>
        String(PARAMS[name as keyof typeof PARAMS]),
      );
      expect(ui, code).toBe(reasonText(code, PARAMS));
    }
  });
});
