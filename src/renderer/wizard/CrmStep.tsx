/**
 * Step 1, the CRM: which database file, whose data (the CRM user, from the file's users
 * once it can be read) and that user's CRM password. "Next" checks them with the CRM.
 */
import { Dropdown, Field, Input, Option, Spinner, Text } from '@fluentui/react-components';
import { DatabaseRegular, PersonRegular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import type { Settings } from '../../shared/app-api.ts';
import { PathInput } from '../components/PathInput.tsx';
import { useFieldProblems } from '../components/problems.ts';
import type { LookupsState } from '../settings/lookups.ts';
import type { Problems } from '../settings/validate.ts';

export interface CrmStepProps {
  crm: Settings['crm'];
  onChange: (crm: Settings['crm']) => void;
  password: string;
  onPasswordChange: (password: string) => void;
  /** The password may stay empty (settings dialog: only needed when the CRM changes). */
  passwordHint?: string;
  lookups: LookupsState;
  onLoadLookups: (databasePath: string) => void;
  problems: Problems;
}

export function CrmStep(props: CrmStepProps) {
  const { crm, onChange, password, onPasswordChange, lookups, onLoadLookups, problems } = props;
  const { t } = useTranslation();
  const fieldProblem = useFieldProblems(problems);
  const users = lookups.state === 'ready' ? lookups.value.users : undefined;

  const pathValidation = fieldProblem('crm.databasePath');
  const lookupFailed =
    lookups.state === 'failed' && pathValidation.validationState === 'none'
      ? { validationState: 'warning' as const, validationMessage: lookups.message }
      : undefined;
  const current = users?.find((u) => u.login === crm.user);
  const userText = (u: { login: string; displayName: string }) =>
    u.displayName && u.displayName !== u.login ? `${u.displayName} (${u.login})` : u.login;

  return (
    <div className="form-grid">
      <Text as="p" className="step-intro">
        {t('crm.intro')}
      </Text>
      <Field
        label={t('crm.databasePath')}
        hint={t('crm.databasePathHint')}
        required
        {...pathValidation}
        {...lookupFailed}
      >
        <PathInput
          name="databasePath"
          value={crm.databasePath}
          contentBefore={<DatabaseRegular />}
          placeholder={t('crm.databasePathPlaceholder')}
          onChange={(databasePath) => onChange({ ...crm, databasePath })}
          onBlur={() => onLoadLookups(crm.databasePath)}
          // A chosen file is read at once (there is no blur to wait for).
          onPicked={(path) => onLoadLookups(path)}
          pick={{
            kind: 'file',
            title: t('crm.databasePick'),
            filters: [
              { name: t('crm.databaseFiles'), extensions: ['sqlite', 'sqlite3', 'db'] },
              { name: t('common.allFiles'), extensions: ['*'] },
            ],
          }}
        />
      </Field>
      {lookups.state === 'loading' && <Spinner size="tiny" label={t('crm.reading')} />}
      <Field label={t('crm.user')} required {...fieldProblem('crm.user')}>
        {users ? (
          <Dropdown
            name="crmUser"
            placeholder={t('crm.userPick')}
            value={current ? userText(current) : crm.user}
            selectedOptions={crm.user ? [crm.user] : []}
            onOptionSelect={(_, data) => onChange({ ...crm, user: data.optionValue ?? '' })}
          >
            {users.map((u) => (
              <Option key={u.login} value={u.login} text={userText(u)}>
                <span className="category-label">
                  <PersonRegular aria-hidden />
                  {userText(u)}
                </span>
              </Option>
            ))}
          </Dropdown>
        ) : (
          <Input
            name="crmUser"
            value={crm.user}
            placeholder={t('crm.userType')}
            onChange={(_, data) => onChange({ ...crm, user: data.value })}
          />
        )}
      </Field>
      <Field label={t('crm.password')} hint={props.passwordHint} {...fieldProblem('crm.password')}>
        <Input
          name="crmPassword"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(_, data) => onPasswordChange(data.value)}
        />
      </Field>
    </div>
  );
}
