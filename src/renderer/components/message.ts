/**
 * The engine's failure messages in the UI language: a message code becomes `error.<code>`
 * with its parameters; a code the UI does not know (or none) shows the engine's English
 * sentence, so older engines and data keep working.
 */
import type { TFunction } from 'i18next';
import type { FieldProblem, MessageParams, SyncStatus } from '../../shared/app-api.ts';
import { agendaLabel } from './labels.ts';

/** i18next's t with a key built at run time (the typed t takes literal keys only). */
type LooseT = (key: string, options?: Record<string, unknown>) => string;

/** `error.<code>` with `params`, or `english` when there is no code or no such text. */
export function messageText(
  t: TFunction,
  english: string,
  code: string | null | undefined,
  params: MessageParams | undefined,
): string {
  if (!code) return english;
  const values: MessageParams = { ...(params ?? {}) };
  // An agenda is named by its code ("events"): in the UI's words.
  if (typeof values.agenda === 'string') values.agenda = agendaLabel(t, values.agenda);
  // A certificate's reason in the UI's words, where its short code (`why`) is known.
  if (typeof values.why === 'string') {
    const why = (t as unknown as LooseT)(`certificateWhy.${values.why}`, { defaultValue: '' });
    if (why) values.reason = why;
  }
  // What a setting must be, in the UI's words, where its short code (`expects`) is known.
  if (typeof values.expects === 'string') {
    const expectation = (t as unknown as LooseT)(`expectation.${values.expects}`, {
      ...values,
      defaultValue: '',
    });
    if (expectation) values.expectation = expectation;
  }
  const translated = (t as unknown as LooseT)(`error.${code}`, {
    ...values,
    defaultValue: '',
  });
  return translated || english;
}

export function problemText(t: TFunction, problem: FieldProblem): string {
  return messageText(t, problem.message, problem.code, problem.params);
}

/**
 * What is missing before a sync can run (SyncStatus.problems), in the UI language where
 * the status carries the problems' codes (problemDetails), else the engine's English.
 */
export function readinessText(
  t: TFunction,
  status: Pick<SyncStatus, 'problems' | 'problemDetails'>,
): string {
  if (status.problemDetails && status.problemDetails.length > 0) {
    return problemsText(t, status.problemDetails);
  }
  return status.problems.join(' ');
}

/** Several problems as one text (shown above a form). */
export function problemsText(t: TFunction, problems: readonly FieldProblem[]): string {
  return problems.map((p) => problemText(t, p)).join(' ');
}

/**
 * A journal item's error (JournalItem.error) in the UI language: the journal keeps the
 * error's code in the reason's parameters (`errorCode`, `errorParams` as JSON).
 */
export function journalErrorText(
  t: TFunction,
  item: { error: string | null; reasonParams: MessageParams },
): string | null {
  if (item.error === null) return null;
  const { errorCode, errorParams } = item.reasonParams;
  if (typeof errorCode !== 'string') return item.error;
  let params: MessageParams = {};
  try {
    const parsed: unknown = typeof errorParams === 'string' ? JSON.parse(errorParams) : {};
    if (typeof parsed === 'object' && parsed !== null) params = parsed as MessageParams;
  } catch {
    return item.error;
  }
  return messageText(t, item.error, errorCode, params);
}

/** The new failure a status carries (SyncStatus.error), worded in the UI language. */
export function statusErrorText(t: TFunction, status: SyncStatus): string | null {
  const english = status.error;
  const detail = status.errorDetail;
  if (english === null || english === '' || !detail) return english;
  const cause = messageText(t, '', detail.code, detail.params);
  if (cause === '') return english;
  const head = { agenda: agendaLabel(t, detail.agenda ?? ''), folder: detail.folder ?? '' };
  switch (detail.scope) {
    case 'run':
      return cause;
    case 'aborted':
      return t('summary.aborted', { ...head, cause });
    case 'refused':
      return t('summary.refused', { ...head, cause });
    case 'items':
      return t('summary.itemsFailed', {
        count: detail.count ?? 1,
        label: detail.label ?? '',
        cause,
      });
  }
}
