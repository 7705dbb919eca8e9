/**
 * The fake Exchange fixture (test/support/ews-fake): a fresh fake per installation, the real
 * EWS connector, and a phone that edits the mailbox's folders directly, as another Outlook
 * would. Listing faults come from the fake's own knobs and a fault proxy in front of it.
 */
import { expect } from 'vitest';
import { installEws } from '../support/ews-installation.ts';
import type { EwsInstallation } from '../support/ews-installation.ts';
import { startFaultProxy } from '../support/fault-proxy.ts';
import type { FaultProxy } from '../support/fault-proxy.ts';
import type { FakeFolder, FakeItem } from '../support/ews-fake/index.ts';
import { createConnector } from '../../src/core/servers/create-connector.ts';
import type {
  Installation,
  ListingFaults,
  Phone,
  PhoneContact,
  PhoneEvent,
  PhoneItem,
  PhoneTask,
  ServerFixture,
  UnknownProperty,
} from './fixtures.ts';
import {
  dayIn,
  ewsTime,
  fromWallTime,
  ianaZone,
  midnightOf,
  wallTime,
  windowsZone,
} from '../support/times.ts';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const DEFAULT_ZONE = 'Central Europe Standard Time';
const LOCAL_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const unesc = (s: string): string =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
const el = (name: string, value: string | undefined): string =>
  value === undefined ? '' : `<t:${name}>${esc(value)}</t:${name}>`;

const categories = (list: string[] | undefined): string =>
  list?.length ? `<t:Categories>${list.map((c) => el('String', c)).join('')}</t:Categories>` : '';

const extended = (list: UnknownProperty[] | undefined): string =>
  (list ?? [])
    .map(
      (u) =>
        `<t:ExtendedProperty><t:ExtendedFieldURI DistinguishedPropertySetId="PublicStrings" PropertyName="${esc(u.name)}" PropertyType="String"/><t:Value>${esc(u.value)}</t:Value></t:ExtendedProperty>`,
    )
    .join('');

const mailbox = (p: { email: string; name?: string }): string =>
  `<t:Mailbox>${el('Name', p.name)}${el('EmailAddress', p.email)}</t:Mailbox>`;

/** A calendar item as Outlook would write it (the fake puts the elements in schema order). */
function calendarItemXml(e: PhoneEvent): string {
  const zone = e.zone === undefined ? DEFAULT_ZONE : windowsZone(e.zone);
  const iana = ianaZone(zone);
  const time = (v: Date | string): string =>
    ewsTime(typeof v === 'string' ? midnightOf(v, iana) : v);
  let recurrence = '';
  if (e.recurrence) {
    const startDay = typeof e.start === 'string' ? e.start : dayIn(e.start, iana);
    const local = wallTime(typeof e.start === 'string' ? midnightOf(e.start, iana) : e.start, iana);
    const weekday =
      WEEKDAYS[new Date(Date.UTC(local.year, local.month - 1, local.day)).getUTCDay()];
    const pattern =
      e.recurrence.freq === 'DAILY'
        ? '<t:DailyRecurrence><t:Interval>1</t:Interval></t:DailyRecurrence>'
        : `<t:WeeklyRecurrence><t:Interval>1</t:Interval><t:DaysOfWeek>${weekday}</t:DaysOfWeek></t:WeeklyRecurrence>`;
    recurrence = `<t:Recurrence>${pattern}<t:NumberedRecurrence><t:StartDate>${startDay}</t:StartDate><t:NumberOfOccurrences>${e.recurrence.count}</t:NumberOfOccurrences></t:NumberedRecurrence></t:Recurrence>`;
  }
  return [
    '<t:CalendarItem>',
    el('Subject', e.subject),
    e.private ? '<t:Sensitivity>Private</t:Sensitivity>' : '',
    e.description === undefined ? '' : `<t:Body BodyType="Text">${esc(e.description)}</t:Body>`,
    categories(e.categories),
    e.reminderMinutes === undefined
      ? ''
      : `<t:ReminderIsSet>true</t:ReminderIsSet>${el('ReminderMinutesBeforeStart', String(e.reminderMinutes))}`,
    extended(e.unknown),
    el('Start', time(e.start)),
    el('End', time(e.end)),
    typeof e.start === 'string' ? '<t:IsAllDayEvent>true</t:IsAllDayEvent>' : '',
    el('Location', e.location),
    e.organizer ? `<t:Organizer>${mailbox(e.organizer)}</t:Organizer>` : '',
    e.attendees?.length
      ? `<t:RequiredAttendees>${e.attendees.map((a) => `<t:Attendee>${mailbox(a)}<t:ResponseType>Accept</t:ResponseType></t:Attendee>`).join('')}</t:RequiredAttendees>`
      : '',
    recurrence,
    `<t:StartTimeZone Id="${esc(zone)}"/>`,
    `<t:EndTimeZone Id="${esc(zone)}"/>`,
    '</t:CalendarItem>',
  ].join('');
}

/** A task date: an instant as it is; a day at local noon, as Outlook keeps task days. */
function taskDate(v: Date | string): string {
  if (typeof v !== 'string') return ewsTime(v);
  const [year, month, day] = v.split('-').map(Number) as [number, number, number];
  return ewsTime(fromWallTime({ year, month, day, hour: 12, minute: 0, second: 0 }, LOCAL_ZONE));
}

const IMPORTANCE = { high: 'High', normal: 'Normal', low: 'Low' } as const;

function taskXml(t: PhoneTask): string {
  return [
    '<t:Task>',
    el('Subject', t.subject),
    categories(t.categories),
    t.priority ? el('Importance', IMPORTANCE[t.priority]) : '',
    t.completed ? el('CompleteDate', ewsTime(t.completed)) : '',
    t.owner ? el('DelegationState', 'OwnNew') : '',
    t.due === undefined ? '' : el('DueDate', taskDate(t.due)),
    t.owner ? el('Owner', t.owner.name ?? t.owner.email) : '',
    t.percentComplete === undefined ? '' : el('PercentComplete', String(t.percentComplete)),
    t.completed ? el('Status', 'Completed') : '',
    '</t:Task>',
  ].join('');
}

function contactXml(c: PhoneContact): string {
  const phones = [
    c.mobile ? `<t:Entry Key="MobilePhone">${esc(c.mobile)}</t:Entry>` : '',
    c.workPhone ? `<t:Entry Key="BusinessPhone">${esc(c.workPhone)}</t:Entry>` : '',
  ].join('');
  return [
    '<t:Contact>',
    categories(c.categories),
    extended(c.unknown),
    el('FileAs', [c.lastName, c.firstName].filter(Boolean).join(', ')),
    el('GivenName', c.firstName),
    el('CompanyName', c.company),
    c.emails?.length
      ? `<t:EmailAddresses>${c.emails.map((m, n) => `<t:Entry Key="EmailAddress${n + 1}">${esc(m)}</t:Entry>`).join('')}</t:EmailAddresses>`
      : '',
    c.city
      ? `<t:PhysicalAddresses><t:Entry Key="Business">${el('City', c.city)}</t:Entry></t:PhysicalAddresses>`
      : '',
    phones ? `<t:PhoneNumbers>${phones}</t:PhoneNumbers>` : '',
    el('AssistantName', c.assistant),
    el('JobTitle', c.jobTitle),
    el('Surname', c.lastName),
    '</t:Contact>',
  ].join('');
}

/** The text of every element `name` inside the first `within` element (or the whole item). */
function texts(xml: string, name: string, within?: string): string[] {
  let body = xml;
  if (within !== undefined) {
    const m = new RegExp(`<(?:t:)?${within}\\b[^>]*>([\\s\\S]*?)</(?:t:)?${within}>`).exec(xml);
    body = m?.[1] ?? '';
  }
  const pattern = new RegExp(`<(?:t:)?${name}\\b[^>]*>([^<]*)</(?:t:)?${name}>`, 'g');
  return [...body.matchAll(pattern)].map((m) => unesc(m[1]!));
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

const PRIORITY = { High: 'high', Normal: 'normal', Low: 'low' } as const;

function itemOf(item: FakeItem, kind: PhoneItem['kind']): PhoneItem {
  const xml = item.xml();
  const zoneId = /<(?:t:)?StartTimeZone\b[^>]*\bId="([^"]*)"/.exec(xml)?.[1];
  const zone = zoneId === undefined ? undefined : ianaZone(unesc(zoneId));
  const allDay = item.field('IsAllDayEvent') === 'true';
  const when = (v: string | undefined): string | undefined => {
    if (v === undefined) return undefined;
    const d = new Date(v);
    return allDay ? dayIn(d, zone ?? LOCAL_ZONE) : d.toISOString();
  };
  const due = item.field('DueDate');
  const importance = item.field('Importance') as keyof typeof PRIORITY | undefined;
  return {
    ref: item.id,
    kind,
    ...optional('subject', item.field('Subject')),
    ...optional('location', item.field('Location')),
    ...optional('description', item.field('Body')),
    allDay,
    ...(kind === 'event' ? optional('start', when(item.field('Start'))) : {}),
    ...(kind === 'event' ? optional('end', when(item.field('End'))) : {}),
    ...optional('due', due === undefined ? undefined : dayIn(new Date(due), LOCAL_ZONE)),
    ...(kind === 'event' ? optional('zone', zone) : {}),
    categories: texts(xml, 'String', 'Categories').sort(),
    ...(kind === 'task' && importance ? { priority: PRIORITY[importance] } : {}),
    completed: item.field('Status') === 'Completed',
    ...optional('firstName', item.field('GivenName')),
    ...optional('lastName', item.field('Surname')),
    ...optional('displayName', item.field('DisplayName')),
    ...optional('assistant', item.field('AssistantName')),
    ...optional('jobTitle', item.field('JobTitle')),
    ...optional('company', item.field('CompanyName')),
    ...optional('city', texts(xml, 'City')[0]),
    emails: texts(xml, 'Entry', 'EmailAddresses'),
    phones: texts(xml, 'Entry', 'PhoneNumbers'),
    ...optional('uid', item.field('UID') ?? item.extendedProperty('X-CRM-SYNC-UID')),
    ...optional('stamp', item.extendedProperty('X-CRM-SYNC-ID')),
    ...optional('organizer', texts(xml, 'EmailAddress', 'Organizer')[0]),
    ...optional('organizerName', texts(xml, 'Name', 'Organizer')[0]),
    attendees: [
      ...texts(xml, 'EmailAddress', 'RequiredAttendees'),
      ...texts(xml, 'EmailAddress', 'OptionalAttendees'),
    ],
    ...optional(
      'recurrence',
      /<(?:t:)?\w*?(Daily|Weekly|Monthly|Yearly)Recurrence\b/.exec(xml)?.[1]?.toUpperCase(),
    ),
    exceptions: item.exceptions().map((x) => x.field('Subject') ?? ''),
    cancelled: item.deletedOccurrences().map((d) => new Date(d).toISOString()),
    property: (name) => item.extendedProperty(name) ?? item.field(name),
    raw: xml,
  };
}

function ewsPhone(inst: EwsInstallation): Phone {
  const folders: [FakeFolder, PhoneItem['kind']][] = [
    [inst.calendar, 'event'],
    [inst.tasks, 'task'],
    [inst.contacts, 'contact'],
  ];
  const holder = (ref: string): FakeFolder => {
    const found = folders.find(([f]) => f.items().some((i) => i.id === ref));
    if (!found) throw new Error(`the phone has no item ${ref}`);
    return found[0];
  };
  return {
    async createEvent(e) {
      const item = inst.calendar.create(calendarItemXml(e));
      const at = (d: Date): string => ewsTime(d);
      for (const d of e.cancelled ?? []) inst.calendar.deleteOccurrence(item.id, at(d));
      for (const m of e.moved ?? []) {
        inst.calendar.modifyOccurrence(item.id, at(m.original), {
          start: at(m.start),
          end: at(m.end),
          ...(m.subject === undefined ? {} : { subject: m.subject }),
        });
      }
      return item.id;
    },
    createTask: async (t) => inst.tasks.create(taskXml(t)).id,
    createContact: async (c) => inst.contacts.create(contactXml(c)).id,
    async update(ref, change) {
      const set = [
        el('Subject', change.subject),
        el('Location', change.location),
        change.start === undefined ? '' : el('Start', ewsTime(change.start)),
        change.end === undefined ? '' : el('End', ewsTime(change.end)),
      ].join('');
      holder(ref).update(ref, set);
    },
    async remove(ref) {
      holder(ref).remove(ref);
    },
    events: async () => inst.calendar.items().map((i) => itemOf(i, 'event')),
    tasks: async () => inst.tasks.items().map((i) => itemOf(i, 'task')),
    contacts: async () => inst.contacts.items().map((i) => itemOf(i, 'contact')),
    async versions() {
      return new Map(folders.flatMap(([f]) => f.items().map((i) => [i.id, i.changeKey])));
    },
    setCategoryList(names) {
      inst.mailbox.categories.push(...names);
    },
  };
}

/** A SyncFolderItems request with a sync state (an incremental listing) or without (a full one). */
const INCREMENTAL = /^(?=[\s\S]*SyncState>[^<\s])[\s\S]*SyncFolderItems/;
const FULL = /^(?![\s\S]*SyncState>[^<\s])[\s\S]*SyncFolderItems/;
const INTERNAL_ERROR =
  '<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>' +
  '<faultcode xmlns:a="http://schemas.microsoft.com/exchange/services/2006/types">a:ErrorInternalServerError</faultcode>' +
  '<faultstring xml:lang="en-US">An internal server error occurred. The operation failed.</faultstring>' +
  '<detail><e:ResponseCode xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">ErrorInternalServerError</e:ResponseCode>' +
  '<e:Message xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">An internal server error occurred. The operation failed.</e:Message></detail>' +
  '</s:Fault></s:Body></s:Envelope>';
const CHANGE_END = /<\/t:(?:Create|Update|Delete|ReadFlagChange)>/g;

/** Keeps the first `keep` changes and stops there: the SOAP envelope never closes. */
function cutAfterChanges(keep: number): (body: string) => string {
  return (body) => {
    const closing = new RegExp(CHANGE_END.source, 'g');
    let end = -1;
    for (let n = 0; n < keep; n++) {
      const m = closing.exec(body);
      if (m === null) return body.slice(0, Math.floor(body.length / 2));
      end = m.index + m[0].length;
    }
    return body.slice(0, end);
  };
}

/** Leaves out the <t:Create> changes of these items; the answer stays well-formed. */
function dropCreates(ids: string[]): (body: string) => string {
  return (body) =>
    body.replace(/<t:Create>[\s\S]*?<\/t:Create>/g, (change) =>
      ids.some((id) => change.includes(`"${id}"`)) ? '' : change,
    );
}

function ewsFaults(inst: EwsInstallation, proxy: FaultProxy): ListingFaults {
  return {
    refuseChangeTokens() {
      inst.fake.faults.invalidSyncState();
    },
    // Every try of the run is cut: the client may ask again.
    cutFullListing: (keep) =>
      proxy.add({
        method: 'POST',
        body: FULL,
        times: Infinity,
        fault: { kind: 'corrupt', transform: cutAfterChanges(keep) },
      }),
    dropFromFullListing: (refs) =>
      proxy.add({
        method: 'POST',
        body: FULL,
        fault: { kind: 'corrupt', transform: dropCreates(refs) },
      }),
    cutChangeListing: (keep) =>
      proxy.add({
        method: 'POST',
        body: INCREMENTAL,
        fault: { kind: 'corrupt', transform: cutAfterChanges(keep) },
      }),
    // As Exchange fails: HTTP 500 with a SOAP fault.
    failNextItemRead() {
      proxy.add({
        method: 'POST',
        body: 'GetItem',
        fault: { kind: 'status', status: 500, body: INTERNAL_ERROR },
      });
    },
    clear: () => proxy.clear(),
  };
}

export interface EwsFixture extends ServerFixture {
  /** The fake Exchange behind an installation this fixture made. */
  native(inst: Installation): EwsInstallation;
}

export function ewsFixture(): EwsFixture {
  const natives = new WeakMap<Installation, EwsInstallation>();
  const native = (inst: Installation): EwsInstallation => {
    const found = natives.get(inst);
    if (!found) throw new Error('not an installation of the fake Exchange fixture');
    return found;
  };
  return {
    name: 'fake Exchange',
    keeps: {
      taskTimes: false,
      uidlessContacts: true,
      exportedOrganizer: false,
      categoryList: true,
      listingFaults: true,
      wallTimes: true,
    },
    requestNames: { listFolders: 'SyncFolderHierarchy', listChanges: 'SyncFolderItems' },
    native,
    async start() {},
    async stop() {},
    async install(configure = () => {}, options = {}) {
      const ews = await installEws(configure);
      let proxy: FaultProxy | undefined;
      if (options.faults) {
        const url = new URL(ews.settings.connection.exchange.ewsUrl);
        proxy = await startFaultProxy(`${url.origin}/`);
        ews.settings.connection.exchange.ewsUrl = new URL(
          `${url.pathname}${url.search}`,
          proxy.url,
        ).href;
      }
      let closed = false;
      const inst: Installation = {
        db: ews.db,
        dir: ews.dir,
        settings: ews.settings,
        ownerId: ews.ownerId,
        phone: ewsPhone(ews),
        ...(proxy ? { listingFaults: ewsFaults(ews, proxy) } : {}),
        sync: (o) => ews.sync(o),
        async listCategories() {
          const connector = await createConnector(ews.settings, ews.secrets);
          try {
            return await connector.listCategories?.();
          } finally {
            await connector.close();
          }
        },
        async noInvitationsSent() {
          const writes = ews.fake.calls.filter(
            (c) => c.operation === 'CreateItem' || c.operation === 'UpdateItem',
          );
          const sends = writes.map(
            (c) =>
              c.attributes['SendMeetingInvitations'] ??
              c.attributes['SendMeetingInvitationsOrCancellations'],
          );
          // A meeting written without the attribute would take Exchange's default and mail
          // the attendees: a write carrying a calendar item must name SendToNone.
          const meetings = writes.filter((c) => c.calendarItem);
          return (
            sends.every((s) => s === undefined || s === 'SendToNone') &&
            meetings.every(
              (c) =>
                (c.attributes['SendMeetingInvitations'] ??
                  c.attributes['SendMeetingInvitationsOrCancellations']) === 'SendToNone',
            )
          );
        },
        requests() {
          const counts: Record<string, number> = {};
          for (const c of ews.fake.calls) counts[c.operation] = (counts[c.operation] ?? 0) + 1;
          return counts;
        },
        async close() {
          if (closed) return;
          closed = true;
          await proxy?.stop();
          await ews.close();
        },
      };
      natives.set(inst, ews);
      return inst;
    },
    async verify(inst) {
      expect(await native(inst).fake.invalidRequests()).toEqual([]);
    },
  };
}
