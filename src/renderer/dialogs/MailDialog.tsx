/** "E-mail import settings": every option of agendas.mail (one way, server -> CRM). */
import { Button, Checkbox, Field, Input, Text } from '@fluentui/react-components';
import { AddRegular, DeleteRegular, MailRegular } from '@fluentui/react-icons';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CategoryCombobox } from '../components/CategoryCombobox.tsx';
import { categoriesOfKind } from '../components/CategoryIcon.tsx';
import { GroupField } from '../components/GroupField.tsx';
import { NumberField } from '../components/NumberField.tsx';
import { PathInput } from '../components/PathInput.tsx';
import { useFieldProblems } from '../components/problems.ts';
import { readyValue } from '../settings/lookups.ts';
import {
  hasProblems,
  parseExtensions,
  validateMail,
  type MailSettings,
} from '../settings/validate.ts';
import { AgendaDialogFrame } from './AgendaDialog.tsx';
import { mergeProblems, type AgendaDialogProps } from './common.tsx';

const P = 'agendas.mail';
/** Found in any mailbox language by the engine. */
const WELL_KNOWN = ['Inbox', 'Sent Items'];

export function MailDialog(props: AgendaDialogProps<MailSettings>) {
  const { value, onSave, onCancel, lookups } = props;
  const { t } = useTranslation();
  const [draft, setDraft] = useState(value);
  const [edited, setEdited] = useState(false);
  const [newFolder, setNewFolder] = useState('');
  const [extensions, setExtensions] = useState(value.attachments.allowedExtensions.join(';'));
  const problems = mergeProblems(validateMail(draft), props.problems, edited);
  const fieldProblem = useFieldProblems(problems);
  const categories = useMemo(
    () => categoriesOfKind(readyValue(lookups)?.categories, 'document'),
    [lookups],
  );
  const change = (patch: Partial<MailSettings>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setEdited(true);
  };
  const attachments = (patch: Partial<MailSettings['attachments']>) =>
    change({ attachments: { ...draft.attachments, ...patch } });
  const addFolder = (name: string) => {
    const trimmed = name.trim();
    if (trimmed === '') return;
    if (!draft.folders.some((f) => f.toLowerCase() === trimmed.toLowerCase())) {
      change({ folders: [...draft.folders, trimmed] });
    }
    setNewFolder('');
  };
  const folderLabel = (name: string) =>
    name === 'Inbox' ? t('mail.inbox') : name === 'Sent Items' ? t('mail.sentItems') : name;
  const suggestions = WELL_KNOWN.filter(
    (w) => !draft.folders.some((f) => f.toLowerCase() === w.toLowerCase()),
  );
  const saving = draft.attachments.save;

  return (
    <AgendaDialogFrame
      title={t('mail.title')}
      icon={<MailRegular />}
      onCancel={onCancel}
      onSubmit={() => {
        if (hasProblems(validateMail(draft))) {
          setEdited(true);
          return false;
        }
        onSave(draft);
        return true;
      }}
    >
      <Text className="muted">{t('mail.oneWay')}</Text>
      <GroupField label={t('mail.folders')} validation={fieldProblem(`${P}.folders`)}>
        <ul className="folder-list" aria-label={t('mail.folders')}>
          {draft.folders.map((name, index) => (
            <li key={name} className="folder-row">
              <MailRegular aria-hidden />
              <Text>{folderLabel(name)}</Text>
              <span className="row-actions">
                <Button
                  appearance="subtle"
                  size="small"
                  icon={<DeleteRegular />}
                  aria-label={t('folders.remove', { name: folderLabel(name) })}
                  title={t('folders.remove', { name: folderLabel(name) })}
                  onClick={() => change({ folders: draft.folders.filter((_, i) => i !== index) })}
                />
              </span>
            </li>
          ))}
        </ul>
        <div className="form-row-inline">
          <Input
            aria-label={t('mail.newFolder')}
            placeholder={t('mail.newFolder')}
            value={newFolder}
            onChange={(_, data) => setNewFolder(data.value)}
            onKeyDown={(ev) => {
              if (ev.key === 'Enter') {
                ev.preventDefault();
                addFolder(newFolder);
              }
            }}
          />
          <Button
            icon={<AddRegular />}
            disabled={newFolder.trim() === ''}
            onClick={() => addFolder(newFolder)}
          >
            {t('common.add')}
          </Button>
          {suggestions.map((name) => (
            <Button
              key={name}
              appearance="subtle"
              icon={<AddRegular />}
              onClick={() => addFolder(name)}
            >
              {folderLabel(name)}
            </Button>
          ))}
        </div>
      </GroupField>
      <NumberField
        label={t('mail.maxAgeDays')}
        value={draft.maxAgeDays}
        unit={t('units.days', { count: Number.isInteger(draft.maxAgeDays) ? draft.maxAgeDays : 5 })}
        validation={fieldProblem(`${P}.maxAgeDays`)}
        onChange={(maxAgeDays) => change({ maxAgeDays })}
      />
      <div className="checks">
        <Checkbox
          label={t('mail.linkToPersons')}
          checked={draft.linkToPersons}
          onChange={(_, data) => change({ linkToPersons: data.checked === true })}
        />
        <Checkbox
          className="indented"
          label={t('mail.linkCompanies')}
          checked={draft.linkCompanies}
          disabled={!draft.linkToPersons}
          onChange={(_, data) => change({ linkCompanies: data.checked === true })}
        />
      </div>
      <fieldset className="fieldset">
        <legend>{t('mail.attachments')}</legend>
        <Checkbox
          label={t('mail.saveAttachments')}
          checked={saving}
          onChange={(_, data) => attachments({ save: data.checked === true })}
        />
        <Field
          label={t('mail.directory')}
          hint={t('mail.directoryHint')}
          {...fieldProblem(`${P}.attachments.directory`)}
        >
          <PathInput
            value={draft.attachments.directory}
            disabled={!saving}
            onChange={(directory) => attachments({ directory })}
            pick={{ kind: 'folder', title: t('mail.directoryPick') }}
          />
        </Field>
        <Field label={t('mail.category')} {...fieldProblem(`${P}.attachments.category`)}>
          <CategoryCombobox
            value={draft.attachments.category}
            categories={categories}
            disabled={!saving}
            onChange={(category) => attachments({ category })}
          />
        </Field>
        <Field
          label={t('mail.allowedExtensions')}
          hint={t('mail.allowedExtensionsHint')}
          {...fieldProblem(`${P}.attachments.allowedExtensions`)}
        >
          <Input
            value={extensions}
            disabled={!saving}
            onChange={(_, data) => {
              setExtensions(data.value);
              attachments({ allowedExtensions: parseExtensions(data.value).list });
            }}
          />
        </Field>
      </fieldset>
    </AgendaDialogFrame>
  );
}
