/**
 * Exchange's Windows time zone ids <-> the model's IANA names. Reading takes
 * the zone the hint names when it is one of the Windows zone's IANA zones, else the user's
 * own zone when it is, else the zone's main one ("Central Europe Standard Time" is
 * Europe/Prague for a user in Prague, as in the CalDAV mapping). "UTC" reads as tz null.
 */
import { TimeSpan, TimeZoneInfo } from 'ews-javascript-api';
import { codedItemError, ItemError } from '../../errors.ts';
import { ianaZone, processZone } from '../../../time/zone-names.ts';
import { ianaZonesOfWindows, windowsIdsOfIana } from '../../../time/windows-zones.ts';

const UTC_WINDOWS_ID = 'UTC';

function isUtcWindowsId(id: string): boolean {
  return /^(utc|tzone:\/\/microsoft\/utc)$/i.test(id.trim());
}

/**
 * The IANA zone of a Windows zone id; null for UTC. Throws ItemError naming an id it does
 * not know.
 */
export function ianaOfWindows(
  windowsId: string,
  hint: string | null,
  label: string,
): string | null {
  const id = windowsId.trim();
  const zones = ianaZonesOfWindows(id);
  if (
    hint &&
    ianaZone(hint) &&
    windowsIdsOfIana(hint).some((w) => w.toLowerCase() === id.toLowerCase())
  )
    return hint;
  if (isUtcWindowsId(id)) return null;
  const known = zones.map((z) => ianaZone(z)).filter((z): z is string => z !== null);
  const own = processZone();
  if (known.includes(own)) return own;
  const first = known[0];
  if (!first) {
    throw codedItemError(
      `Cannot read "${label}": unknown time zone "${id}".`,
      'item-unknown-time-zone',
      { item: label, zone: id },
    );
  }
  return first;
}

let displayNames: Map<string, string> | undefined;

/** "(UTC+09:00) Osaka, Sapporo, Tokyo" -> "Tokyo Standard Time", from the library's table. */
function windowsIdOfDisplayName(name: string): string | undefined {
  if (!displayNames) {
    displayNames = new Map();
    for (const id of TimeZoneInfo.ListWindowsTimeZones()) {
      try {
        const display = TimeZoneInfo.FindSystemTimeZoneById(id).DisplayName.trim().toLowerCase();
        if (display !== '' && !displayNames.has(display)) displayNames.set(display, id);
      } catch {
        // An entry the library cannot build is no name we could match.
      }
    }
  }
  return displayNames.get(name.trim().toLowerCase());
}

/**
 * The IANA zone (null for UTC) of a name a server gives a zone by: a Windows id, an IANA
 * name or a Windows display name (the legacy TimeZone string, or the Name of a definition
 * the library could not parse). undefined when it names no zone we know.
 */
export function ianaOfZoneName(
  name: string,
  hint: string | null,
  label: string,
): string | null | undefined {
  const trimmed = name.trim();
  if (trimmed === '') return undefined;
  if (isUtcWindowsId(trimmed)) return null;
  if (ianaZonesOfWindows(trimmed).length > 0) return ianaOfWindows(trimmed, hint, label);
  const iana = trimmed.includes('/') ? ianaZone(trimmed) : null;
  if (iana) return iana === 'UTC' || iana === 'Etc/UTC' ? null : iana;
  const windows = windowsIdOfDisplayName(trimmed);
  return windows === undefined ? undefined : ianaOfWindows(windows, hint, label);
}

/** The Windows zone id for an IANA zone; "UTC" for tz null. Throws ItemError when none. */
export function windowsOfIana(iana: string | null, label: string): string {
  if (iana === null) return UTC_WINDOWS_ID;
  const spelled = ianaZone(iana);
  const ids = spelled ? windowsIdsOfIana(spelled) : [];
  const first = ids[0];
  if (!first) {
    throw new ItemError(
      `Cannot write "${label}": time zone "${iana}" has no Windows equivalent Exchange knows.`,
    );
  }
  return first;
}

/**
 * A TimeZoneInfo whose Id is the Windows id: the library sends a time zone as
 * <t:StartTimeZone Id="…" Name="…"/> (no periods), and Exchange resolves the Id itself.
 */
export function timeZoneInfoOf(windowsId: string): TimeZoneInfo {
  try {
    return TimeZoneInfo.FindSystemTimeZoneById(windowsId);
  } catch {
    // A zone newer than the library's table: only the Id matters to the server.
    return TimeZoneInfo.CreateCustomTimeZone(windowsId, TimeSpan.Zero, windowsId, windowsId);
  }
}
