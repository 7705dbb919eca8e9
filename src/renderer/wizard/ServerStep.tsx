/**
 * The server page: which kind of server (from the kinds' descriptors; one not in this
 * version is shown, not offered), that kind's own fields, the password or token, "Test
 * connection" with its clear result. Advanced: the kind's own advanced fields, the proxy
 * and a trusted certificate.
 */
import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Field,
  Input,
  Radio,
  RadioGroup,
  Text,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AgendaKind, Settings } from '../../shared/app-api.ts';
import { SERVER_KINDS, signsInWithToken, type ServerKindId } from '../../shared/server-kinds.ts';
import { useFieldProblems } from '../components/problems.ts';
import { needsSecret, type TestState } from '../settings/draft.ts';
import { PASSWORD_FIELDS } from '../settings/pages.ts';
import type { Problems } from '../settings/validate.ts';
import { ConnectionTestResult } from './server/ConnectionTestResult.tsx';
import { TextField } from './server/fields.tsx';
import { ServerKindFields } from './server/kind-fields.tsx';

/** Fields under "Advanced": opened by itself when one of them has a problem. */
const ADVANCED_FIELDS = [
  'connection.exchange.mailbox',
  'connection.exchange.mailboxTemplate',
  'connection.dav.calendarHomeUrl',
  'connection.dav.addressBookHomeUrl',
  'connection.proxy.url',
  'connection.proxy.user',
  'connection.trustedCertificate.sha256Fingerprint',
];

const KIND_LABEL_KEYS = {
  exchange: 'server.kindExchange',
  m365: 'server.kindM365',
  dav: 'server.kindDav',
} as const satisfies Record<ServerKindId, string>;

export interface ServerStepProps {
  connection: Settings['connection'];
  onChange: (connection: Settings['connection']) => void;
  password: string;
  onPasswordChange: (password: string) => void;
  /** A password is stored already: empty keeps it. */
  passwordStored: boolean;
  /** The proxy user's password (stored in the OS secret store, never in settings). */
  proxyPassword: string;
  onProxyPasswordChange: (password: string) => void;
  /** A proxy password may be stored already (a saved proxy user): empty keeps it. */
  proxyPasswordStored: boolean;
  problems: Problems;
  test: TestState;
  onTest: () => void;
  /** Creates a calendar, task list or address book the account has none of. */
  onCreateFolder: (kind: AgendaKind) => void;
}

export function ServerStep(props: ServerStepProps) {
  const { connection, onChange, password, onPasswordChange, passwordStored, problems, test } =
    props;
  const { t } = useTranslation();
  const fieldProblem = useFieldProblems(problems);
  const { kind, dav, proxy, trustedCertificate } = connection;

  const passwordProblem = PASSWORD_FIELDS.map((f) => fieldProblem(f)).find(
    (v) => v.validationState === 'error',
  );
  const [advancedOpen, setAdvancedOpen] = useState(false);
  const advancedProblem = ADVANCED_FIELDS.some((f) => problems[f] !== undefined);
  useEffect(() => {
    if (advancedProblem) setAdvancedOpen(true);
  }, [advancedProblem]);

  return (
    <div className="form-grid">
      <Text as="p" className="step-intro">
        {t('server.intro')}
      </Text>
      <Field label={t('server.kind')} {...fieldProblem('connection.kind')}>
        <RadioGroup
          value={kind}
          onChange={(_, data) => {
            const chosen = SERVER_KINDS.find((k) => k.id === data.value);
            if (chosen) onChange({ ...connection, kind: chosen.id });
          }}
        >
          {SERVER_KINDS.map((k) => (
            // A kind not in this version: shown, but it cannot be chosen (a file may hold it).
            <Radio
              key={k.id}
              value={k.id}
              label={t(KIND_LABEL_KEYS[k.id])}
              disabled={!k.available && kind !== k.id}
            />
          ))}
        </RadioGroup>
      </Field>

      <ServerKindFields
        connection={connection}
        onChange={onChange}
        problemOf={fieldProblem}
        part="main"
      />

      {needsSecret(connection) && (
        <Field
          label={signsInWithToken(connection) ? t('server.token') : t('server.password')}
          hint={passwordStored ? t('server.passwordStored') : t('server.passwordHint')}
          {...passwordProblem}
        >
          <Input
            name="serverPassword"
            type="password"
            autoComplete="off"
            value={password}
            placeholder={passwordStored ? t('server.passwordUnchanged') : undefined}
            onChange={(_, data) => onPasswordChange(data.value)}
          />
        </Field>
      )}

      <ConnectionTestResult
        test={test}
        onTest={props.onTest}
        onUseRedirect={
          kind === 'dav' ? (url) => onChange({ ...connection, dav: { ...dav, url } }) : undefined
        }
        onCreateFolder={props.onCreateFolder}
      />

      <Accordion
        collapsible
        openItems={advancedOpen ? ['advanced'] : []}
        onToggle={(_, data) => setAdvancedOpen(data.openItems.includes('advanced'))}
      >
        <AccordionItem value="advanced">
          <AccordionHeader>{t('server.advanced')}</AccordionHeader>
          <AccordionPanel>
            <div className="form-grid">
              <ServerKindFields
                connection={connection}
                onChange={onChange}
                problemOf={fieldProblem}
                part="advanced"
              />
              <TextField
                name="connection.proxy.url"
                label={t('server.proxyUrl')}
                value={proxy.url}
                onChange={(url) => onChange({ ...connection, proxy: { ...proxy, url } })}
                problemOf={fieldProblem}
                hint={t('server.proxyUrlHint')}
                placeholder="http://proxy.example.com:3128"
              />
              <TextField
                name="connection.proxy.user"
                label={t('server.proxyUser')}
                value={proxy.user}
                onChange={(user) => onChange({ ...connection, proxy: { ...proxy, user } })}
                problemOf={fieldProblem}
              />
              <Field
                label={t('server.proxyPassword')}
                hint={
                  props.proxyPasswordStored
                    ? t('server.proxyPasswordStored')
                    : t('server.proxyPasswordHint')
                }
              >
                <Input
                  name="proxyPassword"
                  type="password"
                  autoComplete="off"
                  value={props.proxyPassword}
                  disabled={proxy.user.trim() === ''}
                  placeholder={
                    props.proxyPasswordStored ? t('server.passwordUnchanged') : undefined
                  }
                  onChange={(_, data) => props.onProxyPasswordChange(data.value)}
                />
              </Field>
              <TextField
                name="connection.trustedCertificate.sha256Fingerprint"
                label={t('server.fingerprint')}
                value={trustedCertificate.sha256Fingerprint}
                onChange={(sha256Fingerprint) =>
                  onChange({ ...connection, trustedCertificate: { sha256Fingerprint } })
                }
                problemOf={fieldProblem}
                hint={t('server.fingerprintHint')}
              />
            </div>
          </AccordionPanel>
        </AccordionItem>
      </Accordion>
    </div>
  );
}
