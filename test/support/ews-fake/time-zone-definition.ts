// Full EWS TimeZoneDefinitions (Periods, TransitionsGroups, Transitions) for a zone known only
// by Id, as Exchange returns them: ews-javascript-api rejects a definition without them.
import { ianaZone } from './time-zones.ts';
import { esc } from './xml.ts';

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const cache = new Map<string, string>();

function offsetMinutes(zone: string, utcMs: number): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
    .formatToParts(new Date(utcMs))
    .find((p) => p.type === 'timeZoneName')?.value;
  const m = /GMT([+-])(\d\d):(\d\d)/.exec(parts ?? '');
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

function duration(minutes: number): string {
  const sign = minutes < 0 ? '-' : '';
  const a = Math.abs(minutes);
  const h = Math.floor(a / 60);
  const m = a % 60;
  return `${sign}PT${h ? `${h}H` : ''}${m || !h ? `${m}M` : ''}`;
}

interface Change {
  utc: number;
  from: number;
  to: number;
}

/** Offset changes of the zone in 2026 (to the minute). */
function changes(zone: string): Change[] {
  const out: Change[] = [];
  const start = Date.UTC(2026, 0, 1);
  let prev = offsetMinutes(zone, start);
  for (let day = 1; day <= 365; day++) {
    const t = start + day * 86_400_000;
    const off = offsetMinutes(zone, t);
    if (off === prev) continue;
    let lo = t - 86_400_000;
    let hi = t;
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      if (offsetMinutes(zone, mid) === prev) lo = mid;
      else hi = mid;
    }
    out.push({ utc: hi, from: prev, to: off });
    prev = off;
  }
  return out;
}

function recurringDay(to: string, c: Change): string {
  const wall = new Date(c.utc + c.from * 60_000);
  const day = wall.getUTCDate();
  const daysInMonth = new Date(
    Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth() + 1, 0),
  ).getUTCDate();
  const occurrence = day + 7 > daysInMonth ? -1 : Math.ceil(day / 7);
  const offset = wall.getUTCHours() * 60 + wall.getUTCMinutes();
  return (
    `<t:RecurringDayTransition><t:To Kind="Period">${to}</t:To><t:TimeOffset>${duration(offset)}</t:TimeOffset>` +
    `<t:Month>${wall.getUTCMonth() + 1}</t:Month><t:DayOfWeek>${DAY_NAMES[wall.getUTCDay()]}</t:DayOfWeek>` +
    `<t:Occurrence>${occurrence}</t:Occurrence></t:RecurringDayTransition>`
  );
}

/** The inner XML (Periods, TransitionsGroups, Transitions) for a Windows or IANA zone id. */
export function timeZoneDefinitionBody(id: string): string {
  let body = cache.get(id);
  if (body) return body;
  const zone = ianaZone(id);
  const ch = changes(zone);
  const std = ch.length
    ? Math.min(...ch.map((c) => c.from), ...ch.map((c) => c.to))
    : offsetMinutes(zone, Date.UTC(2026, 0, 1));
  const dlt = ch.length ? Math.max(...ch.map((c) => c.to)) : std;
  const stdId = `trule:Microsoft/Registry/${id}/2026-Standard`;
  const dltId = `trule:Microsoft/Registry/${id}/2026-Daylight`;
  let periods = `<t:Period Bias="${duration(-std)}" Name="Standard" Id="${esc(stdId)}"/>`;
  let group: string;
  if (ch.length >= 2) {
    periods += `<t:Period Bias="${duration(-dlt)}" Name="Daylight" Id="${esc(dltId)}"/>`;
    const toDaylight = ch.find((c) => c.to === dlt)!;
    const toStandard = ch.find((c) => c.to === std)!;
    group = recurringDay(esc(dltId), toDaylight) + recurringDay(esc(stdId), toStandard);
  } else {
    group = `<t:Transition><t:To Kind="Period">${esc(stdId)}</t:To></t:Transition>`;
  }
  body =
    `<t:Periods>${periods}</t:Periods><t:TransitionsGroups><t:TransitionsGroup Id="0">${group}</t:TransitionsGroup></t:TransitionsGroups>` +
    `<t:Transitions><t:Transition><t:To Kind="Group">0</t:To></t:Transition></t:Transitions>`;
  cache.set(id, body);
  return body;
}
