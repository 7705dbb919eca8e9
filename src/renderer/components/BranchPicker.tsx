/**
 * The synchronised branch of the CRM classification tree: a tree of the CRM's nodes with
 * "The whole tree" on top; the setting stores the node's path ("Kontakty/Zákazníci").
 * Without the CRM's tree the path can be typed.
 */
import { Input, Text } from '@fluentui/react-components';
import { OrganizationRegular } from '@fluentui/react-icons';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClassificationNodeInfo } from '../../shared/app-api.ts';
import { GroupField } from './GroupField.tsx';
import type { FieldValidation } from './problems.ts';
import { TreeSelect, type TreeNode } from './TreeSelect.tsx';

/** Distinct from any path (paths have no leading slash). */
const WHOLE_TREE = '/';

function toNodes(nodes: readonly ClassificationNodeInfo[]): TreeNode[] {
  return nodes.map((n) => ({
    value: n.path,
    label: n.name,
    text: n.name,
    children: toNodes(n.children),
  }));
}

function contains(nodes: readonly ClassificationNodeInfo[], path: string): boolean {
  return nodes.some((n) => n.path === path || contains(n.children, path));
}

export interface BranchPickerProps {
  tree: readonly ClassificationNodeInfo[] | undefined;
  value: string;
  onChange: (path: string) => void;
  validation: FieldValidation;
}

export function BranchPicker({ tree, value, onChange, validation }: BranchPickerProps) {
  const { t } = useTranslation();
  const nodes = useMemo<TreeNode[]>(
    () =>
      tree
        ? [
            {
              value: WHOLE_TREE,
              label: t('contacts.wholeTree'),
              text: t('contacts.wholeTree'),
              icon: <OrganizationRegular />,
              children: [],
            },
            ...toNodes(tree),
          ]
        : [],
    [tree, t],
  );
  const unknown = tree !== undefined && value !== '' && !contains(tree, value);
  return (
    <GroupField
      label={t('contacts.branch')}
      validation={validation}
      hint={
        unknown
          ? t('contacts.branchUnknown', { path: value })
          : t('contacts.branchChosen', { path: value === '' ? t('contacts.wholeTree') : value })
      }
    >
      {tree ? (
        <div className="tree-box">
          <TreeSelect
            aria-label={t('contacts.branch')}
            nodes={nodes}
            value={value === '' ? WHOLE_TREE : value}
            onChange={(picked) => onChange(picked === WHOLE_TREE ? '' : picked)}
          />
        </div>
      ) : (
        <>
          <Input
            aria-label={t('contacts.branch')}
            value={value}
            placeholder={t('contacts.branchPlaceholder')}
            onChange={(_, data) => onChange(data.value)}
          />
          <Text size={200} className="muted">
            {t('contacts.branchTypeHint')}
          </Text>
        </>
      )}
    </GroupField>
  );
}
