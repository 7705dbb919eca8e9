// @vitest-environment happy-dom
/** The engine's failure messages in the UI language: every code, the fallback, the screens. */
import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import { MESSAGE_CODES } from '../../src/shared/message-codes.ts';
import { CRM_WRITE_NOTE_CODES } from '../../src/core/sync/crm-side/types.ts';
import { reasonLabel } from '../../src/renderer/components/reason.ts';
import {
  journalErrorText,
  messageText,
  statusErrorText,
} from '../../src/renderer/components/message.ts';
import { createI18n, resources } from '../../src/renderer/i18n/index.ts';
import { RunsTab } from '../../src/renderer/window/RunsTab.tsx';
import type { RunBrief, SyncStatus } from '../../src/shared/app-api.ts';
import { renderUi } from './render.tsx';

afterEach(cleanup);

type Tree = { [key: string]: string | Tree };
const section = (language: 'en' | 'cs' | 'ru', name: string) =>
  (resources[language] as unknown as Tree)[name] as Record<string, string>;
const errors = (language: 'en' | 'cs' | 'ru') => section(language, 'error');
const names = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('message codes', () => {
  test.each(['en', 'cs', 'ru'] as const)(
    'every code has a %s text with the English parameters',
    (language) => {
      const texts = errors(language);
      for (const code of MESSAGE_CODES) {
        const text = texts[code];
        expect(typeof text, `${language} error.${code}`).toBe('string');
        expect(names(text ?? ''), `${language} error.${code}`).toEqual(
          names(errors('en')[code] ?? ''),
        );
      }
      // No text for a code the engine does not have (a renamed code would go unnoticed).
      expect(Object.keys(texts).sort()).toEqual([...MESSAGE_CODES].sort());
    },
  );

  test.each(['en', 'cs', 'ru'] as const)(
    'every CRM write note has a %s text with the English parameters',
    (language) => {
      const texts = section(language, 'note');
      for (const code of CRM_WRITE_NOTE_CODES) {
        expect(typeof texts[code], `${language} note.${code}`).toBe('string');
        expect(names(texts[code] ?? ''), `${language} note.${code}`).toEqual(
          names(section('en', 'note')[code] ?? ''),
        );
      }
      expect(Object.keys(texts).sort()).toEqual([...CRM_WRITE_NOTE_CODES].sort());
    },
  );

  test("the CRM write's notes in a journal reason are worded in the UI language", () => {
    const item = {
      reason: 'new on the server (Company "Acme" was created.; Linked to 2 persons with a@b.cz.)',
      reasonCode: 'new-on-server',
      reasonParams: {
        notes: 'Company "Acme" was created.; Linked to 2 persons with a@b.cz.',
        noteCodes: JSON.stringify([
          { code: 'company-created', params: { company: 'Acme', id: 7 } },
          { code: 'shared-address', params: { email: 'a@b.cz', count: 2 } },
        ]),
      },
    };
    expect(reasonLabel(createI18n('cs').t, item)).toBe(
      'nové na serveru (Byla založena firma „Acme“.; Propojeno s 2 osobami s adresou a@b.cz.)',
    );
    // A note the UI does not know: the engine's English notes, all of them.
    const unknown = {
      ...item,
      reasonParams: {
        ...item.reasonParams,
        noteCodes: JSON.stringify([{ code: 'something-new', params: {} }]),
      },
    };
    expect(reasonLabel(createI18n('cs').t, unknown)).toBe(
      'nové na serveru (Company "Acme" was created.; Linked to 2 persons with a@b.cz.)',
    );
  });

  test('a coded message is worded in the UI language with its parameters', () => {
    const params = { server: 'https://dav.example.com/', status: '401 Unauthorized' };
    const english = 'Wrong user name or password for https://dav.example.com/ (401 Unauthorized).';
    expect(messageText(createI18n('cs').t, english, 'auth-failed', params)).toBe(
      'Nesprávné uživatelské jméno nebo heslo pro https://dav.example.com/ (401 Unauthorized).',
    );
    expect(messageText(createI18n('ru').t, english, 'auth-failed', params)).toBe(
      'Неверное имя пользователя или пароль для https://dav.example.com/ (401 Unauthorized).',
    );
    expect(messageText(createI18n('en').t, english, 'auth-failed', params)).toBe(english);
  });

  test("a certificate's reason is in the UI language where its short code is known", () => {
    const params = {
      server: 'https://mail.firma.cz',
      reason: 'self-signed',
      fingerprint: 'AB:CD',
      why: 'self-signed',
    };
    expect(messageText(createI18n('cs').t, 'English.', 'certificate-untrusted', params)).toBe(
      'Certifikát serveru https://mail.firma.cz není důvěryhodný (podepsaný sám sebou; otisk SHA-256 AB:CD); v nastavení mu důvěřujte, jen pokud ho znáte.',
    );
    // Without a known short code: the engine's own words for the reason.
    const { why: _omitted, ...plain } = params;
    expect(messageText(createI18n('cs').t, 'English.', 'certificate-untrusted', plain)).toContain(
      '(self-signed; otisk',
    );
  });

  test('an agenda named in a message is in the UI language', () => {
    expect(
      messageText(
        createI18n('cs').t,
        'The server has no folder for tasks.',
        'no-folder-for-agenda',
        {
          agenda: 'tasks',
        },
      ),
    ).toBe('Server nemá složku pro agendu Úkoly.');
  });

  test("a code the UI does not know, or none, shows the engine's English sentence", () => {
    const t = createI18n('cs').t;
    expect(messageText(t, 'Something new went wrong.', 'not-a-known-code', {})).toBe(
      'Something new went wrong.',
    );
    expect(messageText(t, 'No code here.', undefined, undefined)).toBe('No code here.');
  });

  test("a journal item's error is worded from the code the journal kept", () => {
    const t = createI18n('ru').t;
    const item = {
      error: 'a.ics is no longer on the server.',
      reasonParams: { errorCode: 'item-gone', errorParams: JSON.stringify({ item: 'a.ics' }) },
    };
    expect(journalErrorText(t, item)).toBe('a.ics больше нет на сервере.');
    expect(journalErrorText(t, { error: 'Old entry.', reasonParams: {} })).toBe('Old entry.');
    expect(journalErrorText(t, { error: null, reasonParams: {} })).toBeNull();
  });

  test('a failure notice names the folder and words the cause (Czech)', () => {
    const t = createI18n('cs').t;
    const status = (patch: Partial<SyncStatus>): SyncStatus => ({
      state: 'error',
      configured: true,
      problems: [],
      progress: [],
      lastRun: null,
      nextRunAt: null,
      error: 'events (Work): Cannot reach https://dav.example.com: no network route to it.',
      ...patch,
    });
    expect(
      statusErrorText(
        t,
        status({
          errorDetail: {
            scope: 'aborted',
            agenda: 'events',
            folder: 'Work',
            code: 'no-route',
            params: { server: 'https://dav.example.com' },
          },
        }),
      ),
    ).toBe(
      'Události (Work): nesynchronizováno: https://dav.example.com není dostupný: v síti k němu nevede cesta.',
    );
    expect(
      statusErrorText(
        t,
        status({
          error: '3 items could not be synchronised: "Porada": …',
          errorDetail: {
            scope: 'items',
            count: 3,
            label: 'Porada',
            code: 'item-gone',
            params: { item: 'a.ics' },
          },
        }),
      ),
    ).toBe('3 položky nebylo možné synchronizovat, první „Porada“: a.ics už na serveru není.');
    // Without a code: the engine's sentence.
    expect(statusErrorText(t, status({}))).toBe(
      'events (Work): Cannot reach https://dav.example.com: no network route to it.',
    );
  });
});

describe('runs in Czech', () => {
  const run: RunBrief = {
    id: 7,
    startedAt: '2026-11-20T13:05:00.000Z',
    finishedAt: '2026-11-20T13:05:04.000Z',
    trigger: 'schedule',
    status: 'refused',
    lines: [],
    agendas: [
      {
        agenda: 'events',
        folder: 'Práce',
        crm: { created: 0, updated: 0, deleted: 0 },
        server: { created: 0, updated: 0, deleted: 0 },
        linked: 0,
        untracked: 0,
        skipped: 0,
        conflicts: 0,
        failed: 1,
        refused: 'The run would delete 8 of 10 synchronised items in the CRM, …',
        refusedCode: 'guard-mass-delete-crm',
        refusedParams: { count: 8, tracked: 10, percent: 30, limit: 5 },
        aborted: null,
      },
    ],
    failedItems: [
      {
        label: 'Porada',
        cause: 'PUT https://dav.example.com/cal/a.ics was refused (403 Forbidden).',
        code: 'request-refused',
        params: {
          method: 'PUT',
          url: 'https://dav.example.com/cal/a.ics',
          status: '403 Forbidden',
          detail: '',
        },
      },
    ],
  };

  test("the guard's refusal and an item's cause are in Czech, not English", () => {
    renderUi(<RunsTab runs={[run]} onShowItems={() => undefined} />, { language: 'cs' });
    expect(
      screen.getByText(/Synchronizace by v CRM smazala 8 z 10 synchronizovaných položek/),
    ).toBeTruthy();
    expect(
      screen.getByText(/Server odmítl PUT https:\/\/dav\.example\.com\/cal\/a\.ics/),
    ).toBeTruthy();
    expect(screen.queryByText(/would delete|was refused/)).toBeNull();
  });

  test('a run that failed before it began shows its coded line in Czech', () => {
    const failed: RunBrief = {
      ...run,
      status: 'failed',
      agendas: [],
      failedItems: [],
      lines: ['Wrong user name or password for https://dav.example.com/ (401 Unauthorized).'],
      errorCode: 'auth-failed',
      errorParams: { server: 'https://dav.example.com/', status: '401 Unauthorized' },
    };
    renderUi(<RunsTab runs={[failed]} onShowItems={() => undefined} />, { language: 'cs' });
    expect(
      screen.getByText(
        'Nesprávné uživatelské jméno nebo heslo pro https://dav.example.com/ (401 Unauthorized).',
      ),
    ).toBeTruthy();
  });
});
