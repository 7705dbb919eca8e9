/** "Events synchronisation settings": every option of agendas.events. */
import { Checkbox, Field, Input } from '@fluentui/react-components';
import { CalendarRegular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import { useFieldProblems } from '../components/problems.ts';
import { validateEvents, type EventsSettings } from '../settings/validate.ts';
import { CalendarAgendaDialog, useAgendaDraft } from './CalendarAgendaDialog.tsx';
import type { AgendaDialogProps } from './common.tsx';

const P = 'agendas.events';

export function EventsDialog(props: AgendaDialogProps<EventsSettings>) {
  const { t } = useTranslation();
  const edit = useAgendaDraft(props, validateEvents);
  const { draft, change } = edit;
  const fieldProblem = useFieldProblems(edit.problems);

  return (
    <CalendarAgendaDialog agenda="events" icon={<CalendarRegular />} dialog={props} edit={edit}>
      <Field
        label={t('events.importedStatus')}
        hint={t('events.importedStatusHint')}
        {...fieldProblem(`${P}.importedStatus`)}
      >
        <Input
          value={draft.importedStatus}
          onChange={(_, data) => change({ importedStatus: data.value })}
        />
      </Field>
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
