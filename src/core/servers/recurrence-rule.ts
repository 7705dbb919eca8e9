/**
 * The model's form of a recurrence rule (an RFC 5545 RRULE value), whichever server's
 * recurrence it was read from: checked, then spelled by ical.js.
 */
import ICAL from 'ical.js';

/** The RRULE normalised by ical.js (parts in its order, unknown X- parts dropped). */
export function normaliseRrule(value: string): string {
  const rule = value.trim().replace(/^RRULE:/i, '');
  // ical.js reads a rule without FREQ as "FREQ=null" (which every later use of it throws
  // on, ending the whole run) and quietly turns INTERVAL=0 into 1; RFC 5545 requires a
  // FREQ, and COUNT and INTERVAL of at least 1.
  const parts = new Map(
    rule.split(';').map((p) => {
      const [name = '', ...rest] = p.split('=');
      return [name.trim().toUpperCase(), rest.join('=').trim()] as const;
    }),
  );
  if (!parts.has('FREQ')) throw new Error('it has no FREQ');
  for (const name of ['COUNT', 'INTERVAL']) {
    const n = parts.get(name);
    if (n !== undefined && !/^0*[1-9]\d*$/.test(n))
      throw new Error(`${name} "${n}" is not a positive number`);
  }
  return ICAL.Recur.fromString(rule).toString();
}
