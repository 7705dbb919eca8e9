/**
 * The settings draft the wizard and the settings screen share, without a screen: what an
 * edit or a typed password clears, which checks are shown when, where a problem takes the
 * user, what a connection test leaves behind, and that the reducer never changes its input.
 */
import { describe, expect, test } from 'vitest';
import type { FieldProblem, Settings } from '../../src/shared/app-api.ts';
import { defaultSettings } from '../../src/shared/settings/schema.ts';
import {
  allLocalProblems,
  connectionTest,
  draftReducer,
  initialDraft,
  pageProblemCount,
  pageTopProblems,
  shownProblems,
  type DraftAction,
  type SettingsDraft,
} from '../../src/renderer/settings/draft.ts';
import { agendaOf, pageAfter, pageBefore, pageOf } from '../../src/renderer/settings/pages.ts';

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** Applies the actions in turn; every state handed to the reducer is frozen. */
function run(draft: SettingsDraft, ...actions: DraftAction[]): SettingsDraft {
  return actions.reduce((d, action) => draftReducer(deepFreeze(d), action), draft);
}

function davSettings(): Settings {
  const s = defaultSettings();
  return {
    ...s,
    crm: { databasePath: '/data/crm.sqlite', user: 'pbartos' },
    connection: {
      ...s.connection,
      kind: 'dav',
      dav: { ...s.connection.dav, url: 'https://dav.example.com/', user: 'pbartos' },
    },
  };
}

const problem = (field: string, message = `bad ${field}`, code?: string): FieldProblem => ({
  field,
  message,
  ...(code === undefined ? {} : { code }),
});

describe('settings draft: edits and passwords', () => {
  test("an edit drops the engine's problems of the edited field and below, and the page-wide one", () => {
    const start = run(
      initialDraft(davSettings(), false),
      {
        type: 'engineProblems',
        problems: [
          problem('connection.dav.url'),
          problem('connection.dav'),
          problem('crm.user'),
          problem(''),
        ],
      },
      { type: 'callFailed', page: 'server', message: 'The engine is not running.' },
    );
    const settings = start.settings;
    const edited = run(start, {
      type: 'edit',
      settings: {
        ...settings,
        connection: {
          ...settings.connection,
          dav: { ...settings.connection.dav, url: 'https://cloud.example.com/' },
        },
      },
    });
    expect(Object.keys(edited.remote).sort()).toEqual(['crm.user']);
    expect(edited.callError).toBeUndefined();
    expect(edited.settings.connection.dav.url).toBe('https://cloud.example.com/');
  });

  test('a connection test result goes when the connection is edited, not when the CRM is', () => {
    const tested = run(initialDraft(davSettings(), false), {
      type: 'tested',
      outcome: { ok: true, folders: [] },
    });
    expect(tested.test.state).toBe('ok');
    const crmEdited = run(tested, {
      type: 'edit',
      settings: { ...tested.settings, crm: { ...tested.settings.crm, user: 'jnovakova' } },
    });
    expect(crmEdited.test.state).toBe('ok');
    const serverEdited = run(tested, {
      type: 'edit',
      settings: {
        ...tested.settings,
        connection: {
          ...tested.settings.connection,
          proxy: { ...tested.settings.connection.proxy, url: 'http://proxy.example.com:3128' },
        },
      },
    });
    expect(serverEdited.test).toEqual({ state: 'idle' });
  });

  test("a password typed again clears its own field's problem; server and proxy passwords also the test", () => {
    const start = run(
      initialDraft(davSettings(), true),
      {
        type: 'engineProblems',
        problems: [problem('crm.password'), problem('connection.password')],
      },
      { type: 'tested', outcome: { ok: true, folders: [] } },
    );
    const crm = run(start, { type: 'password', which: 'crm', value: 'secret' });
    expect(Object.keys(crm.remote)).toEqual(['connection.password']);
    expect(crm.test.state).toBe('ok');
    expect(crm.passwords).toEqual({ crm: 'secret', server: '', proxy: '' });

    const server = run(start, { type: 'password', which: 'server', value: 'pw' });
    expect(Object.keys(server.remote)).toEqual(['crm.password']);
    expect(server.test).toEqual({ state: 'idle' });

    const proxy = run(start, { type: 'password', which: 'proxy', value: 'pw' });
    expect(Object.keys(proxy.remote).sort()).toEqual(['connection.password', 'crm.password']);
    expect(proxy.test).toEqual({ state: 'idle' });
  });

  test('the connection tested carries the passwords typed; no proxy password typed keeps the stored one', () => {
    const draft = run(initialDraft(davSettings(), true), {
      type: 'password',
      which: 'server',
      value: 'pw',
    });
    expect(connectionTest(draft)).toEqual({
      connection: draft.settings.connection,
      password: 'pw',
    });
    const withProxy = run(draft, { type: 'password', which: 'proxy', value: 'proxy-pw' });
    expect(connectionTest(withProxy).proxyPassword).toBe('proxy-pw');
  });
});

describe('settings draft: which problems are shown', () => {
  test("a page's own checks are shown only once the user tried to leave it", () => {
    const empty = defaultSettings();
    const draft = initialDraft({ ...empty, crm: { databasePath: '', user: '' } }, false);
    expect(shownProblems(draft)).toEqual({});
    const tried = run(draft, { type: 'attempt', pages: ['crm'] });
    expect(Object.keys(shownProblems(tried)).sort()).toEqual(['crm.databasePath', 'crm.user']);
  });

  test('on first setup the server password is asked for; with saved settings it may stay empty', () => {
    const first = run(initialDraft(davSettings(), false), { type: 'attempt', pages: ['server'] });
    expect(shownProblems(first)['server.password']).toEqual({ key: 'passwordNeeded' });
    const typed = run(first, { type: 'password', which: 'server', value: 'pw' });
    expect(shownProblems(typed)['server.password']).toBeUndefined();
    const saved = run(initialDraft(davSettings(), true), { type: 'attempt', pages: ['server'] });
    expect(shownProblems(saved)['server.password']).toBeUndefined();
  });

  test('Finish checks every page in page order, whether or not it was visited', () => {
    const s = davSettings();
    const draft = initialDraft(
      {
        ...s,
        crm: { ...s.crm, user: '' },
        schedule: { ...s.schedule, intervalMinutes: 0 },
      },
      false,
    );
    expect(Object.keys(allLocalProblems(draft))).toEqual([
      'crm.user',
      'server.password',
      'schedule.intervalMinutes',
    ]);
  });

  test('a problem no control shows goes on top of its page; one of no field on every page', () => {
    const draft = run(initialDraft(davSettings(), true), {
      type: 'engineProblems',
      problems: [
        problem('', 'The settings file is locked.'),
        problem('connection', 'The server refused the sign-in.'),
        problem('connection.dav.url', 'No server answers here.'),
      ],
    });
    const problems = shownProblems(draft);
    expect(pageTopProblems(problems, 'server')).toEqual([
      {
        text: 'The settings file is locked.',
        engine: [problem('', 'The settings file is locked.')],
      },
      {
        text: 'The server refused the sign-in.',
        engine: [problem('connection', 'The server refused the sign-in.')],
      },
    ]);
    expect(pageTopProblems(problems, 'crm')).toHaveLength(1);
    expect(pageProblemCount(problems, 'server')).toBe(2);
    expect(pageProblemCount(problems, 'crm')).toBe(0);
  });
});

describe('settings draft: calls, tests and where problems take the user', () => {
  test('a failed connection test marks the fields it names and keeps the rest in its result', () => {
    const failure = [
      problem('connection.dav.url', 'No calendars.', 'no-calendars'),
      problem('connection', 'Something else.'),
    ];
    const draft = run(
      initialDraft(davSettings(), true),
      { type: 'testStarted' },
      { type: 'tested', outcome: { ok: false, problems: failure } },
    );
    expect(draft.test).toEqual({
      state: 'failed',
      problems: failure,
      missing: ['events', 'tasks'],
    });
    expect(Object.keys(draft.remote)).toEqual(['connection.dav.url']);
  });

  test('creating a folder clears the address problem it answers while it runs', () => {
    const draft = run(
      initialDraft(davSettings(), true),
      { type: 'engineProblems', problems: [problem('connection.dav.url'), problem('crm.user')] },
      { type: 'testStarted', clearing: ['connection.dav.url', 'connection.exchange.ewsUrl'] },
    );
    expect(draft.test).toEqual({ state: 'testing' });
    expect(Object.keys(draft.remote)).toEqual(['crm.user']);
  });

  test('a successful test counts the folders and names the kinds the account has none of', () => {
    const draft = run(initialDraft(davSettings(), true), {
      type: 'tested',
      outcome: {
        ok: true,
        folders: [
          { id: '/cal/', displayName: 'Cal', path: 'Cal', kinds: ['events'], isDefault: true },
        ],
      },
    });
    expect(draft.test).toEqual({
      state: 'ok',
      count: { calendars: 1, taskLists: 0, addressBooks: 0 },
      missing: ['tasks', 'contacts'],
    });
  });

  test("a call's start clears the page-wide problem and the last call error; its failure is kept for its page", () => {
    const draft = run(
      initialDraft(davSettings(), true),
      { type: 'engineProblems', problems: [problem(''), problem('crm.user')] },
      { type: 'callFailed', page: 'crm', message: 'old' },
      { type: 'callStarted' },
    );
    expect(draft.busy).toBe(true);
    expect(draft.callError).toBeUndefined();
    expect(Object.keys(draft.remote)).toEqual(['crm.user']);
    const failed = run(
      draft,
      { type: 'callFailed', page: 'general', message: 'The engine stopped.' },
      { type: 'callEnded' },
    );
    expect(failed.busy).toBe(false);
    expect(failed.callError).toEqual({ page: 'general', message: 'The engine stopped.' });
  });

  test("a problem in an agenda's settings opens that page and that agenda's dialog, each time asked", () => {
    const once = run(initialDraft(davSettings(), true), {
      type: 'showProblem',
      field: 'agendas.events.daysPast',
    });
    expect(once.page).toBe('general');
    expect(once.openAgenda).toEqual({ name: 'events', seq: 1 });
    const twice = run(
      once,
      { type: 'go', page: 'crm' },
      {
        type: 'showProblem',
        field: 'agendas.events.daysPast',
      },
    );
    expect(twice.openAgenda).toEqual({ name: 'events', seq: 2 });

    const server = run(once, { type: 'showProblem', field: 'connection.dav.user' });
    expect(server.page).toBe('server');
    expect(server.openAgenda).toEqual(once.openAgenda);
    // A problem of no field leaves the user where they are.
    expect(run(server, { type: 'showProblem', field: '' }).page).toBe('server');
  });
});

describe('settings pages', () => {
  test('each field belongs to one page; the pages come in wizard order', () => {
    expect(pageOf('crm.password')).toBe('crm');
    expect(pageOf('password')).toBe('server');
    expect(pageOf('connection.trustedCertificate.sha256Fingerprint')).toBe('server');
    expect(pageOf('agendas.mail.enabled')).toBe('general');
    expect(pageOf('schedule.intervalMinutes')).toBe('general');
    expect(agendaOf('agendas.contacts.folders')).toBe('contacts');
    expect(agendaOf('agendas.contacts.enabled')).toBeUndefined();
    expect(pageAfter('crm')).toBe('server');
    expect(pageAfter('general')).toBeUndefined();
    expect(pageBefore('crm')).toBeUndefined();
    expect(pageBefore('general')).toBe('server');
  });
});
