// @vitest-environment happy-dom
/**
 * What was still English in the Czech and Russian UI: what is missing before a sync can
 * run (readiness), the settings validation sentences, and why a server object could not
 * be read. Each now has a code; English repeats the engine's sentence, Czech is Czech.
 */
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test } from 'vitest';
import { fieldNamedIn, validateSettings } from '../../src/core/app/field-problems.ts';
import { EXPECTATION_CODES, MESSAGE_CODES } from '../../src/shared/message-codes.ts';
import { fieldEntries } from '../../src/core/settings/catalogue.ts';
import { readinessIssues } from '../../src/shared/settings/readiness.ts';
import { defaultSettings } from '../../src/shared/settings/schema.ts';
import type { Settings } from '../../src/shared/settings/schema.ts';
import { messageText, problemsText } from '../../src/renderer/components/message.ts';
import { createI18n, resources } from '../../src/renderer/i18n/index.ts';
import { MainWindow } from '../../src/renderer/window/MainWindow.tsx';
import { RunsTab } from '../../src/renderer/window/RunsTab.tsx';
import { SettingsFlow } from '../../src/renderer/wizard/SettingsFlow.tsx';
import type { RunBrief } from '../../src/shared/app-api.ts';
import { CRM_FILE, FakeApi, RUNS, idleStatus } from './fake-api.ts';
import { descriptionOf, renderUi } from './render.tsx';

afterEach(cleanup);

type Tree = { [key: string]: string | Tree };
const section = (language: 'en' | 'cs' | 'ru', name: string) =>
  (resources[language] as unknown as Tree)[name] as Record<string, string>;
const names = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

const en = createI18n('en').t;
const cs = createI18n('cs').t;
const ru = createI18n('ru').t;

describe('what a setting must be (expectation codes)', () => {
  test.each(['en', 'cs', 'ru'] as const)(
    'every expectation code has a %s text with the English parameters',
    (language) => {
      const texts = section(language, 'expectation');
      for (const code of EXPECTATION_CODES) {
        expect(typeof texts[code], `${language} expectation.${code}`).toBe('string');
        expect(names(texts[code] ?? ''), `${language} expectation.${code}`).toEqual(
          names(section('en', 'expectation')[code] ?? ''),
        );
      }
      expect(Object.keys(texts).sort()).toEqual([...EXPECTATION_CODES].sort());
    },
  );

  test("every setting's English expectation is the engine's", () => {
    const t = en as unknown as (key: string, options?: Record<string, unknown>) => string;
    for (const field of fieldEntries()) {
      expect(
        t(`expectation.${field.meta.expects}`, { ...field.meta.expectsParams }),
        field.key,
      ).toBe(field.meta.expectation);
    }
  });
});

/** Settings that lack, between them, everything readiness checks. */
function incomplete(): Settings[] {
  const variants: Settings[] = [];
  const add = (change: (s: Settings) => void) => {
    const s = defaultSettings();
    change(s);
    variants.push(s);
  };
  add((s) => {
    s.crm.databasePath = '';
  });
  add((s) => {
    s.connection.exchange.mailboxMode = 'impersonation';
  });
  add((s) => {
    s.connection.exchange.mailboxMode = 'impersonation';
    s.connection.exchange.loginAsMailboxName = true;
  });
  add((s) => {
    s.connection.kind = 'm365';
  });
  add((s) => {
    s.connection.kind = 'dav';
    s.agendas.events.enabled = false;
    s.agendas.contacts.enabled = false;
  });
  add((s) => {
    s.connection.kind = 'dav';
    s.agendas.events.categoryMode = 'paired';
    s.agendas.tasks.enabled = true;
    s.agendas.tasks.exportGroups.mode = 'selected';
    s.agendas.mail.enabled = true;
    s.agendas.mail.folders = [];
    s.agendas.mail.attachments.save = true;
  });
  return variants;
}

describe('readiness problems', () => {
  test("each has a code naming its key; in English it reads as the engine's sentence", () => {
    const seen = new Set<string>();
    for (const settings of incomplete()) {
      for (const problem of readinessIssues(settings)) {
        seen.add(problem.code);
        expect(problem.field, problem.code).toBe(fieldNamedIn(problem.message));
        expect(problem.params.field, problem.code).toBe(problem.field);
        expect(messageText(en, '', problem.code, problem.params), problem.code).toBe(
          problem.message,
        );
      }
    }
    // Every readiness code but the app's own (the database file is missing) was met.
    const expected = MESSAGE_CODES.filter(
      (c) => c.startsWith('readiness-') && c !== 'readiness-crm-database-missing',
    );
    expect([...seen].sort()).toEqual([...expected].sort());
  });

  test('the main window shows them in Czech', async () => {
    const settings = defaultSettings();
    settings.connection.kind = 'dav';
    const details = readinessIssues(settings).map((p) => ({ ...p }));
    const api = new FakeApi({
      exists: true,
      current: idleStatus({
        configured: false,
        problems: details.map((p) => p.message),
        problemDetails: details,
      }),
    });
    renderUi(
      <MainWindow
        info={{ name: 'CRM Sync', version: '1.2.3', platform: 'win32', locale: 'cs-CZ' }}
        onOpenSettings={() => {}}
      />,
      { api, language: 'cs' },
    );
    expect(await screen.findByText('Synchronizace zatím není nastavená.')).toBeTruthy();
    expect(
      screen.getByText(
        /crm\.user je prázdné: zadejte přihlašovací jméno v CRM, jehož data se synchronizují\. connection\.dav\.url je prázdné: zadejte adresu serveru CalDAV\/CardDAV\./,
      ),
    ).toBeTruthy();
    expect(screen.queryByText(/is empty/)).toBeNull();
  });

  test('a status without codes (an older engine) still shows the English', async () => {
    const api = new FakeApi({
      exists: true,
      current: idleStatus({ configured: false, problems: ['crm.user is empty: set it.'] }),
    });
    renderUi(
      <MainWindow
        info={{ name: 'CRM Sync', version: '1.2.3', platform: 'win32', locale: 'cs-CZ' }}
        onOpenSettings={() => {}}
      />,
      { api, language: 'cs' },
    );
    expect(await screen.findByText('crm.user is empty: set it.')).toBeTruthy();
  });
});

describe('settings validation', () => {
  const wrong = () => {
    const s = JSON.parse(JSON.stringify(defaultSettings())) as Record<string, Tree>;
    const at = (path: string) =>
      path.split('.').reduce<Tree>((node, key) => node[key] as Tree, s as unknown as Tree);
    Object.assign(at('crm'), { user: 5 });
    Object.assign(at('connection'), { kind: 'imap' });
    Object.assign(at('connection.dav'), {
      url: 'http://dav.example.com/',
      password: 'x',
      calendarHomeUrl: 'https://alice:pw@dav.example.com/cal/',
    });
    Object.assign(at('connection.exchange'), { email: 'no-at', mailboxTemplate: 'x' });
    Object.assign(at('connection.m365'), { tenantId: '', clientId: 'nope' });
    Object.assign(at('connection.proxy'), { url: 'ftp://proxy' });
    Object.assign(at('connection.trustedCertificate'), { sha256Fingerprint: 'AB' });
    Object.assign(at('schedule'), { intervalMinutes: 0, startAtLogin: 'yes' });
    Object.assign(at('guard'), { maxDeleteShare: 2 });
    Object.assign(at('agendas.events'), {
      dayspast: 3,
      categoryPairs: [
        { crm: 'A', server: 'X' },
        { crm: 'a', server: 'x' },
      ],
    });
    Object.assign(at('agendas.tasks.exportGroups'), { groups: ['ok', ''] });
    Object.assign(at('agendas.tasks'), {
      categoryPairs: [{ crm: '', server: 'X' }],
      importFrom: '2026-02-30',
    });
    Object.assign(at('agendas.mail.attachments'), { allowedExtensions: ['.pdf'] });
    Object.assign(at('agendas.contacts'), { classificationBranch: 'a//b' });
    Object.assign(s, { version: 99, colour: 'blue' });
    return s;
  };

  test("each clause has a code; in English it reads as the engine's sentence", () => {
    const checked = validateSettings(wrong());
    const other = validateSettings({ ...wrong(), guard: 5 });
    const notObject = validateSettings(['a list']);
    const problems = [checked, other, notObject].flatMap((r) => (r.ok ? [] : r.problems));
    const seen = new Set<string>();
    for (const problem of problems) {
      expect(problem.code, problem.message).toBeDefined();
      seen.add(problem.code ?? '');
      // The UI starts a sentence with a capital ("the settings must be …").
      expect(messageText(en, '', problem.code, problem.params), problem.message).toBe(
        problem.message.replace(/^the /, 'The '),
      );
    }
    const expected = MESSAGE_CODES.filter(
      (c) => c.startsWith('setting-') || c === 'settings-not-object',
    );
    expect([...seen].sort()).toEqual([...expected].sort());
    // Every kind of expectation was met.
    const kinds = new Set(problems.map((p) => p.params?.expects).filter(Boolean));
    expect([...kinds].sort()).toEqual([...EXPECTATION_CODES].sort());
  });

  test('worded in Czech and Russian, with what the setting must be', () => {
    const checked = validateSettings(wrong());
    const problems = checked.ok ? [] : checked.problems;
    const of = (field: string) => problems.filter((p) => p.field === field);
    expect(problemsText(cs, of('schedule.intervalMinutes'))).toBe(
      'schedule.intervalMinutes musí být celé číslo od 1 do 1440 (zadáno 0).',
    );
    expect(problemsText(cs, of('connection.kind'))).toBe(
      'connection.kind musí být jedna z hodnot "exchange", "m365" nebo "dav" (zadáno "imap").',
    );
    expect(problemsText(cs, of('agendas.tasks.exportGroups.groups'))).toBe(
      'agendas.tasks.exportGroups.groups musí být seznam neprázdných názvů, např. ["A", "B"] (položka č. 2 je "").',
    );
    expect(problemsText(cs, of('agendas.events.dayspast'))).toBe(
      'agendas.events.dayspast není známé nastavení (nemysleli jste "agendas.events.daysPast"?).',
    );
    expect(problemsText(cs, of('connection.dav.password'))).toBe(
      'connection.dav.password není povoleno: hesla a tokeny patří do úložiště tajných údajů, nikdy do souboru nastavení.',
    );
    expect(problemsText(ru, of('agendas.events.categoryPairs'))).toBe(
      'agendas.events.categoryPairs: категория CRM «a» используется в нескольких парах (каждая категория может быть только в одной паре). ' +
        'agendas.events.categoryPairs: категория сервера «x» используется в нескольких парах (каждая категория может быть только в одной паре).',
    );
  });

  test("the settings page shows the engine's problem by its field, in Czech", async () => {
    const user = userEvent.setup();
    const api = new FakeApi({ exists: true });
    api.settings.crm = { databasePath: CRM_FILE, user: 'pbartos' };
    api.settings.connection.kind = 'dav';
    api.settings.connection.dav.url = 'https://dav.example.com/';
    api.settings.connection.dav.user = 'pbartos';
    // What the engine answers for a URL it refuses (the page's own check lets it pass here).
    const refused = validateSettings({
      ...api.settings,
      connection: {
        ...api.settings.connection,
        dav: { ...api.settings.connection.dav, url: 'http://dav.example.com/' },
      },
    });
    api.saveProblems = refused.ok ? [] : refused.problems;
    renderUi(<SettingsFlow mode="settings" initial={api.settings} exists onDone={() => {}} />, {
      api,
      language: 'cs',
    });
    await user.click(screen.getByRole('button', { name: 'Uložit' }));
    await waitFor(() => expect(api.callsOf('saveSettings')).toHaveLength(1));
    const url = await screen.findByRole('textbox', { name: /Adresa serveru/ });
    await waitFor(() =>
      expect(descriptionOf(url)).toContain(
        'connection.dav.url musí být adresa https (obyčejné http jen na localhost), nebo prázdné (zadáno "http://dav.example.com/").',
      ),
    );
    expect(descriptionOf(url)).not.toContain('must be');
  });
});

describe('a server object that cannot be read', () => {
  // What the readers throw (test/dav-mapping and test/ews-mapping check the codes there).
  const causes: [string, string, Record<string, string>][] = [
    [
      'Cannot read "a.ics": unknown time zone "Mars/Olympus".',
      'item-unknown-time-zone',
      { item: 'a.ics', zone: 'Mars/Olympus' },
    ],
    [
      'Cannot read "a.ics": the definition of time zone "Odd" is broken.',
      'item-time-zone-broken',
      { item: 'a.ics', zone: 'Odd' },
    ],
    [
      'Cannot read "Series": its recurrence pattern is not supported (a regenerating pattern).',
      'item-recurrence-unsupported',
      { item: 'Series', detail: 'a regenerating pattern' },
    ],
    [
      'Cannot read "a.ics": its RRULE "FREQ=SOMETIMES" cannot be read (invalid frequency).',
      'item-recurrence-unreadable',
      { item: 'a.ics', rule: 'FREQ=SOMETIMES', detail: 'invalid frequency' },
    ],
    [
      'Cannot write "Porada": its recurrence "FREQ=HOURLY" cannot be expressed on Exchange (Exchange repeats at most daily, not hourly).',
      'item-recurrence-inexpressible',
      {
        item: 'Porada',
        rule: 'FREQ=HOURLY',
        detail: 'Exchange repeats at most daily, not hourly',
      },
    ],
    [
      'Cannot read "a.ics": it is not valid iCalendar (unclosed quote).',
      'item-malformed',
      { item: 'a.ics', format: 'iCalendar', detail: 'unclosed quote' },
    ],
    [
      'Cannot read "a.ics": DTSTART "tomorrow" is not a date or date-time.',
      'item-value-unreadable',
      { item: 'a.ics', property: 'DTSTART', detail: '"tomorrow" is not a date or date-time' },
    ],
    ['Cannot read "Porada": it has no start.', 'item-no-start', { item: 'Porada' }],
    [
      'Cannot read "a.ics": it holds both an event and a task.',
      'item-event-and-task',
      { item: 'a.ics' },
    ],
    [
      'Cannot read "VIP": it is a contact group, not a person.',
      'item-contact-group',
      { item: 'VIP' },
    ],
    ['Cannot read "b.vcf": the vCard has neither FN nor N.', 'item-no-name', { item: 'b.vcf' }],
    ['Cannot read "b.vcf": no VEVENT.', 'item-unreadable', { item: 'b.vcf', detail: 'no VEVENT' }],
    // Shown beside the item's label (sync/listed-deletions.ts).
    [
      "the server's listing left it out, but the server still has it: kept as it was, read again on the next run",
      'item-left-out-of-listing',
      { item: 'Porada' },
    ],
    [
      "the server's listing left it out, but the server could not confirm it is gone: kept until the next listing",
      'item-missing-unconfirmed',
      { item: 'Porada' },
    ],
  ];

  test("every item code is met; in English it reads as the reader's sentence", () => {
    for (const [message, code, params] of causes) {
      expect(messageText(en, '', code, params), code).toBe(message);
      expect(messageText(cs, message, code, params), code).not.toBe(message);
    }
    expect(causes.map(([, code]) => code).sort()).toEqual(
      MESSAGE_CODES.filter((c) => c.startsWith('item-') && c !== 'item-gone').sort(),
    );
  });

  test('CalDAV\'s "no DTSTART" and Exchange\'s "no start" are one code, in Czech one sentence', () => {
    expect(
      messageText(cs, 'Cannot read "a.ics": it has no DTSTART.', 'item-no-start', {
        item: 'a.ics',
      }),
    ).toBe('Nelze přečíst „a.ics“: nemá začátek.');
  });

  test("the runs show an item's cause in Czech", () => {
    const run: RunBrief = {
      ...RUNS[0]!,
      failedItems: [
        {
          label: 'Porada s dodavatelem',
          cause: 'Cannot read "porada.ics": unknown time zone "Mars/Olympus".',
          code: 'item-unknown-time-zone',
          params: { item: 'porada.ics', zone: 'Mars/Olympus' },
        },
        {
          label: 'Série',
          cause: 'Cannot read "Série": its recurrence pattern is not supported (a regenerating …).',
          code: 'item-recurrence-unsupported',
          params: { item: 'Série', detail: 'a regenerating …' },
        },
      ],
    };
    renderUi(<RunsTab runs={[run]} onShowItems={() => undefined} />, { language: 'cs' });
    expect(
      screen.getByText(/Nelze přečíst „porada\.ics“: neznámé časové pásmo „Mars\/Olympus“\./),
    ).toBeTruthy();
    expect(
      screen.getByText(
        /Nelze přečíst „Série“: tento způsob opakování není podporován \(a regenerating …\)\./,
      ),
    ).toBeTruthy();
    expect(screen.queryByText(/Cannot read/)).toBeNull();
  });
});
