/**
 * "Export only activities of selected groups" (source document 001): the events and the
 * tasks dialog each have it, for their own agenda (agendas.<agenda>.exportGroups).
 */
import { Radio } from '@fluentui/react-components';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { CheckList } from '../components/CheckList.tsx';
import { GroupField } from '../components/GroupField.tsx';
import type { FieldValidation } from '../components/problems.ts';
import type { EventsSettings } from '../settings/validate.ts';

type ExportGroups = EventsSettings['exportGroups'];

export function ExportGroupsField(props: {
  agenda: 'events' | 'tasks';
  value: ExportGroups;
  /** The CRM's activity groups; undefined while they load. */
  groups: readonly string[] | undefined;
  exporting: boolean;
  validation: FieldValidation;
  onChange: (value: ExportGroups) => void;
}) {
  const { agenda, value, exporting, onChange } = props;
  const { t } = useTranslation();
  const items = useMemo(() => props.groups?.map((name) => ({ name })), [props.groups]);
  return (
    <GroupField
      label={t(`${agenda}.exportGroups`)}
      validation={props.validation}
      hint={exporting ? undefined : t(`${agenda}.exportGroupsImportHint`)}
    >
      <Radio
        name={`${agenda}-export-groups`}
        value="all"
        checked={value.mode === 'all'}
        disabled={!exporting}
        label={t(`${agenda}.exportAll`)}
        onChange={() => onChange({ ...value, mode: 'all' })}
      />
      <Radio
        name={`${agenda}-export-groups`}
        value="selected"
        checked={value.mode === 'selected'}
        disabled={!exporting}
        label={t(`${agenda}.exportSelected`)}
        onChange={() => onChange({ ...value, mode: 'selected' })}
      />
      <div className="indented">
        <CheckList
          aria-label={t(`${agenda}.groupsList`)}
          items={items}
          selected={value.groups}
          disabled={!exporting || value.mode !== 'selected'}
          onChange={(list) => onChange({ ...value, groups: list })}
        />
      </div>
    </GroupField>
  );
}
