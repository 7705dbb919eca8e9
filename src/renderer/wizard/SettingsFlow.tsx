/**
 * The first-run wizard (CRM -> Server -> General -> first sync) and the Settings screen of
 * the main window (the same three pages as tabs, Save/Cancel): one settings draft
 * (use-settings-draft.ts), one page shell, and the page named in the draft.
 */
import { useTranslation } from 'react-i18next';
import type { Settings } from '../../shared/app-api.ts';
import { useProblemText } from '../components/problems.ts';
import { pageProblemCount, pageTopProblems } from '../settings/draft.ts';
import { pageAfter, PAGES, type PageName } from '../settings/pages.ts';
import { useSettingsDraft } from '../settings/use-settings-draft.ts';
import { CrmStep } from './CrmStep.tsx';
import { FirstSync } from './FirstSync.tsx';
import { GeneralStep } from './GeneralStep.tsx';
import { PageShell, PageSteps, PageTabs } from './PageShell.tsx';
import { ServerStep } from './ServerStep.tsx';

export interface SettingsFlowProps {
  mode: 'wizard' | 'settings';
  initial: Settings;
  /** A settings file exists (the server password may be stored already). */
  exists: boolean;
  /** Leaves the flow: to the main window. */
  onDone: () => void;
  /** Cancel (settings mode, or a wizard re-run over existing settings). */
  onCancel?: () => void;
}

const PAGE_NAME_KEYS = {
  crm: 'wizard.stepCrm',
  server: 'wizard.stepServer',
  general: 'wizard.stepGeneral',
} as const satisfies Record<PageName, string>;

export function SettingsFlow(props: SettingsFlowProps) {
  const { mode, initial, exists, onDone, onCancel } = props;
  const { t } = useTranslation();
  const problemText = useProblemText();
  const flow = useSettingsDraft({ mode, initial, exists, onSaved: onDone });
  const { draft, problems } = flow;
  const { settings, page, passwords } = draft;
  const wizard = mode === 'wizard';
  const title = wizard ? t('wizard.title') : t('settings.title');
  const nameOf = (p: PageName) => t(PAGE_NAME_KEYS[p]);

  if (draft.finished) {
    return (
      <PageShell title={title}>
        <FirstSync onDone={onDone} />
      </PageShell>
    );
  }

  const top = [
    ...pageTopProblems(problems, page).map((problem) => problemText(problem) ?? ''),
    ...(draft.callError?.page === page ? [draft.callError.message] : []),
  ];
  const hasNext = wizard && pageAfter(page) !== undefined;

  return (
    <PageShell
      title={title}
      navigation={
        wizard ? (
          <PageSteps pages={PAGES} current={page} label={t('wizard.steps')} nameOf={nameOf} />
        ) : (
          <PageTabs
            pages={PAGES}
            current={page}
            onSelect={flow.goTo}
            nameOf={nameOf}
            hasProblems={(p) => pageProblemCount(problems, p) > 0}
          />
        )
      }
      heading={
        wizard
          ? t('wizard.stepOf', {
              n: PAGES.indexOf(page) + 1,
              total: PAGES.length,
              name: nameOf(page),
            })
          : nameOf(page)
      }
      problems={top}
      bodyRef={flow.body}
      actions={{
        submit: hasNext ? 'next' : wizard ? 'finish' : 'save',
        onSubmit: () => void (hasNext ? flow.next() : flow.save()),
        busy: draft.busy,
        onBack: wizard && page !== PAGES[0] ? flow.back : undefined,
        onCancel,
        note: wizard && !onCancel ? t('wizard.canChangeLater') : undefined,
      }}
    >
      {page === 'crm' && (
        <CrmStep
          crm={settings.crm}
          onChange={(crm) => flow.edit({ ...settings, crm })}
          password={passwords.crm}
          onPasswordChange={(password) => flow.setPassword('crm', password)}
          passwordHint={mode === 'settings' ? t('crm.passwordWhenChanged') : undefined}
          lookups={flow.lookups}
          onLoadLookups={(path) => void flow.loadLookups(path)}
          problems={problems}
        />
      )}
      {page === 'server' && (
        <ServerStep
          connection={settings.connection}
          onChange={(connection) => flow.edit({ ...settings, connection })}
          password={passwords.server}
          onPasswordChange={(password) => flow.setPassword('server', password)}
          passwordStored={exists}
          proxyPassword={passwords.proxy}
          onProxyPasswordChange={(password) => flow.setPassword('proxy', password)}
          proxyPasswordStored={exists && initial.connection.proxy.user.trim() !== ''}
          problems={problems}
          test={draft.test}
          onTest={() => void flow.runTest()}
          onCreateFolder={(kind) => void flow.createServerFolder(kind)}
        />
      )}
      {page === 'general' && (
        <GeneralStep
          settings={settings}
          onChange={flow.edit}
          problems={problems}
          lookups={flow.lookups}
          folders={flow.folders}
          onLoadFolders={flow.loadFolders}
          openAgenda={draft.openAgenda}
        />
      )}
    </PageShell>
  );
}
