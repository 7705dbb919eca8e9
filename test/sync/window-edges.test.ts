/**
 * How long the moving day window keeps every item where it is (window-edges.ts): never
 * past an instant where an item enters or leaves it, which is what an idle run relies on.
 */
import { describe, expect, it } from 'vitest';
import { dayWindow, eventInWindow, taskInWindow } from '../../src/core/model/day-window.ts';
import type { EventData, ItemData, TaskData } from '../../src/core/model/items.ts';
import { windowStableUntil } from '../../src/core/sync/window-edges.ts';
import { plainEvent } from '../support/event-data.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const NOW = Date.UTC(2030, 4, 15, 9, 30);
const SPAN = { daysPast: 14, daysFuture: 31, importFrom: null };

function event(startMs: number, hours: number, rrule: string | null = null): EventData {
  return plainEvent('x', {
    start: { utc: new Date(startMs).toISOString(), tz: 'Europe/Prague' },
    end: { utc: new Date(startMs + hours * HOUR).toISOString(), tz: 'Europe/Prague' },
    rrule,
  });
}

function task(dueMs: number): TaskData {
  return {
    kind: 'task',
    subject: 't',
    description: '',
    start: null,
    due: { utc: new Date(dueMs).toISOString(), tz: null },
    completedAt: null,
    percentComplete: 0,
    priority: 'normal',
    isPrivate: false,
    categories: [],
  };
}

function inWindow(item: ItemData, atMs: number): boolean {
  const w = dayWindow(new Date(atMs), SPAN.daysPast, SPAN.daysFuture);
  if (item.kind === 'event') return eventInWindow(item, w);
  if (item.kind === 'task') return taskInWindow(item, w);
  return true;
}

describe('windowStableUntil', () => {
  it('is when an event ahead of the window reaches its far edge', () => {
    const e = event(NOW + 40 * DAY, 2);
    expect(windowStableUntil([e], NOW, SPAN)).toBe(NOW + 40 * DAY - 31 * DAY);
  });

  it('is when an event in the window ends past its near edge', () => {
    const e = event(NOW - 2 * DAY, 3);
    expect(windowStableUntil([e], NOW, SPAN)).toBe(NOW - 2 * DAY + 3 * HOUR + 14 * DAY);
  });

  it('is never for contacts, nor for tasks without dates', () => {
    const undated = { ...task(NOW), due: null };
    expect(windowStableUntil([undated], NOW, SPAN)).toBeNull();
  });

  it('leaves no item on another side of the window before it, series included', () => {
    const items: ItemData[] = [
      event(NOW - 400 * DAY, 1, 'FREQ=WEEKLY;BYDAY=MO'),
      event(NOW - 30 * DAY, 2, 'FREQ=DAILY;COUNT=20'),
      event(NOW + 29 * DAY + 5 * HOUR, 1),
      event(NOW - 15 * DAY, 23),
      task(NOW + 32 * DAY),
      task(NOW - 15 * DAY),
    ];
    const until = windowStableUntil(items, NOW, SPAN);
    expect(until).not.toBeNull();
    expect(until!).toBeGreaterThanOrEqual(NOW);
    for (const item of items) {
      for (const at of [NOW, (NOW + until!) / 2, until! - 1]) {
        expect(inWindow(item, at)).toBe(inWindow(item, NOW));
      }
    }
    // And it is not a day later than the first real change.
    const changesBy = (t: number) => items.some((i) => inWindow(i, t) !== inWindow(i, NOW));
    expect(changesBy(until! + DAY)).toBe(true);
  });

  it('counts "import from" reaching the window\'s far edge', () => {
    const importFrom = new Date(NOW + 40 * DAY).toISOString();
    expect(windowStableUntil([], NOW, { ...SPAN, importFrom })).toBe(NOW + 40 * DAY - 31 * DAY);
  });
});
