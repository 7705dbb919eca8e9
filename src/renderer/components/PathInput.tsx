/**
 * A path typed in, or chosen with "Browse…" in the system's open dialog (pickPath, answered
 * by main). Goes inside a Fluent <Field>, like the Input it wraps.
 */
import { Button, Input } from '@fluentui/react-components';
import { FolderOpenRegular } from '@fluentui/react-icons';
import type { ReactElement } from 'react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PickPathRequest } from '../../shared/app-api.ts';
import { errorText, useApi } from '../api.ts';

export interface PathInputProps {
  name?: string;
  value: string;
  onChange: (value: string) => void;
  /** A path was chosen in the dialog (after onChange): e.g. read the file at once. */
  onPicked?: (path: string) => void;
  onBlur?: () => void;
  /** What the dialog looks for; its default path is the field's value. */
  pick: Omit<PickPathRequest, 'defaultPath'>;
  contentBefore?: ReactElement;
  placeholder?: string;
  disabled?: boolean;
}

export function PathInput(props: PathInputProps) {
  const { t } = useTranslation();
  const api = useApi();
  const [picking, setPicking] = useState(false);
  const [failure, setFailure] = useState<string | undefined>();

  const browse = async () => {
    setPicking(true);
    setFailure(undefined);
    try {
      const path = await api.pickPath({
        ...props.pick,
        ...(props.value.trim() === '' ? {} : { defaultPath: props.value.trim() }),
      });
      // null: the user cancelled; the field keeps what it had.
      if (path !== null) {
        props.onChange(path);
        props.onPicked?.(path);
      }
    } catch (err) {
      setFailure(errorText(err));
    } finally {
      setPicking(false);
    }
  };

  return (
    <div className="path-input">
      <Input
        name={props.name}
        value={props.value}
        contentBefore={props.contentBefore}
        placeholder={props.placeholder}
        disabled={props.disabled}
        onChange={(_, data) => props.onChange(data.value)}
        onBlur={props.onBlur}
      />
      <Button
        icon={<FolderOpenRegular />}
        disabled={props.disabled || picking}
        title={failure}
        onClick={() => void browse()}
      >
        {t('common.browse')}
      </Button>
    </div>
  );
}
