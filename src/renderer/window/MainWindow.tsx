/**
 * The main window: version, "Synchronize now", Pause/Resume, a dry-run preview, the state
 * and per-agenda progress while a run goes (from onStatus), then tabs with the last runs,
 * the history (journal, filterable) and the trash (restorable). Settings opens the
 * connection and agenda settings.
 */
import {
  Badge,
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Tab,
  TabList,
  Text,
  Toolbar,
  makeStyles,
  tokens,
  type BadgeProps,
} from '@fluentui/react-components';
import {
  ArrowSyncRegular,
  DeleteRegular,
  EyeRegular,
  HistoryRegular,
  PauseRegular,
  PlayRegular,
  SettingsRegular,
  TextBulletListLtrRegular,
} from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  AppInfo,
  GuardChoice,
  PlannedItem,
  RunBrief,
  SyncStatus,
  TrayState,
} from '../../shared/app-api.ts';
import { errorText, useApi } from '../api.ts';
import { LanguageSwitcher } from '../components/LanguageSwitcher.tsx';
import { PreviewList } from '../components/PreviewList.tsx';
import { runStatusLabel } from '../components/labels.ts';
import { windowFrame } from '../components/window-frame.ts';
import {
  messageText,
  problemsText,
  readinessText,
  statusErrorText,
} from '../components/message.ts';
import { useFormat } from '../i18n/format.ts';
import type { Loadable } from '../settings/lookups.ts';
import { HistoryTab } from './HistoryTab.tsx';
import { ProgressList } from './ProgressList.tsx';
import { RunsTab } from './RunsTab.tsx';
import { TrashTab } from './TrashTab.tsx';

const RUN_LIMIT = 10;

const useStyles = makeStyles({
  ...windowFrame,
  titleBlock: { flexGrow: 1, display: 'flex', flexDirection: 'column' },
  title: { margin: 0, fontSize: tokens.fontSizeBase500 },
  statusCard: {
    margin: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalXL} 0`,
    padding: tokens.spacingHorizontalL,
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusLarge,
    boxShadow: tokens.shadow4,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
  },
  stateLine: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalM,
  },
  tabs: {
    margin: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalXL} ${tokens.spacingVerticalL}`,
    padding: tokens.spacingHorizontalL,
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusLarge,
    boxShadow: tokens.shadow4,
    flexGrow: 1,
    minHeight: 0,
    display: 'flex',
    flexDirection: 'column',
  },
  tabBody: { flexGrow: 1, overflowY: 'auto', paddingTop: tokens.spacingVerticalM },
});

const STATE_COLORS: Record<TrayState, BadgeProps['color']> = {
  idle: 'success',
  syncing: 'brand',
  error: 'danger',
  paused: 'warning',
};

type TabName = 'runs' | 'history' | 'trash';

export interface MainWindowProps {
  info: AppInfo;
  onOpenSettings: () => void;
}

export function MainWindow({ info, onOpenSettings }: MainWindowProps) {
  const api = useApi();
  const { t } = useTranslation();
  const format = useFormat();
  const styles = useStyles();
  const [status, setStatus] = useState<SyncStatus | undefined>();
  const [statusError, setStatusError] = useState<string | undefined>();
  const [lastError, setLastError] = useState<SyncStatus | undefined>();
  const [runs, setRuns] = useState<RunBrief[]>([]);
  const [tab, setTab] = useState<TabName>('runs');
  const [historyRun, setHistoryRun] = useState<number | undefined>();
  const [notice, setNotice] = useState<{ intent: 'warning' | 'error'; text: string }>();
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<Loadable<PlannedItem[]> | undefined>();

  useEffect(() => {
    let active = true;
    // `error` comes once, in the update after the run where it happened; it stays shown
    // while the state is "error".
    const accept = (s: SyncStatus) => {
      if (!active) return;
      setStatus(s);
      setStatusError(undefined);
      if (s.error) setLastError(s);
      else if (s.state !== 'error') setLastError(undefined);
    };
    api.status().then(accept, (err: unknown) => active && setStatusError(errorText(err)));
    const unsubscribe = api.onStatus(accept);
    return () => {
      active = false;
      unsubscribe();
    };
  }, [api]);

  // Reload runs, history and trash when a run starts or ends.
  const lastRun = status?.lastRun;
  const refreshKey = `${lastRun?.id ?? ''}|${lastRun?.status ?? ''}|${status?.state === 'syncing'}`;
  useEffect(() => {
    let active = true;
    api.listRuns(RUN_LIMIT).then(
      (list) => active && setRuns(list),
      () => undefined,
    );
    return () => {
      active = false;
    };
  }, [api, refreshKey]);

  const state = status?.state;
  const syncing = state === 'syncing';
  const paused = state === 'paused';

  const act = async (action: () => Promise<void>) => {
    setBusy(true);
    setNotice(undefined);
    try {
      await action();
    } catch (err) {
      setNotice({ intent: 'error', text: errorText(err) });
    } finally {
      setBusy(false);
    }
  };

  const syncNow = (choice?: GuardChoice) =>
    act(async () => {
      const result = await api.syncNow(choice);
      if (!result.accepted) {
        setNotice({
          intent: 'warning',
          text:
            result.reason === undefined
              ? t('main.notStarted')
              : messageText(t, result.reason, result.reasonCode, result.reasonParams),
        });
      }
    });

  const togglePause = () => act(() => (paused ? api.resume() : api.pause()));

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

  return (
    <div className={styles.root}>
      <header className={styles.header}>
        <div className={styles.titleBlock}>
          <h1 className={styles.title}>{info.name}</h1>
          <Text size={200} className="muted" data-testid="version">
            {t('main.version', { version: info.version })}
          </Text>
        </div>
        <LanguageSwitcher />
        <Button icon={<SettingsRegular />} onClick={onOpenSettings}>
          {t('main.settings')}
        </Button>
      </header>

      <section className={styles.statusCard} aria-label={t('main.statusTitle')}>
        <Toolbar aria-label={t('main.actions')} className="main-toolbar">
          <Button
            appearance="primary"
            icon={syncing ? <Spinner size="tiny" /> : <ArrowSyncRegular />}
            onClick={() => void syncNow()}
            disabled={busy || syncing || status?.configured === false}
          >
            {syncing ? t('main.syncing') : t('main.syncNow')}
          </Button>
          <Button
            icon={paused ? <PlayRegular /> : <PauseRegular />}
            onClick={() => void togglePause()}
            disabled={busy || status === undefined}
          >
            {paused ? t('main.resume') : t('main.pause')}
          </Button>
          <Button
            icon={<EyeRegular />}
            onClick={() => void runPreview()}
            disabled={syncing || status?.configured === false}
          >
            {t('main.preview')}
          </Button>
        </Toolbar>

        <div className={styles.stateLine} role="status" aria-live="polite">
          {status ? (
            <>
              <Badge appearance="filled" color={STATE_COLORS[status.state] ?? 'informative'}>
                {t(`state.${status.state}`)}
              </Badge>
              {status.nextRunAt && !syncing && (
                <Text size={200}>{t('main.nextRun', { time: format.time(status.nextRunAt) })}</Text>
              )}
              {lastRun && (
                <Text size={200} className="muted">
                  {t('main.lastRun', {
                    when: format.dateTime(lastRun.finishedAt ?? lastRun.startedAt),
                    status: runStatusLabel(t, lastRun.status),
                  })}
                </Text>
              )}
            </>
          ) : statusError ? (
            <Text className="error-text">{statusError}</Text>
          ) : (
            <Spinner size="tiny" label={t('common.loading')} />
          )}
        </div>

        {status && !status.configured && (
          <MessageBar intent="warning">
            <MessageBarBody>
              <MessageBarTitle>{t('main.notConfigured')}</MessageBarTitle>
              {readinessText(t, status)}
            </MessageBarBody>
            <MessageBarActions>
              <Button onClick={onOpenSettings}>{t('main.settings')}</Button>
            </MessageBarActions>
          </MessageBar>
        )}
        {status?.state === 'error' && (
          <MessageBar intent="error" role="alert">
            <MessageBarBody>
              {(lastError && statusErrorText(t, lastError)) ?? t('main.lastFailed')}
            </MessageBarBody>
          </MessageBar>
        )}
        {lastRun?.status === 'refused' && !syncing && (
          <GuardChoices run={lastRun} disabled={busy} onChoose={(c) => void syncNow(c)} />
        )}
        {notice && (
          <MessageBar intent={notice.intent} role="alert">
            <MessageBarBody>{notice.text}</MessageBarBody>
          </MessageBar>
        )}
        {status && <ProgressList progress={status.progress} />}
      </section>

      <section className={styles.tabs}>
        <TabList
          selectedValue={tab}
          onTabSelect={(_, data) => setTab(data.value as TabName)}
          aria-label={t('main.tabs')}
        >
          <Tab value="runs" icon={<TextBulletListLtrRegular />}>
            {t('runs.title')}
          </Tab>
          <Tab value="history" icon={<HistoryRegular />}>
            {t('history.title')}
          </Tab>
          <Tab value="trash" icon={<DeleteRegular />}>
            {t('trash.title')}
          </Tab>
        </TabList>
        <div className={styles.tabBody} role="tabpanel" aria-label={t(`${tab}.title`)}>
          {tab === 'runs' && (
            <RunsTab
              runs={runs}
              onShowItems={(id) => {
                setHistoryRun(id);
                setTab('history');
              }}
            />
          )}
          {tab === 'history' && (
            <HistoryTab
              runId={historyRun}
              onClearRun={() => setHistoryRun(undefined)}
              refreshKey={refreshKey}
            />
          )}
          {tab === 'trash' && <TrashTab refreshKey={refreshKey} />}
        </div>
      </section>

      {preview && (
        <Dialog open onOpenChange={(_, data) => !data.open && setPreview(undefined)}>
          <DialogSurface className="preview-dialog">
            <DialogBody>
              <DialogTitle>{t('preview.title')}</DialogTitle>
              <DialogContent>
                {preview.state === 'loading' && (
                  <Spinner size="small" label={t('firstSync.previewing')} />
                )}
                {preview.state === 'failed' && (
                  <MessageBar intent="error" role="alert">
                    <MessageBarBody>{preview.message}</MessageBarBody>
                  </MessageBar>
                )}
                {preview.state === 'ready' && <PreviewList items={preview.value} />}
              </DialogContent>
              <DialogActions>
                <Button
                  appearance="primary"
                  icon={<ArrowSyncRegular />}
                  disabled={preview.state !== 'ready' || syncing}
                  onClick={() => {
                    setPreview(undefined);
                    void syncNow();
                  }}
                >
                  {t('main.syncNow')}
                </Button>
                <Button onClick={() => setPreview(undefined)}>{t('common.close')}</Button>
              </DialogActions>
            </DialogBody>
          </DialogSurface>
        </Dialog>
      )}
    </div>
  );
}

/** Refusals that follow items gone from the server: it may have been emptied or replaced. */
const SERVER_LOSS_CODES: ReadonlySet<string> = new Set([
  'guard-empty-listing',
  'guard-mass-delete-crm',
]);

/**
 * The guard stopped the last run: both ways on, by name. Accepting the deletions alone
 * would send every CRM copy to the trash when the server was only emptied or replaced.
 */
function GuardChoices(props: {
  run: RunBrief;
  disabled: boolean;
  onChoose: (choice: GuardChoice) => void;
}) {
  const { t } = useTranslation();
  const serverLost = props.run.agendas.some(
    (a) => a.refusedCode !== undefined && SERVER_LOSS_CODES.has(a.refusedCode),
  );
  return (
    <MessageBar intent="warning" aria-label={t('main.guardTitle')}>
      <MessageBarBody>
        <MessageBarTitle>{t('main.guardTitle')}</MessageBarTitle>
        {serverLost ? t('main.guardChoiceServerLost') : t('main.guardChoice')}
      </MessageBarBody>
      <MessageBarActions>
        {serverLost && (
          <Button disabled={props.disabled} onClick={() => props.onChoose('restore-server')}>
            {t('main.restoreServer')}
          </Button>
        )}
        <Button disabled={props.disabled} onClick={() => props.onChoose('force-deletes')}>
          {t('main.forceDeletes')}
        </Button>
      </MessageBarActions>
    </MessageBar>
  );
}
