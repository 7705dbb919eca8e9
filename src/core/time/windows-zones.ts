/**
 * Windows time zone ids ("Central Europe Standard Time", what Exchange and Outlook write)
 * <-> IANA zones, from CLDR's table (windows-iana). Both connectors read Windows ids: the
 * EWS mapping for every item, the iCalendar reader for Outlook's TZIDs.
 */
import { WINDOWS_TO_IANA_MAP, findIana, findWindows } from 'windows-iana';
import { ianaZone } from './zone-names.ts';

/** The IANA zones of a Windows id (exact spelling), with their tz aliases; [] when unknown. */
export function ianaZonesOfWindows(windowsId: string): string[] {
  try {
    return findIana(windowsId);
  } catch {
    return [];
  }
}

/** The Windows ids an IANA zone (or one of its aliases) belongs to; [] when none. */
export function windowsIdsOfIana(iana: string): string[] {
  try {
    return findWindows(iana);
  } catch {
    return [];
  }
}

export interface WindowsZone {
  /** The zone CLDR names for the id's own territory ("001"). */
  primary: string;
  /** Every IANA zone of the id, as Intl spells them, `primary` first. */
  all: string[];
}

let table: Map<string, WindowsZone> | null = null;

/** Lower-case Windows id -> its IANA zones, for matching a name whatever its case. */
export function windowsZones(): ReadonlyMap<string, WindowsZone> {
  if (!table) {
    const built = new Map<string, WindowsZone>();
    for (const entry of WINDOWS_TO_IANA_MAP) {
      const key = entry.windowsName.toLowerCase();
      const zones = entry.iana.map((z) => ianaZone(z)).filter((z): z is string => z !== null);
      const known = built.get(key) ?? { primary: '', all: [] };
      if (entry.territory === '001' && zones[0]) known.primary = zones[0];
      known.all.push(...zones.filter((z) => !known.all.includes(z)));
      built.set(key, known);
    }
    for (const zone of built.values()) {
      if (!zone.primary) zone.primary = zone.all[0] ?? '';
      zone.all = [zone.primary, ...zone.all.filter((z) => z !== zone.primary)];
    }
    table = built;
  }
  return table;
}
