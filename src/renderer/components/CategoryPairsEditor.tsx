/**
 * The category pairing editor: rows of CRM category (with its icon) = server category, each
 * removable, and "Add pair". New rows suggest the server name from the CRM one
 * ("HOTLINE" -> "Hotline"), as Outlook categories are usually written. Where the server
 * keeps a category list (Exchange), its names are offered for the server side; any name
 * can still be typed.
 */
import { Button, Combobox, Field, Input, Option, Text } from '@fluentui/react-components';
import { AddRegular, DeleteRegular } from '@fluentui/react-icons';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CrmCategoryInfo } from '../../shared/app-api.ts';
import { useApi } from '../api.ts';
import type { CategoryPair, Problems } from '../settings/validate.ts';
import { CategoryCombobox } from './CategoryCombobox.tsx';
import { GroupField } from './GroupField.tsx';
import { useFieldProblems } from './problems.ts';

export interface CategoryPairsEditorProps {
  pairs: readonly CategoryPair[];
  onChange: (pairs: CategoryPair[]) => void;
  categories: readonly CrmCategoryInfo[];
  /** Settings key of the list ("agendas.events.categoryPairs"), for its problems. */
  field: string;
  problems: Problems;
  disabled?: boolean;
}

/** "HOTLINE" -> "Hotline", "Schůzka" stays. */
export function suggestServerName(crm: string): string {
  const trimmed = crm.trim();
  if (trimmed === '' || trimmed !== trimmed.toUpperCase()) return trimmed;
  return trimmed.charAt(0) + trimmed.slice(1).toLowerCase();
}

/** The configured server's category names ([] when it keeps no list, or is not reachable). */
function useServerCategories(): readonly string[] {
  const api = useApi();
  const [names, setNames] = useState<readonly string[]>([]);
  useEffect(() => {
    let active = true;
    api.listServerCategories().then(
      (result) => {
        if (active && result.ok) setNames(result.value);
      },
      // Only suggestions: without them the names are typed.
      () => undefined,
    );
    return () => {
      active = false;
    };
  }, [api]);
  return names;
}

/** A server category: typed, or one of the server's names (those matching the text first). */
function ServerCategoryBox(props: {
  label: string;
  value: string;
  names: readonly string[];
  placeholder: string;
  disabled?: boolean;
  onChange: (value: string) => void;
}) {
  const { value, names } = props;
  const current = names.find((n) => n.toLowerCase() === value.trim().toLowerCase());
  const shown = useMemo(() => {
    const query = value.trim().toLowerCase();
    if (query === '' || current !== undefined) return names;
    const matching = names.filter((n) => n.toLowerCase().includes(query));
    return matching.length > 0 ? matching : names;
  }, [names, current, value]);
  return (
    <Combobox
      aria-label={props.label}
      freeform
      disabled={props.disabled}
      placeholder={props.placeholder}
      value={value}
      selectedOptions={current === undefined ? [] : [current]}
      onChange={(ev) => props.onChange(ev.target.value)}
      onOptionSelect={(_, data) => {
        if (data.optionValue !== undefined) props.onChange(data.optionValue);
      }}
    >
      {shown.map((name) => (
        <Option key={name} value={name} text={name}>
          {name}
        </Option>
      ))}
    </Combobox>
  );
}

export function CategoryPairsEditor(props: CategoryPairsEditorProps) {
  const { pairs, onChange, categories, field, problems, disabled } = props;
  const { t } = useTranslation();
  const serverNames = useServerCategories();
  const fieldProblem = useFieldProblems(problems);
  const listRef = useRef<HTMLDivElement>(null);

  const update = (index: number, pair: CategoryPair) =>
    onChange(pairs.map((p, i) => (i === index ? pair : p)));

  const add = () => {
    const used = new Set(pairs.map((p) => p.crm.toLowerCase()));
    const next = categories.find((c) => !used.has(c.name.toLowerCase()));
    const crm = next?.name ?? '';
    onChange([...pairs, { crm, server: suggestServerName(crm) }]);
    // Focus the new row's CRM box once it is rendered.
    setTimeout(() => {
      const rows = listRef.current?.querySelectorAll('[role="listitem"]');
      rows?.[rows.length - 1]?.querySelector<HTMLInputElement>('input')?.focus();
    }, 0);
  };

  return (
    <GroupField label={t('categories.pairs')} validation={fieldProblem(field)}>
      <div ref={listRef} role="list" aria-label={t('categories.pairs')} className="pairs-list">
        {pairs.length === 0 && (
          <Text size={200} className="muted">
            {t('categories.noPairs')}
          </Text>
        )}
        {pairs.map((pair, index) => {
          const crmProblem = fieldProblem(`${field}.${index}.crm`);
          const serverProblem = fieldProblem(`${field}.${index}.server`);
          const n = index + 1;
          return (
            <div role="listitem" key={index} className="pair-row">
              <Field {...crmProblem} className="pair-cell">
                <CategoryCombobox
                  aria-label={t('categories.pairCrm', { n })}
                  value={pair.crm}
                  categories={categories}
                  placeholder={t('categories.crmPlaceholder')}
                  disabled={disabled}
                  onChange={(crm) => {
                    const suggested =
                      pair.server === '' || pair.server === suggestServerName(pair.crm)
                        ? suggestServerName(crm)
                        : pair.server;
                    update(index, { crm, server: suggested });
                  }}
                />
              </Field>
              <span aria-hidden className="pair-equals">
                =
              </span>
              <Field {...serverProblem} className="pair-cell">
                {serverNames.length > 0 ? (
                  <ServerCategoryBox
                    label={t('categories.pairServer', { n })}
                    value={pair.server}
                    names={serverNames}
                    placeholder={t('categories.serverPlaceholder')}
                    disabled={disabled}
                    onChange={(server) => update(index, { crm: pair.crm, server })}
                  />
                ) : (
                  <Input
                    aria-label={t('categories.pairServer', { n })}
                    value={pair.server}
                    placeholder={t('categories.serverPlaceholder')}
                    disabled={disabled}
                    onChange={(_, data) => update(index, { crm: pair.crm, server: data.value })}
                  />
                )}
              </Field>
              <Button
                appearance="subtle"
                icon={<DeleteRegular />}
                aria-label={t('categories.removePair', { n, crm: pair.crm || '—' })}
                title={t('common.remove')}
                disabled={disabled}
                onClick={() => onChange(pairs.filter((_, i) => i !== index))}
              />
            </div>
          );
        })}
      </div>
      <div>
        <Button icon={<AddRegular />} onClick={add} disabled={disabled}>
          {t('categories.addPair')}
        </Button>
      </div>
    </GroupField>
  );
}
