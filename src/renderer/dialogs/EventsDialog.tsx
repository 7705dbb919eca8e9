/** "Events synchronisation settings": every option of agendas.events. */
import { Checkbox, Dropdown, Field, Option } from '@fluentui/react-components';
import { CalendarRegular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import { useFieldProblems } from '../components/problems.ts';
import { readyValue } from '../settings/lookups.ts';
import {
  validateEvents,
  validateImportedStatus,
  type EventsSettings,
} from '../settings/validate.ts';
import { CalendarAgendaDialog, useAgendaDraft } from './CalendarAgendaDialog.tsx';
import type { AgendaDialogProps } from './common.tsx';
import { ExportGroupsField } from './ExportGroupsField.tsx';

/** The dropdown's "leave it" choice (importedStatus empty). */
const LEAVE = '\u0000leave';

const P = 'agendas.events';

export function EventsDialog(props: AgendaDialogProps<EventsSettings>) {
  const { t } = useTranslation();
  const crm = readyValue(props.lookups);
  // The status is one of the CRM's own (its events' values), checked once they are known.
  const edit = useAgendaDraft(props, (d) => ({
    ...validateEvents(d),
    ...validateImportedStatus(d.importedStatus, crm?.eventStatuses),
  }));
  const { draft, change } = edit;
  const fieldProblem = useFieldProblems(edit.problems);
  const statuses = crm?.eventStatuses ?? [];
  const offered =
    draft.importedStatus === '' || statuses.includes(draft.importedStatus)
      ? statuses
      : [draft.importedStatus, ...statuses];

  return (
    <CalendarAgendaDialog agenda="events" icon={<CalendarRegular />} dialog={props} edit={edit}>
      <Field
        label={t('events.importedStatus')}
        hint={t('events.importedStatusHint')}
        {...fieldProblem(`${P}.importedStatus`)}
      >
        <Dropdown
          value={
            draft.importedStatus === '' ? t('events.importedStatusNone') : draft.importedStatus
          }
          selectedOptions={[draft.importedStatus === '' ? LEAVE : draft.importedStatus]}
          onOptionSelect={(_, data) => {
            const value = data.optionValue ?? LEAVE;
            change({ importedStatus: value === LEAVE ? '' : value });
          }}
        >
          <Option value={LEAVE}>{t('events.importedStatusNone')}</Option>
          {offered.map((status) => (
            <Option key={status} value={status}>
              {status}
            </Option>
          ))}
        </Dropdown>
      </Field>
      <ExportGroupsField
        agenda="events"
        value={draft.exportGroups}
        groups={crm?.groups}
        exporting={draft.direction !== 'import'}
        validation={fieldProblem(`${P}.exportGroups.groups`)}
        onChange={(exportGroups) => change({ exportGroups })}
      />
      <div className="checks">
        <Checkbox
          label={t('events.linkByAttendeeEmail')}
          checked={draft.linkByAttendeeEmail}
          onChange={(_, data) => change({ linkByAttendeeEmail: data.checked === true })}
        />
        <Checkbox
          className="indented"
          label={t('events.linkCompanies')}
          checked={draft.linkCompanies}
          disabled={!draft.linkByAttendeeEmail}
          onChange={(_, data) => change({ linkCompanies: data.checked === true })}
        />
      </div>
    </CalendarAgendaDialog>
  );
}
