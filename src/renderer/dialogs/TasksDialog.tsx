/** "Tasks synchronisation settings": every option of agendas.tasks. */
import { Checkbox, Radio } from '@fluentui/react-components';
import { TaskListSquareLtrRegular } from '@fluentui/react-icons';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { categoriesOfKind } from '../components/CategoryIcon.tsx';
import { CheckList } from '../components/CheckList.tsx';
import { FolderListField } from '../components/FolderListField.tsx';
import { GroupField } from '../components/GroupField.tsx';
import { useFieldProblems } from '../components/problems.ts';
import { readyValue } from '../settings/lookups.ts';
import { hasProblems, validateTasks, type TasksSettings } from '../settings/validate.ts';
import { AgendaDialogFrame } from './AgendaDialog.tsx';
import {
  CategoryRulesFields,
  ConflictField,
  DayWindowFields,
  DirectionField,
  mergeProblems,
  type AgendaDialogProps,
} from './common.tsx';

const P = 'agendas.tasks';

export function TasksDialog(props: AgendaDialogProps<TasksSettings>) {
  const { value, onSave, onCancel, lookups, folders, onLoadFolders } = props;
  const { t } = useTranslation();
  const [draft, setDraft] = useState(value);
  const [edited, setEdited] = useState(false);
  const problems = mergeProblems(validateTasks(draft), props.problems, edited);
  const fieldProblem = useFieldProblems(problems);
  const crm = readyValue(lookups);
  const categories = useMemo(() => categoriesOfKind(crm?.categories, 'task'), [crm]);
  const groups = useMemo(() => crm?.groups.map((name) => ({ name })), [crm]);
  const change = (patch: Partial<TasksSettings>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setEdited(true);
  };
  const exporting = draft.direction !== 'import';

  return (
    <AgendaDialogFrame
      title={t('tasks.title')}
      icon={<TaskListSquareLtrRegular />}
      onCancel={onCancel}
      onSubmit={() => {
        if (hasProblems(validateTasks(draft))) {
          setEdited(true);
          return false;
        }
        onSave(draft);
        return true;
      }}
    >
      <DirectionField
        agenda="tasks"
        value={draft.direction}
        onChange={(direction) => change({ direction })}
      />
      <DayWindowFields
        prefix={P}
        daysPast={draft.daysPast}
        daysFuture={draft.daysFuture}
        problems={problems}
        onChange={change}
      />
      <FolderListField
        agenda="tasks"
        value={draft.folders}
        folders={folders}
        onLoadFolders={onLoadFolders}
        validation={fieldProblem(`${P}.folders`)}
        onChange={(list) => change({ folders: list })}
      />
      <Checkbox
        label={t('tasks.skipPrivate')}
        checked={draft.skipPrivate}
        onChange={(_, data) => change({ skipPrivate: data.checked === true })}
      />
      <CategoryRulesFields
        agenda="tasks"
        value={draft}
        categories={categories}
        problems={problems}
        onChange={(rules) => change(rules)}
      />
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
      <ConflictField
        value={draft.conflictPolicy}
        direction={draft.direction}
        onChange={(conflictPolicy) => change({ conflictPolicy })}
      />
    </AgendaDialogFrame>
  );
}
