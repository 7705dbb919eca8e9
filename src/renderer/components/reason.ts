/**
 * The engine's reasons and run summaries in the UI language: a reason code becomes
 * `reason.<code>` with its parameters (change times in the locale's format); a code the UI
 * does not know (or none) shows the engine's English text.
 */
import type { TFunction } from 'i18next';
import type { AgendaBrief } from '../../shared/app-api.ts';
import type { Formatters } from '../i18n/format.ts';
import { agendaLabel } from './labels.ts';
import { messageText } from './message.ts';

/** i18next's t with a key built at run time (the typed t takes literal keys only). */
type LooseT = (key: string, options?: Record<string, unknown>) => string;

export interface WithReason {
  reason: string;
  reasonCode: string | null;
  reasonParams: Record<string, string | number>;
  /** A folder-wide item (refused, not synchronised): its reason's message code. */
  errorCode?: string;
  errorParams?: Record<string, string | number>;
}

export function reasonLabel(t: TFunction, item: WithReason, format?: Formatters): string {
  if (!item.reasonCode) return messageText(t, item.reason, item.errorCode, item.errorParams);
  const translated = (t as unknown as LooseT)(`reason.${item.reasonCode}`, {
    ...localised(item.reasonParams, format),
    defaultValue: '',
  });
  if (!translated) return item.reason;
  const notes = notesText(t, item.reasonParams);
  return notes === '' ? translated : `${translated} (${notes})`;
}

/**
 * What the CRM write noted ("Company "Acme" was created"): each note's `note.<code>` when
 * the journal kept the codes (`noteCodes`, JSON) and the UI knows them all, else the
 * engine's English `notes`.
 */
function notesText(t: TFunction, params: Record<string, string | number>): string {
  const english = params.notes === undefined ? '' : String(params.notes);
  if (typeof params.noteCodes !== 'string') return english;
  let coded: unknown;
  try {
    coded = JSON.parse(params.noteCodes);
  } catch {
    return english;
  }
  if (!Array.isArray(coded)) return english;
  const texts: string[] = [];
  for (const entry of coded as unknown[]) {
    const { code, params: values } = (entry ?? {}) as { code?: unknown; params?: unknown };
    if (typeof code !== 'string') return english;
    const text = (t as unknown as LooseT)(`note.${code}`, {
      ...(typeof values === 'object' && values !== null ? values : {}),
      defaultValue: '',
    });
    if (!text) return english;
    texts.push(text);
  }
  return texts.join('; ');
}

/** Change times (parameters named …Time, ISO strings) in the locale's format. */
function localised(
  params: Record<string, string | number>,
  format: Formatters | undefined,
): Record<string, string | number> {
  if (!format) return params;
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(params)) {
    const formatted = key.endsWith('Time') && typeof value === 'string' && format.dateTime(value);
    out[key] = formatted || value;
  }
  return out;
}

/** "12 skipped (private: 8, outside the days: 4)": the filters' share, where known. */
function skippedText(t: TFunction, total: number, by: Record<string, number>): string {
  const skipped = t('summary.skipped', { count: total });
  const reasons = Object.entries(by)
    .filter(([, n]) => n > 0)
    .sort((x, y) => y[1] - x[1])
    .map(([code, n]) => {
      const label = (t as unknown as LooseT)(`skipFilter.${code}`, { defaultValue: code });
      return `${label}: ${n}`;
    });
  return reasons.length
    ? t('summary.skippedWhy', { skipped, reasons: reasons.join(', ') })
    : skipped;
}

/** "Události (Práce): CRM +2 ~1 −0; server +0 ~3 −0, 1 konflikt, 1 položka selhala". */
export function agendaSummary(t: TFunction, a: AgendaBrief): string {
  const head = { agenda: agendaLabel(t, a.agenda), folder: a.folder };
  if (a.aborted) {
    const cause = messageText(t, a.aborted, a.abortedCode, a.abortedParams);
    return t('summary.aborted', { ...head, cause });
  }
  if (a.refused) {
    const cause = messageText(t, a.refused, a.refusedCode, a.refusedParams);
    return t('summary.refused', { ...head, cause });
  }
  const parts = [
    t('summary.line', {
      ...head,
      crmCreated: a.crm.created,
      crmUpdated: a.crm.updated,
      crmDeleted: a.crm.deleted,
      serverCreated: a.server.created,
      serverUpdated: a.server.updated,
      serverDeleted: a.server.deleted,
    }),
  ];
  if (a.conflicts) parts.push(t('summary.conflicts', { count: a.conflicts }));
  if (a.skipped) parts.push(skippedText(t, a.skipped, a.skippedBy ?? {}));
  if (a.failed) parts.push(t('count.failed', { count: a.failed }));
  return parts.join(', ');
}
