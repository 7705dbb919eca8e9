import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deleteEvent, insertEvent, listEvents, getEvent } from '../../src/core/crm/events.ts';
import { addDays, dateWall, isCalendarDate } from '../../src/core/time/calendar-dates.ts';
import { zoneWallClockToMs } from '../../src/core/time/zoned-time.ts';
import { dateInZone, isUtcInstant, toUtcInstant, zonedTimeToUtc } from '../../src/core/crm/time.ts';
import { newCrm } from './helpers.ts';

// Zones with odd offsets, both hemispheres and the extremes of the date line.
const ZONES = [
  'UTC',
  'Europe/Prague',
  'Europe/London',
  'America/New_York',
  'America/Sao_Paulo',
  'America/St_Johns',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
];

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

const calendarDate = fc
  .date({
    min: new Date('1971-01-01T00:00:00Z'),
    max: new Date('2099-12-31T00:00:00Z'),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString().slice(0, 10));

describe('time conversions', () => {
  it('puts a wall-clock time on the same calendar day in its zone', () => {
    fc.assert(
      fc.property(
        calendarDate,
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        fc.constantFrom(...ZONES),
        (date, h, m, zone) => {
          const instant = zonedTimeToUtc(date, `${pad(h)}:${pad(m)}`, zone);
          expect(isUtcInstant(instant)).toBe(true);
          expect(dateInZone(instant, zone)).toBe(date);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('gets Prague summer and winter time right', () => {
    expect(zonedTimeToUtc('2025-03-29', '09:00', 'Europe/Prague')).toBe('2025-03-29T08:00:00.000Z');
    expect(zonedTimeToUtc('2025-03-31', '09:00', 'Europe/Prague')).toBe('2025-03-31T07:00:00.000Z');
    // 02:30 does not exist on 30 March 2025: it lands after the jump.
    expect(zonedTimeToUtc('2025-03-30', '02:30', 'Europe/Prague')).toBe('2025-03-30T01:30:00.000Z');
    expect(dateInZone('2025-06-30T22:30:00Z', 'Europe/Prague')).toBe('2025-07-01');
    expect(dateInZone('2025-06-30T22:30:00Z', 'UTC')).toBe('2025-06-30');
  });

  it('reads skipped and repeated wall times by the rule the connectors use (RFC 5545)', () => {
    // Skipped by the spring jump: read with the offset before it, so it lands after the jump.
    expect(zonedTimeToUtc('2025-03-09', '02:30', 'America/New_York')).toBe(
      '2025-03-09T07:30:00.000Z',
    );
    // Repeated in autumn: the first of the two, east and west of Greenwich alike.
    expect(zonedTimeToUtc('2025-10-26', '02:30', 'Europe/Prague')).toBe('2025-10-26T00:30:00.000Z');
    expect(zonedTimeToUtc('2025-11-02', '01:30', 'America/New_York')).toBe(
      '2025-11-02T05:30:00.000Z',
    );
    fc.assert(
      fc.property(
        calendarDate,
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        fc.constantFrom(...ZONES),
        (date, hour, minute, zone) => {
          const wall = { ...dateWall(date), hour, minute };
          expect(zonedTimeToUtc(date, `${pad(hour)}:${pad(minute)}`, zone)).toBe(
            new Date(zoneWallClockToMs(wall, zone)).toISOString(),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('validates dates exactly as the schema CHECK does', () => {
    const { db } = newCrm();
    const sqliteSays = db.prepare<[string, string], number>('SELECT date(?) IS ?').pluck();
    fc.assert(
      fc.property(
        fc.integer({ min: 1000, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        (y, m, d) => {
          const text = `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
          expect(isCalendarDate(text)).toBe(sqliteSays.get(text, text) === 1);
        },
      ),
      { numRuns: 1000 },
    );
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2025-02-29')).toBe(false);
    expect(isCalendarDate('2025-1-01')).toBe(false);
  });

  it('stores instants in one sortable form', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1971-01-01Z'),
          max: new Date('2099-12-31Z'),
          noInvalidDate: true,
        }),
        fc.date({
          min: new Date('1971-01-01Z'),
          max: new Date('2099-12-31Z'),
          noInvalidDate: true,
        }),
        (a, b) => {
          const [sa, sb] = [toUtcInstant(a), toUtcInstant(b)];
          expect(isUtcInstant(sa)).toBe(true);
          expect(Math.sign(sa.localeCompare(sb))).toBe(Math.sign(a.getTime() - b.getTime()));
        },
      ),
    );
    expect(toUtcInstant('2025-06-10T09:12+02:00')).toBe('2025-06-10T07:12:00.000Z');
    expect(() => toUtcInstant('2025-06-10T09:12')).toThrow(RangeError);
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-03-01', -1)).toBe('2025-02-28');
  });
});

describe('all-day events in every zone', () => {
  it('stay on their days: no off-by-one in any zone', () => {
    const { db } = newCrm();
    fc.assert(
      fc.property(
        calendarDate,
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom(...ZONES),
        (start, days, zone) => {
          const end = addDays(start, days);
          const id = insertEvent(db, { subject: 'Celý den', allDay: true, start, end });
          try {
            expect(getEvent(db, id)).toMatchObject({ start, end });
            const window = (from: string, to: string) =>
              listEvents(db, {
                from: zonedTimeToUtc(from, '00:00', zone),
                to: zonedTimeToUtc(to, '00:00', zone),
                timeZone: zone,
              }).map((e) => e.id);
            // Its first and last days in that zone find it...
            expect(window(start, addDays(start, 1))).toEqual([id]);
            expect(window(addDays(end, -1), end)).toEqual([id]);
            // ...the days just outside do not.
            expect(window(addDays(start, -1), start)).toEqual([]);
            expect(window(end, addDays(end, 1))).toEqual([]);
          } finally {
            deleteEvent(db, id);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
