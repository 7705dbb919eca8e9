/**
 * Step 2, the server: Exchange (EWS URL or autodiscovery by e-mail, user, domain, sign-in
 * method), Microsoft 365 (tenant, client id, account) or CalDAV/CardDAV (URL, user, sign-in
 * method); the password; "Test connection" with its clear result. Advanced: impersonation,
 * EWS version, DAV home URLs, proxy and a trusted certificate.
 */
import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Button,
  Checkbox,
  Dropdown,
  Field,
  Input,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Option,
  Radio,
  RadioGroup,
  Spinner,
  Text,
} from '@fluentui/react-components';
import { PlugConnectedRegular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Settings } from '../../shared/app-api.ts';
import { problemsText } from '../components/message.ts';
import { useFieldProblems } from '../components/problems.ts';
import type { TestState } from '../settings/hooks.ts';
import type { ConnectionSettings, Problems } from '../settings/validate.ts';

type Exchange = ConnectionSettings['exchange'];
type M365 = ConnectionSettings['m365'];
type Dav = ConnectionSettings['dav'];
type Kind = ConnectionSettings['kind'];

/** Fields the engine may name for the server password. */
export const PASSWORD_FIELDS = ['server.password', 'connection.password', 'password'];

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

/** Whether this connection signs in with a password (or a token) we store. */
export function needsSecret(connection: ConnectionSettings): boolean {
  return connection.kind !== 'm365';
}

function isTokenAuth(connection: ConnectionSettings): boolean {
  return (
    (connection.kind === 'exchange' && connection.exchange.auth === 'oauth') ||
    (connection.kind === 'dav' && connection.dav.auth === 'bearer')
  );
}

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
}

function ChoiceField<T extends string>(props: {
  label: string;
  value: T;
  options: readonly { value: T; text: string }[];
  onChange: (value: T) => void;
  hint?: string;
}) {
  const current = props.options.find((o) => o.value === props.value);
  return (
    <Field label={props.label} hint={props.hint}>
      <Dropdown
        value={current?.text ?? props.value}
        selectedOptions={[props.value]}
        onOptionSelect={(_, data) => {
          const next = props.options.find((o) => o.value === data.optionValue);
          if (next) props.onChange(next.value);
        }}
      >
        {props.options.map((o) => (
          <Option key={o.value} value={o.value}>
            {o.text}
          </Option>
        ))}
      </Dropdown>
    </Field>
  );
}

export function ServerStep(props: ServerStepProps) {
  const { connection, onChange, password, onPasswordChange, passwordStored, problems, test } =
    props;
  const { t } = useTranslation();
  const fieldProblem = useFieldProblems(problems);
  const { kind, exchange, m365, dav, proxy, trustedCertificate } = connection;
  const setExchange = (patch: Partial<Exchange>) =>
    onChange({ ...connection, exchange: { ...exchange, ...patch } });
  const setM365 = (patch: Partial<M365>) =>
    onChange({ ...connection, m365: { ...m365, ...patch } });
  const setDav = (patch: Partial<Dav>) => onChange({ ...connection, dav: { ...dav, ...patch } });
  // The server's .well-known address sends the user elsewhere: offered, never followed.
  const redirectTarget =
    test.state === 'failed' && kind === 'dav'
      ? test.problems
          .filter((p) => p.code === 'server-redirect-offered')
          .map((p) => p.params?.['target'])
          .find((target): target is string => typeof target === 'string')
      : undefined;

  const text = (
    key: string,
    label: string,
    value: string,
    set: (v: string) => void,
    extra: { hint?: string; placeholder?: string; type?: 'email' | 'url'; required?: boolean } = {},
  ) => (
    <Field label={label} hint={extra.hint} required={extra.required} {...fieldProblem(key)}>
      <Input
        name={key}
        type={extra.type}
        value={value}
        placeholder={extra.placeholder}
        onChange={(_, data) => set(data.value)}
      />
    </Field>
  );

  const passwordProblem = PASSWORD_FIELDS.map((f) => fieldProblem(f)).find(
    (v) => v.validationState === 'error',
  );
  const tokenAuth = isTokenAuth(connection);
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
          onChange={(_, data) => onChange({ ...connection, kind: data.value as Kind })}
        >
          <Radio value="exchange" label={t('server.kindExchange')} />
          {/* Not in this version: offered, but it cannot be chosen (a file may still hold it). */}
          <Radio value="m365" label={t('server.kindM365')} disabled={kind !== 'm365'} />
          <Radio value="dav" label={t('server.kindDav')} />
        </RadioGroup>
      </Field>

      {kind === 'exchange' && (
        <>
          {text(
            'connection.exchange.ewsUrl',
            t('server.ewsUrl'),
            exchange.ewsUrl,
            (ewsUrl) => setExchange({ ewsUrl }),
            {
              hint: t('server.ewsUrlHint'),
              placeholder: 'https://mail.example.com/EWS/Exchange.asmx',
            },
          )}
          {text(
            'connection.exchange.email',
            t('server.email'),
            exchange.email,
            (email) => setExchange({ email }),
            { hint: t('server.emailHint'), type: 'email', placeholder: 'name@example.com' },
          )}
          {text(
            'connection.exchange.user',
            t('server.exchangeUser'),
            exchange.user,
            (user) => setExchange({ user }),
            { hint: t('server.exchangeUserHint'), required: exchange.auth !== 'oauth' },
          )}
          {text(
            'connection.exchange.domain',
            t('server.domain'),
            exchange.domain,
            (domain) => setExchange({ domain }),
            { hint: t('server.domainHint') },
          )}
          <ChoiceField
            label={t('server.auth')}
            value={exchange.auth}
            options={[
              { value: 'ntlm', text: t('server.authNtlm') },
              { value: 'basic', text: t('server.authBasic') },
              { value: 'oauth', text: t('server.authOauth') },
            ]}
            onChange={(auth) => setExchange({ auth })}
          />
        </>
      )}

      {kind === 'm365' && (
        <>
          {text(
            'connection.m365.tenantId',
            t('server.tenantId'),
            m365.tenantId,
            (tenantId) => setM365({ tenantId }),
            { hint: t('server.tenantIdHint') },
          )}
          {text(
            'connection.m365.clientId',
            t('server.clientId'),
            m365.clientId,
            (clientId) => setM365({ clientId }),
            {
              hint: t('server.clientIdHint'),
              placeholder: '00000000-0000-0000-0000-000000000000',
              required: true,
            },
          )}
          {text(
            'connection.m365.email',
            t('server.m365Email'),
            m365.email,
            (email) => setM365({ email }),
            { hint: t('server.m365EmailHint'), type: 'email', placeholder: 'name@example.com' },
          )}
          <Text className="muted">{t('server.m365Unavailable')}</Text>
        </>
      )}

      {kind === 'dav' && (
        <>
          {text('connection.dav.url', t('server.davUrl'), dav.url, (url) => setDav({ url }), {
            hint: t('server.davUrlHint'),
            placeholder: 'https://cloud.example.com/remote.php/dav',
            type: 'url',
            required: true,
          })}
          {text('connection.dav.user', t('server.davUser'), dav.user, (user) => setDav({ user }), {
            required: dav.auth !== 'bearer',
          })}
          <ChoiceField
            label={t('server.auth')}
            value={dav.auth}
            options={[
              { value: 'basic', text: t('server.authBasic') },
              { value: 'digest', text: t('server.authDigest') },
              { value: 'bearer', text: t('server.authBearer') },
            ]}
            onChange={(auth) => setDav({ auth })}
          />
        </>
      )}

      {needsSecret(connection) && (
        <Field
          label={tokenAuth ? t('server.token') : t('server.password')}
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
            {redirectTarget !== undefined && (
              <MessageBarActions>
                <Button onClick={() => setDav({ url: redirectTarget })}>
                  {t('server.useRedirect')}
                </Button>
              </MessageBarActions>
            )}
          </MessageBar>
        )}
      </div>

      <Accordion
        collapsible
        openItems={advancedOpen ? ['advanced'] : []}
        onToggle={(_, data) => setAdvancedOpen(data.openItems.includes('advanced'))}
      >
        <AccordionItem value="advanced">
          <AccordionHeader>{t('server.advanced')}</AccordionHeader>
          <AccordionPanel>
            <div className="form-grid">
              {kind === 'exchange' && (
                <>
                  <Field label={t('server.mailboxMode')}>
                    <RadioGroup
                      value={exchange.mailboxMode}
                      onChange={(_, data) =>
                        setExchange({
                          mailboxMode: data.value === 'impersonation' ? 'impersonation' : 'own',
                        })
                      }
                    >
                      <Radio value="own" label={t('server.mailboxOwn')} />
                      <Radio value="impersonation" label={t('server.mailboxImpersonation')} />
                    </RadioGroup>
                  </Field>
                  {exchange.mailboxMode === 'impersonation' && (
                    <>
                      {text(
                        'connection.exchange.mailbox',
                        t('server.mailbox'),
                        exchange.mailbox,
                        (mailbox) => setExchange({ mailbox }),
                        { type: 'email', placeholder: 'name@example.com' },
                      )}
                      <Checkbox
                        label={t('server.loginAsMailboxName')}
                        checked={exchange.loginAsMailboxName}
                        onChange={(_, data) =>
                          setExchange({ loginAsMailboxName: data.checked === true })
                        }
                      />
                      {text(
                        'connection.exchange.mailboxTemplate',
                        t('server.mailboxTemplate'),
                        exchange.mailboxTemplate,
                        (mailboxTemplate) => setExchange({ mailboxTemplate }),
                        { hint: t('server.mailboxTemplateHint'), placeholder: '@example.com' },
                      )}
                    </>
                  )}
                  <ChoiceField
                    label={t('server.serverVersion')}
                    hint={t('server.serverVersionHint')}
                    value={exchange.serverVersion}
                    options={[
                      { value: 'Exchange2016', text: 'Exchange 2016 / 2019 / SE' },
                      { value: 'Exchange2013_SP1', text: 'Exchange 2013 SP1' },
                      { value: 'Exchange2013', text: 'Exchange 2013' },
                      { value: 'Exchange2010_SP2', text: 'Exchange 2010 SP2' },
                    ]}
                    onChange={(serverVersion) => setExchange({ serverVersion })}
                  />
                </>
              )}
              {kind === 'dav' && (
                <>
                  {text(
                    'connection.dav.calendarHomeUrl',
                    t('server.calendarHomeUrl'),
                    dav.calendarHomeUrl,
                    (calendarHomeUrl) => setDav({ calendarHomeUrl }),
                    { hint: t('server.homeUrlHint'), type: 'url' },
                  )}
                  {text(
                    'connection.dav.addressBookHomeUrl',
                    t('server.addressBookHomeUrl'),
                    dav.addressBookHomeUrl,
                    (addressBookHomeUrl) => setDav({ addressBookHomeUrl }),
                    { hint: t('server.homeUrlHint'), type: 'url' },
                  )}
                </>
              )}
              {text(
                'connection.proxy.url',
                t('server.proxyUrl'),
                proxy.url,
                (url) => onChange({ ...connection, proxy: { ...proxy, url } }),
                { hint: t('server.proxyUrlHint'), placeholder: 'http://proxy.example.com:3128' },
              )}
              {text('connection.proxy.user', t('server.proxyUser'), proxy.user, (user) =>
                onChange({ ...connection, proxy: { ...proxy, user } }),
              )}
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
              {text(
                'connection.trustedCertificate.sha256Fingerprint',
                t('server.fingerprint'),
                trustedCertificate.sha256Fingerprint,
                (sha256Fingerprint) =>
                  onChange({ ...connection, trustedCertificate: { sha256Fingerprint } }),
                { hint: t('server.fingerprintHint') },
              )}
            </div>
          </AccordionPanel>
        </AccordionItem>
      </Accordion>
    </div>
  );
}
