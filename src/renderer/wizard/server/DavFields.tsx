/** A CalDAV/CardDAV server: its address, user and sign-in; advanced, the home addresses. */
import { useTranslation } from 'react-i18next';
import type { ConnectionSettings } from '../../settings/validate.ts';
import { ChoiceField, TextField, type KindFieldsProps } from './fields.tsx';

type Dav = ConnectionSettings['dav'];

export function DavFields({ value: dav, onChange, problemOf }: KindFieldsProps<Dav>) {
  const { t } = useTranslation();
  return (
    <>
      <TextField
        name="connection.dav.url"
        label={t('server.davUrl')}
        value={dav.url}
        onChange={(url) => onChange({ url })}
        problemOf={problemOf}
        hint={t('server.davUrlHint')}
        placeholder="https://cloud.example.com/remote.php/dav"
        type="url"
        required
      />
      <TextField
        name="connection.dav.user"
        label={t('server.davUser')}
        value={dav.user}
        onChange={(user) => onChange({ user })}
        problemOf={problemOf}
        required={dav.auth !== 'bearer'}
      />
      <ChoiceField
        label={t('server.auth')}
        value={dav.auth}
        options={[
          { value: 'basic', text: t('server.authBasic') },
          { value: 'digest', text: t('server.authDigest') },
          { value: 'bearer', text: t('server.authBearer') },
        ]}
        onChange={(auth) => onChange({ auth })}
      />
    </>
  );
}

export function DavAdvancedFields({ value: dav, onChange, problemOf }: KindFieldsProps<Dav>) {
  const { t } = useTranslation();
  return (
    <>
      <TextField
        name="connection.dav.calendarHomeUrl"
        label={t('server.calendarHomeUrl')}
        value={dav.calendarHomeUrl}
        onChange={(calendarHomeUrl) => onChange({ calendarHomeUrl })}
        problemOf={problemOf}
        hint={t('server.homeUrlHint')}
        type="url"
      />
      <TextField
        name="connection.dav.addressBookHomeUrl"
        label={t('server.addressBookHomeUrl')}
        value={dav.addressBookHomeUrl}
        onChange={(addressBookHomeUrl) => onChange({ addressBookHomeUrl })}
        problemOf={problemOf}
        hint={t('server.homeUrlHint')}
        type="url"
      />
    </>
  );
}
