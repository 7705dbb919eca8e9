/**
 * Step 3, general: how often to check, which agendas (each a checkbox with a gear button
 * opening its settings dialog), start at login; advanced: the conflict policy and the
 * mass-deletion guard.
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
  Option,
  Text,
} from '@fluentui/react-components';
import {
  CalendarRegular,
  ContactCardRegular,
  MailRegular,
  SettingsRegular,
  TaskListSquareLtrRegular,
} from '@fluentui/react-icons';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Settings } from '../../shared/app-api.ts';
import { GroupField } from '../components/GroupField.tsx';
import { NumberField } from '../components/NumberField.tsx';
import { useFieldProblems, useProblemText } from '../components/problems.ts';
import { ContactsDialog } from '../dialogs/ContactsDialog.tsx';
import { EventsDialog } from '../dialogs/EventsDialog.tsx';
import { MailDialog } from '../dialogs/MailDialog.tsx';
import { TasksDialog } from '../dialogs/TasksDialog.tsx';
import type { FoldersState, LookupsState } from '../settings/lookups.ts';
import { AGENDAS, type AgendaName } from '../settings/pages.ts';
import { problemsUnder, type Problems } from '../settings/validate.ts';

const ICONS: Record<AgendaName, ReactNode> = {
  events: <CalendarRegular />,
  tasks: <TaskListSquareLtrRegular />,
  contacts: <ContactCardRegular />,
  mail: <MailRegular />,
};

export interface GeneralStepProps {
  settings: Settings;
  onChange: (settings: Settings) => void;
  problems: Problems;
  lookups: LookupsState;
  folders: FoldersState;
  onLoadFolders: () => void;
  /** Open this agenda's dialog (a failed save named one of its settings); seq repeats it. */
  openAgenda?: { name: AgendaName; seq: number } | undefined;
}

const POLICY_KEY = {
  'newer-wins': 'newerWins',
  'server-wins': 'serverWins',
  'crm-wins': 'crmWins',
} as const;
type Policy = keyof typeof POLICY_KEY;

export function GeneralStep(props: GeneralStepProps) {
  const { settings, onChange, problems, lookups, folders, onLoadFolders } = props;
  const { t } = useTranslation();
  const fieldProblem = useFieldProblems(problems);
  const problemText = useProblemText();
  const [open, setOpen] = useState<AgendaName | undefined>(props.openAgenda?.name);
  useEffect(() => {
    if (props.openAgenda) setOpen(props.openAgenda.name);
  }, [props.openAgenda]);

  const setAgenda = <K extends AgendaName>(name: K, value: Settings['agendas'][K]) =>
    onChange({ ...settings, agendas: { ...settings.agendas, [name]: value } });
  const dialogProps = {
    lookups,
    folders,
    onLoadFolders,
    onCancel: () => setOpen(undefined),
  };
  const guardShare = Math.round(settings.guard.maxDeleteShare * 100);

  return (
    <div className="form-grid">
      <NumberField
        label={t('general.interval')}
        value={settings.schedule.intervalMinutes}
        unit={t('units.minutes', {
          count: Number.isInteger(settings.schedule.intervalMinutes)
            ? settings.schedule.intervalMinutes
            : 5,
        })}
        validation={fieldProblem('schedule.intervalMinutes')}
        onChange={(intervalMinutes) =>
          onChange({ ...settings, schedule: { ...settings.schedule, intervalMinutes } })
        }
      />
      <Field hint={t('general.automaticHint')}>
        <Checkbox
          label={t('general.automatic')}
          checked={settings.schedule.automatic}
          onChange={(_, data) =>
            onChange({
              ...settings,
              schedule: { ...settings.schedule, automatic: data.checked === true },
            })
          }
        />
      </Field>
      <GroupField label={t('general.agendas')} validation={fieldProblem('agendas')}>
        <ul className="agenda-list">
          {AGENDAS.map((name) => {
            const agenda = settings.agendas[name];
            const inner = Object.entries(problemsUnder(problems, `agendas.${name}`)).filter(
              ([field]) => field !== `agendas.${name}.enabled`,
            );
            const own = fieldProblem(`agendas.${name}.enabled`);
            // E-mail import is not in this version: it can be turned off, never on.
            const unavailable = name === 'mail';
            return (
              <li key={name} className="agenda-row">
                <Checkbox
                  label={
                    <span className="category-label">
                      {ICONS[name]}
                      {t(`general.enable.${name}`)}
                    </span>
                  }
                  checked={agenda.enabled}
                  disabled={unavailable && !agenda.enabled}
                  onChange={(_, data) =>
                    setAgenda(name, { ...agenda, enabled: data.checked === true })
                  }
                />
                <Button
                  appearance="subtle"
                  icon={<SettingsRegular />}
                  aria-label={t('general.agendaSettings', { agenda: t(`agenda.${name}`) })}
                  title={t('general.agendaSettings', { agenda: t(`agenda.${name}`) })}
                  onClick={() => setOpen(name)}
                />
                {own.validationMessage && (
                  <Text size={200} className="error-text" role="alert">
                    {own.validationMessage}
                  </Text>
                )}
                {!own.validationMessage && unavailable && (
                  <Text size={200} className="muted">
                    {t('general.mailUnavailable')}
                  </Text>
                )}
                {inner.length > 0 && (
                  <Text size={200} className="error-text" role="alert">
                    {t('general.agendaProblem', { message: problemText(inner[0]?.[1]) ?? '' })}
                  </Text>
                )}
              </li>
            );
          })}
        </ul>
      </GroupField>
      <Checkbox
        label={t('general.startAtLogin')}
        checked={settings.schedule.startAtLogin}
        onChange={(_, data) =>
          onChange({
            ...settings,
            schedule: { ...settings.schedule, startAtLogin: data.checked === true },
          })
        }
      />
      <Accordion collapsible>
        <AccordionItem value="advanced">
          <AccordionHeader>{t('general.advanced')}</AccordionHeader>
          <AccordionPanel>
            <div className="form-grid">
              <Field label={t('conflict.labelGlobal')} hint={t('conflict.hint')}>
                <Dropdown
                  value={t(`conflict.${POLICY_KEY[settings.conflictPolicy]}`)}
                  selectedOptions={[settings.conflictPolicy]}
                  onOptionSelect={(_, data) => {
                    const value = data.optionValue as Policy | undefined;
                    if (value && value in POLICY_KEY)
                      onChange({ ...settings, conflictPolicy: value });
                  }}
                >
                  {(Object.keys(POLICY_KEY) as Policy[]).map((p) => (
                    <Option key={p} value={p}>
                      {t(`conflict.${POLICY_KEY[p]}`)}
                    </Option>
                  ))}
                </Dropdown>
              </Field>
              <Text className="muted">{t('general.guardIntro')}</Text>
              <div className="form-row">
                <NumberField
                  label={t('general.guardShare')}
                  value={guardShare}
                  unit="%"
                  validation={fieldProblem('guard.maxDeleteShare')}
                  onChange={(n) =>
                    onChange({ ...settings, guard: { ...settings.guard, maxDeleteShare: n / 100 } })
                  }
                />
                <NumberField
                  label={t('general.guardCount')}
                  value={settings.guard.maxDeleteCount}
                  validation={fieldProblem('guard.maxDeleteCount')}
                  onChange={(maxDeleteCount) =>
                    onChange({ ...settings, guard: { ...settings.guard, maxDeleteCount } })
                  }
                />
              </div>
            </div>
          </AccordionPanel>
        </AccordionItem>
      </Accordion>

      {open === 'events' && (
        <EventsDialog
          {...dialogProps}
          value={settings.agendas.events}
          problems={problemsUnder(problems, 'agendas.events')}
          onSave={(value) => {
            setAgenda('events', value);
            setOpen(undefined);
          }}
        />
      )}
      {open === 'tasks' && (
        <TasksDialog
          {...dialogProps}
          value={settings.agendas.tasks}
          problems={problemsUnder(problems, 'agendas.tasks')}
          onSave={(value) => {
            setAgenda('tasks', value);
            setOpen(undefined);
          }}
        />
      )}
      {open === 'contacts' && (
        <ContactsDialog
          {...dialogProps}
          value={settings.agendas.contacts}
          problems={problemsUnder(problems, 'agendas.contacts')}
          onSave={(value) => {
            setAgenda('contacts', value);
            setOpen(undefined);
          }}
        />
      )}
      {open === 'mail' && (
        <MailDialog
          {...dialogProps}
          value={settings.agendas.mail}
          problems={problemsUnder(problems, 'agendas.mail')}
          onSave={(value) => {
            setAgenda('mail', value);
            setOpen(undefined);
          }}
        />
      )}
    </div>
  );
}
