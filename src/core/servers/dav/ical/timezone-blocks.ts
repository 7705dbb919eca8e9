/**
 * Keeps an object's VTIMEZONEs in step with its TZID parameters after a patch: one
 * definition per TZID still used (existing ones stay as they are unless they contradict
 * the tz database at the times written with them), none for TZIDs no longer used.
 */
import type { Component, ContentLine } from './content-lines.ts';
import { attempt } from './patch.ts';
import { children, firstLine, paramValue, serialiseComponent } from './content-lines.ts';
import { splitUnescaped, unescapeText } from './text.ts';
import { parseTimeValue } from './time-values.ts';
import { agrees, timezoneOf, vtimezoneFor } from './vtimezone.ts';
import type { ZoneContext } from './zone-context.ts';
import { utcWallClock } from '../../../time/zoned-time.ts';
import { ianaZone } from '../../../time/zone-names.ts';

function collect(component: Component, ctx: ZoneContext, out: Map<string, number[]>): void {
  for (const item of component.items) {
    if (item.kind === 'component') {
      if (item.name !== 'VTIMEZONE') collect(item, ctx, out);
      continue;
    }
    const tzid = paramValue(item, 'TZID');
    if (tzid === null) continue;
    const instants = out.get(tzid) ?? [];
    out.set(tzid, instants);
    const zone = ianaZone(tzid);
    if (zone) instants.push(...instantsOf(item, zone, ctx));
  }
}

function instantsOf(line: ContentLine, zone: string, ctx: ZoneContext): number[] {
  const result: number[] = [];
  for (const text of splitUnescaped(line.value, ',')) {
    try {
      const value = parseTimeValue(text);
      if (value.kind === 'date-time' && !value.utc) {
        result.push(ctx.toMs(value.wall, { kind: 'iana', id: zone }));
      }
    } catch {
      // Not a time (a TZID on some other property): nothing to check.
    }
  }
  return result;
}

/**
 * Adds, replaces and removes VTIMEZONEs of a VCALENDAR. `throughYear`: the last year a
 * generated definition must cover (the series' future), or 0.
 */
export function settleTimezones(
  calendar: Component,
  ctx: ZoneContext,
  nowMs: number,
  throughYear: number,
): void {
  const used = new Map<string, number[]>();
  for (const component of children(calendar))
    if (component.name !== 'VTIMEZONE') collect(component, ctx, used);
  const defined = new Map<string, Component>();
  calendar.items = calendar.items.filter((item) => {
    if (item.kind !== 'component' || item.name !== 'VTIMEZONE') return true;
    const tzidLine = firstLine(item, 'TZID');
    const tzid = tzidLine ? unescapeText(tzidLine.value) : '';
    if (!used.has(tzid) || defined.has(tzid)) return false;
    defined.set(tzid, item);
    return true;
  });
  const added: Component[] = [];
  for (const [tzid, found] of used) {
    const zone = ianaZone(tzid);
    if (!zone) continue;
    const instants = found.length > 0 ? found : [nowMs];
    const existing = defined.get(tzid);
    if (existing) {
      const fits =
        attempt(() => agrees(timezoneOf(serialiseComponent(existing)), zone, instants)) ?? false;
      if (fits) continue;
      const replacement = vtimezoneFor(zone, instants, throughYear);
      calendar.items = calendar.items.map((item) => (item === existing ? replacement : item));
    } else {
      added.push(vtimezoneFor(zone, instants, throughYear));
    }
  }
  if (added.length === 0) return;
  // Definitions go before the events that use them: some readers need them first.
  let at = calendar.items.findIndex(
    (item) => item.kind === 'component' && item.name !== 'VTIMEZONE',
  );
  if (at < 0) at = calendar.items.length;
  calendar.items.splice(at, 0, ...added);
}

export function yearOf(ms: number): number {
  return utcWallClock(ms).year;
}
