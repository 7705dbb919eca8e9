/**
 * IANA time zone names through Intl (Node's ICU carries the full tz database): which names
 * are zones, how the tz database spells them, and the zone the process runs in.
 */
import { tzlib_get_timezones } from 'timezones-ical-library';

let knownNames: Map<string, string> | null = null;

// Lower-case name -> spelling, for the names both the tz library and Intl know.
function names(): Map<string, string> {
  if (!knownNames) {
    knownNames = new Map();
    const lib = tzlib_get_timezones();
    const all = [...(Array.isArray(lib) ? lib : []), ...Intl.supportedValuesOf('timeZone'), 'UTC'];
    for (const name of all) if (isValidTimeZone(name)) knownNames.set(name.toLowerCase(), name);
  }
  return knownNames;
}

// Answers kept: building a formatter to ask costs more than the rest of an item's mapping.
// Bounded, since zone names come from server data.
const validity = new Map<string, boolean>();
const VALIDITY_KEPT = 2048;

/** True when Intl knows the zone id. */
export function isValidTimeZone(name: string): boolean {
  const known = validity.get(name);
  if (known !== undefined) return known;
  let valid: boolean;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    valid = true;
  } catch {
    valid = false;
  }
  if (validity.size >= VALIDITY_KEPT) validity.clear();
  validity.set(name, valid);
  return valid;
}

/**
 * The IANA zone a name stands for, spelled as the tz database spells it, or null. Aliases
 * ("Europe/Kiev", "US/Eastern") stay as they are: they are what the user's CRM chose.
 */
export function ianaZone(name: string): string | null {
  const trimmed = name.trim();
  const known = names().get(trimmed.toLowerCase());
  if (known) return known;
  // Intl also takes offsets ("+01:00") as zones; those are not zone names.
  return /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(trimmed) && isValidTimeZone(trimmed)
    ? trimmed
    : null;
}

/** Every canonical IANA zone name Intl lists. */
export function allIanaZones(): readonly string[] {
  return Intl.supportedValuesOf('timeZone');
}

/** The zone the process runs in (the CRM user's zone on a desktop). */
export function processZone(): string {
  // TZ as set, when it names a zone: Intl would report ICU's canonical id ("Asia/Calcutta"
  // for "Asia/Kolkata").
  const fromEnv = process.env.TZ ? ianaZone(process.env.TZ.replace(/^:/, '')) : null;
  return fromEnv ?? new Intl.DateTimeFormat().resolvedOptions().timeZone;
}
