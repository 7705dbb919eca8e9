/**
 * Exchange on-premises: the EWS address or autodiscovery by e-mail, user, domain, sign-in;
 * advanced, whose mailbox (the user's own, or another's by impersonation) and the version.
 */
import { Checkbox, Field, Radio, RadioGroup } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { ConnectionSettings } from '../../settings/validate.ts';
import { ChoiceField, TextField, type KindFieldsProps } from './fields.tsx';

type Exchange = ConnectionSettings['exchange'];

export function ExchangeFields({
  value: exchange,
  onChange,
  problemOf,
}: KindFieldsProps<Exchange>) {
  const { t } = useTranslation();
  return (
    <>
      <TextField
        name="connection.exchange.ewsUrl"
        label={t('server.ewsUrl')}
        value={exchange.ewsUrl}
        onChange={(ewsUrl) => onChange({ ewsUrl })}
        problemOf={problemOf}
        hint={t('server.ewsUrlHint')}
        placeholder="https://mail.example.com/EWS/Exchange.asmx"
      />
      <TextField
        name="connection.exchange.email"
        label={t('server.email')}
        value={exchange.email}
        onChange={(email) => onChange({ email })}
        problemOf={problemOf}
        hint={t('server.emailHint')}
        type="email"
        placeholder="name@example.com"
      />
      <TextField
        name="connection.exchange.user"
        label={t('server.exchangeUser')}
        value={exchange.user}
        onChange={(user) => onChange({ user })}
        problemOf={problemOf}
        hint={t('server.exchangeUserHint')}
        required={exchange.auth !== 'oauth'}
      />
      <TextField
        name="connection.exchange.domain"
        label={t('server.domain')}
        value={exchange.domain}
        onChange={(domain) => onChange({ domain })}
        problemOf={problemOf}
        hint={t('server.domainHint')}
      />
      <ChoiceField
        label={t('server.auth')}
        value={exchange.auth}
        options={[
          { value: 'ntlm', text: t('server.authNtlm') },
          { value: 'basic', text: t('server.authBasic') },
          { value: 'oauth', text: t('server.authOauth') },
        ]}
        onChange={(auth) => onChange({ auth })}
      />
    </>
  );
}

export function ExchangeAdvancedFields({
  value: exchange,
  onChange,
  problemOf,
}: KindFieldsProps<Exchange>) {
  const { t } = useTranslation();
  return (
    <>
      <Field label={t('server.mailboxMode')}>
        <RadioGroup
          value={exchange.mailboxMode}
          onChange={(_, data) =>
            onChange({ mailboxMode: data.value === 'impersonation' ? 'impersonation' : 'own' })
          }
        >
          <Radio value="own" label={t('server.mailboxOwn')} />
          <Radio value="impersonation" label={t('server.mailboxImpersonation')} />
        </RadioGroup>
      </Field>
      {exchange.mailboxMode === 'impersonation' && (
        <>
          <TextField
            name="connection.exchange.mailbox"
            label={t('server.mailbox')}
            value={exchange.mailbox}
            onChange={(mailbox) => onChange({ mailbox })}
            problemOf={problemOf}
            type="email"
            placeholder="name@example.com"
          />
          <Checkbox
            label={t('server.loginAsMailboxName')}
            checked={exchange.loginAsMailboxName}
            onChange={(_, data) => onChange({ loginAsMailboxName: data.checked === true })}
          />
          <TextField
            name="connection.exchange.mailboxTemplate"
            label={t('server.mailboxTemplate')}
            value={exchange.mailboxTemplate}
            onChange={(mailboxTemplate) => onChange({ mailboxTemplate })}
            problemOf={problemOf}
            hint={t('server.mailboxTemplateHint')}
            placeholder="@example.com"
          />
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
        onChange={(serverVersion) => onChange({ serverVersion })}
      />
    </>
  );
}
