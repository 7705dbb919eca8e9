/**
 * The draft the wizard and the settings pages edit: the settings, the passwords typed, the
 * page shown, the problems (the engine's, and the local checks of the pages the user tried
 * to leave), the connection test and the call in progress. One pure reducer changes it, so
 * every rule of "what an edit clears" is in one place and tested without a screen.
 */
import type {
  AgendaKind,
  ConnectionTest,
  FieldProblem,
  ServerFolderInfo,
  Settings,
} from '../../shared/app-api.ts';
import { serverKind } from '../../shared/server-kinds.ts';
import { folderCounts, missingFolderKinds } from './lookups.ts';
import {
  agendaOf,
  isShown,
  pageOf,
  PAGES,
  PASSWORD_FIELDS,
  type AgendaName,
  type PageName,
} from './pages.ts';
import {
  validateConnection,
  validateContacts,
  validateCrm,
  validateEvents,
  validateGeneral,
  validateMail,
  validateTasks,
  fromFieldProblems,
  type ConnectionSettings,
  type Problem,
  type Problems,
} from './validate.ts';

/** The value at a dotted key ("agendas.events.categoryPairs.0.crm"); undefined if absent. */
export function valueAt(root: unknown, dotted: string): unknown {
  let node: unknown = root;
  for (const part of dotted.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/**
 * The engine's problems that still apply after an edit: a problem goes once the value of
 * its field (or anything below it) changed. Problems of fields that are not settings
 * (`crm.password`) are dropped by the caller when those change.
 */
export function pruneProblems(problems: Problems, before: unknown, after: unknown): Problems {
  const kept = Object.entries(problems).filter(([field]) => {
    const a = valueAt(before, field);
    const b = valueAt(after, field);
    if (a === undefined && b === undefined) return true;
    return JSON.stringify(a) === JSON.stringify(b);
  });
  return kept.length === Object.keys(problems).length ? problems : Object.fromEntries(kept);
}

export function withoutFields(problems: Problems, fields: readonly string[]): Problems {
  if (!fields.some((f) => f in problems)) return problems;
  return Object.fromEntries(Object.entries(problems).filter(([field]) => !fields.includes(field)));
}

/** Whether this connection signs in with a password (or a token) we store. */
export function needsSecret(connection: ConnectionSettings): boolean {
  return serverKind(connection.kind).signIn.length > 0;
}

/** What a connection test (or creating a folder on the connection) answered. */
export type FolderOutcome =
  { ok: true; folders: ServerFolderInfo[] } | { ok: false; problems: FieldProblem[] };

export type TestState =
  | { state: 'idle' }
  | { state: 'testing' }
  | {
      state: 'ok';
      count: { calendars: number; taskLists: number; addressBooks: number };
      /** Kinds of folder the account has none of, which the wizard offers to create. */
      missing: AgendaKind[];
    }
  | { state: 'failed'; problems: FieldProblem[]; missing: AgendaKind[] };

/** Passwords typed on the pages: never part of the settings, each kept in the secret store. */
export interface Passwords {
  readonly crm: string;
  readonly server: string;
  readonly proxy: string;
}

export interface SettingsDraft {
  /** The settings as loaded: what "changed" is measured against. */
  readonly initial: Settings;
  /** A settings file exists: a server password may be stored already. */
  readonly exists: boolean;
  readonly settings: Settings;
  readonly passwords: Passwords;
  readonly page: PageName;
  /** Pages the user tried to leave or save: their local checks are shown from then on. */
  readonly attempted: Readonly<Record<PageName, boolean>>;
  /** The engine's problems by field, each until its field is edited. */
  readonly remote: Problems;
  readonly test: TestState;
  /** A call (Next, Finish, Save) is running. */
  readonly busy: boolean;
  /** A call that failed, shown on top of the page it was made from. */
  readonly callError: { readonly page: PageName; readonly message: string } | undefined;
  /** Open this agenda's dialog (a problem in it was asked for); seq repeats the request. */
  readonly openAgenda: { readonly name: AgendaName; readonly seq: number } | undefined;
  /** The wizard saved: its last page (the first sync) is shown. */
  readonly finished: boolean;
}

export type DraftAction =
  | { type: 'edit'; settings: Settings }
  | { type: 'password'; which: keyof Passwords; value: string }
  | { type: 'go'; page: PageName }
  | { type: 'attempt'; pages: readonly PageName[] }
  | { type: 'engineProblems'; problems: readonly FieldProblem[] }
  | { type: 'showProblem'; field: string }
  | { type: 'callStarted' }
  | { type: 'callFailed'; page: PageName; message: string }
  | { type: 'callEnded' }
  | { type: 'testStarted'; clearing?: readonly string[] }
  | { type: 'tested'; outcome: FolderOutcome }
  | { type: 'finished' };

export function initialDraft(initial: Settings, exists: boolean): SettingsDraft {
  return {
    initial,
    exists,
    settings: initial,
    passwords: { crm: '', server: '', proxy: '' },
    page: 'crm',
    attempted: { crm: false, server: false, general: false },
    remote: {},
    test: { state: 'idle' },
    busy: false,
    callError: undefined,
    openAgenda: undefined,
    finished: false,
  };
}

/** Fields whose engine problems go when this password is typed again. */
const PASSWORD_PROBLEMS: Record<keyof Passwords, readonly string[]> = {
  crm: ['crm.password'],
  server: PASSWORD_FIELDS,
  proxy: [],
};

export function draftReducer(draft: SettingsDraft, action: DraftAction): SettingsDraft {
  switch (action.type) {
    case 'edit': {
      const next = action.settings;
      const connectionEdited =
        JSON.stringify(next.connection) !== JSON.stringify(draft.settings.connection);
      return {
        ...draft,
        settings: next,
        // A problem of no one field may have been about anything: an edit answers it.
        remote: withoutFields(pruneProblems(draft.remote, draft.settings, next), ['']),
        test: connectionEdited ? { state: 'idle' } : draft.test,
        callError: undefined,
      };
    }
    case 'password':
      return {
        ...draft,
        passwords: { ...draft.passwords, [action.which]: action.value },
        remote: withoutFields(draft.remote, PASSWORD_PROBLEMS[action.which]),
        // A test result says nothing about a password it did not use.
        test: action.which === 'crm' ? draft.test : { state: 'idle' },
      };
    case 'go':
      return { ...draft, page: action.page };
    case 'attempt': {
      const attempted = { ...draft.attempted };
      for (const page of action.pages) attempted[page] = true;
      return { ...draft, attempted };
    }
    case 'engineProblems':
      return { ...draft, remote: { ...draft.remote, ...fromFieldProblems(action.problems) } };
    case 'showProblem': {
      if (action.field === '') return draft;
      const page = pageOf(action.field);
      const agenda = page === 'general' ? agendaOf(action.field) : undefined;
      return {
        ...draft,
        page,
        openAgenda:
          agenda === undefined
            ? draft.openAgenda
            : { name: agenda, seq: (draft.openAgenda?.seq ?? 0) + 1 },
      };
    }
    case 'callStarted':
      return {
        ...draft,
        busy: true,
        callError: undefined,
        remote: withoutFields(draft.remote, ['']),
      };
    case 'callFailed':
      return { ...draft, callError: { page: action.page, message: action.message } };
    case 'callEnded':
      return { ...draft, busy: false };
    case 'testStarted':
      return {
        ...draft,
        test: { state: 'testing' },
        remote: withoutFields(draft.remote, action.clearing ?? []),
      };
    case 'tested': {
      const { outcome } = action;
      const missing = missingFolderKinds(outcome);
      if (outcome.ok) {
        return {
          ...draft,
          test: { state: 'ok', count: folderCounts(outcome.folders), missing },
        };
      }
      return {
        ...draft,
        test: { state: 'failed', problems: outcome.problems, missing },
        remote: {
          ...draft.remote,
          ...fromFieldProblems(outcome.problems.filter((p) => isShown(p.field))),
        },
      };
    }
    case 'finished':
      return { ...draft, finished: true };
  }
}

// --- what the draft shows and sends ---

/** The server password must be given once: on first setup (none can be stored yet). */
export function passwordMissing(draft: SettingsDraft): boolean {
  return !draft.exists && needsSecret(draft.settings.connection) && draft.passwords.server === '';
}

function agendaProblems(settings: Settings): Problems {
  const { events, tasks, contacts, mail } = settings.agendas;
  return {
    ...(events.enabled ? validateEvents(events) : {}),
    ...(tasks.enabled ? validateTasks(tasks) : {}),
    ...(contacts.enabled ? validateContacts(contacts) : {}),
    ...(mail.enabled ? validateMail(mail) : {}),
  };
}

/** The local checks of one page. */
export function localProblems(draft: SettingsDraft, page: PageName): Problems {
  const { settings } = draft;
  switch (page) {
    case 'crm':
      return validateCrm(settings.crm);
    case 'server':
      return {
        ...validateConnection(settings.connection),
        ...(passwordMissing(draft)
          ? { 'server.password': { key: 'passwordNeeded' as const } }
          : {}),
      };
    case 'general':
      return { ...validateGeneral(settings), ...agendaProblems(settings) };
  }
}

/** The local checks of every page, in page order: what Finish and Save check. */
export function allLocalProblems(draft: SettingsDraft): Problems {
  return Object.assign({}, ...PAGES.map((p) => localProblems(draft, p))) as Problems;
}

/** The problems shown: the engine's, and the local checks of every page the user tried to leave. */
export function shownProblems(draft: SettingsDraft): Problems {
  const problems: Record<string, Problem> = { ...draft.remote };
  for (const p of PAGES) if (draft.attempted[p]) Object.assign(problems, localProblems(draft, p));
  return problems;
}

/** Problems of this page that no control shows: they go on top of it ("" on every page). */
export function pageTopProblems(problems: Problems, page: PageName): Problem[] {
  return Object.entries(problems)
    .filter(([field]) => (field === '' || pageOf(field) === page) && !isShown(field))
    .map(([, problem]) => problem);
}

/** How many problems a page has (its tab is marked). */
export function pageProblemCount(problems: Problems, page: PageName): number {
  return Object.keys(problems).filter((field) => pageOf(field) === page).length;
}

export function crmChanged(draft: SettingsDraft): boolean {
  const { settings, initial } = draft;
  return (
    settings.crm.databasePath !== initial.crm.databasePath || settings.crm.user !== initial.crm.user
  );
}

export function connectionChanged(draft: SettingsDraft): boolean {
  return JSON.stringify(draft.settings.connection) !== JSON.stringify(draft.initial.connection);
}

/** The connection being edited, with the passwords typed (empty: the stored ones). */
export function connectionTest(draft: SettingsDraft): ConnectionTest {
  const { proxy } = draft.passwords;
  return {
    connection: draft.settings.connection,
    password: draft.passwords.server,
    ...(proxy === '' ? {} : { proxyPassword: proxy }),
  };
}
