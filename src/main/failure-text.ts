/**
 * A failure notification's text in the tray's language: the engine's coded failure
 * (SyncStatus.errorDetail) worded with the window's own translations (src/shared/i18n,
 * `error.<code>` and the summary sentences), else the engine's English.
 *
 * Plain Node (no Electron import).
 */
import type { SyncStatus } from '../shared/app-api.ts';
import { sharedText as text } from './tray-strings.ts';
import type { TrayLanguage } from './tray-strings.ts';

/** SyncStatus.error in `language`; the English sentence when its code is unknown or absent. */
export function failureText(status: SyncStatus, language: TrayLanguage): string | null {
  const english = status.error;
  const detail = status.errorDetail;
  if (english === null || english.trim() === '' || !detail) return english;
  const params = { ...detail.params };
  // An agenda is named by its code ("events"): in the UI's words.
  if (typeof params.agenda === 'string') {
    params.agenda = text(language, `agenda.${params.agenda}`, {}) ?? params.agenda;
  }
  if (typeof params.why === 'string') {
    params.reason = text(language, `certificateWhy.${params.why}`, {}) ?? params.reason ?? '';
  }
  const cause = text(language, `error.${detail.code}`, params);
  if (cause === undefined) return english;
  const agenda = detail.agenda ?? '';
  const head = {
    agenda: text(language, `agenda.${agenda}`, {}) ?? agenda,
    folder: detail.folder ?? '',
    cause,
  };
  switch (detail.scope) {
    case 'run':
      return cause;
    case 'aborted':
      return text(language, 'summary.aborted', head) ?? english;
    case 'refused':
      return text(language, 'summary.refused', head) ?? english;
    case 'items': {
      const count = detail.count ?? 1;
      const form = new Intl.PluralRules(language).select(count);
      const values = { count, label: detail.label ?? '', cause };
      return (
        text(language, `summary.itemsFailed_${form}`, values) ??
        text(language, 'summary.itemsFailed_other', values) ??
        english
      );
    }
  }
}
