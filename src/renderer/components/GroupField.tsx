/**
 * A labelled group of controls (a list, a checklist, a tree) with its problem below it,
 * looking like Fluent's <Field>: the group is named by the label and described by the
 * message, so a screen reader says both.
 */
import { Label, Text, makeStyles, tokens } from '@fluentui/react-components';
import { ErrorCircle12Filled } from '@fluentui/react-icons';
import { useId, type ReactNode } from 'react';
import type { FieldValidation } from './problems.ts';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  message: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalXS,
    color: tokens.colorPaletteRedForeground1,
  },
  hint: { color: tokens.colorNeutralForeground3 },
});

export interface GroupFieldProps {
  label: ReactNode;
  hint?: ReactNode;
  validation?: FieldValidation;
  children: ReactNode;
  className?: string;
}

export function GroupField({ label, hint, validation, children, className }: GroupFieldProps) {
  const styles = useStyles();
  const labelId = useId();
  const messageId = useId();
  const hintId = useId();
  const message = validation?.validationMessage;
  const describedBy = [message ? messageId : '', hint ? hintId : ''].filter(Boolean).join(' ');
  return (
    <div
      role="group"
      aria-labelledby={labelId}
      aria-describedby={describedBy || undefined}
      aria-invalid={message ? true : undefined}
      className={className ? `${styles.root} ${className}` : styles.root}
    >
      <Label id={labelId}>{label}</Label>
      {children}
      {message && (
        <Text size={200} id={messageId} className={styles.message} role="alert">
          <ErrorCircle12Filled aria-hidden />
          {message}
        </Text>
      )}
      {hint && (
        <Text size={200} id={hintId} className={styles.hint}>
          {hint}
        </Text>
      )}
    </div>
  );
}
