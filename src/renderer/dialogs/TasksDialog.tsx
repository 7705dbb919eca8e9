/** "Tasks synchronisation settings": every option of agendas.tasks. */
import { Checkbox, Radio } from '@fluentui/react-components';
import { TaskListSquareLtrRegular } from '@fluentui/react-icons';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { CheckList } from '../components/CheckList.tsx';
import { GroupField } from '../components/GroupField.tsx';
import { useFieldProblems } from '../components/problems.ts';
import { readyValue } from '../settings/lookups.ts';
import { validateTasks, type TasksSettings } from '../settings/validate.ts';
import { CalendarAgendaDialog, useAgendaDraft } from './CalendarAgendaDialog.tsx';
import type { AgendaDialogProps } from './common.tsx';

const P = 'agendas.tasks';

export function TasksDialog(props: AgendaDialogProps<TasksSettings>) {
  const { t } = useTranslation();
  const edit = useAgendaDraft(props, validateTasks);
  const { draft, change } = edit;
  const fieldProblem = useFieldProblems(edit.problems);
  const crm = readyValue(props.lookups);
  const groups = useMemo(() => crm?.groups.map((name) => ({ name })), [crm]);
  const exporting = draft.direction !== 'import';

  return (
    <CalendarAgendaDialog
      agenda="tasks"
      icon={<TaskListSquareLtrRegular />}
      dialog={props}
      edit={edit}
    >
      <GroupField
        label={t('tasks.exportGroups')}
        validation={fieldProblem(`${P}.exportGroups.groups`)}
        hint={exporting ? undefined : t('tasks.exportGroupsImportHint')}
      >
        <Radio
          name="tasks-export-groups"
          value="all"
          checked={draft.exportGroups.mode === 'all'}
          disabled={!exporting}
          label={t('tasks.exportAll')}
          onChange={() => change({ exportGroups: { ...draft.exportGroups, mode: 'all' } })}
        />
        <Radio
          name="tasks-export-groups"
          value="selected"
          checked={draft.exportGroups.mode === 'selected'}
          disabled={!exporting}
          label={t('tasks.exportSelected')}
          onChange={() => change({ exportGroups: { ...draft.exportGroups, mode: 'selected' } })}
        />
        <div className="indented">
          <CheckList
            aria-label={t('tasks.groupsList')}
            items={groups}
            selected={draft.exportGroups.groups}
            disabled={!exporting || draft.exportGroups.mode !== 'selected'}
            onChange={(list) => change({ exportGroups: { ...draft.exportGroups, groups: list } })}
          />
        </div>
      </GroupField>
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
