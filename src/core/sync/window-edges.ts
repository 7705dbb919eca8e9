/**
 * How long the agenda's day window keeps every item on the side of its edges where it is
 * now. The window moves with the clock, so items enter it (an occurrence's start passes
 * its far edge) and leave it (an occurrence's end passes its near edge) as time goes by,
 * with nothing changed on either side. A run that relies on an earlier run's plan
 * (idle-marks.ts) may do so only before the first such instant.
 */
import { forEachOccurrenceStart, whenMs } from '../model/day-window.ts';
import type { EventData, ItemData } from '../model/items.ts';

const DAY_MS = 86_400_000;

export interface WindowSpan {
  daysPast: number;
  daysFuture: number;
  /** The agenda's "import from" instant (UTC ISO), which bounds imports up to the window's end. */
  importFrom: string | null;
}

/**
 * The first instant (epoch ms, at or after `nowMs`) at which some item's place in the
 * window (or under "import from") may change; null when none ever can. It errs early: an
 * instant where nothing would change in the end only costs a full run.
 */
export function windowStableUntil(
  items: Iterable<ItemData>,
  nowMs: number,
  span: WindowSpan,
): number | null {
  const past = span.daysPast * DAY_MS;
  const future = span.daysFuture * DAY_MS;
  let first: number | null = null;
  const consider = (t: number): void => {
    if (t >= nowMs && (first === null || t < first)) first = t;
  };
  // "import from" is compared with the window's far edge: the two cross once.
  if (span.importFrom !== null) consider(Date.parse(span.importFrom) - future);
  for (const data of items) {
    if (data.kind === 'contact') continue;
    if (data.kind === 'task') {
      // taskInWindow: due (else start) within a day's slack of either edge.
      const when = data.due ?? data.start;
      if (!when) continue;
      const ms = whenMs(when);
      consider(ms - future - DAY_MS);
      consider(ms + past + DAY_MS);
      continue;
    }
    try {
      eventEdges(data, { past, future, importFrom: span.importFrom !== null }, nowMs, consider);
    } catch {
      consider(nowMs); // a rule that cannot be expanded: no span to rely on
    }
  }
  return first;
}

/**
 * eventInWindow: a series is in the window while any occurrence is. In it now, it stays in
 * at least until the first occurrence found in it ends past the near edge; out of it, it
 * can only come in when its next occurrence reaches the far edge. Under "import from" (a
 * bound whose start does not move) every occurrence up to the far edge counts.
 */
function eventEdges(
  event: EventData,
  span: { past: number; future: number; importFrom: boolean },
  nowMs: number,
  consider: (t: number) => void,
): void {
  const { past, future } = span;
  const leaves = (start: number, end: number): number => Math.max(end, start + 1) + past;
  const start = whenMs(event.start);
  const end = whenMs(event.end);
  if (!event.rrule) {
    consider(start - future);
    consider(leaves(start, end));
    return;
  }
  const from = nowMs - past;
  const to = nowMs + future;
  const overlaps = (s: number, e: number): boolean => s < to && Math.max(e, s + 1) > from;
  const duration = end - start;
  if (!span.importFrom) {
    for (const o of event.overrides) {
      const [s, e] = [whenMs(o.start), whenMs(o.end)];
      if (overlaps(s, e)) return consider(leaves(s, e));
    }
    const skip = new Set([...event.exdates, ...event.overrides.map((o) => o.recurrenceId)]);
    let found = false;
    forEachOccurrenceStart(event, (occStart, recurrenceId) => {
      if (occStart >= to) return false;
      if (!skip.has(recurrenceId) && overlaps(occStart, occStart + duration)) {
        consider(leaves(occStart, occStart + duration));
        found = true;
        return false;
      }
      return true;
    });
    if (found) return;
  }
  // Every occurrence's instants, up to the first that reaches the far edge only after now
  // (later ones do so later still).
  const occurrence = (s: number, e: number): void => {
    consider(s - future);
    consider(leaves(s, e));
  };
  occurrence(start, end);
  for (const o of event.overrides) occurrence(whenMs(o.start), whenMs(o.end));
  forEachOccurrenceStart(event, (occStart) => {
    occurrence(occStart, occStart + duration);
    return occStart - future < nowMs;
  });
}
