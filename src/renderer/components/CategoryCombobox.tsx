/**
 * A CRM category chosen from the CRM's list (with its icon) or typed: the CRM file may not
 * be readable yet, and the settings store the category by name.
 */
import { Combobox, Option } from '@fluentui/react-components';
import { useMemo } from 'react';
import type { CrmCategoryInfo } from '../../shared/app-api.ts';
import { CategoryIcon } from './CategoryIcon.tsx';

export interface CategoryComboboxProps {
  value: string;
  onChange: (value: string) => void;
  categories: readonly CrmCategoryInfo[];
  placeholder?: string;
  /** A first option meaning "no category" (stored as ""). */
  noneLabel?: string;
  disabled?: boolean;
  id?: string;
  'aria-label'?: string;
  'aria-labelledby'?: string;
}

const NONE = '\u0000none';

export function CategoryCombobox(props: CategoryComboboxProps) {
  const { value, onChange, categories, placeholder, noneLabel } = props;
  const current = categories.find((c) => c.name.toLowerCase() === value.toLowerCase());
  const shown = useMemo(() => {
    const query = value.trim().toLowerCase();
    // Every category while the box holds a full name, else those matching the text (or,
    // when none matches, all of them again).
    if (query === '' || current) return categories;
    const matching = categories.filter((c) => c.name.toLowerCase().includes(query));
    return matching.length > 0 ? matching : categories;
  }, [categories, current, value]);

  return (
    <Combobox
      id={props.id}
      aria-label={props['aria-label']}
      aria-labelledby={props['aria-labelledby']}
      freeform
      disabled={props.disabled}
      placeholder={placeholder}
      value={value}
      selectedOptions={current ? [current.name] : value === '' && noneLabel ? [NONE] : []}
      expandIcon={{ 'aria-hidden': true }}
      onChange={(ev) => onChange(ev.target.value)}
      onOptionSelect={(_, data) => {
        if (data.optionValue === undefined) return;
        onChange(data.optionValue === NONE ? '' : data.optionValue);
      }}
      {...(current ? { contentBefore: <CategoryIcon icon={current.icon} /> } : {})}
    >
      {noneLabel !== undefined && (
        <Option value={NONE} text={noneLabel}>
          {noneLabel}
        </Option>
      )}
      {shown.map((category) => (
        <Option key={category.name} value={category.name} text={category.name}>
          <CategoryIcon icon={category.icon} />
          {category.name}
        </Option>
      ))}
    </Combobox>
  );
}
