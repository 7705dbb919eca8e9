import { describe, expect, it } from 'vitest';
import { crmCategoryFor, schemeOf, serverCategoriesFor } from '../../src/core/sync/categories.ts';
import { guardVerdict } from '../../src/core/sync/guard.ts';
import { contentHash } from '../../src/core/model/content-hash.ts';
import { applyServerChanges } from '../../src/core/sync/mirror.ts';
import type { EventData } from '../../src/core/model/items.ts';
import type { PlannedAction } from '../../src/core/sync/plan.ts';
import type { MirrorItem } from '../../src/core/sync/state.ts';
import { eventInWindow, forEachOccurrenceStart } from '../../src/core/model/day-window.ts';
import { plainEvent } from '../support/event-data.ts';

function event(partial: Partial<EventData>): EventData {
  return plainEvent('Porada', {
    start: { utc: '2026-03-02T08:00:00.000Z', tz: 'Europe/Prague' },
    end: { utc: '2026-03-02T09:00:00.000Z', tz: 'Europe/Prague' },
    ...partial,
  });
}

describe('day window', () => {
  const window = { from: '2026-06-01T00:00:00.000Z', to: '2026-06-30T00:00:00.000Z' };

  it('takes a series that started long ago when an occurrence falls in the window', () => {
    expect(eventInWindow(event({ rrule: 'FREQ=WEEKLY;BYDAY=MO' }), window)).toBe(true);
    expect(eventInWindow(event({ rrule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=3' }), window)).toBe(false);
    expect(eventInWindow(event({}), window)).toBe(false);
  });

  it('does not count cancelled occurrences, and counts moved ones where they went', () => {
    const monthly = event({ rrule: 'FREQ=MONTHLY;COUNT=4' }); // 2 Mar, 2 Apr, 2 May, 2 Jun
    expect(eventInWindow(monthly, window)).toBe(true);
    expect(eventInWindow({ ...monthly, exdates: ['2026-06-02T07:00:00.000Z'] }, window)).toBe(
      false,
    );
    const movedIn = {
      ...monthly,
      rrule: 'FREQ=MONTHLY;COUNT=3',
      overrides: [
        {
          recurrenceId: '2026-05-02T07:00:00.000Z',
          start: { utc: '2026-06-10T07:00:00.000Z', tz: 'Europe/Prague' },
          end: { utc: '2026-06-10T08:00:00.000Z', tz: 'Europe/Prague' },
          subject: null,
          location: null,
          description: null,
        },
      ],
    };
    expect(eventInWindow(movedIn, window)).toBe(true);
  });

  it('expands in the series zone: 9:00 Prague stays 9:00 across the DST change', () => {
    const weekly = event({
      start: { utc: '2026-03-16T08:00:00.000Z', tz: 'Europe/Prague' }, // 9:00 CET
      end: { utc: '2026-03-16T09:00:00.000Z', tz: 'Europe/Prague' },
      rrule: 'FREQ=WEEKLY;COUNT=4',
    });
    const starts: string[] = [];
    forEachOccurrenceStart(weekly, (ms) => {
      starts.push(new Date(ms).toISOString());
      return true;
    });
    // 29 March 2026 is the switch to CEST: from then 9:00 is 07:00 UTC.
    expect(starts).toEqual([
      '2026-03-16T08:00:00.000Z',
      '2026-03-23T08:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
      '2026-04-06T07:00:00.000Z',
    ]);
  });

  it('keeps the occurrence that falls exactly on a UTC UNTIL in a zone east of UTC', () => {
    const weekly = event({
      start: { utc: '2026-03-30T07:00:00.000Z', tz: 'Europe/Prague' },
      end: { utc: '2026-03-30T08:00:00.000Z', tz: 'Europe/Prague' },
      rrule: 'FREQ=WEEKLY;UNTIL=20260413T070000Z',
    });
    const starts: string[] = [];
    forEachOccurrenceStart(weekly, (ms) => {
      starts.push(new Date(ms).toISOString());
      return true;
    });
    expect(starts).toEqual([
      '2026-03-30T07:00:00.000Z',
      '2026-04-06T07:00:00.000Z',
      '2026-04-13T07:00:00.000Z',
    ]);
  });
});

describe('category translation', () => {
  const paired = {
    mode: 'paired' as const,
    defaultCategory: '',
    pairs: [
      { crm: 'HOTLINE', server: 'Hotline' },
      { crm: 'INSTALACE', server: 'Instalace' },
    ],
  };
  const all = { mode: 'all' as const, defaultCategory: 'Schůzka', pairs: [] };

  it('paired: translates both ways and keeps server-only categories', () => {
    const record = { server: ['Instalace'], crmOnly: null };
    expect(
      serverCategoriesFor(schemeOf(paired), ['HOTLINE'], ['Instalace', 'Osobní'], record)
        .categories,
    ).toEqual(['Hotline', 'Osobní']);
    expect(crmCategoryFor(paired, ['Osobní', 'instalace'], false)).toBe('INSTALACE');
  });

  it('all: the CRM category goes to the server, never back; new imports get the default', () => {
    // REGISTRACE is also a CRM category's name, but the sync did not set it: it stays.
    expect(
      serverCategoriesFor(schemeOf(all), ['HOTLINE'], ['Osobní', 'REGISTRACE'], null).categories,
    ).toEqual(['HOTLINE', 'Osobní', 'REGISTRACE']);
    expect(crmCategoryFor(all, ['Hotline'], true)).toBe('Schůzka');
    expect(crmCategoryFor(all, ['Hotline'], false)).toBeUndefined();
  });
});

describe('guard', () => {
  const del = (n: number): PlannedAction[] =>
    Array.from({ length: n }, (_, i) => ({
      kind: 'delete-crm',
      crmId: i,
      serverId: `s${i}`,
      label: `x${i}`,
      reason: 'deleted on the server',
      reasonCode: 'deleted-on-server',
      reasonParams: {},
    }));
  const limits = { maxDeleteShare: 0.3, maxDeleteCount: 5 };

  it('refuses more than 30 % and more than 5 deletions, and allows either alone', () => {
    expect(
      guardVerdict({
        actions: del(6),
        tracked: 10,
        emptyListing: false,
        folderName: 'Kalendář',
        limits,
      }),
    ).toMatch(/would delete 6 of 10/);
    expect(
      guardVerdict({
        actions: del(5),
        tracked: 6,
        emptyListing: false,
        folderName: 'Kalendář',
        limits,
      }),
    ).toBeNull();
    expect(
      guardVerdict({
        actions: del(6),
        tracked: 100,
        emptyListing: false,
        folderName: 'Kalendář',
        limits,
      }),
    ).toBeNull();
  });

  it('refuses to follow an empty listing of a folder that had items', () => {
    expect(
      guardVerdict({ actions: [], tracked: 3, emptyListing: true, folderName: 'Kalendář', limits }),
    ).toMatch(/listed folder "Kalendář" as empty/);
  });
});

describe('mirror', () => {
  const item = (id: string, version: string): MirrorItem => ({
    serverId: id,
    version,
    uid: id,
    crmStamp: null,
    data: event({ subject: id }),
    hash: 'h',
    modifiedAt: null,
    error: null,
  });

  it('never takes an unreadable item for deleted, in a full listing either', () => {
    const previous = new Map([
      ['a', item('a', '1')],
      ['b', item('b', '1')],
    ]);
    const update = applyServerChanges(previous, {
      full: true,
      records: [
        {
          serverId: 'a',
          version: '2',
          identity: { uid: 'a', crmStamp: null },
          data: event({ subject: 'a2' }),
          modifiedAt: null,
        },
      ],
      deleted: [],
      failures: [{ serverId: 'b', label: 'b.ics', cause: 'broken' }],
      token: 't',
    });
    expect(update.removed).toEqual([]);
    // The last readable state stays, marked so the next run reads it again.
    expect(update.mirror.get('b')).toEqual({ ...previous.get('b'), error: 'broken' });
    expect(update.emptyListing).toBe(false);
  });

  it('clears the mark once the item reads again, even unchanged', () => {
    const data = event({ subject: 'b' });
    const previous = new Map([['b', { ...item('b', '1'), hash: contentHash(data), error: 'x' }]]);
    const update = applyServerChanges(previous, {
      full: false,
      records: [
        {
          serverId: 'b',
          version: '1',
          identity: { uid: 'b', crmStamp: null },
          data,
          modifiedAt: null,
        },
      ],
      deleted: [],
      failures: [],
      token: 't',
    });
    expect(update.upserted.map((m) => [m.serverId, m.error])).toEqual([['b', null]]);
  });

  it('flags an empty full listing of a folder that had items', () => {
    const update = applyServerChanges(new Map([['a', item('a', '1')]]), {
      full: true,
      records: [],
      deleted: [],
      failures: [],
      token: null,
    });
    expect(update.emptyListing).toBe(true);
  });
});
