/**
 * The frame of every settings page, in the wizard and in the settings screen alike: the
 * window title and language, the steps or tabs, the page's heading, the problems no field
 * shows on top, the page itself, and Back / Next / Finish or Save / Cancel.
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
import type { ReactNode, RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitcher } from '../components/LanguageSwitcher.tsx';
import { windowFrame } from '../components/window-frame.ts';

const useStyles = makeStyles({
  ...windowFrame,
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

/** The buttons of a page that is a form: the primary one submits it (Enter in a field too). */
export interface PageActions {
  /** "next" leads on to the next page; "finish" and "save" save everything. */
  submit: 'next' | 'finish' | 'save';
  onSubmit: () => void;
  /** A call is running: the primary button waits, a spinner says so. */
  busy: boolean;
  onBack?: (() => void) | undefined;
  onCancel?: (() => void) | undefined;
  /** A line beside the buttons ("you can change this later"). */
  note?: string | undefined;
}

export interface PageShellProps {
  /** The window's title. */
  title: string;
  /** The steps or tabs under the title. */
  navigation?: ReactNode;
  /** The page's own heading. */
  heading?: string;
  /** Problems no field shows (and failed calls), on top of the page. */
  problems?: readonly string[];
  /** None: the page is not a form and brings its own buttons (the first sync). */
  actions?: PageActions;
  /** The scrolling body, where the first invalid field is looked for. */
  bodyRef?: RefObject<HTMLElement | null>;
  children: ReactNode;
}

export function PageShell(props: PageShellProps) {
  const { title, navigation, heading, problems = [], actions, bodyRef, children } = props;
  const styles = useStyles();
  const content = (
    <>
      <header className={styles.header}>
        <h1 className={styles.title}>{title}</h1>
        <LanguageSwitcher />
      </header>
      {navigation}
      <main className={styles.body} ref={bodyRef}>
        <div className={styles.card}>
          {heading !== undefined && <h2 className="section-title">{heading}</h2>}
          {problems.length > 0 && (
            <MessageBar intent="error" role="alert" className="page-error">
              <MessageBarBody>{problems.join(' ')}</MessageBarBody>
            </MessageBar>
          )}
          {children}
        </div>
      </main>
    </>
  );
  if (actions === undefined) return <div className={styles.root}>{content}</div>;
  return (
    <form
      className={styles.root}
      noValidate
      aria-label={title}
      onSubmit={(ev) => {
        ev.preventDefault();
        if (!actions.busy) actions.onSubmit();
      }}
    >
      {content}
      <PageFooter actions={actions} className={styles.footer} />
    </form>
  );
}

function PageFooter({ actions, className }: { actions: PageActions; className: string }) {
  const { t } = useTranslation();
  const { submit, busy, onBack, onCancel, note } = actions;
  return (
    <footer className={className}>
      {busy && <Spinner size="tiny" label={t('common.working')} />}
      {onBack && (
        <Button icon={<ArrowLeftRegular />} onClick={onBack}>
          {t('common.back')}
        </Button>
      )}
      <Button
        type="submit"
        appearance="primary"
        disabled={busy}
        icon={submit === 'next' ? <ArrowRightRegular /> : undefined}
        iconPosition="after"
      >
        {t(`common.${submit}`)}
      </Button>
      {onCancel && <Button onClick={onCancel}>{t('common.cancel')}</Button>}
      {note !== undefined && (
        <Text size={200} className="muted footer-note">
          {note}
        </Text>
      )}
    </footer>
  );
}

/** The wizard's steps: done ones ticked, the current one marked. */
export function PageSteps<P extends string>(props: {
  pages: readonly P[];
  current: P;
  label: string;
  nameOf: (page: P) => string;
}) {
  const styles = useStyles();
  const current = props.pages.indexOf(props.current);
  return (
    <ol className={styles.steps} aria-label={props.label}>
      {props.pages.map((page, i) => (
        <li
          key={page}
          className={mergeClasses(styles.step, i === current && styles.stepCurrent)}
          aria-current={i === current ? 'step' : undefined}
        >
          <span className={styles.stepNumber} aria-hidden>
            {i < current ? <CheckmarkRegular /> : i + 1}
          </span>
          {props.nameOf(page)}
        </li>
      ))}
    </ol>
  );
}

/** The settings screen's tabs, one per page; a page with problems is marked. */
export function PageTabs<P extends string>(props: {
  pages: readonly P[];
  current: P;
  onSelect: (page: P) => void;
  nameOf: (page: P) => string;
  hasProblems: (page: P) => boolean;
}) {
  const styles = useStyles();
  return (
    <TabList
      className={styles.steps}
      selectedValue={props.current}
      onTabSelect={(_, data) => {
        const page = props.pages.find((p) => p === data.value);
        if (page !== undefined) props.onSelect(page);
      }}
    >
      {props.pages.map((page) => (
        <Tab key={page} value={page}>
          {props.nameOf(page)}
          {props.hasProblems(page) && ' ⚠'}
        </Tab>
      ))}
    </TabList>
  );
}
