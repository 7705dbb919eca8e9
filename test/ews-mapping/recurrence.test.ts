import { describe, expect, it } from 'vitest';
import {
  DefaultExtendedPropertySet,
  ExtendedPropertyDefinition,
  MapiPropertyType,
} from 'ews-javascript-api';
import type { Appointment } from 'ews-javascript-api';
import { ItemError } from '../../src/core/servers/errors.ts';
import {
  CRM_HINTS_PROPERTY,
  newServerItem,
  readServerItem,
} from '../../src/core/servers/ews/mapping/index.ts';
import type { EventData } from '../../src/core/model/items.ts';
import { offlineService, zoneXml } from './support/offline.ts';
import { bindEvent, event } from './support/items.ts';

const identity = { uid: 'uid-1', crmStamp: null };

const hints = new ExtendedPropertyDefinition(
  DefaultExtendedPropertySet.PublicStrings,
  CRM_HINTS_PROPERTY,
  MapiPropertyType.String,
);

/** What Exchange's pattern alone gives back for `data` (without the hints property). */
function roundTrip(data: EventData, keepHints = false): EventData {
  const { service } = offlineService();
  const item = newServerItem(service, data, identity) as Appointment;
  if (!keepHints) item.RemoveExtendedProperty(hints);
  const back = readServerItem('events', item, new Map()).data;
  if (back.kind !== 'event') throw new Error('not an event');
  return back;
}

const allDay = event({ start: { date: '2026-03-30' }, end: { date: '2026-03-31' } });

describe('RRULE -> Exchange pattern -> RRULE', () => {
  it.each([
    ['daily', 'FREQ=DAILY'],
    ['every third day, ten times', 'FREQ=DAILY;INTERVAL=3;COUNT=10'],
    ['weekly on Monday and Wednesday', 'FREQ=WEEKLY;BYDAY=MO,WE'],
    ['every other week, Sunday-first weeks', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR;WKST=SU'],
    ['monthly on the 30th', 'FREQ=MONTHLY;BYMONTHDAY=30'],
    ['every two months on the last day', 'FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=-1'],
    ['monthly on the last Friday', 'FREQ=MONTHLY;BYDAY=-1FR'],
    ['monthly on the second Tuesday', 'FREQ=MONTHLY;BYDAY=2TU'],
    ['monthly on the first weekday', 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1'],
    ['monthly on the last weekend day', 'FREQ=MONTHLY;BYDAY=SA,SU;BYSETPOS=-1'],
    ['yearly on 30 March', 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=30'],
    ['yearly on the last Monday of March', 'FREQ=YEARLY;BYMONTH=3;BYDAY=-1MO'],
    [
      'yearly on the fourth weekday of May',
      'FREQ=YEARLY;BYMONTH=5;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=4',
    ],
  ])('%s (%s) comes back the same', (_name, rrule) => {
    const normal = roundTrip(event({ rrule })).rrule;
    expect(normal).not.toBeNull();
    // Parts in ical.js's order; the same rule as written.
    expect(roundTrip(event({ rrule: normal })).rrule).toBe(normal);
    expect(new Set(normal?.split(';'))).toEqual(new Set(rrule.split(';')));
  });

  it('keeps an end date as the last second of that day in the series zone', () => {
    // 30 April 2026 ends at 22:00 UTC in Prague (summer time).
    expect(roundTrip(event({ rrule: 'FREQ=DAILY;UNTIL=20260430T215959Z' })).rrule).toBe(
      'FREQ=DAILY;UNTIL=20260430T215959Z',
    );
    // An UNTIL at the last occurrence's start (as Outlook writes it) means the same day.
    expect(roundTrip(event({ rrule: 'FREQ=DAILY;UNTIL=20260430T070000Z' })).rrule).toBe(
      'FREQ=DAILY;UNTIL=20260430T215959Z',
    );
    // Before the day's start time: the last occurrence is the day before.
    expect(roundTrip(event({ rrule: 'FREQ=DAILY;UNTIL=20260430T050000Z' })).rrule).toBe(
      'FREQ=DAILY;UNTIL=20260429T215959Z',
    );
  });

  it('keeps an all-day series ending on a date', () => {
    expect(roundTrip({ ...allDay, rrule: 'FREQ=WEEKLY;BYDAY=MO;UNTIL=20260427' }).rrule).toBe(
      'FREQ=WEEKLY;BYDAY=MO;UNTIL=20260427',
    );
  });

  it("gives back the CRM's own spelling of a rule while Exchange holds that rule", () => {
    const rrule = 'FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;COUNT=6';
    expect(roundTrip(event({ rrule }), true).rrule).toBe(rrule);
  });

  it('writes the pattern Exchange expects, starting on the series day', () => {
    const { service } = offlineService();
    const item = newServerItem(
      service,
      event({ rrule: 'FREQ=MONTHLY;BYDAY=-1FR;COUNT=6' }),
      identity,
    ) as Appointment;
    const soap = item.Recurrence;
    expect(soap?.constructor.name).toBe('RelativeMonthlyPattern');
    expect(soap?.StartDate.Day).toBe(30);
    expect(soap?.NumberOfOccurrences).toBe(6);
  });

  it('writes "every n years" as every 12n months, as Outlook does', () => {
    expect(roundTrip(event({ rrule: 'FREQ=YEARLY;INTERVAL=2' })).rrule).toBe(
      'FREQ=MONTHLY;INTERVAL=24;BYMONTHDAY=30',
    );
  });

  it("writes a daily rule on weekdays as Exchange's weekly pattern", () => {
    expect(roundTrip(event({ rrule: 'FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR' })).rrule).toBe(
      'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
    );
  });

  it.each([
    ['FREQ=HOURLY', 'Exchange repeats at most daily, not hourly'],
    ['FREQ=MONTHLY;BYMONTHDAY=1,15', 'several days of the month'],
    ['FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=2', 'BYSETPOS works on Exchange only with'],
    ['FREQ=MONTHLY;BYDAY=FR;BYSETPOS=1,3', 'several BYSETPOS values'],
    ['FREQ=MONTHLY;BYDAY=5FR', 'no "fifth" weekday'],
    ['FREQ=WEEKLY;BYDAY=1MO', 'cannot name positions'],
    ['FREQ=YEARLY;BYMONTH=1,7', 'several months'],
    ['FREQ=DAILY;BYHOUR=9,17', 'BYHOUR is not supported'],
  ])('refuses %s with a sentence saying why', (rrule, why) => {
    const { service } = offlineService();
    const write = (): unknown => newServerItem(service, event({ rrule }), identity);
    expect(write).toThrow(ItemError);
    expect(write).toThrow(
      `Cannot write "Porada": its recurrence "${rrule}" cannot be expressed on Exchange`,
    );
    expect(write).toThrow(why);
    expect(write).toThrow(
      expect.objectContaining({
        code: 'item-recurrence-inexpressible',
        params: expect.objectContaining({ item: 'Porada', rule: rrule }),
      }),
    );
  });
});

const series = (recurrence: string): string =>
  `<t:Subject>Series</t:Subject><t:Start>2026-03-27T08:00:00Z</t:Start><t:End>2026-03-27T09:00:00Z</t:End><t:IsAllDayEvent>false</t:IsAllDayEvent>` +
  `<t:Recurrence>${recurrence}</t:Recurrence>${zoneXml('StartTimeZone', 'Central Europe Standard Time')}${zoneXml('EndTimeZone', 'Central Europe Standard Time')}`;

describe('Exchange patterns as a server sends them', () => {
  it.each([
    [
      '<t:RelativeMonthlyRecurrence><t:Interval>1</t:Interval><t:DaysOfWeek>Friday</t:DaysOfWeek><t:DayOfWeekIndex>Last</t:DayOfWeekIndex></t:RelativeMonthlyRecurrence><t:NoEndRecurrence><t:StartDate>2026-03-27+01:00</t:StartDate></t:NoEndRecurrence>',
      'FREQ=MONTHLY;BYDAY=-1FR',
    ],
    [
      '<t:WeeklyRecurrence><t:Interval>2</t:Interval><t:DaysOfWeek>Friday Monday</t:DaysOfWeek><t:FirstDayOfWeek>Sunday</t:FirstDayOfWeek></t:WeeklyRecurrence><t:NumberedRecurrence><t:StartDate>2026-03-27+01:00</t:StartDate><t:NumberOfOccurrences>8</t:NumberOfOccurrences></t:NumberedRecurrence>',
      'FREQ=WEEKLY;COUNT=8;INTERVAL=2;BYDAY=MO,FR;WKST=SU',
    ],
    [
      '<t:AbsoluteYearlyRecurrence><t:DayOfMonth>27</t:DayOfMonth><t:Month>March</t:Month></t:AbsoluteYearlyRecurrence><t:EndDateRecurrence><t:StartDate>2026-03-27+01:00</t:StartDate><t:EndDate>2030-03-27+02:00</t:EndDate></t:EndDateRecurrence>',
      'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=27;UNTIL=20300327T225959Z',
    ],
    [
      '<t:RelativeYearlyRecurrence><t:DaysOfWeek>Day</t:DaysOfWeek><t:DayOfWeekIndex>Last</t:DayOfWeekIndex><t:Month>March</t:Month></t:RelativeYearlyRecurrence><t:NoEndRecurrence><t:StartDate>2026-03-27+01:00</t:StartDate></t:NoEndRecurrence>',
      'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=-1',
    ],
    [
      '<t:DailyRecurrence><t:Interval>1</t:Interval></t:DailyRecurrence><t:NoEndRecurrence><t:StartDate>2026-03-27Z</t:StartDate></t:NoEndRecurrence>',
      'FREQ=DAILY',
    ],
  ])('reads %#', async (recurrence, rrule) => {
    const item = await bindEvent(series(recurrence));
    const read = readServerItem('events', item, new Map()).data;
    expect(read.kind === 'event' && read.rrule).toBe(rrule);
  });

  it('refuses a task-style regenerating pattern with a sentence', async () => {
    const item = await bindEvent(
      series(
        '<t:DailyRegeneration><t:Interval>2</t:Interval></t:DailyRegeneration><t:NoEndRecurrence><t:StartDate>2026-03-27Z</t:StartDate></t:NoEndRecurrence>',
      ),
    );
    expect(() => readServerItem('events', item, new Map())).toThrow(
      /Cannot read "Series": its recurrence pattern is not supported \(a regenerating/,
    );
    expect(() => readServerItem('events', item, new Map())).toThrow(
      expect.objectContaining({
        code: 'item-recurrence-unsupported',
        params: expect.objectContaining({ item: 'Series' }),
      }),
    );
  });
});

describe('a rule changed in Outlook', () => {
  it('wins over the spelling the CRM wrote before', async () => {
    const hint = `<t:ExtendedProperty><t:ExtendedFieldURI DistinguishedPropertySetId="PublicStrings" PropertyName="X-CRM-SYNC-HINTS" PropertyType="String"/><t:Value>{"rrule":"FREQ=WEEKLY;INTERVAL=1;BYDAY=FR"}</t:Value></t:ExtendedProperty>`;
    const monthly =
      '<t:RelativeMonthlyRecurrence><t:Interval>1</t:Interval><t:DaysOfWeek>Friday</t:DaysOfWeek><t:DayOfWeekIndex>Last</t:DayOfWeekIndex></t:RelativeMonthlyRecurrence><t:NoEndRecurrence><t:StartDate>2026-03-27+01:00</t:StartDate></t:NoEndRecurrence>';
    const weekly =
      '<t:WeeklyRecurrence><t:Interval>1</t:Interval><t:DaysOfWeek>Friday</t:DaysOfWeek><t:FirstDayOfWeek>Monday</t:FirstDayOfWeek></t:WeeklyRecurrence><t:NoEndRecurrence><t:StartDate>2026-03-27+01:00</t:StartDate></t:NoEndRecurrence>';
    const changed = readServerItem(
      'events',
      await bindEvent(series(monthly) + hint),
      new Map(),
    ).data;
    expect(changed.kind === 'event' && changed.rrule).toBe('FREQ=MONTHLY;BYDAY=-1FR');
    const unchanged = readServerItem(
      'events',
      await bindEvent(series(weekly) + hint),
      new Map(),
    ).data;
    expect(unchanged.kind === 'event' && unchanged.rrule).toBe('FREQ=WEEKLY;INTERVAL=1;BYDAY=FR');
  });
});
