/** "Tasks synchronisation settings": every option of agendas.tasks. */
import { Checkbox } from '@fluentui/react-components';
import { TaskListSquareLtrRegular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import { useFieldProblems } from '../components/problems.ts';
import { readyValue } from '../settings/lookups.ts';
import { validateTasks, type TasksSettings } from '../settings/validate.ts';
import { CalendarAgendaDialog, useAgendaDraft } from './CalendarAgendaDialog.tsx';
import type { AgendaDialogProps } from './common.tsx';
import { ExportGroupsField } from './ExportGroupsField.tsx';

const P = 'agendas.tasks';

export function TasksDialog(props: AgendaDialogProps<TasksSettings>) {
  const { t } = useTranslation();
  const edit = useAgendaDraft(props, validateTasks);
  const { draft, change } = edit;
  const fieldProblem = useFieldProblems(edit.problems);
  const crm = readyValue(props.lookups);
  const exporting = draft.direction !== 'import';

  return (
    <CalendarAgendaDialog
      agenda="tasks"
      icon={<TaskListSquareLtrRegular />}
      dialog={props}
      edit={edit}
    >
      <ExportGroupsField
        agenda="tasks"
        value={draft.exportGroups}
        groups={crm?.groups}
        exporting={exporting}
        validation={fieldProblem(`${P}.exportGroups.groups`)}
        onChange={(exportGroups) => change({ exportGroups })}
      />
      <div className="checks">
        <Checkbox
          label={t('tasks.showInCalendarAsEvent')}
          checked={draft.showInCalendarAsEvent}
          onChange={(_, data) => change({ showInCalendarAsEvent: data.checked === true })}
        />
        <Checkbox
          label={t('tasks.ownerOnly')}
          checked={draft.ownerOnly}
          onChange={(_, data) => change({ ownerOnly: data.checked === true })}
        />
      </div>
    </CalendarAgendaDialog>
  );
}
