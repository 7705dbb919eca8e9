/**
 * After "Finish": the settings are saved; offer a dry-run preview of the first sync (what
 * would be created, changed, deleted, and why) and "Synchronize now". The engine starts no
 * run by itself before that (then it repeats on the interval); any run's progress shows
 * here.
 */
import {
  Button,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
} from '@fluentui/react-components';
import { ArrowSyncRegular, EyeRegular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PlannedItem, SyncStatus } from '../../shared/app-api.ts';
import { errorText, useApi } from '../api.ts';
import { runStatusLabel } from '../components/labels.ts';
import { messageText, problemsText } from '../components/message.ts';
import { PreviewList } from '../components/PreviewList.tsx';
import type { Loadable } from '../settings/lookups.ts';
import { ProgressList } from '../window/ProgressList.tsx';

export function FirstSync({ onDone }: { onDone: () => void }) {
  const api = useApi();
  const { t } = useTranslation();
  const [preview, setPreview] = useState<Loadable<PlannedItem[]>>({ state: 'idle' });
  const [starting, setStarting] = useState(false);
  const [refused, setRefused] = useState<string | undefined>();
  const [status, setStatus] = useState<SyncStatus | undefined>();
  const [firstRunId, setFirstRunId] = useState<number | null | undefined>();

  useEffect(() => {
    let active = true;
    const accept = (s: SyncStatus) => {
      if (!active) return;
      setStatus(s);
      // The last run before this screen: a later one is the first sync.
      setFirstRunId((prior) => (prior === undefined ? (s.lastRun?.id ?? null) : prior));
    };
    api.status().then(accept, () => undefined);
    const unsubscribe = api.onStatus(accept);
    return () => {
      active = false;
      unsubscribe();
    };
  }, [api]);
  const syncing = status?.state === 'syncing';
  const finished =
    !syncing && status?.lastRun && firstRunId !== undefined && status.lastRun.id !== firstRunId
      ? status.lastRun
      : undefined;

  const runPreview = async () => {
    setPreview({ state: 'loading' });
    try {
      const result = await api.preview();
      setPreview(
        result.ok
          ? { state: 'ready', value: result.value }
          : { state: 'failed', message: problemsText(t, result.problems) },
      );
    } catch (err) {
      setPreview({ state: 'failed', message: errorText(err) });
    }
  };

  const syncNow = async () => {
    setStarting(true);
    setRefused(undefined);
    try {
      const result = await api.syncNow();
      if (result.accepted) onDone();
      else if (result.reason === undefined) setRefused(t('main.notStarted'));
      else setRefused(messageText(t, result.reason, result.reasonCode, result.reasonParams));
    } catch (err) {
      setRefused(errorText(err));
    } finally {
      setStarting(false);
    }
  };

  return (
    <div className="form-grid">
      <MessageBar intent="success">
        <MessageBarBody>
          <MessageBarTitle>{t('firstSync.saved')}</MessageBarTitle>
          {t('firstSync.intro')}
        </MessageBarBody>
      </MessageBar>
      <div className="button-row">
        <Button
          icon={<EyeRegular />}
          onClick={() => void runPreview()}
          disabled={preview.state === 'loading'}
        >
          {t('firstSync.preview')}
        </Button>
        <Button
          appearance="primary"
          icon={<ArrowSyncRegular />}
          onClick={() => void syncNow()}
          disabled={starting}
        >
          {t('main.syncNow')}
        </Button>
        <Button onClick={onDone}>
          {syncing || finished ? t('firstSync.toMain') : t('firstSync.later')}
        </Button>
      </div>
      {syncing && (
        <div aria-live="polite" className="form-grid">
          <Text weight="semibold">{t('firstSync.running')}</Text>
          <ProgressList progress={status?.progress ?? []} />
        </div>
      )}
      {finished && (
        <MessageBar intent={finished.status === 'ok' ? 'success' : 'warning'} role="status">
          <MessageBarBody>
            {t('firstSync.finished', { status: runStatusLabel(t, finished.status) })}
          </MessageBarBody>
        </MessageBar>
      )}
      {refused && (
        <MessageBar intent="warning" role="alert">
          <MessageBarBody>{refused}</MessageBarBody>
        </MessageBar>
      )}
      <div aria-live="polite" className="preview-area">
        {preview.state === 'loading' && <Spinner size="small" label={t('firstSync.previewing')} />}
        {preview.state === 'failed' && (
          <MessageBar intent="error" role="alert">
            <MessageBarBody>
              <MessageBarTitle>{t('firstSync.previewFailed')}</MessageBarTitle>
              {preview.message}
            </MessageBarBody>
          </MessageBar>
        )}
        {preview.state === 'ready' && (
          <>
            <Text as="p" weight="semibold">
              {t('firstSync.previewTitle', {
                items: t('count.items', { count: preview.value.length }),
              })}
            </Text>
            <PreviewList items={preview.value} />
          </>
        )}
      </div>
    </div>
  );
}
