/**
 * The settings draft with what the pages ask of the engine: check the CRM login, test the
 * connection, create a missing folder, list folders, save and store the passwords. The
 * wizard and the settings screen both use it; `mode` says which one asks.
 */
import { useEffect, useReducer, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { AgendaKind, Settings } from '../../shared/app-api.ts';
import { errorText, useApi } from '../api.ts';
import { focusFirstInvalid } from '../components/problems.ts';
import {
  allLocalProblems,
  connectionChanged,
  connectionTest,
  crmChanged,
  draftReducer,
  initialDraft,
  localProblems,
  needsSecret,
  shownProblems,
  type FolderOutcome,
  type Passwords,
} from './draft.ts';
import { useCrmLookups, useServerFolders } from './hooks.ts';
import { pageAfter, pageBefore, PAGES, type PageName } from './pages.ts';
import { hasProblems, validateConnection } from './validate.ts';

export interface SettingsDraftOptions {
  mode: 'wizard' | 'settings';
  initial: Settings;
  /** A settings file exists (the server password may be stored already). */
  exists: boolean;
  /** Called when the settings screen saved. */
  onSaved: () => void;
}

/** Fields naming the server's address: a created folder answers their "no folders" problem. */
const ADDRESS_FIELDS = ['connection.dav.url', 'connection.exchange.ewsUrl'];

export function useSettingsDraft({ mode, initial, exists, onSaved }: SettingsDraftOptions) {
  const api = useApi();
  const { t } = useTranslation();
  const [draft, dispatch] = useReducer(draftReducer, undefined, () =>
    initialDraft(initial, exists),
  );
  const { lookups, loadLookups } = useCrmLookups(api);
  const { folders, testConnection, listFolders, createFolder } = useServerFolders(api);
  const body = useRef<HTMLElement>(null);
  const { settings, passwords, page } = draft;

  useEffect(() => {
    // Existing settings: read their CRM's lists at once (users, categories, tree).
    if (exists && initial.crm.databasePath !== '') void loadLookups(initial.crm.databasePath);
  }, [exists, initial.crm.databasePath, loadLookups]);

  const focusProblem = () => setTimeout(() => focusFirstInvalid(body.current), 0);

  const showTest = (outcome: FolderOutcome | null) => {
    // null: a later test superseded this one.
    if (outcome !== null) dispatch({ type: 'tested', outcome });
  };

  /** Test connection (also what the folder pickers use while the server is being edited). */
  const runTest = async () => {
    dispatch({ type: 'attempt', pages: ['server'] });
    if (hasProblems(validateConnection(settings.connection))) {
      focusProblem();
      return;
    }
    dispatch({ type: 'testStarted' });
    showTest(await testConnection(connectionTest(draft)));
  };

  /** Creates the calendar, task list or address book the account lacks, then tests again. */
  const createServerFolder = async (kind: AgendaKind) => {
    dispatch({ type: 'testStarted', clearing: ADDRESS_FIELDS });
    showTest(await createFolder(connectionTest(draft), kind, t(`server.newFolderName.${kind}`)));
  };

  /** The folders for the agenda dialogs: the saved server's, or the one being edited. */
  const loadFolders = () => {
    if (mode === 'settings' && !connectionChanged(draft) && passwords.server === '') {
      void listFolders();
    } else {
      void testConnection(connectionTest(draft));
    }
  };

  /** Checks the CRM login with the CRM (when asked or when it changed). */
  const checkCrm = async (): Promise<boolean> => {
    const result = await api.checkCrmLogin({
      databasePath: settings.crm.databasePath,
      user: settings.crm.user,
      password: passwords.crm,
    });
    if (!result.ok) {
      dispatch({ type: 'engineProblems', problems: result.problems });
      return false;
    }
    void loadLookups(settings.crm.databasePath);
    return true;
  };

  const showProblem = (field: string) => {
    dispatch({ type: 'showProblem', field });
    focusProblem();
  };

  /** A call from this page: busy meanwhile; a failure is shown on the page. */
  const guarded = async (from: PageName, action: () => Promise<void>) => {
    dispatch({ type: 'callStarted' });
    try {
      await action();
    } catch (err) {
      dispatch({ type: 'callFailed', page: from, message: errorText(err) });
    } finally {
      dispatch({ type: 'callEnded' });
    }
  };

  const failOnServerPage = (message: string) => {
    dispatch({ type: 'go', page: 'server' });
    dispatch({ type: 'callFailed', page: 'server', message });
  };

  /** Next: this page's checks (and the CRM login on the CRM page), then the next page. */
  const next = () =>
    guarded(page, async () => {
      dispatch({ type: 'attempt', pages: [page] });
      if (hasProblems(localProblems(draft, page))) {
        focusProblem();
        return;
      }
      if (page === 'crm' && !(await checkCrm())) {
        focusProblem();
        return;
      }
      const after = pageAfter(page);
      if (after !== undefined) dispatch({ type: 'go', page: after });
    });

  /** Finish (wizard) or Save (settings): every check, save, store the passwords. */
  const save = () =>
    guarded(page, async () => {
      dispatch({ type: 'attempt', pages: PAGES });
      const firstBad = Object.keys(allLocalProblems(draft))[0];
      if (firstBad !== undefined) {
        showProblem(firstBad);
        return;
      }
      if (mode === 'settings' && (crmChanged(draft) || passwords.crm !== '')) {
        if (!(await checkCrm())) {
          dispatch({ type: 'go', page: 'crm' });
          focusProblem();
          return;
        }
      }
      const result = await api.saveSettings(settings);
      if (!result.ok) {
        dispatch({ type: 'engineProblems', problems: result.problems });
        const first = result.problems[0];
        if (first) showProblem(first.field);
        return;
      }
      if (passwords.server !== '' && needsSecret(settings.connection)) {
        try {
          await api.setServerPassword(passwords.server);
        } catch (err) {
          failOnServerPage(t('server.passwordNotStored', { message: errorText(err) }));
          return;
        }
      }
      // The proxy password lives in the secret store only; no proxy user: none is kept.
      const proxyUser = settings.connection.proxy.user.trim() !== '';
      const proxySecret = proxyUser ? passwords.proxy : '';
      if (proxySecret !== '' || (!proxyUser && initial.connection.proxy.user.trim() !== '')) {
        try {
          await api.setServerPassword(proxySecret, 'proxy');
        } catch (err) {
          failOnServerPage(t('server.proxyPasswordNotStored', { message: errorText(err) }));
          return;
        }
      }
      if (mode === 'wizard') dispatch({ type: 'finished' });
      else onSaved();
    });

  const back = () => {
    const before = pageBefore(page);
    if (before !== undefined) dispatch({ type: 'go', page: before });
  };

  return {
    draft,
    /** The problems to show: the engine's, and the checks of the pages the user tried to leave. */
    problems: shownProblems(draft),
    lookups,
    folders,
    /** The pages' scrolling body: the first invalid field in it gets the focus. */
    body,
    edit: (next: Settings) => dispatch({ type: 'edit', settings: next }),
    setPassword: (which: keyof Passwords, value: string) =>
      dispatch({ type: 'password', which, value }),
    goTo: (to: PageName) => dispatch({ type: 'go', page: to }),
    back,
    next,
    save,
    runTest,
    createServerFolder,
    loadFolders,
    loadLookups,
  };
}
