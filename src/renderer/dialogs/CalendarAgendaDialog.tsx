/**
 * What the events and tasks dialogs share: the draft with its problems and the OK check
 * (useAgendaDraft), and the dialog around the agenda's own fields (CalendarAgendaDialog):
 * the frame, then direction, day window, folders, skip private and category rules, then
 * the agenda's own fields, then the conflict policy.
 */
import { Checkbox, Field, Input } from '@fluentui/react-components';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { categoriesOfKind } from '../components/CategoryIcon.tsx';
import { FolderListField } from '../components/FolderListField.tsx';
import { useFieldProblems } from '../components/problems.ts';
import { readyValue } from '../settings/lookups.ts';
import {
  hasProblems,
  type EventsSettings,
  type Problems,
  type TasksSettings,
} from '../settings/validate.ts';
import { AgendaDialogFrame } from './AgendaDialog.tsx';
import {
  CategoryRulesFields,
  ConflictField,
  DayWindowFields,
  DirectionField,
  mergeProblems,
  type AgendaDialogProps,
} from './common.tsx';

/**
 * A dialog's draft of its agenda's settings: `change` patches it, `problems` are the local
 * rules (plus the engine's until the first change), `submit` is the frame's OK: it saves a
 * draft without problems, or shows them and keeps the dialog open.
 */
export interface AgendaDraft<T> {
  draft: T;
  change: (patch: Partial<T>) => void;
  problems: Problems;
  submit: () => boolean;
}

export function useAgendaDraft<T>(
  props: AgendaDialogProps<T>,
  validate: (draft: T) => Problems,
): AgendaDraft<T> {
  const { value, onSave } = props;
  const [draft, setDraft] = useState(value);
  const [edited, setEdited] = useState(false);
  const problems = mergeProblems(validate(draft), props.problems, edited);
  const change = (patch: Partial<T>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setEdited(true);
  };
  const submit = () => {
    if (hasProblems(validate(draft))) {
      setEdited(true);
      return false;
    }
    onSave(draft);
    return true;
  };
  return { draft, change, problems, submit };
}

type CalendarAgenda = 'events' | 'tasks';

type SharedKey =
  | 'direction'
  | 'daysPast'
  | 'daysFuture'
  | 'importFrom'
  | 'folders'
  | 'allFolders'
  | 'skipPrivate'
  | 'categoryMode'
  | 'defaultCategory'
  | 'categoryPairs'
  | 'conflictPolicy';

/** The settings the events and tasks agendas both have. */
export type CalendarAgendaSettings = Pick<EventsSettings, SharedKey> &
  Pick<TasksSettings, SharedKey>;

const CATEGORY_KIND = { events: 'event', tasks: 'task' } as const;

/**
 * The events or tasks dialog: its title and icon, the fields both agendas have, then
 * `children` (the agenda's own fields), then the conflict policy.
 */
export function CalendarAgendaDialog(props: {
  agenda: CalendarAgenda;
  icon: ReactNode;
  dialog: Pick<AgendaDialogProps<unknown>, 'onCancel' | 'lookups' | 'folders' | 'onLoadFolders'>;
  edit: AgendaDraft<CalendarAgendaSettings>;
  children: ReactNode;
}) {
  const { agenda, icon, children } = props;
  const { onCancel, lookups, folders, onLoadFolders } = props.dialog;
  const { draft: value, change: onChange, problems, submit } = props.edit;
  const { t } = useTranslation();
  const fieldProblem = useFieldProblems(problems);
  const crm = readyValue(lookups);
  const kind = CATEGORY_KIND[agenda];
  const categories = useMemo(() => categoriesOfKind(crm?.categories, kind), [crm, kind]);

  return (
    <AgendaDialogFrame
      title={t(`${agenda}.title`)}
      icon={icon}
      onCancel={onCancel}
      onSubmit={submit}
    >
      <DirectionField
        agenda={agenda}
        value={value.direction}
        onChange={(direction) => onChange({ direction })}
      />
      <DayWindowFields
        prefix={`agendas.${agenda}`}
        daysPast={value.daysPast}
        daysFuture={value.daysFuture}
        problems={problems}
        onChange={onChange}
      />
      <Field
        label={t('days.importFrom')}
        hint={t('days.importFromHint')}
        {...fieldProblem(`agendas.${agenda}.importFrom`)}
      >
        <Input
          type="date"
          value={value.importFrom}
          onChange={(_, data) => onChange({ importFrom: data.value })}
        />
      </Field>
      <Field hint={value.allFolders ? t('folders.allHint') : undefined}>
        <Checkbox
          label={t(`folders.all.${agenda}`)}
          checked={value.allFolders}
          onChange={(_, data) => onChange({ allFolders: data.checked === true })}
        />
      </Field>
      {value.allFolders ? null : (
        <FolderListField
          agenda={agenda}
          value={value.folders}
          folders={folders}
          onLoadFolders={onLoadFolders}
          validation={fieldProblem(`agendas.${agenda}.folders`)}
          onChange={(list) => onChange({ folders: list })}
        />
      )}
      <Checkbox
        label={t(`${agenda}.skipPrivate`)}
        checked={value.skipPrivate}
        onChange={(_, data) => onChange({ skipPrivate: data.checked === true })}
      />
      <CategoryRulesFields
        agenda={agenda}
        value={value}
        categories={categories}
        problems={problems}
        onChange={(rules) => onChange(rules)}
      />
      {children}
      <ConflictField
        value={value.conflictPolicy}
        direction={value.direction}
        onChange={(conflictPolicy) => onChange({ conflictPolicy })}
      />
    </AgendaDialogFrame>
  );
}
