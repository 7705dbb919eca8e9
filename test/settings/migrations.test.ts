import { describe, expect, it } from 'vitest';
import { migrateDocument } from '../../src/core/settings/migrations.ts';
import type { Migration, SettingsDocument } from '../../src/core/settings/migrations.ts';
import { configErrorOf } from './helpers.ts';

// A made-up history: v1 had "interval" at the top, v2 moved it into "schedule" as
// "intervalMinutes", v3 renamed agenda "calendar" to "events".
const calls: number[] = [];
const v1to2: Migration = (doc) => {
  calls.push(1);
  const { interval, ...rest } = doc;
  return { ...rest, schedule: { intervalMinutes: interval } };
};
const v2to3: Migration = (doc) => {
  calls.push(2);
  const agendas = doc['agendas'] as Record<string, unknown> | undefined;
  if (agendas === undefined) return doc;
  const { calendar, ...others } = agendas;
  return { ...doc, agendas: { ...others, events: calendar } };
};
const history = [v1to2, v2to3];

describe('migrateDocument', () => {
  it('applies every migration from the file version on, in order, and stamps the version', () => {
    calls.length = 0;
    const v1: SettingsDocument = {
      version: 1,
      interval: 15,
      agendas: { calendar: { daysPast: 7 } },
    };
    expect(migrateDocument(v1, 'old.json', history)).toEqual({
      version: 3,
      schedule: { intervalMinutes: 15 },
      agendas: { events: { daysPast: 7 } },
    });
    expect(calls).toEqual([1, 2]);
  });

  it('takes a file without a version as version 1', () => {
    expect(migrateDocument({ interval: 5 }, 'old.json', history)).toMatchObject({
      version: 3,
      schedule: { intervalMinutes: 5 },
    });
  });

  it('starts from the version the file declares', () => {
    calls.length = 0;
    const v2 = { version: 2, agendas: { calendar: {} } };
    expect(migrateDocument(v2, 'old.json', history)).toEqual({
      version: 3,
      agendas: { events: {} },
    });
    expect(calls).toEqual([2]);
  });

  it('leaves a current document as it is and never changes its input', () => {
    const v3 = { version: 3, schedule: { intervalMinutes: 9 } };
    const copy = structuredClone(v3);
    expect(migrateDocument(v3, 'x.json', history)).toEqual(copy);
    const v1 = { version: 1, interval: 4 };
    migrateDocument(v1, 'x.json', history);
    expect(v1).toEqual({ version: 1, interval: 4 });
  });

  it('refuses a newer or malformed version', () => {
    expect(configErrorOf(() => migrateDocument({ version: 4 }, 'new.json', history))).toBe(
      'Settings file new.json has version 4, newer than this crm-sync understands (3); update crm-sync or use a file it wrote.',
    );
    expect(configErrorOf(() => migrateDocument({ version: 0 }, 'x.json', history))).toBe(
      'Settings file x.json: version must be a whole number from 1 to 3 (got 0).',
    );
    expect(configErrorOf(() => migrateDocument({ version: 1.5 }, 'x.json', history))).toContain(
      '(got 1.5)',
    );
  });

  it('names the step that failed', () => {
    const broken: Migration = () => {
      throw new Error('agendas is not an object');
    };
    expect(configErrorOf(() => migrateDocument({ version: 1 }, 'x.json', [broken]))).toBe(
      'Settings file x.json could not be upgraded from version 1 to 2: agendas is not an object.',
    );
  });

  it('with no migrations, version 1 is current', () => {
    expect(migrateDocument({ a: 1 }, 'x.json', [])).toEqual({ a: 1, version: 1 });
  });
});
