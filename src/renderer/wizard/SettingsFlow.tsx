/**
 * The first-run wizard (CRM -> Server -> General -> first sync) and the Settings screen of
 * the main window (the same three pages as tabs, Save/Cancel) share this component: one
 * draft of the settings, the CRM and server passwords, the checks on each page and the
 * engine's problems shown next to their fields.
 */
import {
  Button,
  MessageBar,
  MessageBarBody,
  Spinner,
  Tab,
  TabList,
  Text,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { ArrowLeftRegular, ArrowRightRegular, CheckmarkRegular } from '@fluentui/react-icons';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldProblem, Settings } from '../../shared/app-api.ts';
import { errorText, useApi } from '../api.ts';
import { LanguageSwitcher } from '../components/LanguageSwitcher.tsx';
import { focusFirstInvalid, useProblemText } from '../components/problems.ts';
import { pruneProblems, withoutFields } from '../settings/draft.ts';
import { useCrmLookups, useServerFolders, type TestState } from '../settings/hooks.ts';
import { folderCounts } from '../settings/lookups.ts';
import {
  fromFieldProblems,
  hasProblems,
  validateConnection,
  validateContacts,
  validateCrm,
  validateEvents,
  validateGeneral,
  validateMail,
  validateTasks,
  type Problems,
} from '../settings/validate.ts';
import { CrmStep } from './CrmStep.tsx';
import { FirstSync } from './FirstSync.tsx';
import { AGENDAS, GeneralStep, type AgendaName } from './GeneralStep.tsx';
import { needsSecret, PASSWORD_FIELDS, ServerStep } from './ServerStep.tsx';

type Page = 0 | 1 | 2;
const PAGES: Page[] = [0, 1, 2];

/** Fields a page shows next to a control; other problems of the page go on top of it. */
const CRM_FIELDS = ['crm.databasePath', 'crm.user', 'crm.password'];
const CONNECTION_PREFIXES = ['connection.', ...PASSWORD_FIELDS];
const GENERAL_FIELDS = ['schedule.intervalMinutes', 'guard.maxDeleteShare', 'guard.maxDeleteCount'];

function pageOf(field: string): Page {
  if (field === 'crm' || field.startsWith('crm.')) return 0;
  if (field === 'connection' || CONNECTION_PREFIXES.some((p) => field.startsWith(p))) return 1;
  return 2;
}

const CONNECTION_SHOWN = new Set([
  'connection.exchange.ewsUrl',
  'connection.exchange.email',
  'connection.exchange.user',
  'connection.exchange.domain',
  'connection.exchange.mailbox',
  'connection.exchange.mailboxTemplate',
  'connection.m365.tenantId',
  'connection.m365.clientId',
  'connection.m365.email',
  'connection.dav.url',
  'connection.dav.user',
  'connection.dav.calendarHomeUrl',
  'connection.dav.addressBookHomeUrl',
  'connection.proxy.url',
  'connection.proxy.user',
  'connection.trustedCertificate.sha256Fingerprint',
  ...PASSWORD_FIELDS,
]);

function isShown(field: string): boolean {
  return (
    CRM_FIELDS.includes(field) ||
    CONNECTION_SHOWN.has(field) ||
    GENERAL_FIELDS.includes(field) ||
    field === 'agendas' ||
    field.startsWith('agendas.')
  );
}

/** The agenda whose dialog holds this field ("agendas.events.daysPast" -> events). */
function agendaOf(field: string): AgendaName | undefined {
  const [head, name, rest] = field.split('.');
  if (head !== 'agendas' || rest === undefined || rest === 'enabled') return undefined;
  return AGENDAS.find((a) => a === name);
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

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    height: '100vh',
    boxSizing: 'border-box',
    backgroundColor: tokens.colorNeutralBackground2,
  },
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalXL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  title: { flexGrow: 1, margin: 0, fontSize: tokens.fontSizeBase500 },
  steps: {
    display: 'flex',
    gap: tokens.spacingHorizontalL,
    listStyle: 'none',
    margin: 0,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalXL}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  step: { color: tokens.colorNeutralForeground3, display: 'flex', gap: tokens.spacingHorizontalS },
  stepCurrent: { color: tokens.colorBrandForeground1, fontWeight: tokens.fontWeightSemibold },
  stepNumber: {
    display: 'inline-flex',
    justifyContent: 'center',
    alignItems: 'center',
    width: '1.5em',
    height: '1.5em',
    borderRadius: '50%',
    border: '1px solid currentColor',
    fontSize: tokens.fontSizeBase200,
  },
  body: {
    flexGrow: 1,
    overflowY: 'auto',
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalXL}`,
  },
  card: {
    maxWidth: '44rem',
    margin: '0 auto',
    padding: tokens.spacingHorizontalXL,
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusLarge,
    boxShadow: tokens.shadow4,
  },
  footer: {
    display: 'flex',
    justifyContent: 'flex-end',
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalXL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
  },
});

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

export function SettingsFlow(props: SettingsFlowProps) {
  const { mode, initial, exists, onDone, onCancel } = props;
  const api = useApi();
  const { t } = useTranslation();
  const styles = useStyles();
  const problemText = useProblemText();
  const [settings, setSettings] = useState(initial);
  const [page, setPage] = useState<Page>(0);
  const [finished, setFinished] = useState(false);
  const [crmPassword, setCrmPassword] = useState('');
  const [serverPassword, setServerPassword] = useState('');
  const [proxyPassword, setProxyPassword] = useState('');
  const [remote, setRemote] = useState<Problems>({});
  const [callError, setCallError] = useState<{ page: Page; message: string } | undefined>();
  const [attempted, setAttempted] = useState<Record<Page, boolean>>({
    0: false,
    1: false,
    2: false,
  });
  const [busy, setBusy] = useState(false);
  const [test, setTest] = useState<TestState>({ state: 'idle' });
  const [openAgenda, setOpenAgenda] = useState<{ name: AgendaName; seq: number } | undefined>();
  const { lookups, loadLookups } = useCrmLookups(api);
  const { folders, testConnection, listFolders } = useServerFolders(api);
  const body = useRef<HTMLDivElement>(null);
  const crmChanged =
    settings.crm.databasePath !== initial.crm.databasePath ||
    settings.crm.user !== initial.crm.user;
  const connectionChanged =
    JSON.stringify(settings.connection) !== JSON.stringify(initial.connection);

  useEffect(() => {
    // Existing settings: read their CRM's lists at once (users, categories, tree).
    if (exists && initial.crm.databasePath !== '') void loadLookups(initial.crm.databasePath);
  }, [exists, initial.crm.databasePath, loadLookups]);

  /** The server password must be given once: on first setup, or when the server changed. */
  const passwordMissing = !exists && needsSecret(settings.connection) && serverPassword === '';

  const localOf = (p: Page): Problems => {
    if (p === 0) return validateCrm(settings.crm);
    if (p === 1) {
      return {
        ...validateConnection(settings.connection),
        ...(passwordMissing ? { 'server.password': { key: 'passwordNeeded' as const } } : {}),
      };
    }
    return { ...validateGeneral(settings), ...agendaProblems(settings) };
  };

  // The engine's problems, and the local checks of every page the user tried to leave.
  const problems: Problems = { ...remote };
  for (const p of PAGES) if (attempted[p]) Object.assign(problems, localOf(p));

  const update = (next: Settings) => {
    setRemote((r) => withoutFields(pruneProblems(r, settings, next), ['']));
    if (JSON.stringify(next.connection) !== JSON.stringify(settings.connection)) {
      setTest({ state: 'idle' });
    }
    setCallError(undefined);
    setSettings(next);
  };

  const addRemote = (list: readonly FieldProblem[]) =>
    setRemote((r) => ({ ...r, ...fromFieldProblems(list) }));

  const focusProblem = () => setTimeout(() => focusFirstInvalid(body.current), 0);

  /** Test connection (also what the folder pickers use while the server is being edited). */
  const runTest = async () => {
    setAttempted((a) => ({ ...a, 1: true }));
    if (hasProblems(validateConnection(settings.connection))) {
      focusProblem();
      return;
    }
    setTest({ state: 'testing' });
    const result = await testConnection({
      connection: settings.connection,
      password: serverPassword,
      ...(proxyPassword === '' ? {} : { proxyPassword }),
    });
    if (result === null) return;
    if (result.ok) {
      setTest({ state: 'ok', count: folderCounts(result.folders) });
    } else {
      setTest({ state: 'failed', problems: result.problems });
      addRemote(result.problems.filter((p) => isShown(p.field)));
    }
  };

  const loadFolders = () => {
    if (mode === 'settings' && !connectionChanged && serverPassword === '') void listFolders();
    else {
      void testConnection({
        connection: settings.connection,
        password: serverPassword,
        ...(proxyPassword === '' ? {} : { proxyPassword }),
      });
    }
  };

  /** Checks the CRM login with the CRM (when asked or when it changed). */
  const checkCrm = async (): Promise<boolean> => {
    const result = await api.checkCrmLogin({
      databasePath: settings.crm.databasePath,
      user: settings.crm.user,
      password: crmPassword,
    });
    if (!result.ok) {
      addRemote(result.problems);
      return false;
    }
    void loadLookups(settings.crm.databasePath);
    return true;
  };

  const guarded = async (p: Page, action: () => Promise<void>) => {
    setBusy(true);
    setCallError(undefined);
    setRemote((r) => withoutFields(r, ['']));
    try {
      await action();
    } catch (err) {
      setCallError({ page: p, message: errorText(err) });
    } finally {
      setBusy(false);
    }
  };

  const next = () =>
    guarded(page, async () => {
      setAttempted((a) => ({ ...a, [page]: true }));
      if (hasProblems(localOf(page))) {
        focusProblem();
        return;
      }
      if (page === 0 && !(await checkCrm())) {
        focusProblem();
        return;
      }
      setPage((page + 1) as Page);
    });

  /** Finish (wizard) or Save (settings): every check, save, store the password. */
  const save = () =>
    guarded(page, async () => {
      setAttempted({ 0: true, 1: true, 2: true });
      const all = { ...localOf(0), ...localOf(1), ...localOf(2) };
      const firstBad = Object.keys(all)[0];
      if (firstBad !== undefined) {
        goToProblem(firstBad);
        return;
      }
      if (mode === 'settings' && (crmChanged || crmPassword !== '') && !(await checkCrm())) {
        setPage(0);
        focusProblem();
        return;
      }
      const result = await api.saveSettings(settings);
      if (!result.ok) {
        addRemote(result.problems);
        const first = result.problems[0];
        if (first) goToProblem(first.field);
        return;
      }
      if (serverPassword !== '' && needsSecret(settings.connection)) {
        try {
          await api.setServerPassword(serverPassword);
        } catch (err) {
          setPage(1);
          setCallError({
            page: 1,
            message: t('server.passwordNotStored', { message: errorText(err) }),
          });
          return;
        }
      }
      // The proxy password lives in the secret store only; no proxy user: none is kept.
      const proxyUser = settings.connection.proxy.user.trim() !== '';
      const proxySecret = proxyUser ? proxyPassword : '';
      if (proxySecret !== '' || (!proxyUser && initial.connection.proxy.user.trim() !== '')) {
        try {
          await api.setServerPassword(proxySecret, 'proxy');
        } catch (err) {
          setPage(1);
          setCallError({
            page: 1,
            message: t('server.proxyPasswordNotStored', { message: errorText(err) }),
          });
          return;
        }
      }
      if (mode === 'wizard') setFinished(true);
      else onDone();
    });

  const goToProblem = (field: string) => {
    if (field === '') {
      focusProblem();
      return;
    }
    const p = pageOf(field);
    setPage(p);
    const agenda = agendaOf(field);
    if (p === 2 && agenda) setOpenAgenda((o) => ({ name: agenda, seq: (o?.seq ?? 0) + 1 }));
    focusProblem();
  };

  // Problems of this page that have no field of their own, and errors of calls.
  const general = [
    ...Object.entries(problems)
      // "" concerns no one field: shown on whichever page is open.
      .filter(([field]) => (field === '' || pageOf(field) === page) && !isShown(field))
      .map(([, problem]) => problemText(problem) ?? ''),
    ...(callError?.page === page ? [callError.message] : []),
  ];
  const pageProblemCount = (p: Page) =>
    Object.keys(problems).filter((field) => pageOf(field) === p).length;

  const pageNames = [t('wizard.stepCrm'), t('wizard.stepServer'), t('wizard.stepGeneral')];
  const title = mode === 'wizard' ? t('wizard.title') : t('settings.title');

  if (finished) {
    return (
      <div className={styles.root}>
        <header className={styles.header}>
          <h1 className={styles.title}>{title}</h1>
          <LanguageSwitcher />
        </header>
        <main className={styles.body}>
          <div className={styles.card}>
            <FirstSync onDone={onDone} />
          </div>
        </main>
      </div>
    );
  }

  return (
    <form
      className={styles.root}
      noValidate
      aria-label={title}
      onSubmit={(ev) => {
        ev.preventDefault();
        if (busy) return;
        if (mode === 'wizard' && page < 2) void next();
        else void save();
      }}
    >
      <header className={styles.header}>
        <h1 className={styles.title}>{title}</h1>
        <LanguageSwitcher />
      </header>
      {mode === 'wizard' ? (
        <ol className={styles.steps} aria-label={t('wizard.steps')}>
          {PAGES.map((p) => (
            <li
              key={p}
              className={mergeClasses(styles.step, p === page && styles.stepCurrent)}
              aria-current={p === page ? 'step' : undefined}
            >
              <span className={styles.stepNumber} aria-hidden>
                {p < page ? <CheckmarkRegular /> : p + 1}
              </span>
              {pageNames[p]}
            </li>
          ))}
        </ol>
      ) : (
        <TabList
          className={styles.steps}
          selectedValue={page}
          onTabSelect={(_, data) => setPage(data.value as Page)}
        >
          {PAGES.map((p) => (
            <Tab key={p} value={p}>
              {pageNames[p]}
              {pageProblemCount(p) > 0 && ' ⚠'}
            </Tab>
          ))}
        </TabList>
      )}
      <main className={styles.body} ref={body}>
        <div className={styles.card}>
          <h2 className="section-title">
            {mode === 'wizard'
              ? t('wizard.stepOf', { n: page + 1, total: 3, name: pageNames[page] })
              : pageNames[page]}
          </h2>
          {general.length > 0 && (
            <MessageBar intent="error" role="alert" className="page-error">
              <MessageBarBody>{general.join(' ')}</MessageBarBody>
            </MessageBar>
          )}
          {page === 0 && (
            <CrmStep
              crm={settings.crm}
              onChange={(crm) => update({ ...settings, crm })}
              password={crmPassword}
              onPasswordChange={(password) => {
                setCrmPassword(password);
                setRemote((r) => withoutFields(r, ['crm.password']));
              }}
              passwordHint={mode === 'settings' ? t('crm.passwordWhenChanged') : undefined}
              lookups={lookups}
              onLoadLookups={(path) => void loadLookups(path)}
              problems={problems}
            />
          )}
          {page === 1 && (
            <ServerStep
              connection={settings.connection}
              onChange={(connection) => update({ ...settings, connection })}
              password={serverPassword}
              onPasswordChange={(password) => {
                setServerPassword(password);
                setRemote((r) => withoutFields(r, PASSWORD_FIELDS));
                setTest({ state: 'idle' });
              }}
              passwordStored={exists}
              proxyPassword={proxyPassword}
              onProxyPasswordChange={(password) => {
                setProxyPassword(password);
                setTest({ state: 'idle' });
              }}
              proxyPasswordStored={exists && initial.connection.proxy.user.trim() !== ''}
              problems={problems}
              test={test}
              onTest={() => void runTest()}
            />
          )}
          {page === 2 && (
            <GeneralStep
              settings={settings}
              onChange={update}
              problems={problems}
              lookups={lookups}
              folders={folders}
              onLoadFolders={loadFolders}
              openAgenda={openAgenda}
            />
          )}
        </div>
      </main>
      <footer className={styles.footer}>
        {busy && <Spinner size="tiny" label={t('common.working')} />}
        {mode === 'wizard' && page > 0 && (
          <Button icon={<ArrowLeftRegular />} onClick={() => setPage((page - 1) as Page)}>
            {t('common.back')}
          </Button>
        )}
        <Button
          type="submit"
          appearance="primary"
          disabled={busy}
          icon={mode === 'wizard' && page < 2 ? <ArrowRightRegular /> : undefined}
          iconPosition="after"
        >
          {mode === 'wizard'
            ? page < 2
              ? t('common.next')
              : t('common.finish')
            : t('common.save')}
        </Button>
        {onCancel && <Button onClick={onCancel}>{t('common.cancel')}</Button>}
        {mode === 'wizard' && !onCancel && (
          <Text size={200} className="muted footer-note">
            {t('wizard.canChangeLater')}
          </Text>
        )}
      </footer>
    </form>
  );
}
