/**
 * The server folders of an agenda: none = the mailbox's default folder; the first one
 * receives new CRM items, further ones sync what is paired with them. "Add folder…" opens
 * a picker of the mailbox's folder tree (only folders of the agenda's kind); when the
 * folders cannot be listed, a folder name or path can be typed instead.
 */
import {
  Badge,
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Spinner,
  Text,
} from '@fluentui/react-components';
import {
  AddRegular,
  ArrowUpRegular,
  DeleteRegular,
  FolderRegular,
  WarningRegular,
} from '@fluentui/react-icons';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AgendaKind, ServerFolderInfo } from '../../shared/app-api.ts';
import {
  defaultFolder,
  findFolder,
  foldersOfKind,
  readyValue,
  type FoldersState,
} from '../settings/lookups.ts';
import { GroupField } from './GroupField.tsx';
import type { FieldValidation } from './problems.ts';
import { TreeSelect, type TreeNode } from './TreeSelect.tsx';

export interface FolderListFieldProps {
  agenda: AgendaKind;
  value: readonly string[];
  onChange: (value: string[]) => void;
  folders: FoldersState;
  /** Lists the folders (again). */
  onLoadFolders?: () => void;
  validation: FieldValidation;
}

/** Folders as a tree by their paths ("Kalendář/Projekty" under "Kalendář"). */
export function folderTree(folders: readonly ServerFolderInfo[], defaultText: string): TreeNode[] {
  const roots: TreeNode[] = [];
  const byPath = new Map<string, TreeNode>();
  const sorted = [...folders].sort((a, b) => a.path.localeCompare(b.path));
  const ensure = (path: string): TreeNode[] => {
    if (path === '') return roots;
    const existing = byPath.get(path);
    if (existing) return existing.children;
    const cut = path.lastIndexOf('/');
    const parent = ensure(cut < 0 ? '' : path.slice(0, cut));
    const name = cut < 0 ? path : path.slice(cut + 1);
    const node: TreeNode = {
      value: `\u0000path:${path}`,
      label: name,
      text: name,
      children: [],
      selectable: false,
      icon: <FolderRegular />,
    };
    parent.push(node);
    byPath.set(path, node);
    return node.children;
  };
  for (const folder of sorted) {
    const path = folder.path || folder.displayName;
    const cut = path.lastIndexOf('/');
    const siblings = ensure(cut < 0 ? '' : path.slice(0, cut));
    const synthetic = byPath.get(path);
    const label = folder.isDefault ? `${folder.displayName} (${defaultText})` : folder.displayName;
    const node: TreeNode = {
      value: folder.id,
      label,
      text: label,
      children: synthetic?.children ?? [],
      icon: <FolderRegular />,
    };
    if (synthetic) {
      siblings.splice(siblings.indexOf(synthetic), 1, node);
    } else {
      siblings.push(node);
    }
    byPath.set(path, node);
  }
  return roots;
}

export function FolderListField(props: FolderListFieldProps) {
  const { agenda, value, onChange, folders, onLoadFolders, validation } = props;
  const { t } = useTranslation();
  const [picking, setPicking] = useState(false);
  const known = readyValue(folders);
  const fallback = known ? defaultFolder(known, agenda) : undefined;

  const openPicker = () => {
    if (folders.state === 'idle' || folders.state === 'failed') onLoadFolders?.();
    setPicking(true);
  };

  return (
    <GroupField
      label={t(`folders.label.${agenda}`)}
      validation={validation}
      hint={value.length > 1 ? t('folders.firstGetsNew') : undefined}
    >
      <ul className="folder-list" aria-label={t(`folders.label.${agenda}`)}>
        {value.length === 0 && (
          <li className="folder-row">
            <FolderRegular aria-hidden />
            <Text>
              {fallback
                ? t(`folders.defaultNamed.${agenda}`, { name: fallback.displayName })
                : t(`folders.default.${agenda}`)}
            </Text>
          </li>
        )}
        {value.map((stored, index) => {
          const folder = known ? findFolder(known, stored) : undefined;
          const name = folder?.displayName ?? stored;
          return (
            <li key={stored} className="folder-row">
              <FolderRegular aria-hidden />
              <Text title={folder?.path}>{name}</Text>
              {index === 0 && value.length > 1 && (
                <Badge appearance="tint" size="small">
                  {t('folders.primary')}
                </Badge>
              )}
              {known && !folder && (
                <Text className="warning" size={200}>
                  <WarningRegular aria-hidden /> {t('folders.notOnServer')}
                </Text>
              )}
              <span className="row-actions">
                {index > 0 && (
                  <Button
                    appearance="subtle"
                    size="small"
                    icon={<ArrowUpRegular />}
                    aria-label={t('folders.moveUp', { name })}
                    title={t('folders.moveUp', { name })}
                    onClick={() => {
                      const next = [...value];
                      next.splice(index - 1, 0, ...next.splice(index, 1));
                      onChange(next);
                    }}
                  />
                )}
                <Button
                  appearance="subtle"
                  size="small"
                  icon={<DeleteRegular />}
                  aria-label={t('folders.remove', { name })}
                  title={t('folders.remove', { name })}
                  onClick={() => onChange(value.filter((_, i) => i !== index))}
                />
              </span>
            </li>
          );
        })}
      </ul>
      <div>
        <Button icon={<AddRegular />} onClick={openPicker}>
          {t('folders.add')}
        </Button>
      </div>
      {picking && (
        <FolderPicker
          agenda={agenda}
          folders={folders}
          exclude={value}
          onLoadFolders={onLoadFolders}
          onCancel={() => setPicking(false)}
          onPick={(picked) => {
            setPicking(false);
            if (!value.includes(picked)) onChange([...value, picked]);
          }}
        />
      )}
    </GroupField>
  );
}

interface FolderPickerProps {
  agenda: AgendaKind;
  folders: FoldersState;
  exclude: readonly string[];
  onLoadFolders: (() => void) | undefined;
  onPick: (stored: string) => void;
  onCancel: () => void;
}

/**
 * The picker opens in place, under the list (a second modal over the agenda dialog would
 * fight it for the focus trap): the mailbox's folders as a tree, or a name to type.
 * Enter adds, Escape closes the picker only.
 */
function FolderPicker(props: FolderPickerProps) {
  const { agenda, folders, exclude, onLoadFolders, onPick, onCancel } = props;
  const { t } = useTranslation();
  const [selected, setSelected] = useState<string | undefined>();
  const [typed, setTyped] = useState('');
  const list = readyValue(folders);
  const nodes = useMemo(
    () =>
      list
        ? folderTree(
            foldersOfKind(list, agenda).filter((f) => !exclude.includes(f.id)),
            t('folders.isDefault'),
          )
        : [],
    [list, agenda, exclude, t],
  );
  const manual = folders.state === 'failed' || (list !== undefined && nodes.length === 0);
  const choice = manual ? typed.trim() : selected;

  return (
    <div
      role="group"
      aria-label={t('folders.pickTitle')}
      className="folder-picker"
      onKeyDown={(ev) => {
        if (ev.key === 'Escape') {
          ev.stopPropagation();
          ev.preventDefault();
          onCancel();
        } else if (ev.key === 'Enter' && (ev.target as HTMLElement).tagName !== 'BUTTON') {
          ev.preventDefault();
          ev.stopPropagation();
          if (choice) onPick(choice);
        }
      }}
    >
      <Text weight="semibold">{t('folders.pickTitle')}</Text>
      {(folders.state === 'loading' || folders.state === 'idle') && (
        <Spinner size="small" label={t('folders.loading')} />
      )}
      {folders.state === 'failed' && (
        <MessageBar intent="warning">
          <MessageBarBody>
            {t('folders.loadFailed', { message: folders.message })}{' '}
            {onLoadFolders && (
              <Button size="small" appearance="transparent" onClick={onLoadFolders}>
                {t('common.retry')}
              </Button>
            )}
          </MessageBarBody>
        </MessageBar>
      )}
      {list && nodes.length > 0 && (
        <div className="tree-box">
          <TreeSelect
            aria-label={t('folders.treeLabel')}
            nodes={nodes}
            value={selected}
            onChange={setSelected}
          />
        </div>
      )}
      {manual && (
        <Field label={t('folders.typeName')} hint={t('folders.typeNameHint')}>
          <Input value={typed} onChange={(_, data) => setTyped(data.value)} />
        </Field>
      )}
      <div className="button-row">
        <Button
          appearance="primary"
          size="small"
          disabled={!choice}
          onClick={() => choice && onPick(choice)}
        >
          {t('common.add')}
        </Button>
        <Button size="small" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </div>
    </div>
  );
}
