/**
 * The benchmark's data: events and contacts as real clients write them, half as raw
 * iCalendar/vCard text for the server and half as CRM rows. Deterministic (seeded), so two
 * runs at the same size move the same bytes.
 *
 * Events: ~15 % recurring (weekly or monthly, some with an EXDATE, some with a moved
 * occurrence), ~10 % all-day, zones Europe/Prague (Apple, with VTIMEZONE), Europe/Moscow
 * (Yandex, no VTIMEZONE), America/New_York (Google, with VTIMEZONE), UTC (Google, "Z"
 * times) and the Windows zone "Central Europe Standard Time" (Outlook, with its VTIMEZONE);
 * 1-6 attendees on most, some of them CRM persons; categories, reminders, a few private.
 * Contacts: vCard 3.0 (iOS) and 4.0 (Nextcloud) with several e-mails and phones, ORG,
 * TITLE, addresses, categories, some PHOTOs of a few kB.
 */
import type { NewEvent, NewPerson } from '../src/core/crm/types.ts';
import { zoneWallClock, zoneWallClockToMs } from '../src/core/time/zoned-time.ts';
import type { WallClock as WallTime } from '../src/core/time/zoned-time.ts';

const wallTimeIn = (zone: string, ms: number): WallTime => zoneWallClock(ms, zone);
const utcOfWallTime = (zone: string, w: WallTime): number => zoneWallClockToMs(w, zone);

const DAY_MS = 86_400_000;

/** mulberry32: small, fast, good enough to pick names and dates. */
export class Random {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(list: readonly T[]): T {
    const item = list[Math.floor(this.next() * list.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

const FIRST_NAMES = [
  'Jan',
  'Petr',
  'Pavel',
  'Tomáš',
  'Jiří',
  'Martin',
  'Lukáš',
  'Eva',
  'Jana',
  'Lenka',
  'Kateřina',
  'Lucie',
  'Zuzana',
  'Alexej',
  'Olga',
  'John',
  'Mary',
  'Šárka',
  'Řehoř',
  'Anežka',
];
const LAST_NAMES = [
  'Novák',
  'Svoboda',
  'Novotný',
  'Dvořák',
  'Černý',
  'Procházka',
  'Kučera',
  'Veselý',
  'Horák',
  'Němec',
  'Pokorný',
  'Marek',
  'Smirnov',
  'Ivanov',
  'Smith',
  'Brown',
  'Šťastný',
  'Růžička',
  'Kříž',
  'Žák',
];
const COMPANY_WORDS = ['Alfa', 'Beta', 'Stavby', 'Software', 'Logistika', 'Energie', 'Servis'];
const COMPANY_FORMS = ['s.r.o.', 'a.s.', 'v.o.s.', 'GmbH', 'Ltd.'];
const JOB_TITLES = ['Jednatel', 'Obchodník', 'Technik', 'Účetní', 'Ředitel', 'Project manager'];
const CITIES = ['Praha', 'Brno', 'Ostrava', 'Plzeň', 'Москва', 'New York'];
const SUBJECTS = [
  'Schůzka s klientem',
  'Porada týmu',
  'Instalace u zákazníka',
  'Telefonát',
  'Školení obsluhy',
  'Servisní výjezd',
  'Встреча с партнёрами',
  'Quarterly review',
  'Oběd',
  'Prezentace nabídky',
];
const LOCATIONS = ['Zasedačka 2', 'Praha, Vinohradská 12', 'Brno, Kounicova 3', 'Teams', ''];
/** CRM event categories (also the names a server item may carry). */
export const EVENT_CATEGORIES = ['Schůzka', 'Telefonát', 'Hotline', 'Instalace', 'Školení'];
const SERVER_ONLY_CATEGORIES = ['Práce', 'Osobní', 'Work'];
export const CONTACT_CATEGORIES = ['Zákazník', 'Partner', 'Dodavatel'];

/** The zones events are written in; `windows` is what Outlook puts in TZID. */
interface ZoneStyle {
  iana: string;
  windows?: string;
  /** Whether the client sends a VTIMEZONE (Yandex does not). */
  vtimezone: boolean;
  prodId: string;
}

const ZONES: ZoneStyle[] = [
  { iana: 'Europe/Prague', vtimezone: true, prodId: '-//Apple Inc.//macOS 15.3//EN' },
  { iana: 'Europe/Moscow', vtimezone: false, prodId: '-//Yandex LLC//Yandex Calendar//EN' },
  {
    iana: 'America/New_York',
    vtimezone: true,
    prodId: '-//Google Inc//Google Calendar 70.9054//EN',
  },
  { iana: 'UTC', vtimezone: false, prodId: '-//Google Inc//Google Calendar 70.9054//EN' },
  {
    iana: 'Europe/Budapest',
    windows: 'Central Europe Standard Time',
    vtimezone: true,
    prodId: '-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN',
  },
];

const VTIMEZONES: Record<string, string[]> = {
  'Europe/Prague': [
    'BEGIN:VTIMEZONE',
    'TZID:Europe/Prague',
    'BEGIN:DAYLIGHT',
    'TZOFFSETFROM:+0100',
    'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
    'DTSTART:19810329T020000',
    'TZNAME:CEST',
    'TZOFFSETTO:+0200',
    'END:DAYLIGHT',
    'BEGIN:STANDARD',
    'TZOFFSETFROM:+0200',
    'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
    'DTSTART:19961027T030000',
    'TZNAME:CET',
    'TZOFFSETTO:+0100',
    'END:STANDARD',
    'END:VTIMEZONE',
  ],
  'America/New_York': [
    'BEGIN:VTIMEZONE',
    'TZID:America/New_York',
    'X-LIC-LOCATION:America/New_York',
    'BEGIN:DAYLIGHT',
    'TZOFFSETFROM:-0500',
    'TZOFFSETTO:-0400',
    'TZNAME:EDT',
    'DTSTART:19700308T020000',
    'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU',
    'END:DAYLIGHT',
    'BEGIN:STANDARD',
    'TZOFFSETFROM:-0400',
    'TZOFFSETTO:-0500',
    'TZNAME:EST',
    'DTSTART:19701101T020000',
    'RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU',
    'END:STANDARD',
    'END:VTIMEZONE',
  ],
  'Europe/Budapest': [
    'BEGIN:VTIMEZONE',
    'TZID:Central Europe Standard Time',
    'BEGIN:STANDARD',
    'DTSTART:16011028T030000',
    'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10',
    'TZOFFSETFROM:+0200',
    'TZOFFSETTO:+0100',
    'END:STANDARD',
    'BEGIN:DAYLIGHT',
    'DTSTART:16010325T020000',
    'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3',
    'TZOFFSETFROM:+0100',
    'TZOFFSETTO:+0200',
    'END:DAYLIGHT',
    'END:VTIMEZONE',
  ],
};

/** A person as the data knows it: enough to write a CRM row or a vCard, and to invite. */
export interface BenchPerson {
  firstName: string;
  lastName: string;
  emails: string[];
}

/** A CRM row to insert, with its company and category by index (ids exist only then). */
export interface CrmPersonSeed {
  person: NewPerson;
  /** Index into BenchData.companies. */
  companyIndex: number | null;
  /** Index into CONTACT_CATEGORIES. */
  categoryIndex: number | null;
}

export interface CrmEventSeed {
  event: NewEvent;
  /** Index into EVENT_CATEGORIES. */
  categoryIndex: number | null;
}

export interface BenchData {
  /** CRM rows (bulk-inserted by the caller in one transaction). */
  crmPersons: CrmPersonSeed[];
  crmEvents: CrmEventSeed[];
  /** Raw objects for seedObjects. */
  serverCards: { name: string; data: string }[];
  serverEvents: { name: string; data: string }[];
  /** Companies the CRM persons work for (names; ids are assigned at insert). */
  companies: string[];
}

export interface DataOptions {
  events: number;
  contacts: number;
  now: Date;
  /** Events fall in [now - spreadDays, now + spreadDays]. */
  spreadDays: number;
  seed?: number;
}

function ascii(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function icsWall(w: WallTime): string {
  return `${w.year}${pad(w.month)}${pad(w.day)}T${pad(w.hour)}${pad(w.minute)}${pad(w.second)}`;
}

function icsUtc(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function icsDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replace(/-/g, '');
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** iCalendar/vCard TEXT escaping. */
function esc(text: string): string {
  return text.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\n/g, '\\n');
}

/** Folds a content line at 75 octets, as RFC 5545 wants. */
function fold(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let start = 0;
  let limit = 75;
  while (start < bytes.length) {
    let end = Math.min(start + limit, bytes.length);
    // Never split a UTF-8 sequence.
    while (end < bytes.length && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
    parts.push(bytes.subarray(start, end).toString('utf8'));
    start = end;
    limit = 74; // the continuation's leading space counts
  }
  return parts.join('\r\n ');
}

function text(lines: string[]): string {
  return `${lines.map(fold).join('\r\n')}\r\n`;
}

/** A fake JPEG of a few kB (valid base64, JPEG markers), as phones attach. */
function photoBytes(random: Random): Buffer {
  const size = random.int(3000, 9000);
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = random.int(0, 255);
  bytes[0] = 0xff;
  bytes[1] = 0xd8;
  bytes[size - 2] = 0xff;
  bytes[size - 1] = 0xd9;
  return bytes;
}

function makePerson(random: Random, i: number, domain: string): BenchPerson {
  const firstName = random.pick(FIRST_NAMES);
  const lastName = random.pick(LAST_NAMES);
  const base = `${ascii(firstName)}.${ascii(lastName)}${i}`;
  const emails = [`${base}@${domain}`];
  if (random.chance(0.5)) emails.push(`${ascii(firstName)}${i}@example.net`);
  if (random.chance(0.2)) emails.push(`${base}@soukromy.example`);
  return { firstName, lastName, emails };
}

function phoneNumber(random: Random): string {
  return `+420 ${random.int(600, 799)} ${random.int(100, 999)} ${random.int(100, 999)}`;
}

export function generateData(options: DataOptions): BenchData {
  const random = new Random(options.seed ?? 20260401);
  const crmPersonCount = Math.floor(options.contacts / 2);
  const serverCardCount = options.contacts - crmPersonCount;
  const crmEventCount = Math.floor(options.events / 2);
  const serverEventCount = options.events - crmEventCount;

  const companies = Array.from(
    { length: Math.max(1, Math.ceil(options.contacts / 20)) },
    (_, i) => `${random.pick(COMPANY_WORDS)} ${i + 1} ${random.pick(COMPANY_FORMS)}`,
  );

  // ---- contacts ----
  const crmPeople: BenchPerson[] = [];
  const crmPersons: CrmPersonSeed[] = [];
  for (let i = 0; i < crmPersonCount; i++) {
    const p = makePerson(random, i, 'firma.example');
    crmPeople.push(p);
    const photo = random.chance(0.1) ? photoBytes(random) : null;
    const person: NewPerson = {
      uid: random.chance(0.5) ? `crm-person-${i}@crm.example` : null,
      firstName: p.firstName,
      lastName: p.lastName,
      title: random.chance(0.3) ? 'Ing.' : null,
      titleAfter: random.chance(0.05) ? 'Ph.D.' : null,
      jobTitle: random.pick(JOB_TITLES),
      emails: p.emails.map((email, k) => ({ email, kind: k === 0 ? 'work' : 'home' })),
      phones: Array.from({ length: random.int(1, 3) }, (_, k) => ({
        number: phoneNumber(random),
        kind: k === 0 ? 'mobile' : 'work',
      })),
      street: random.chance(0.5) ? `Dlouhá ${random.int(1, 200)}` : null,
      city: random.chance(0.5) ? random.pick(CITIES) : null,
      postalCode: random.chance(0.5) ? `${random.int(100, 799)} ${random.int(10, 99)}` : null,
      country: random.chance(0.3) ? 'Česká republika' : null,
      note: random.chance(0.2) ? `Poznámka ${i}\nDruhý řádek; s čárkou, a středníkem` : null,
      photo,
      photoType: photo ? 'image/jpeg' : null,
    };
    crmPersons.push({
      person,
      companyIndex: random.chance(0.8) ? random.int(0, companies.length - 1) : null,
      categoryIndex: random.chance(0.4) ? random.int(0, CONTACT_CATEGORIES.length - 1) : null,
    });
  }

  const serverCards: { name: string; data: string }[] = [];
  for (let i = 0; i < serverCardCount; i++) {
    const p = makePerson(random, i, 'partner.example');
    const v4 = random.chance(0.5);
    const uid = v4 ? `card-${i}-4e5f-8a9b-0c1d2e3f4a5b` : `CARD-${i}-IOS-1234`;
    const lines = ['BEGIN:VCARD', `VERSION:${v4 ? '4.0' : '3.0'}`];
    lines.push(
      v4 ? 'PRODID:-//Sabre//Sabre VObject 4.5.4//EN' : 'PRODID:-//Apple Inc.//iOS 18.3//EN',
    );
    lines.push(`UID:${uid}`, `FN:${esc(`${p.firstName} ${p.lastName}`)}`);
    lines.push(`N:${esc(p.lastName)};${esc(p.firstName)};;${random.chance(0.2) ? 'Ing.' : ''};`);
    if (random.chance(0.8)) lines.push(`ORG:${esc(random.pick(companies))}`);
    if (random.chance(0.6)) lines.push(`TITLE:${esc(random.pick(JOB_TITLES))}`);
    p.emails.forEach((email, k) => {
      const type = k === 0 ? 'work' : 'home';
      lines.push(
        v4
          ? `EMAIL;TYPE=${type}${k === 0 ? ';PREF=1' : ''}:${email}`
          : `EMAIL;TYPE=INTERNET,${type.toUpperCase()}${k === 0 ? ',pref' : ''}:${email}`,
      );
    });
    for (let k = random.int(1, 3); k > 0; k--) {
      const type = k === 1 ? 'cell' : 'work';
      lines.push(
        v4
          ? `TEL;TYPE=${type}:${phoneNumber(random)}`
          : `TEL;TYPE=${type.toUpperCase()},VOICE:${phoneNumber(random)}`,
      );
    }
    if (random.chance(0.5)) {
      lines.push(
        `ADR;TYPE=work:;;${esc(`Dlouhá ${random.int(1, 200)}`)};${esc(random.pick(CITIES))};;${random.int(10000, 79999)};${esc('Česká republika')}`,
      );
    }
    if (random.chance(0.3)) lines.push(`CATEGORIES:${esc(random.pick(CONTACT_CATEGORIES))}`);
    if (random.chance(0.2)) lines.push(`NOTE:${esc(`Poznámka k ${p.lastName}, řádek\ndruhý`)}`);
    if (random.chance(0.1)) {
      const b64 = photoBytes(random).toString('base64');
      lines.push(v4 ? `PHOTO:data:image/jpeg;base64,${b64}` : `PHOTO;ENCODING=b;TYPE=JPEG:${b64}`);
    }
    lines.push(`REV:${icsUtc(options.now.getTime() - random.int(1, 900) * DAY_MS)}`);
    lines.push('END:VCARD');
    serverCards.push({ name: `${uid}.vcf`, data: text(lines) });
  }

  // ---- events ----
  const crmEmails = crmPeople.flatMap((p) => p.emails.slice(0, 1));
  const attendeesFor = (): { email: string; name: string }[] => {
    if (!random.chance(0.7)) return [];
    const out = new Map<string, string>();
    for (let k = random.int(1, 6); k > 0; k--) {
      if (crmEmails.length > 0 && random.chance(0.4)) {
        const email = random.pick(crmEmails);
        out.set(email, email.split('@')[0] ?? email);
      } else {
        const p = makePerson(random, random.int(0, 99_999), 'host.example');
        out.set(p.emails[0] ?? 'x@host.example', `${p.firstName} ${p.lastName}`);
      }
    }
    return [...out].map(([email, name]) => ({ email, name }));
  };

  const nowMs = options.now.getTime();
  const startOf = (zone: string): number => {
    // Whole-quarter-hour wall times between 7:00 and 18:45 in the zone, on a random day.
    const dayMs = nowMs + random.int(-options.spreadDays, options.spreadDays) * DAY_MS;
    const wall = wallTimeIn(zone, dayMs);
    return utcOfWallTime(zone, {
      ...wall,
      hour: random.int(7, 18),
      minute: random.pick([0, 15, 30, 45]),
      second: 0,
    });
  };

  /** Occurrence k of a series: same wall time, k weeks or months later. */
  const occurrence = (zone: string, startMs: number, freq: 'WEEKLY' | 'MONTHLY', k: number) => {
    const w = wallTimeIn(zone, startMs);
    const base = Date.UTC(w.year, w.month - 1, w.day);
    const day =
      freq === 'WEEKLY'
        ? new Date(base + 7 * k * DAY_MS)
        : new Date(Date.UTC(w.year, w.month - 1 + k, w.day));
    return utcOfWallTime(zone, {
      ...w,
      year: day.getUTCFullYear(),
      month: day.getUTCMonth() + 1,
      day: day.getUTCDate(),
    });
  };

  interface Shape {
    allDay: boolean;
    zone: ZoneStyle;
    startMs: number;
    endMs: number;
    rrule: string | null;
    freq: 'WEEKLY' | 'MONTHLY';
    count: number;
    exdate: number | null;
    moved: { recurrenceId: number; startMs: number; endMs: number } | null;
    subject: string;
    location: string;
    description: string;
    categories: string[];
    reminder: number | null;
    isPrivate: boolean;
    attendees: { email: string; name: string }[];
  }

  const shape = (i: number, categoryNames: readonly string[]): Shape => {
    const zone = random.pick(ZONES);
    const allDay = random.chance(0.1);
    const recurring = !allDay && random.chance(0.15 / 0.9);
    const freq = random.chance(0.6) ? 'WEEKLY' : 'MONTHLY';
    const count = random.int(4, 20);
    let startMs: number;
    let endMs: number;
    if (allDay) {
      const day = Math.floor(
        (nowMs + random.int(-options.spreadDays, options.spreadDays) * DAY_MS) / DAY_MS,
      );
      startMs = day * DAY_MS;
      endMs = startMs + random.int(1, 3) * DAY_MS;
    } else {
      startMs = startOf(zone.iana);
      endMs = startMs + random.pick([30, 60, 60, 90, 120]) * 60_000;
    }
    const exdate = recurring && random.chance(0.4) ? occurrence(zone.iana, startMs, freq, 2) : null;
    let moved: Shape['moved'] = null;
    if (recurring && random.chance(0.4)) {
      const recurrenceId = occurrence(zone.iana, startMs, freq, 3);
      const shift = random.pick([1, 2, 24]) * 3_600_000;
      moved = {
        recurrenceId,
        startMs: recurrenceId + shift,
        endMs: recurrenceId + shift + (endMs - startMs),
      };
    }
    const attendees = attendeesFor();
    return {
      allDay,
      zone,
      startMs,
      endMs,
      rrule: recurring
        ? freq === 'WEEKLY'
          ? `FREQ=WEEKLY;COUNT=${count}`
          : `FREQ=MONTHLY;COUNT=${count}`
        : null,
      freq,
      count,
      exdate,
      moved,
      subject: `${random.pick(SUBJECTS)} ${i}`,
      location: random.pick(LOCATIONS),
      description: random.chance(0.5)
        ? `Agenda:\n1. Rozpočet, plán na Q${random.int(1, 4)}\n2. Různé; diskuse`
        : '',
      categories: random.chance(0.7) ? [random.pick(categoryNames)] : [],
      reminder: random.chance(0.3) ? random.pick([5, 15, 30, 60]) : null,
      isPrivate: random.chance(0.05),
      attendees,
    };
  };

  const crmEvents: CrmEventSeed[] = [];
  for (let i = 0; i < crmEventCount; i++) {
    const s = shape(i, EVENT_CATEGORIES);
    const tz = s.zone.iana;
    const event: NewEvent = {
      uid: random.chance(0.3) ? `crm-event-${i}@crm.example` : null,
      subject: s.subject,
      location: s.location === '' ? null : s.location,
      description: s.description === '' ? null : s.description,
      allDay: s.allDay,
      start: s.allDay ? isoDate(s.startMs) : new Date(s.startMs).toISOString(),
      end: s.allDay ? isoDate(s.endMs) : new Date(s.endMs).toISOString(),
      timeZone: s.allDay ? null : tz,
      rrule: s.rrule,
      isPrivate: s.isPrivate,
      reminderMinutes: s.reminder,
      organizerEmail: s.attendees.length ? 'pavel.bartos@firma.example' : null,
      organizerName: s.attendees.length ? 'Pavel Bartoš' : null,
      attendees: s.attendees.map((a) => ({ email: a.email, name: a.name })),
      exdates: s.exdate === null ? [] : [new Date(s.exdate).toISOString()],
      overrides: s.moved
        ? [
            {
              recurrenceId: new Date(s.moved.recurrenceId).toISOString(),
              start: new Date(s.moved.startMs).toISOString(),
              end: new Date(s.moved.endMs).toISOString(),
              subject: `${s.subject} (přesunuto)`,
            },
          ]
        : [],
    };
    const category = s.categories[0];
    crmEvents.push({
      event,
      categoryIndex: category === undefined ? null : EVENT_CATEGORIES.indexOf(category),
    });
  }

  const serverEvents: { name: string; data: string }[] = [];
  const serverCategories = [...EVENT_CATEGORIES.slice(0, 2), ...SERVER_ONLY_CATEGORIES];
  for (let i = 0; i < serverEventCount; i++) {
    const s = shape(i, serverCategories);
    const z = s.zone;
    const uid =
      z.windows !== undefined
        ? `040000008200E00074C5B7101A82E0080000000${String(i).padStart(8, '0')}`
        : `${z.iana.replace(/\W/g, '')}-${i}-b7a1c0de@bench.example`;
    const tzid = z.windows ?? z.iana;
    const when = (prop: string, ms: number) =>
      s.allDay
        ? `${prop};VALUE=DATE:${icsDate(ms)}`
        : z.iana === 'UTC'
          ? `${prop}:${icsUtc(ms)}`
          : `${prop};TZID=${z.windows !== undefined ? `"${tzid}"` : tzid}:${icsWall(wallTimeIn(z.iana, ms))}`;
    const stamp = `DTSTAMP:${icsUtc(nowMs - random.int(1, 400) * DAY_MS)}`;
    const common = (): string[] => {
      const out: string[] = [];
      if (s.location) out.push(`LOCATION:${esc(s.location)}`);
      if (s.description) out.push(`DESCRIPTION:${esc(s.description)}`);
      if (s.categories.length) out.push(`CATEGORIES:${s.categories.map(esc).join(',')}`);
      if (s.isPrivate) out.push('CLASS:PRIVATE');
      if (s.attendees.length) {
        out.push('ORGANIZER;CN=Petr Svoboda:mailto:petr.svoboda@partner.example');
        s.attendees.forEach((a, k) => {
          const role =
            k === 0 ? 'REQ-PARTICIPANT' : random.pick(['REQ-PARTICIPANT', 'OPT-PARTICIPANT']);
          const partstat = random.pick(['NEEDS-ACTION', 'ACCEPTED', 'TENTATIVE', 'DECLINED']);
          out.push(
            `ATTENDEE;CN="${a.name}";ROLE=${role};PARTSTAT=${partstat};RSVP=TRUE:mailto:${a.email}`,
          );
        });
      }
      return out;
    };
    const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', `PRODID:${z.prodId}`, 'CALSCALE:GREGORIAN'];
    if (z.vtimezone && !s.allDay) lines.push(...(VTIMEZONES[z.iana] ?? []));
    lines.push('BEGIN:VEVENT', `UID:${uid}`, stamp);
    lines.push(when('DTSTART', s.startMs), when('DTEND', s.endMs));
    lines.push(`SUMMARY:${esc(s.subject)}`);
    lines.push(...common());
    if (s.rrule) lines.push(`RRULE:${s.rrule}`);
    if (s.exdate !== null) lines.push(when('EXDATE', s.exdate));
    if (z.windows !== undefined) {
      lines.push('X-MICROSOFT-CDO-BUSYSTATUS:BUSY', 'TRANSP:OPAQUE', 'SEQUENCE:0');
    }
    if (s.reminder !== null) {
      lines.push(
        'BEGIN:VALARM',
        `TRIGGER:-PT${s.reminder}M`,
        'ACTION:DISPLAY',
        'DESCRIPTION:Reminder',
        'END:VALARM',
      );
    }
    lines.push('END:VEVENT');
    if (s.moved) {
      lines.push('BEGIN:VEVENT', `UID:${uid}`, stamp);
      lines.push(when('RECURRENCE-ID', s.moved.recurrenceId));
      lines.push(when('DTSTART', s.moved.startMs), when('DTEND', s.moved.endMs));
      lines.push(`SUMMARY:${esc(`${s.subject} – posunuto`)}`, 'SEQUENCE:1');
      lines.push(...common());
      lines.push('END:VEVENT');
    }
    lines.push('END:VCALENDAR');
    serverEvents.push({ name: `${uid.replace(/[^\w.-]/g, '_')}.ics`, data: text(lines) });
  }

  return { crmPersons, crmEvents, serverCards, serverEvents, companies };
}
