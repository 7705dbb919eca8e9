/**
 * Why an action was planned, as a stable code with parameters, and the English sentence the
 * CLI and the journal's `reason` text show. The app translates the code (renderer i18n keys
 * `reason.<code>`); the English here is the fallback for codes it does not know.
 */

export type ReasonParams = Record<string, string | number>;

/** Why an item is outside an agenda's filters (the verdicts of filters.ts). */
export type FilterCode =
  | 'no-contact-category'
  | 'private'
  | 'outside-days'
  | 'no-paired-category'
  | 'outside-branch'
  | 'group-not-exported'
  | 'not-own-task'
  | 'before-import-from';

export const FILTER_CODES: readonly FilterCode[] = [
  'no-contact-category',
  'private',
  'outside-days',
  'no-paired-category',
  'outside-branch',
  'group-not-exported',
  'not-own-task',
  'before-import-from',
];

export interface FilterVerdict {
  code: FilterCode;
  params: ReasonParams;
}

const p = (params: ReasonParams, name: string): string => String(params[name] ?? '');

/** "is outside the synchronised days" (the item is the subject). */
export function filterText(code: FilterCode, params: ReasonParams = {}): string {
  switch (code) {
    case 'no-contact-category':
      return `has none of the synchronised contact categories (${p(params, 'categories')})`;
    case 'private':
      return 'is private, and private items are not synchronised';
    case 'outside-days':
      return 'is outside the synchronised days';
    case 'no-paired-category':
      return 'has no paired category';
    case 'outside-branch':
      return 'is outside the synchronised branch of the classification tree';
    case 'group-not-exported':
      return `is in activity group "${p(params, 'group')}", which is not exported`;
    case 'not-own-task':
      return `belongs to ${p(params, 'owner')}, and only the CRM user's own tasks are imported`;
    case 'before-import-from':
      return `lies before ${p(params, 'date')}, the day import starts from`;
  }
}

/** Reasons worded as full sentences, one code each. */
const TEXTS = {
  'server-unreadable': (x: ReasonParams) =>
    `the server copy could not be read (${p(x, 'error')}); it is left as it is`,
  'deleted-both-sides': () => 'deleted on both sides',
  'deleted-in-crm-changed-on-server': () =>
    'deleted in the CRM but changed on the server since: a change beats a delete, so it comes back to the CRM',
  'deleted-in-crm': () => 'deleted in the CRM',
  'deleted-in-crm-import-only': () =>
    'deleted in the CRM, but the agenda is import-only: the server copy is the master, so it comes back',
  'deleted-on-server-changed-in-crm': () =>
    'deleted on the server but changed in the CRM since: a change beats a delete, so it goes back to the server',
  'deleted-on-server': () => 'deleted on the server; the CRM copy goes to the trash',
  'deleted-on-server-restored': () =>
    'gone from the server, which was emptied or replaced: put back from the CRM, as asked',
  'deleted-on-server-export-only': () =>
    'deleted on the server, but the agenda is export-only: the CRM copy is the master, so it goes back',
  'interrupted-write-landed': () => 'the server has the last write, which an interrupted run sent',
  'server-confirmed-write': () => 'the server confirmed the last write',
  'changed-in-crm': () => 'changed in the CRM',
  'changed-in-crm-import-only': () => 'changed in the CRM, but the agenda is import-only: not sent',
  'changed-on-server': () => 'changed on the server',
  'changed-on-server-export-only': () =>
    'changed on the server, but the agenda is export-only: not imported',
  'changed-both-same': () => 'changed on both sides to the same content',
  'create-not-through': () => 'its creation on the server did not get through',
  'deleted-before-sent': () => 'deleted in the CRM before it reached the server',
  'conflict-import-only': () =>
    'changed on both sides; the server copy wins (the agenda is import-only)',
  'conflict-export-only': () =>
    'changed on both sides; the CRM copy wins (the agenda is export-only)',
  'conflict-server-wins': () => 'changed on both sides; the server copy wins (policy: server wins)',
  'conflict-crm-wins': () => 'changed on both sides; the CRM copy wins (policy: CRM wins)',
  'conflict-no-time': () =>
    'changed on both sides; the server copy wins (policy: newer wins, and one side has no change time, so the server copy is kept)',
  'conflict-newer-crm': (x: ReasonParams) =>
    `changed on both sides; the CRM copy wins (policy: newer wins (CRM changed ${p(x, 'crmTime')}, server ${p(x, 'serverTime')}))`,
  'conflict-newer-server': (x: ReasonParams) =>
    `changed on both sides; the server copy wins (policy: newer wins (CRM changed ${p(x, 'crmTime')}, server ${p(x, 'serverTime')}))`,
  'found-by-identity': () => 'found on both sides by its identity; paired again without copying',
  'found-by-identity-different': () =>
    'found on both sides by its identity, with different content',
  'new-in-crm': () => 'new in the CRM',
  'new-on-server': () => 'new on the server',
  'unreadable-on-server': (x: ReasonParams) =>
    `could not be read (${p(x, 'error')}); left on the server as it is`,
  'linked-to-new-person': (x: ReasonParams) =>
    `an attendee's e-mail address now belongs to a CRM person: linked to ${p(x, 'persons')} person(s) and ${p(x, 'companies')} company(ies)`,
} satisfies Record<string, (params: ReasonParams) => string>;

type SentenceCode = keyof typeof TEXTS;

/** A pair that left a filter: "crm-outside-days", "server-private"... */
export type OutOfFilterCode = `crm-${FilterCode}` | `server-${FilterCode}`;

/** An item never synchronised, as it is outside a filter: "skipped-crm-private"... */
export type SkippedCode = `skipped-${OutOfFilterCode}`;

export type ReasonCode = SentenceCode | OutOfFilterCode | SkippedCode;

export const REASON_CODES: readonly ReasonCode[] = [
  ...(Object.keys(TEXTS) as SentenceCode[]),
  ...FILTER_CODES.map((f): OutOfFilterCode => `crm-${f}`),
  ...FILTER_CODES.map((f): OutOfFilterCode => `server-${f}`),
  ...FILTER_CODES.map((f): SkippedCode => `skipped-crm-${f}`),
  ...FILTER_CODES.map((f): SkippedCode => `skipped-server-${f}`),
];

const SKIPPED = 'skipped-';

/** The filter that kept an item out of the sync, for a "skipped-…" reason; else null. */
export function skippedFilter(code: string | null | undefined): FilterCode | null {
  if (!code?.startsWith(SKIPPED)) return null;
  const filter = code.slice(SKIPPED.length).replace(/^(crm|server)-/, '');
  return (FILTER_CODES as readonly string[]).includes(filter) ? (filter as FilterCode) : null;
}

/** The English sentence of a reason, exactly as the journal and the CLI show it. */
export function reasonText(code: ReasonCode, params: ReasonParams = {}): string {
  if (Object.hasOwn(TEXTS, code)) return TEXTS[code as SentenceCode](params);
  if (code.startsWith(SKIPPED)) {
    const [side, ...rest] = code.slice(SKIPPED.length).split('-');
    const item = side === 'crm' ? 'the CRM item' : 'the server item';
    return `${item} ${filterText(rest.join('-') as FilterCode, params)}: not synchronised`;
  }
  const [side, ...rest] = code.split('-');
  const filter = rest.join('-') as FilterCode;
  const item = side === 'crm' ? 'the CRM item' : 'the server item';
  return `${item} ${filterText(filter, params)}: no longer synchronised; nothing is deleted`;
}

/** The reason fields of a planned action. */
export interface Reason {
  reason: string;
  reasonCode: ReasonCode;
  reasonParams: ReasonParams;
}

export function because(code: ReasonCode, params: ReasonParams = {}): Reason {
  return { reason: reasonText(code, params), reasonCode: code, reasonParams: params };
}
