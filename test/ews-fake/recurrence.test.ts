// Recurring series through the real client: expansion in the series' zone (across DST),
// exceptions and deleted occurrences made by the phone and by the client.
import {
  Appointment,
  AppointmentType,
  BasePropertySet,
  CalendarView,
  ChangeType,
  ConflictResolutionMode,
  DateTime,
  DayOfTheWeek,
  DeleteMode,
  FolderId,
  ItemId,
  PropertySet,
  Recurrence,
  SendCancellationsMode,
  SendInvitationsMode,
  SendInvitationsOrCancellationsMode,
  ServiceError,
  SyncFolderItemsScope,
  WellKnownFolderName,
  type ExchangeService,
} from 'ews-javascript-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeEws, FakeFolder } from '../support/ews-fake/index.ts';
import { recurrenceToRrule } from '../support/ews-fake/recurrence.ts';
import { parseXml } from '../support/ews-fake/xml.ts';
import { basicService, changesOf, PB, rejection, startDefault, stopChecked } from './helpers.ts';

let ews: FakeEws;
let service: ExchangeService;
let calendar: FakeFolder;

beforeAll(async () => {
  ews = await startDefault();
  service = basicService(ews);
  calendar = ews.mailbox(PB.smtp).folder('calendar');
});
afterAll(() => stopChecked(ews));

const iso = (d: DateTime): string => d.ToISOString().replace('.000', '');

describe('a weekly series created by the client', () => {
  let master: Appointment;

  it('is stored as a RecurringMaster and expands in Prague time across the DST change', async () => {
    const a = new Appointment(service);
    a.Subject = 'Porada týmu';
    // Monday 16 March 2026, 09:00 in Prague (08:00Z); summer time starts on 29 March.
    a.Start = new DateTime(Date.UTC(2026, 2, 16, 8));
    a.End = new DateTime(Date.UTC(2026, 2, 16, 9));
    // The typings declare only the no-argument constructor of Recurrence.WeeklyPattern.
    const Weekly = Recurrence.WeeklyPattern as unknown as new (
      s: DateTime,
      i: number,
      d: DayOfTheWeek[],
    ) => Recurrence;
    a.Recurrence = new Weekly(a.Start, 1, [DayOfTheWeek.Monday]);
    a.Recurrence.NumberOfOccurrences = 6;
    await a.Save(WellKnownFolderName.Calendar, SendInvitationsMode.SendToNone);
    master = await Appointment.Bind(service, a.Id);
    expect(master.AppointmentType).toBe(AppointmentType.RecurringMaster);
    expect(iso(master.FirstOccurrence.Start)).toBe('2026-03-16T08:00:00Z');
    expect(iso(master.LastOccurrence.Start)).toBe('2026-04-20T07:00:00Z');
    const third = await Appointment.BindToOccurrence(service, a.Id, 3);
    expect(third.AppointmentType).toBe(AppointmentType.Occurrence);
    expect(iso(third.Start)).toBe('2026-03-30T07:00:00Z');
    expect(iso(third.End)).toBe('2026-03-30T08:00:00Z');
  });

  it("shows the phone's modified and deleted occurrences in ModifiedOccurrences/DeletedOccurrences", async () => {
    const id = master.Id.UniqueId;
    const keyBefore = calendar.items().find((i) => i.id === id)!.changeKey;
    calendar.modifyOccurrence(id, '2026-03-23T08:00:00Z', {
      start: '2026-03-23T09:00:00Z',
      end: '2026-03-23T10:30:00Z',
      subject: 'Porada (později)',
    });
    calendar.deleteOccurrence(id, '2026-04-06T07:00:00Z');
    const stored = calendar.items().find((i) => i.id === id)!;
    expect(stored.changeKey).not.toBe(keyBefore);
    expect(stored.deletedOccurrences()).toEqual(['2026-04-06T07:00:00Z']);

    const read = await Appointment.Bind(service, master.Id);
    expect(read.ModifiedOccurrences.Count).toBe(1);
    const modified = read.ModifiedOccurrences._getItem(0);
    expect(iso(modified.OriginalStart)).toBe('2026-03-23T08:00:00Z');
    expect(iso(modified.Start)).toBe('2026-03-23T09:00:00Z');
    expect(read.DeletedOccurrences.Count).toBe(1);
    expect(iso(read.DeletedOccurrences._getItem(0).OriginalStart)).toBe('2026-04-06T07:00:00Z');

    const second = await Appointment.BindToOccurrence(service, master.Id, 2);
    expect(second.AppointmentType).toBe(AppointmentType.Exception);
    expect(second.Subject).toBe('Porada (později)');
    expect(iso(second.Start)).toBe('2026-03-23T09:00:00Z');
    expect(second.Id.UniqueId).toBe(modified.ItemId.UniqueId);
    const deleted = await rejection(Appointment.BindToOccurrence(service, master.Id, 4));
    expect(deleted.ErrorCode).toBe(ServiceError.ErrorCalendarOccurrenceIsDeletedFromRecurrence);
    const outside = await rejection(Appointment.BindToOccurrence(service, master.Id, 7));
    expect(outside.ErrorCode).toBe(ServiceError.ErrorCalendarOccurrenceIndexIsOutOfRecurrenceRange);
    const back = await Appointment.BindToRecurringMaster(service, second.Id);
    expect(back.Id.UniqueId).toBe(id);
    // An exception keeps only its overrides: a series edit shows in its other fields.
    calendar.update(id, '<t:Location>Velká zasedačka</t:Location>');
    const after = await Appointment.BindToOccurrence(service, master.Id, 2);
    expect([after.Subject, after.Location]).toEqual(['Porada (později)', 'Velká zasedačka']);
  });

  it('client edits of an occurrence make an exception that syncs as an Update of the master only', async () => {
    const start = await service.SyncFolderItems(
      new FolderId(WellKnownFolderName.Calendar),
      PropertySet.IdOnly,
      null as unknown as [],
      512,
      SyncFolderItemsScope.NormalItems,
      null as unknown as string,
    );
    const fifth = await Appointment.BindToOccurrence(service, master.Id, 5);
    fifth.Location = 'Zasedačka 2';
    await fifth.Update(
      ConflictResolutionMode.AutoResolve,
      SendInvitationsOrCancellationsMode.SendToNone,
    );
    const sixth = await Appointment.BindToOccurrence(service, master.Id, 6);
    await sixth.Delete(DeleteMode.HardDelete, SendCancellationsMode.SendToNone);

    const next = await service.SyncFolderItems(
      new FolderId(WellKnownFolderName.Calendar),
      PropertySet.IdOnly,
      null as unknown as [],
      512,
      SyncFolderItemsScope.NormalItems,
      start.SyncState,
    );
    expect(changesOf(next).map((c) => [ChangeType[c.ChangeType], c.ItemId.UniqueId])).toEqual([
      ['Update', master.Id.UniqueId],
    ]);

    const stored = calendar.items().find((i) => i.id === master.Id.UniqueId)!;
    expect(stored.exceptions().map((e) => e.field('Location'))).toEqual(
      expect.arrayContaining(['Zasedačka 2']),
    );
    expect(stored.deletedOccurrences()).toEqual(['2026-04-06T07:00:00Z', '2026-04-20T07:00:00Z']);
    const read = await Appointment.Bind(
      service,
      master.Id,
      new PropertySet(BasePropertySet.FirstClassProperties),
    );
    expect(read.ModifiedOccurrences.Count).toBe(2);
    expect(iso(read.LastOccurrence.Start)).toBe('2026-04-13T07:00:00Z');
  });

  it('FindItem with a CalendarView lists occurrences and exceptions in the window', async () => {
    const view = await service.FindAppointments(
      WellKnownFolderName.Calendar,
      new CalendarView(new DateTime(Date.UTC(2026, 2, 20)), new DateTime(Date.UTC(2026, 3, 15))),
    );
    const rows = view.Items.map((a) => [AppointmentType[a.AppointmentType], iso(a.Start)]);
    expect(rows).toEqual([
      ['Exception', '2026-03-23T09:00:00Z'],
      ['Occurrence', '2026-03-30T07:00:00Z'],
      ['Exception', '2026-04-13T07:00:00Z'],
    ]);
  });

  it('deleting the master removes its exceptions', async () => {
    const exceptionId = calendar
      .items()
      .find((i) => i.id === master.Id.UniqueId)!
      .exceptions()[0]!.id;
    await master.Delete(DeleteMode.HardDelete, SendCancellationsMode.SendToNone);
    const gone = await rejection(Appointment.Bind(service, new ItemId(exceptionId)));
    expect(gone.ErrorCode).toBe(ServiceError.ErrorItemNotFound);
  });
});

describe('series written by the phone (every EWS pattern)', () => {
  const cases: [string, string, string, string, number, string][] = [
    [
      'daily, every 2 days, end date',
      '<t:DailyRecurrence><t:Interval>2</t:Interval></t:DailyRecurrence><t:EndDateRecurrence><t:StartDate>2026-05-04</t:StartDate><t:EndDate>2026-05-12</t:EndDate></t:EndDateRecurrence>',
      '2026-05-04T07:00:00Z',
      '2026-05-12T07:00:00Z',
      3,
      '2026-05-08T07:00:00Z',
    ],
    // Exchange moves "day 31" to the last day of shorter months (RFC 5545 would skip them).
    [
      'absolute monthly on the 31st',
      '<t:AbsoluteMonthlyRecurrence><t:Interval>1</t:Interval><t:DayOfMonth>31</t:DayOfMonth></t:AbsoluteMonthlyRecurrence><t:NumberedRecurrence><t:StartDate>2026-01-31</t:StartDate><t:NumberOfOccurrences>3</t:NumberOfOccurrences></t:NumberedRecurrence>',
      '2026-01-31T08:00:00Z',
      '2026-03-31T07:00:00Z',
      2,
      '2026-02-28T08:00:00Z',
    ],
    [
      'relative monthly, last Friday',
      '<t:RelativeMonthlyRecurrence><t:Interval>1</t:Interval><t:DaysOfWeek>Friday</t:DaysOfWeek><t:DayOfWeekIndex>Last</t:DayOfWeekIndex></t:RelativeMonthlyRecurrence><t:NumberedRecurrence><t:StartDate>2026-01-30</t:StartDate><t:NumberOfOccurrences>3</t:NumberOfOccurrences></t:NumberedRecurrence>',
      '2026-01-30T08:00:00Z',
      '2026-03-27T08:00:00Z',
      2,
      '2026-02-27T08:00:00Z',
    ],
    [
      'absolute yearly, 29 February',
      '<t:AbsoluteYearlyRecurrence><t:DayOfMonth>29</t:DayOfMonth><t:Month>February</t:Month></t:AbsoluteYearlyRecurrence><t:NumberedRecurrence><t:StartDate>2028-02-29</t:StartDate><t:NumberOfOccurrences>2</t:NumberOfOccurrences></t:NumberedRecurrence>',
      '2028-02-29T08:00:00Z',
      '2029-02-28T08:00:00Z',
      2,
      '2029-02-28T08:00:00Z',
    ],
    [
      'relative yearly, second weekday of June',
      '<t:RelativeYearlyRecurrence><t:DaysOfWeek>Weekday</t:DaysOfWeek><t:DayOfWeekIndex>Second</t:DayOfWeekIndex><t:Month>June</t:Month></t:RelativeYearlyRecurrence><t:NumberedRecurrence><t:StartDate>2026-06-02</t:StartDate><t:NumberOfOccurrences>2</t:NumberOfOccurrences></t:NumberedRecurrence>',
      '2026-06-02T07:00:00Z',
      '2027-06-02T07:00:00Z',
      2,
      '2027-06-02T07:00:00Z',
    ],
  ];

  for (const [name, rec, first, last, index, atIndex] of cases) {
    it(name, async () => {
      const item = calendar.create(
        `<t:CalendarItem><t:Subject>${name}</t:Subject><t:Start>${first}</t:Start><t:End>${first.replace(/T(\d\d)/, (_m, h: string) => `T${String(Number(h) + 1).padStart(2, '0')}`)}</t:End>` +
          `<t:Recurrence>${rec}</t:Recurrence><t:StartTimeZone Id="Central Europe Standard Time"/></t:CalendarItem>`,
      );
      const read = await Appointment.Bind(service, new ItemId(item.id));
      expect(read.AppointmentType).toBe(AppointmentType.RecurringMaster);
      expect(iso(read.FirstOccurrence.Start)).toBe(first);
      expect(iso(read.LastOccurrence.Start)).toBe(last);
      const occ = await Appointment.BindToOccurrence(service, new ItemId(item.id), index);
      expect(iso(occ.Start)).toBe(atIndex);
    });
  }

  it('converts weekly patterns with several days and a first day of week to RRULE', () => {
    const rec = parseXml(
      '<t:Recurrence xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"><t:WeeklyRecurrence><t:Interval>2</t:Interval>' +
        '<t:DaysOfWeek>Monday Thursday</t:DaysOfWeek><t:FirstDayOfWeek>Sunday</t:FirstDayOfWeek></t:WeeklyRecurrence>' +
        '<t:EndDateRecurrence><t:StartDate>2026-01-05+01:00</t:StartDate><t:EndDate>2026-03-01+01:00</t:EndDate></t:EndDateRecurrence></t:Recurrence>',
    );
    expect(recurrenceToRrule(rec)).toBe(
      'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;WKST=SU;UNTIL=20260301T235959',
    );
  });
});
