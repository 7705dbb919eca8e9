/** "Events synchronisation settings": every option of agendas.events. */
import { Checkbox, Field, Input } from '@fluentui/react-components';
import { CalendarRegular } from '@fluentui/react-icons';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { categoriesOfKind } from '../components/CategoryIcon.tsx';
import { FolderListField } from '../components/FolderListField.tsx';
import { useFieldProblems } from '../components/problems.ts';
import { readyValue } from '../settings/lookups.ts';
import { hasProblems, validateEvents, type EventsSettings } from '../settings/validate.ts';
import { AgendaDialogFrame } from './AgendaDialog.tsx';
import {
  CategoryRulesFields,
  ConflictField,
  DayWindowFields,
  DirectionField,
  mergeProblems,
  type AgendaDialogProps,
} from './common.tsx';

const P = 'agendas.events';

export function EventsDialog(props: AgendaDialogProps<EventsSettings>) {
  const { value, onSave, onCancel, lookups, folders, onLoadFolders } = props;
  const { t } = useTranslation();
  const [draft, setDraft] = useState(value);
  const [edited, setEdited] = useState(false);
  const problems = mergeProblems(validateEvents(draft), props.problems, edited);
  const fieldProblem = useFieldProblems(problems);
  const categories = useMemo(
    () => categoriesOfKind(readyValue(lookups)?.categories, 'event'),
    [lookups],
  );
  const change = (patch: Partial<EventsSettings>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setEdited(true);
  };

  return (
    <AgendaDialogFrame
      title={t('events.title')}
      icon={<CalendarRegular />}
      onCancel={onCancel}
      onSubmit={() => {
        if (hasProblems(validateEvents(draft))) {
          setEdited(true);
          return false;
        }
        onSave(draft);
        return true;
      }}
    >
      <DirectionField
        agenda="events"
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
        agenda="events"
        value={draft.folders}
        folders={folders}
        onLoadFolders={onLoadFolders}
        validation={fieldProblem(`${P}.folders`)}
        onChange={(list) => change({ folders: list })}
      />
      <Checkbox
        label={t('events.skipPrivate')}
        checked={draft.skipPrivate}
        onChange={(_, data) => change({ skipPrivate: data.checked === true })}
      />
      <CategoryRulesFields
        agenda="events"
        value={draft}
        categories={categories}
        problems={problems}
        onChange={(rules) => change(rules)}
      />
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
      <ConflictField
        value={draft.conflictPolicy}
        direction={draft.direction}
        onChange={(conflictPolicy) => change({ conflictPolicy })}
      />
    </AgendaDialogFrame>
  );
}
