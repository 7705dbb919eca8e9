/** Microsoft 365: tenant, application (client) id and account; not usable in this version. */
import { Text } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { ConnectionSettings } from '../../settings/validate.ts';
import { TextField, type KindFieldsProps } from './fields.tsx';

type M365 = ConnectionSettings['m365'];

export function M365Fields({ value: m365, onChange, problemOf }: KindFieldsProps<M365>) {
  const { t } = useTranslation();
  return (
    <>
      <TextField
        name="connection.m365.tenantId"
        label={t('server.tenantId')}
        value={m365.tenantId}
        onChange={(tenantId) => onChange({ tenantId })}
        problemOf={problemOf}
        hint={t('server.tenantIdHint')}
      />
      <TextField
        name="connection.m365.clientId"
        label={t('server.clientId')}
        value={m365.clientId}
        onChange={(clientId) => onChange({ clientId })}
        problemOf={problemOf}
        hint={t('server.clientIdHint')}
        placeholder="00000000-0000-0000-0000-000000000000"
        required
      />
      <TextField
        name="connection.m365.email"
        label={t('server.m365Email')}
        value={m365.email}
        onChange={(email) => onChange({ email })}
        problemOf={problemOf}
        hint={t('server.m365EmailHint')}
        type="email"
        placeholder="name@example.com"
      />
      <Text className="muted">{t('server.m365Unavailable')}</Text>
    </>
  );
}
