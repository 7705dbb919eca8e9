/**
 * A whole-number field: keeps what the user typed, reports NaN for anything that is not a
 * whole number, so the range rule can explain it next to the field.
 */
import { Field, Input } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { parseWhole } from '../settings/validate.ts';
import type { FieldValidation } from './problems.ts';

export interface NumberFieldProps {
  label: string;
  value: number;
  onChange: (value: number) => void;
  /** Shown after the box ("days", "minutes"). */
  unit?: string;
  hint?: string;
  validation: FieldValidation;
  name?: string;
  disabled?: boolean;
}

export function NumberField(props: NumberFieldProps) {
  const { label, value, onChange, unit, hint, validation, name, disabled } = props;
  const [text, setText] = useState(Number.isNaN(value) ? '' : String(value));

  // Follow changes made from outside (a reset), but never rewrite what is being typed.
  useEffect(() => {
    setText((current) =>
      Object.is(parseWhole(current), value) || Number.isNaN(value) ? current : String(value),
    );
  }, [value]);

  return (
    <Field label={label} hint={hint} {...validation}>
      <Input
        name={name}
        inputMode="numeric"
        value={text}
        disabled={disabled}
        contentAfter={unit}
        style={{ maxWidth: '12rem' }}
        onChange={(_, data) => {
          setText(data.value);
          onChange(parseWhole(data.value));
        }}
      />
    </Field>
  );
}
