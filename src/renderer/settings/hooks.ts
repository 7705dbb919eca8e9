/** Loading what the settings screens pick from: the CRM's lists and the server's folders. */
import { useCallback, useRef, useState } from 'react';
import type { AgendaKind, ConnectionTest, CrmSyncApi } from '../../shared/app-api.ts';
import { useTranslation } from 'react-i18next';
import { errorText } from '../api.ts';
import { problemsText } from '../components/message.ts';
import type { FolderOutcome } from './draft.ts';
import type { FoldersState, LookupsState } from './lookups.ts';

/** The CRM's users, categories, groups and classification tree, for one database file. */
export function useCrmLookups(api: CrmSyncApi) {
  const { t } = useTranslation();
  const [lookups, setLookups] = useState<LookupsState>({ state: 'idle' });
  const loaded = useRef<string | undefined>(undefined);
  const seq = useRef(0);

  const loadLookups = useCallback(
    async (databasePath: string, force = false) => {
      const path = databasePath.trim();
      if (path === '') {
        loaded.current = undefined;
        seq.current += 1;
        setLookups({ state: 'idle' });
        return;
      }
      if (!force && loaded.current === path) return;
      loaded.current = path;
      const n = ++seq.current;
      setLookups({ state: 'loading' });
      try {
        const result = await api.crmLookups(path);
        if (n !== seq.current) return;
        setLookups(
          result.ok
            ? { state: 'ready', value: result.value }
            : { state: 'failed', message: problemsText(t, result.problems) },
        );
      } catch (err) {
        if (n === seq.current) setLookups({ state: 'failed', message: errorText(err) });
      }
    },
    [api, t],
  );
  return { lookups, loadLookups };
}

/**
 * The server's folders: from "Test connection" with the connection being edited, or from
 * listFolders() for the saved connection.
 */
export function useServerFolders(api: CrmSyncApi) {
  const { t } = useTranslation();
  const [folders, setFolders] = useState<FoldersState>({ state: 'idle' });
  const seq = useRef(0);

  const run = useCallback(
    async (call: () => ReturnType<CrmSyncApi['listFolders']>): Promise<FolderOutcome | null> => {
      const n = ++seq.current;
      setFolders({ state: 'loading' });
      try {
        const result = await call();
        if (n !== seq.current) return null;
        if (result.ok) {
          setFolders({ state: 'ready', value: result.value });
          return { ok: true, folders: result.value };
        }
        setFolders({ state: 'failed', message: problemsText(t, result.problems) });
        return { ok: false, problems: result.problems };
      } catch (err) {
        const message = errorText(err);
        if (n !== seq.current) return null;
        setFolders({ state: 'failed', message });
        return { ok: false, problems: [{ field: 'connection', message }] };
      }
    },
    [t],
  );

  /** Tests the given connection (null: a later call superseded this one). */
  const testConnection = useCallback(
    (input: ConnectionTest) => run(() => api.testConnection(input)),
    [api, run],
  );
  const listFolders = useCallback(() => run(() => api.listFolders()), [api, run]);
  /** Creates a folder on the connection being tested, then answers as testConnection. */
  const createFolder = useCallback(
    (input: ConnectionTest, kind: AgendaKind, name: string) =>
      run(() => api.createServerFolder(input, kind, name)),
    [api, run],
  );
  return { folders, testConnection, listFolders, createFolder };
}
