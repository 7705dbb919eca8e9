/** Parts the agenda dialogs share: direction, conflict policy, day window, category rules. */
import { Dropdown, Field, Option, Radio } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { AgendaKind, CrmCategoryInfo } from '../../shared/app-api.ts';
import { CategoryCombobox } from '../components/CategoryCombobox.tsx';
import { CategoryPairsEditor } from '../components/CategoryPairsEditor.tsx';
import { NumberField } from '../components/NumberField.tsx';
import { useFieldProblems } from '../components/problems.ts';
import type { FoldersState, LookupsState } from '../settings/lookups.ts';
import type { EventsSettings, Problems } from '../settings/validate.ts';

/** What every agenda dialog is given. */
export interface AgendaDialogProps<T> {
  value: T;
  onSave: (value: T) => void;
  onCancel: () => void;
  lookups: LookupsState;
  folders: FoldersState;
  onLoadFolders?: () => void;
  /** Problems the engine reported when the settings were last saved (full keys). */
  problems?: Problems;
}

export type Direction = EventsSettings['direction'];
export type AgendaConflictPolicy = EventsSettings['conflictPolicy'];

const DIRECTIONS: Direction[] = ['two-way', 'import', 'export'];
const DIRECTION_KEY = { 'two-way': 'twoWay', import: 'import', export: 'export' } as const;

export function DirectionField(props: {
  agenda: AgendaKind;
  value: Direction;
  onChange: (value: Direction) => void;
}) {
  const { agenda, value, onChange } = props;
  const { t } = useTranslation();
  const label = (d: Direction) => t(`direction.${agenda}.${DIRECTION_KEY[d]}`);
  return (
    <Field label={t('direction.label')}>
      <Dropdown
        value={label(value)}
        selectedOptions={[value]}
        onOptionSelect={(_, data) => {
          const next = DIRECTIONS.find((d) => d === data.optionValue);
          if (next) onChange(next);
        }}
      >
        {DIRECTIONS.map((d) => (
          <Option key={d} value={d}>
            {label(d)}
          </Option>
        ))}
      </Dropdown>
    </Field>
  );
}

const POLICIES: AgendaConflictPolicy[] = ['inherit', 'newer-wins', 'server-wins', 'crm-wins'];
const POLICY_KEY = {
  inherit: 'inherit',
  'newer-wins': 'newerWins',
  'server-wins': 'serverWins',
  'crm-wins': 'crmWins',
} as const;

export function ConflictField(props: {
  value: AgendaConflictPolicy;
  onChange: (value: AgendaConflictPolicy) => void;
  direction: Direction;
}) {
  const { value, onChange, direction } = props;
  const { t } = useTranslation();
  const label = (p: AgendaConflictPolicy) => t(`conflict.${POLICY_KEY[p]}`);
  const oneWay = direction !== 'two-way';
  return (
    <Field label={t('conflict.label')} hint={oneWay ? t('conflict.oneWayHint') : undefined}>
      <Dropdown
        value={label(value)}
        selectedOptions={[value]}
        disabled={oneWay}
        onOptionSelect={(_, data) => {
          const next = POLICIES.find((p) => p === data.optionValue);
          if (next) onChange(next);
        }}
      >
        {POLICIES.map((p) => (
          <Option key={p} value={p}>
            {label(p)}
          </Option>
        ))}
      </Dropdown>
    </Field>
  );
}

export function DayWindowFields(props: {
  prefix: string;
  daysPast: number;
  daysFuture: number;
  onChange: (days: { daysPast: number; daysFuture: number }) => void;
  problems: Problems;
}) {
  const { prefix, daysPast, daysFuture, onChange, problems } = props;
  const { t } = useTranslation();
  const fieldProblem = useFieldProblems(problems);
  return (
    <div className="form-row">
      <NumberField
        label={t('days.past')}
        value={daysPast}
        unit={t('units.days', { count: Number.isInteger(daysPast) ? daysPast : 5 })}
        validation={fieldProblem(`${prefix}.daysPast`)}
        onChange={(n) => onChange({ daysPast: n, daysFuture })}
      />
      <NumberField
        label={t('days.future')}
        value={daysFuture}
        unit={t('units.days', { count: Number.isInteger(daysFuture) ? daysFuture : 5 })}
        validation={fieldProblem(`${prefix}.daysFuture`)}
        onChange={(n) => onChange({ daysPast, daysFuture: n })}
      />
    </div>
  );
}

type CategoryRules = Pick<EventsSettings, 'categoryMode' | 'defaultCategory' | 'categoryPairs'>;

export function CategoryRulesFields(props: {
  agenda: 'events' | 'tasks';
  value: CategoryRules;
  onChange: (value: CategoryRules) => void;
  categories: readonly CrmCategoryInfo[];
  problems: Problems;
}) {
  const { agenda, value, onChange, categories, problems } = props;
  const { t } = useTranslation();
  const fieldProblem = useFieldProblems(problems);
  const prefix = `agendas.${agenda}`;
  return (
    <fieldset className="fieldset">
      <legend>{t('categories.legend')}</legend>
      <Radio
        name={`${agenda}-category-mode`}
        value="all"
        checked={value.categoryMode === 'all'}
        label={t(`categories.modeAll.${agenda}`)}
        onChange={() => onChange({ ...value, categoryMode: 'all' })}
      />
      <div className="indented">
        <Field
          label={t('categories.defaultCategory')}
          hint={t(`categories.defaultHint.${agenda}`)}
          {...fieldProblem(`${prefix}.defaultCategory`)}
        >
          <CategoryCombobox
            value={value.defaultCategory}
            categories={categories}
            noneLabel={t('categories.none')}
            placeholder={t('categories.none')}
            disabled={value.categoryMode !== 'all'}
            onChange={(defaultCategory) => onChange({ ...value, defaultCategory })}
          />
        </Field>
      </div>
      <Radio
        name={`${agenda}-category-mode`}
        value="paired"
        checked={value.categoryMode === 'paired'}
        label={t(`categories.modePaired.${agenda}`)}
        onChange={() => onChange({ ...value, categoryMode: 'paired' })}
      />
      <div className="indented">
        <CategoryPairsEditor
          pairs={value.categoryPairs}
          categories={categories}
          field={`${prefix}.categoryPairs`}
          problems={problems}
          disabled={value.categoryMode !== 'paired'}
          onChange={(categoryPairs) => onChange({ ...value, categoryPairs })}
        />
      </div>
    </fieldset>
  );
}

/**
 * The problems to show in a dialog: the local rules on the draft, plus the engine's
 * problems from the last save until the draft changes.
 */
export function mergeProblems(local: Problems, server: Problems | undefined, edited: boolean) {
  return edited || !server ? local : { ...server, ...local };
}
