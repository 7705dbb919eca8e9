/** Small normalisers shared by the mappers. */

/** Plain code-point order: the model's sorted lists must not depend on the locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The store's value for a model text ('' = none). An empty value keeps a stored '' as it is,
 * so a round trip through the model does not turn '' into NULL (a change nobody made).
 */
export function fromText(value: string, previous: string | null | undefined): string | null {
  if (value !== '') return value;
  return previous === '' ? '' : null;
}

// What the schema's CHECK (email LIKE '_%@_%') accepts, without blanks.
const EMAIL_RE = /^[^\s@]+@[^\s@]+$/;

export function isStorableEmail(value: string): boolean {
  return EMAIL_RE.test(value.trim());
}

/** Digits (and a leading +) of a phone number: "+420 725 656 565" = "+420725656565". */
export function phoneKey(value: string): string {
  return value.replace(/[^\d+]/g, '').replace(/(?!^)\+/g, '');
}

/**
 * A name for case-insensitive comparison. SQLite's NOCASE folds ASCII only, so "ČERNÝ" and
 * "Černý" differ there; Czech names need Unicode case folding.
 */
export function foldName(value: string): string {
  return value.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}
