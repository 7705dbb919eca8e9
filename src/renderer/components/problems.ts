/** Showing a field's problem next to it (Fluent <Field validationMessage>). */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { Problem, Problems } from '../settings/validate.ts';
import { problemsText } from './message.ts';

export function useProblemText(): (problem: Problem | undefined) => string | undefined {
  const { t } = useTranslation();
  return useCallback(
    (problem) => {
      if (problem === undefined) return undefined;
      if ('text' in problem) return problem.engine ? problemsText(t, problem.engine) : problem.text;
      return t(`validation.${problem.key}`, problem.values ?? {});
    },
    [t],
  );
}

export interface FieldValidation {
  validationState: 'error' | 'none';
  validationMessage: string | undefined;
}

/** `fieldProps("agendas.events.daysPast")` -> the Field props showing that key's problem. */
export function useFieldProblems(problems: Problems): (field: string) => FieldValidation {
  const text = useProblemText();
  return useCallback(
    (field) => {
      const message = text(problems[field]);
      return message === undefined
        ? { validationState: 'none', validationMessage: undefined }
        : { validationState: 'error', validationMessage: message };
    },
    [problems, text],
  );
}

/** Moves the focus to the first field marked invalid inside `root` (after a failed OK). */
export function focusFirstInvalid(root: HTMLElement | null): void {
  const invalid = root?.querySelector<HTMLElement>('[aria-invalid="true"]');
  invalid?.focus();
}
