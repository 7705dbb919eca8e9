/**
 * A calendar day written YYYY-MM-DD (a real day: no 30 February), or empty. Shared: the
 * settings schema and the renderer's checks next to a date field use the same rule.
 */
export function isCalendarDate(value: string): boolean {
  if (value === '') return true;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}

export const CALENDAR_DATE_EXPECTATION = 'a date like 2026-01-31, or empty';
