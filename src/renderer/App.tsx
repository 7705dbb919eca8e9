/** Placeholder window until the status/history UI lands: name, version, "Synchronize now". */
import { useEffect, useState } from 'react';
import type { AppInfo, SyncNowResult } from '../shared/ipc-contract.ts';

type Load<T> =
  { state: 'loading' } | { state: 'ready'; value: T } | { state: 'failed'; message: string };

export function App() {
  const [info, setInfo] = useState<Load<AppInfo>>({ state: 'loading' });
  const [sync, setSync] = useState<Load<SyncNowResult> | undefined>();

  useEffect(() => {
    let active = true;
    const api = window.crmSync;
    if (!api) {
      setInfo({ state: 'failed', message: 'This page runs outside CRM Sync (no app bridge).' });
      return;
    }
    api.appInfo().then(
      (value) => active && setInfo({ state: 'ready', value }),
      (err: unknown) => active && setInfo({ state: 'failed', message: errorText(err) }),
    );
    return () => {
      active = false;
    };
  }, []);

  const syncNow = () => {
    const api = window.crmSync;
    if (!api) return;
    setSync({ state: 'loading' });
    api.syncNow().then(
      (value) => setSync({ state: 'ready', value }),
      (err: unknown) => setSync({ state: 'failed', message: errorText(err) }),
    );
  };

  return (
    <main className="app">
      <h1>{info.state === 'ready' ? info.value.name : 'CRM Sync'}</h1>
      <p className="version" data-testid="version">
        {info.state === 'ready' && `Version ${info.value.version} (${info.value.platform})`}
        {info.state === 'loading' && 'Loading…'}
        {info.state === 'failed' && info.message}
      </p>
      <button
        type="button"
        onClick={syncNow}
        disabled={info.state !== 'ready' || sync?.state === 'loading'}
      >
        Synchronize now
      </button>
      <p className="status" role="status" aria-live="polite">
        {sync?.state === 'loading' && 'Asking…'}
        {sync?.state === 'ready' &&
          (sync.value.accepted
            ? 'Synchronization started.'
            : (sync.value.reason ?? 'Not started.'))}
        {sync?.state === 'failed' && sync.message}
      </p>
    </main>
  );
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
