/**
 * What the settings can ask for but this version cannot do yet: Microsoft 365 (Graph) and
 * e-mail import. Said plainly wherever it matters (readiness, `status`, the app), and a sync
 * asked to do either exits 6 ("not available in this version") before it touches anything,
 * on every server kind: a setting that silently does nothing would be a broken promise.
 */
import type { MessageCode, MessageParams } from '../message-codes.ts';
import type { Settings } from './schema.ts';

export interface UnavailableFeature {
  /** The dotted settings key that asks for it. */
  field: string;
  /** One English sentence: what is not available and what to do instead. */
  message: string;
  /** The `crm-sync` command that turns it off. */
  cliFix: string;
  code: MessageCode;
  params: MessageParams;
}

/** The sentence `status` shows next to an agenda or server kind that is not available. */
export const NOT_AVAILABLE = 'not available in this version';

export function unavailableFeatures(settings: Settings): UnavailableFeature[] {
  const out: UnavailableFeature[] = [];
  if (settings.connection.kind === 'm365') {
    out.push({
      field: 'connection.kind',
      message:
        'Microsoft 365 (connection.kind "m365") is not available in this version: connect to it as Exchange ("exchange") where the organisation still offers EWS, or choose a CalDAV/CardDAV server ("dav").',
      cliFix: 'crm-sync config set connection.kind exchange (or dav)',
      code: 'readiness-m365-unavailable',
      params: { field: 'connection.kind' },
    });
  }
  if (settings.agendas.mail.enabled) {
    out.push({
      field: 'agendas.mail.enabled',
      message:
        'E-mail import (agendas.mail.enabled) is not available in this version: turn it off; events, tasks and contacts synchronise without it.',
      cliFix: 'crm-sync config set agendas.mail.enabled false',
      code: 'readiness-mail-unavailable',
      params: { field: 'agendas.mail.enabled' },
    });
  }
  return out;
}
