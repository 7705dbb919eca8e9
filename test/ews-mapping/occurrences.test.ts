import { describe, expect, it } from 'vitest';
import type { Appointment } from 'ews-javascript-api';
import {
  applyOverrideToOccurrence,
  instanceIndex,
  newServerItem,
  occurrenceWrites,
  readServerItem,
  resetOverride,
} from '../../src/core/servers/ews/mapping/index.ts';
import type { OccurrenceOverride } from '../../src/core/model/items.ts';
import { offlineService } from './support/offline.ts';
import { event } from './support/items.ts';

// Monday 30 March 2026 09:00 Prague (07:00 UTC, summer time from 29 March).
const weekly = event({ rrule: 'FREQ=WEEKLY;BYDAY=MO' });

describe('instanceIndex', () => {
  it('counts every occurrence of a weekly series, a cancelled week included', () => {
    const skipped = { ...weekly, exdates: ['2026-04-06T07:00:00.000Z'] };
    expect(instanceIndex(skipped, '2026-03-30T07:00:00.000Z')).toBe(1);
    expect(instanceIndex(skipped, '2026-04-06T07:00:00.000Z')).toBe(2);
    expect(instanceIndex(skipped, '2026-04-13T07:00:00.000Z')).toBe(3);
  });

  it('keeps the wall-clock time across DST (October occurrences are an hour later in UTC)', () => {
    expect(instanceIndex(weekly, '2026-10-26T08:00:00.000Z')).toBe(31);
    expect(instanceIndex(weekly, '2026-10-26T07:00:00.000Z')).toBeNull();
  });

  it('finds the last Friday of each month', () => {
    const lastFriday = event({
      start: { utc: '2026-01-30T08:00:00.000Z', tz: 'Europe/Prague' },
      end: { utc: '2026-01-30T09:00:00.000Z', tz: 'Europe/Prague' },
      rrule: 'FREQ=MONTHLY;BYDAY=-1FR',
    });
    expect(instanceIndex(lastFriday, '2026-01-30T08:00:00.000Z')).toBe(1);
    expect(instanceIndex(lastFriday, '2026-02-27T08:00:00.000Z')).toBe(2);
    // 27 March is still winter time; 24 April is summer time (07:00 UTC).
    expect(instanceIndex(lastFriday, '2026-03-27T08:00:00.000Z')).toBe(3);
    expect(instanceIndex(lastFriday, '2026-04-24T07:00:00.000Z')).toBe(4);
    expect(instanceIndex(lastFriday, '2026-04-17T07:00:00.000Z')).toBeNull();
  });

  it('counts days of an all-day daily series by date', () => {
    const daily = event({
      start: { date: '2026-03-28' },
      end: { date: '2026-03-29' },
      rrule: 'FREQ=DAILY;COUNT=5',
    });
    expect(instanceIndex(daily, '2026-03-28')).toBe(1);
    expect(instanceIndex(daily, '2026-03-30')).toBe(3);
    expect(instanceIndex(daily, '2026-04-01')).toBe(5);
    expect(instanceIndex(daily, '2026-04-02')).toBeNull();
  });

  it('includes the occurrence on the UNTIL instant and nothing after it', () => {
    const until = { ...weekly, rrule: 'FREQ=WEEKLY;BYDAY=MO;UNTIL=20260413T070000Z' };
    expect(instanceIndex(until, '2026-04-13T07:00:00.000Z')).toBe(3);
    expect(instanceIndex(until, '2026-04-20T07:00:00.000Z')).toBeNull();
  });

  it('gives null for a single event', () => {
    expect(instanceIndex(event(), '2026-03-30T07:00:00.000Z')).toBeNull();
  });
});

const moved = (recurrenceId: string, hours: number): OccurrenceOverride => ({
  recurrenceId,
  start: {
    utc: new Date(Date.parse(recurrenceId) + hours * 3_600_000).toISOString(),
    tz: 'Europe/Prague',
  },
  end: {
    utc: new Date(Date.parse(recurrenceId) + (hours + 1) * 3_600_000).toISOString(),
    tz: 'Europe/Prague',
  },
  subject: null,
  location: null,
  description: null,
});

describe('occurrenceWrites', () => {
  const a = '2026-04-06T07:00:00.000Z';
  const b = '2026-04-13T07:00:00.000Z';
  const c = '2026-04-20T07:00:00.000Z';

  it('cancels and changes everything on a new series', () => {
    const wanted = { ...weekly, exdates: [a], overrides: [moved(b, 2)] };
    expect(occurrenceWrites(null, wanted)).toEqual({
      cancel: [a],
      change: [moved(b, 2)],
      reset: [],
    });
  });

  it('writes only what differs from the server', () => {
    const current = { ...weekly, exdates: [a], overrides: [moved(b, 2), moved(c, 1)] };
    const wanted = { ...weekly, exdates: [a, c], overrides: [moved(b, 3)] };
    // c is cancelled now: deleting it is enough.
    expect(occurrenceWrites(current, wanted)).toEqual({
      cancel: [c],
      change: [moved(b, 3)],
      reset: [],
    });
  });

  it('resets an exception the CRM no longer has', () => {
    const current = { ...weekly, overrides: [moved(b, 2)] };
    expect(occurrenceWrites(current, weekly)).toEqual({ cancel: [], change: [], reset: [b] });
    expect(resetOverride(weekly, b)).toEqual({
      recurrenceId: b,
      start: { utc: b, tz: 'Europe/Prague' },
      end: { utc: '2026-04-13T08:00:00.000Z', tz: 'Europe/Prague' },
      subject: null,
      location: null,
      description: null,
    });
  });

  it('redoes every cancellation and change when the series is written anew', () => {
    // Bringing back a cancelled occurrence is impossible on Exchange: the recurrence is
    // rewritten (dropping all exceptions) and what the CRM still wants is done again.
    const current = { ...weekly, exdates: [a, b], overrides: [moved(c, 1)] };
    const wanted = { ...weekly, exdates: [b], overrides: [moved(c, 1)] };
    expect(occurrenceWrites(current, wanted)).toEqual({
      cancel: [b],
      change: [moved(c, 1)],
      reset: [],
    });
    const later = {
      ...wanted,
      start: { utc: '2026-03-30T08:00:00.000Z', tz: 'Europe/Prague' },
      end: { utc: '2026-03-30T09:00:00.000Z', tz: 'Europe/Prague' },
    };
    expect(occurrenceWrites(wanted, later).cancel).toEqual([b]);
  });

  it("writes the exceptions again when the series' texts change (they hold copies)", () => {
    const current = { ...weekly, overrides: [moved(b, 2)] };
    const renamed = { ...current, subject: 'Nová porada' };
    expect(occurrenceWrites(current, renamed)).toEqual({
      cancel: [],
      change: [moved(b, 2)],
      reset: [],
    });
  });

  it('does nothing for a single event', () => {
    expect(occurrenceWrites(null, event())).toEqual({ cancel: [], change: [], reset: [] });
  });
});

describe('applyOverrideToOccurrence', () => {
  it('sets times and texts, the series values where the override says null', () => {
    const { service } = offlineService();
    const occurrence = newServerItem(service, event(), { uid: '', crmStamp: null }) as Appointment;
    const override = { ...moved('2026-04-06T07:00:00.000Z', 2), location: 'Room 7' };
    applyOverrideToOccurrence(occurrence, { ...weekly, subject: 'Series' }, override, 'Series');
    const back = readServerItem('events', occurrence, new Map()).data;
    expect(back).toMatchObject({
      subject: 'Series',
      location: 'Room 7',
      description: 'Agenda\nbody',
      start: override.start,
      end: override.end,
    });
  });
});
