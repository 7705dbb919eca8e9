/** "Contacts synchronisation settings": every option of agendas.contacts. */
import { Checkbox } from '@fluentui/react-components';
import { ContactCardRegular } from '@fluentui/react-icons';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BranchPicker } from '../components/BranchPicker.tsx';
import { categoriesOfKind } from '../components/CategoryIcon.tsx';
import { CheckList } from '../components/CheckList.tsx';
import { FolderListField } from '../components/FolderListField.tsx';
import { GroupField } from '../components/GroupField.tsx';
import { useFieldProblems } from '../components/problems.ts';
import { readyValue } from '../settings/lookups.ts';
import { hasProblems, validateContacts, type ContactsSettings } from '../settings/validate.ts';
import { AgendaDialogFrame } from './AgendaDialog.tsx';
import { ConflictField, DirectionField, mergeProblems, type AgendaDialogProps } from './common.tsx';

const P = 'agendas.contacts';

export function ContactsDialog(props: AgendaDialogProps<ContactsSettings>) {
  const { value, onSave, onCancel, lookups, folders, onLoadFolders } = props;
  const { t } = useTranslation();
  const [draft, setDraft] = useState(value);
  const [byCategory, setByCategory] = useState(value.categories.length > 0);
  const [edited, setEdited] = useState(false);
  const problems = mergeProblems(validateContacts(draft, byCategory), props.problems, edited);
  const fieldProblem = useFieldProblems(problems);
  const crm = readyValue(lookups);
  const categories = useMemo(
    () => (crm ? categoriesOfKind(crm.categories, 'contact') : undefined),
    [crm],
  );
  const change = (patch: Partial<ContactsSettings>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setEdited(true);
  };

  return (
    <AgendaDialogFrame
      title={t('contacts.title')}
      icon={<ContactCardRegular />}
      onCancel={onCancel}
      onSubmit={() => {
        if (hasProblems(validateContacts(draft, byCategory))) {
          setEdited(true);
          return false;
        }
        onSave(byCategory ? draft : { ...draft, categories: [] });
        return true;
      }}
    >
      <DirectionField
        agenda="contacts"
        value={draft.direction}
        onChange={(direction) => change({ direction })}
      />
      <FolderListField
        agenda="contacts"
        value={draft.folders}
        folders={folders}
        onLoadFolders={onLoadFolders}
        validation={fieldProblem(`${P}.folders`)}
        onChange={(list) => change({ folders: list })}
      />
      <GroupField
        label={t('contacts.categories')}
        validation={fieldProblem(`${P}.categories`)}
        hint={byCategory ? undefined : t('contacts.allCategoriesHint')}
      >
        <Checkbox
          label={t('contacts.onlyCategories')}
          checked={byCategory}
          onChange={(_, data) => {
            setByCategory(data.checked === true);
            setEdited(true);
          }}
        />
        <div className="indented">
          <CheckList
            aria-label={t('contacts.categoriesList')}
            items={categories}
            withIcons
            disabled={!byCategory}
            selected={draft.categories}
            onChange={(list) => change({ categories: list })}
          />
        </div>
      </GroupField>
      <BranchPicker
        tree={crm?.classification}
        value={draft.classificationBranch}
        validation={fieldProblem(`${P}.classificationBranch`)}
        onChange={(classificationBranch) => change({ classificationBranch })}
      />
      <ConflictField
        value={draft.conflictPolicy}
        direction={draft.direction}
        onChange={(conflictPolicy) => change({ conflictPolicy })}
      />
    </AgendaDialogFrame>
  );
}
