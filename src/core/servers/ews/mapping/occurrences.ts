/**
 * A series' cancelled and changed occurrences. Exchange lists them on the master
 * (DeletedOccurrences, ModifiedOccurrences with each one's OriginalStart); a changed one is
 * an item of its own (an exception) holding its times and texts. Occurrence writes happen
 * after the master is saved, one occurrence at a time (BindToOccurrence by InstanceIndex).
 *
 * Exchange cannot bring back a cancelled occurrence, nor turn an exception back into a
 * plain occurrence. A cancelled occurrence the CRM wants back, or a change of the series
 * itself (its start, end or rule, after which Exchange drops the exceptions), therefore
 * makes applyToServerItem write the recurrence anew, and occurrenceWrites then redoes every
 * cancellation and change on the fresh series. An exception the CRM no longer has is reset:
 * its start, end, subject, location and body set back to the series' values (Exchange still
 * lists it as modified; the reader drops such an exception, as it changes nothing).
 */
import { AppointmentSchema, ItemSchema, MessageBody, BodyType } from 'ews-javascript-api';
import type {
  Appointment,
  DateTime,
  DeletedOccurrenceInfoCollection,
  OccurrenceInfoCollection,
  TimeZoneInfo,
} from 'ews-javascript-api';
import type { EventData, OccurrenceOverride, When } from '../../../model/items.ts';
import { timesToWrite, writeTimes, zoneOf } from './event-times.ts';
import type { ReadTimes } from './event-times.ts';
import { sameRecurrence } from './recurrence-spec.ts';
import type { SeriesContext } from './recurrence-spec.ts';
import { addDays, dateIn, midnightIn } from '../../../time/calendar-dates.ts';
import { processZone } from '../../../time/zone-names.ts';
import { forEachOccurrenceStart } from '../../../model/day-window.ts';
import { compareText, dateTimeMs, loaded, same, text, textOrNull } from './values.ts';

/** The model's key of an occurrence: its date in an all-day series, else its UTC instant. */
export function occurrenceKey(ms: number, series: ReadTimes): string {
  return series.allDay ? dateIn(ms, series.zone) : new Date(ms).toISOString();
}

export function readExdates(item: Appointment, series: ReadTimes): string[] {
  const deleted = loaded<DeletedOccurrenceInfoCollection>(
    item,
    AppointmentSchema.DeletedOccurrences,
  );
  if (!deleted) return [];
  const keys = new Set<string>();
  for (let i = 0; i < deleted.Count; i++) {
    const info = deleted._getItem(i);
    keys.add(occurrenceKey(dateTimeMs(info.OriginalStart), series));
  }
  return [...keys].sort(compareText);
}

interface SeriesTexts {
  subject: string;
  location: string;
  description: string;
}

function whenOf(ms: number, allDay: boolean, zone: string | null): When {
  return allDay ? { date: dateIn(ms, zone) } : { utc: new Date(ms).toISOString(), tz: zone };
}

/** Start and end of the occurrence `recurrenceId` as the series alone would have it. */
export function plainOccurrence(
  series: Pick<EventData, 'start' | 'end'>,
  recurrenceId: string,
): { start: When; end: When } {
  if ('date' in series.start) {
    const days =
      'date' in series.end
        ? Math.max(
            1,
            Math.round(
              (Date.parse(`${series.end.date}T00:00:00Z`) -
                Date.parse(`${series.start.date}T00:00:00Z`)) /
                86_400_000,
            ),
          )
        : 1;
    return { start: { date: recurrenceId }, end: { date: addDays(recurrenceId, days) } };
  }
  const startMs = Date.parse(recurrenceId);
  const length =
    'utc' in series.end ? Date.parse(series.end.utc) - Date.parse(series.start.utc) : 0;
  const endTz = 'utc' in series.end ? series.end.tz : series.start.tz;
  return {
    start: { utc: new Date(startMs).toISOString(), tz: series.start.tz },
    end: { utc: new Date(startMs + length).toISOString(), tz: endTz },
  };
}

function sameInstant(a: When, b: When): boolean {
  if ('date' in a || 'date' in b) return same(a, b);
  return Date.parse(a.utc) === Date.parse(b.utc);
}

/**
 * Overrides from ModifiedOccurrences and the loaded exception items (keyed by ItemId).
 * Texts equal to the series' read as null; an exception that changes nothing is left out.
 */
export function readOverrides(
  item: Appointment,
  series: ReadTimes,
  texts: SeriesTexts,
  seriesData: Pick<EventData, 'start' | 'end'>,
  exceptions: ReadonlyMap<string, Appointment>,
  label: string,
): OccurrenceOverride[] {
  const modified = loaded<OccurrenceInfoCollection>(item, AppointmentSchema.ModifiedOccurrences);
  if (!modified) return [];
  const out = new Map<string, OccurrenceOverride>();
  for (let i = 0; i < modified.Count; i++) {
    const info = modified._getItem(i);
    const recurrenceId = occurrenceKey(dateTimeMs(info.OriginalStart), series);
    if (out.has(recurrenceId)) continue;
    const exception = exceptions.get(info.ItemId.UniqueId) ?? null;
    const override = exception
      ? overrideOfException(exception, recurrenceId, series, texts, label)
      : {
          recurrenceId,
          start: whenOf(dateTimeMs(info.Start), series.allDay, series.zone),
          end: whenOf(dateTimeMs(info.End), series.allDay, series.zone),
          subject: null,
          location: null,
          description: null,
        };
    if (series.allDay && 'date' in override.end && 'date' in override.start) {
      if (override.end.date <= override.start.date)
        override.end = { date: addDays(override.start.date, 1) };
    }
    const plain = plainOccurrence(seriesData, recurrenceId);
    const unchanged =
      override.subject === null &&
      override.location === null &&
      override.description === null &&
      sameInstant(override.start, plain.start) &&
      sameInstant(override.end, plain.end);
    if (!unchanged) out.set(recurrenceId, override);
  }
  return [...out.values()].sort((a, b) => compareText(a.recurrenceId, b.recurrenceId));
}

function overrideOfException(
  exception: Appointment,
  recurrenceId: string,
  series: ReadTimes,
  texts: SeriesTexts,
  label: string,
): OccurrenceOverride {
  const start = loaded<DateTime>(exception, AppointmentSchema.Start);
  const end = loaded<DateTime>(exception, AppointmentSchema.End);
  const startMs = start ? dateTimeMs(start) : 0;
  const endMs = end ? Math.max(dateTimeMs(end), startMs) : startMs;
  const allDay = loaded<boolean>(exception, AppointmentSchema.IsAllDayEvent) ?? series.allDay;
  const zoneInfo = loaded<TimeZoneInfo>(exception, AppointmentSchema.StartTimeZone);
  const zone = zoneInfo ? zoneOf(zoneInfo, series.zone, label) : series.zone;
  const endInfo = loaded<TimeZoneInfo>(exception, AppointmentSchema.EndTimeZone);
  const endZone = endInfo ? zoneOf(endInfo, zone, label) : zone;
  const subject = text(loaded<string>(exception, ItemSchema.Subject));
  const location = text(loaded<string>(exception, AppointmentSchema.Location));
  const description = text(loaded<MessageBody>(exception, ItemSchema.Body)?.Text);
  return {
    recurrenceId,
    start: whenOf(startMs, allDay, zone),
    end: allDay ? { date: dateIn(endMs, zone) } : whenOf(endMs, false, endZone),
    subject: subject === texts.subject ? null : subject,
    location: location === texts.location ? null : location,
    description: description === texts.description ? null : description,
  };
}

// ---- writing ------------------------------------------------------------------------------

/** The context RRULE parts are read in: the series' start, zone and kind. */
export function seriesContextOf(series: EventData, label: string): SeriesContext {
  if ('date' in series.start) {
    const zone = processZone();
    return { label, allDay: true, zone, startMs: midnightIn(series.start.date, zone) };
  }
  return { label, allDay: false, zone: series.start.tz, startMs: Date.parse(series.start.utc) };
}

/** Whether two RRULEs are the same rule for this series (part order, INTERVAL=1 …). */
export function sameRule(a: string, b: string, series: EventData): boolean {
  return a === b || sameRecurrence(a, b, seriesContextOf(series, series.subject));
}

/**
 * Whether the series on the server must be written anew: its rule, start or end changed,
 * or an occurrence cancelled there is wanted back. applyToServerItem and occurrenceWrites
 * agree on this.
 */
export function seriesRebuilt(current: EventData, wanted: EventData): boolean {
  if (wanted.rrule === null) return false;
  if (current.rrule === null) return true;
  if (!sameRule(current.rrule, wanted.rrule, wanted)) return true;
  if (!same(current.start, wanted.start) || !same(current.end, wanted.end)) return true;
  const wantedExdates = new Set(wanted.exdates);
  return current.exdates.some((d) => !wantedExdates.has(d));
}

export function occurrenceWrites(
  current: EventData | null,
  wanted: EventData,
): { cancel: string[]; change: OccurrenceOverride[]; reset: string[] } {
  if (wanted.rrule === null) return { cancel: [], change: [], reset: [] };
  const fresh = current === null || seriesRebuilt(current, wanted);
  const base = fresh ? { exdates: [], overrides: [] } : current;
  const had = new Set(base.exdates);
  const cancel = wanted.exdates.filter((d) => !had.has(d)).sort(compareText);
  const cancelled = new Set(wanted.exdates);
  const before = new Map(base.overrides.map((o) => [o.recurrenceId, o]));
  // An exception holds its own copy of the texts: when the series' change, those it shares
  // ("null") are written again.
  const textsChanged =
    current !== null &&
    (current.subject !== wanted.subject ||
      current.location !== wanted.location ||
      current.description !== wanted.description);
  const change = wanted.overrides.filter((o) => {
    if (cancelled.has(o.recurrenceId)) return false;
    const old = before.get(o.recurrenceId);
    return !old || !same(old, o) || textsChanged;
  });
  const wantedIds = new Set(wanted.overrides.map((o) => o.recurrenceId));
  const reset = base.overrides
    .map((o) => o.recurrenceId)
    .filter((id) => !wantedIds.has(id) && !cancelled.has(id))
    .sort(compareText);
  return { cancel, change, reset };
}

/** The override that puts an occurrence back to what the series says (for `reset`). */
export function resetOverride(series: EventData, recurrenceId: string): OccurrenceOverride {
  return {
    recurrenceId,
    ...plainOccurrence(series, recurrenceId),
    subject: null,
    location: null,
    description: null,
  };
}

/**
 * Sets an occurrence bound with Appointment.BindToOccurrence to what `override` says
 * (null texts: the series'). Its all-day days are the series' zone's days.
 */
export function applyOverrideToOccurrence(
  occurrence: Appointment,
  series: EventData,
  override: OccurrenceOverride,
  label: string,
): void {
  const keepZone = 'tz' in series.start ? series.start.tz : undefined;
  writeTimes(occurrence, timesToWrite(override.start, override.end, keepZone, label), label);
  occurrence.Subject = textOrNull(override.subject ?? series.subject);
  occurrence.Location = textOrNull(override.location ?? series.location);
  occurrence.Body = new MessageBody(BodyType.Text, override.description ?? series.description);
}

// ---- InstanceIndex ------------------------------------------------------------------------

/**
 * 1-based position of the occurrence whose original start is `recurrenceId`, counting every
 * occurrence of the rule from the series start (cancelled ones too), as Exchange's
 * InstanceIndex does; null when the rule has no such occurrence. The engine's expansion
 * (in the series' zone, UNTIL compared as an instant) gives the order.
 */
export function instanceIndex(series: EventData, recurrenceId: string): number | null {
  const allDay = 'date' in series.start;
  const target = allDay ? Date.parse(`${recurrenceId}T00:00:00Z`) : Date.parse(recurrenceId);
  if (!series.rrule || Number.isNaN(target)) return null;
  let index = 0;
  let found: number | null = null;
  forEachOccurrenceStart(series, (ms) => {
    index++;
    if (ms === target) found = index;
    return ms < target;
  });
  return found;
}
