/** The controls every server kind's fields are made of, and what a kind's fields are given. */
import { Dropdown, Field, Input, Option } from '@fluentui/react-components';
import type { FieldValidation } from '../../components/problems.ts';

/** A kind's fields: its settings section, a patch to it, and each field's problem. */
export interface KindFieldsProps<Section> {
  value: Section;
  onChange: (patch: Partial<Section>) => void;
  problemOf: (field: string) => FieldValidation;
}

/** A text field named by its settings key (the key is also the input's name). */
export function TextField(props: {
  name: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  problemOf: (field: string) => FieldValidation;
  hint?: string;
  placeholder?: string;
  type?: 'email' | 'url';
  required?: boolean;
}) {
  return (
    <Field
      label={props.label}
      hint={props.hint}
      required={props.required}
      {...props.problemOf(props.name)}
    >
      <Input
        name={props.name}
        type={props.type}
        value={props.value}
        placeholder={props.placeholder}
        onChange={(_, data) => props.onChange(data.value)}
      />
    </Field>
  );
}

export function ChoiceField<T extends string>(props: {
  label: string;
  value: T;
  options: readonly { value: T; text: string }[];
  onChange: (value: T) => void;
  hint?: string;
}) {
  const current = props.options.find((o) => o.value === props.value);
  return (
    <Field label={props.label} hint={props.hint}>
      <Dropdown
        value={current?.text ?? props.value}
        selectedOptions={[props.value]}
        onOptionSelect={(_, data) => {
          const next = props.options.find((o) => o.value === data.optionValue);
          if (next) props.onChange(next.value);
        }}
      >
        {props.options.map((o) => (
          <Option key={o.value} value={o.value}>
            {o.text}
          </Option>
        ))}
      </Dropdown>
    </Field>
  );
}
