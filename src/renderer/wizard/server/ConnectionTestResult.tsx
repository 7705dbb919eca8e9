/**
 * "Test connection" and what it found: the folders counted, or the clear error (with the
 * address a server's redirect offers), and a button for each kind of folder the account
 * has none of.
 */
import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
} from '@fluentui/react-components';
import { PlugConnectedRegular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import type { AgendaKind } from '../../../shared/app-api.ts';
import { problemsText } from '../../components/message.ts';
import { useFormat } from '../../i18n/format.ts';
import type { TestState } from '../../settings/draft.ts';

export interface ConnectionTestResultProps {
  test: TestState;
  onTest: () => void;
  /** Given when the server's .well-known address sends the user elsewhere: "Use it". */
  onUseRedirect?: ((target: string) => void) | undefined;
  onCreateFolder: (kind: AgendaKind) => void;
}

/** The address a failed test's redirect offers (offered, never followed). */
function redirectTargetOf(test: TestState): string | undefined {
  if (test.state !== 'failed') return undefined;
  return test.problems
    .filter((p) => p.code === 'server-redirect-offered')
    .map((p) => p.params?.['target'])
    .find((target): target is string => typeof target === 'string');
}

export function ConnectionTestResult(props: ConnectionTestResultProps) {
  const { test, onUseRedirect } = props;
  const { t } = useTranslation();
  const format = useFormat();
  const redirectTarget = onUseRedirect ? redirectTargetOf(test) : undefined;
  return (
    <>
      <div className="test-row">
        <Button
          icon={<PlugConnectedRegular />}
          onClick={props.onTest}
          disabled={test.state === 'testing'}
        >
          {t('server.test')}
        </Button>
        {test.state === 'testing' && <Spinner size="tiny" label={t('server.testing')} />}
      </div>
      <div aria-live="polite">
        {test.state === 'ok' && (
          <MessageBar intent="success">
            <MessageBarBody>
              {t('server.connected', {
                calendars: t('count.calendars', { count: test.count.calendars }),
                addressBooks: t('count.addressBooks', { count: test.count.addressBooks }),
              })}
              {test.count.taskLists > 0 &&
                ` ${t('server.alsoTaskLists', { taskLists: t('count.taskLists', { count: test.count.taskLists }) })}`}
            </MessageBarBody>
          </MessageBar>
        )}
        {test.state === 'failed' && (
          <MessageBar intent="error" role="alert">
            <MessageBarBody>
              <MessageBarTitle>{t('server.testFailed')}</MessageBarTitle>
              {problemsText(t, test.problems)}
            </MessageBarBody>
            {redirectTarget !== undefined && onUseRedirect && (
              <MessageBarActions>
                <Button onClick={() => onUseRedirect(redirectTarget)}>
                  {t('server.useRedirect')}
                </Button>
              </MessageBarActions>
            )}
          </MessageBar>
        )}
        {(test.state === 'ok' || test.state === 'failed') && test.missing.length > 0 && (
          <MessageBar intent="warning">
            <MessageBarBody>
              {t('server.missingFolders', {
                kinds: format.orList(test.missing.map((k) => t(`server.folderKind.${k}`))),
              })}
            </MessageBarBody>
            <MessageBarActions>
              {test.missing.map((kind) => (
                <Button key={kind} onClick={() => props.onCreateFolder(kind)}>
                  {t(`server.createFolder.${kind}`)}
                </Button>
              ))}
            </MessageBarActions>
          </MessageBar>
        )}
      </div>
    </>
  );
}
