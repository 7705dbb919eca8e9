/**
 * A checklist of names (contact categories, activity groups) from the CRM. Names stored in
 * the settings but unknown to the CRM stay listed (so nothing is lost silently); without
 * the CRM's list the names can be typed, separated by ";".
 */
import { Checkbox, Input, Text } from '@fluentui/react-components';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CategoryIcon } from './CategoryIcon.tsx';

export interface CheckListItem {
  name: string;
  icon?: string | null;
}

export interface CheckListProps {
  /** The CRM's names; undefined = not known (the CRM file is not readable). */
  items: readonly CheckListItem[] | undefined;
  selected: readonly string[];
  onChange: (selected: string[]) => void;
  disabled?: boolean;
  /** Accessible name of the list (the group label). */
  'aria-label': string;
  withIcons?: boolean;
}

function splitNames(text: string): string[] {
  return [
    ...new Set(
      text
        .split(';')
        .map((n) => n.trim())
        .filter(Boolean),
    ),
  ];
}

export function CheckList(props: CheckListProps) {
  const { items, selected, onChange, disabled, withIcons } = props;
  const { t } = useTranslation();
  const [typed, setTyped] = useState(selected.join('; '));
  const all = useMemo<CheckListItem[]>(() => {
    if (!items) return [];
    const known = new Set(items.map((i) => i.name.toLowerCase()));
    const extra = selected.filter((n) => !known.has(n.toLowerCase())).map((name) => ({ name }));
    return [...items, ...extra];
  }, [items, selected]);

  if (!items) {
    return (
      <Input
        aria-label={props['aria-label']}
        value={typed}
        disabled={disabled}
        placeholder={t('checklist.typeNames')}
        onChange={(_, data) => {
          setTyped(data.value);
          onChange(splitNames(data.value));
        }}
      />
    );
  }
  if (all.length === 0) {
    return (
      <Text size={200} className="muted">
        {t('checklist.empty')}
      </Text>
    );
  }
  const isOn = (name: string) => selected.some((s) => s.toLowerCase() === name.toLowerCase());
  return (
    <div className="check-list" role="group" aria-label={props['aria-label']}>
      {all.map((item) => (
        <Checkbox
          key={item.name}
          disabled={disabled}
          checked={isOn(item.name)}
          label={
            withIcons ? (
              <span className="category-label">
                <CategoryIcon icon={item.icon} />
                {item.name}
              </span>
            ) : (
              item.name
            )
          }
          onChange={(_, data) =>
            onChange(
              data.checked
                ? [...selected, item.name]
                : selected.filter((s) => s.toLowerCase() !== item.name.toLowerCase()),
            )
          }
        />
      ))}
    </div>
  );
}
