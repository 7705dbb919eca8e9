/**
 * Seeded iCalendar and vCard objects for the parser fuzz: good ones, and ones broken the
 * ways real servers and clients break them. Each object says what a sync must make of it:
 * `good` (synced into the CRM as its own item) or `bad` (named in the run's failures, the
 * run going on). Objects without a UID and second objects reusing a UID are good: each is
 * a distinct object on the server (its name stands in for a missing UID).
 */
import { Dice } from '../support/dice.ts';

export type Expect = 'good' | 'bad';

export interface Mutant {
  name: string;
  data: Buffer;
  expect: Expect;
  /** The mutation, for messages ("truncated", "bad-date"…). */
  kind: string;
  /** The UID the object carries ('' for none). */
  uid: string;
  /** What the CRM row must show: an event's or task's subject, a person's last name. */
  title: string;
  /** Length of the 1 MB text, when there is one. */
  bigText?: number;
}

export const ICAL_MUTATIONS = [
  'truncated',
  'bad-date',
  'unknown-tzid',
  'rrule-garbage',
  'big-field',
  'invalid-utf8',
  'duplicate-uid',
  'missing-uid',
] as const;
export const VCARD_MUTATIONS = [
  'truncated',
  'bad-photo',
  'big-field',
  'invalid-utf8',
  'duplicate-uid',
  'missing-uid',
  'no-name',
] as const;

const CRLF = '\r\n';
const ONE_MB = 1024 * 1024;
const WORDS = [
  'Porada',
  'Školení',
  'Servis',
  'Обед',
  'Instalace',
  'Hotline',
  'Kontrola',
  'Nabídka',
];
const FIRST = ['Jan', 'Petra', 'Jiří', 'Šárka', 'Алексей', 'Zdeněk', 'Eva', 'Ondřej'];
const LAST = ['Novák', 'Dvořáková', 'Černý', 'Procházka', 'Иванова', 'Kučera', 'Veselá', 'Marek'];

/** Folds a content line at 75 octets (never inside a UTF-8 sequence), as RFC 5545 wants. */
function fold(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = Math.min(start + (start === 0 ? 75 : 74), bytes.length);
    while (end < bytes.length && (bytes[end]! & 0xc0) === 0x80) end--;
    parts.push(bytes.subarray(start, end).toString('utf8'));
    start = end;
  }
  return parts.join(`${CRLF} `);
}

function icsUtc(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** A long text of whole words, about `bytes` long, no character iCalendar must escape. */
function bigText(dice: Dice, bytes: number): string {
  // A seeded paragraph repeated: the size is what matters, and it stays cheap to make.
  const words: string[] = [];
  for (let i = 0; i < 600; i++) words.push(dice.pick(WORDS)!);
  const paragraph = `${words.join(' ')} `;
  return paragraph.repeat(Math.ceil(bytes / Buffer.byteLength(paragraph))).trimEnd();
}

/** Replaces the first occurrence of `marker` (an ASCII text) in `data` with raw `bytes`. */
function spliceBytes(data: string, marker: string, bytes: number[]): Buffer {
  const at = data.indexOf(marker);
  if (at < 0) throw new Error(`no ${marker} to replace`);
  return Buffer.concat([
    Buffer.from(data.slice(0, at), 'utf8'),
    Buffer.from(bytes),
    Buffer.from(data.slice(at + marker.length), 'utf8'),
  ]);
}

interface Generated {
  calendar: Mutant[];
  contacts: Mutant[];
}

/**
 * `events` calendar objects (VEVENTs, every fifth a VTODO) and `cards` vCards, about a
 * third of them broken, spread over the mutations; events fall inside the default day
 * window around `now`.
 */
export function generateMutants(
  seed: number,
  now: Date,
  counts: { calendar: number; contacts: number },
): Generated {
  const dice = new Dice(seed);
  const calendar: Mutant[] = [];
  const contacts: Mutant[] = [];
  let bigLeft = 4; // 1 MB objects per collection: enough to prove the point, cheap to run

  const goodUidsCal: { uid: string; title: string }[] = [];
  for (let i = 0; i < counts.calendar; i++) {
    const task = i % 5 === 4;
    const uid = `fuzz-${seed}-${task ? 'todo' : 'ev'}-${i}@crm-sync.test`;
    const title = `${dice.pick(WORDS)!} ${i}`;
    const start = new Date(now.getTime() + dice.int(-10 * 24, 25 * 24) * 3_600_000);
    start.setUTCMinutes(dice.pick([0, 15, 30, 45])!, 0, 0);
    const end = new Date(start.getTime() + dice.int(1, 8) * 15 * 60_000);
    let mutation: string = dice.chance(0.35) ? dice.pick(ICAL_MUTATIONS)! : 'good';
    if (mutation === 'big-field' && bigLeft === 0) mutation = 'good';
    if (mutation === 'duplicate-uid' && goodUidsCal.length === 0) mutation = 'good';
    // Task recurrence is not modelled: a task's RRULE is not read unless ical.js itself
    // refuses it, so garbage there is not a defined input; events get it.
    if (mutation === 'rrule-garbage' && task) mutation = 'bad-date';

    const lines = (opts: {
      uid?: string;
      dtstart?: string;
      extra?: string[];
      summary?: string;
    }) => {
      const body = task
        ? [
            'BEGIN:VTODO',
            ...(opts.uid === undefined ? [] : [`UID:${opts.uid}`]),
            `DTSTAMP:${icsUtc(now)}`,
            opts.dtstart ?? `DUE:${icsUtc(end)}`,
            `SUMMARY:${opts.summary ?? title}`,
            ...(opts.extra ?? []),
            'END:VTODO',
          ]
        : [
            'BEGIN:VEVENT',
            ...(opts.uid === undefined ? [] : [`UID:${opts.uid}`]),
            `DTSTAMP:${icsUtc(now)}`,
            opts.dtstart ?? `DTSTART:${icsUtc(start)}`,
            `DTEND:${icsUtc(end)}`,
            `SUMMARY:${opts.summary ?? title}`,
            ...(opts.extra ?? []),
            'END:VEVENT',
          ];
      return (
        ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//CRM Sync//fuzz//EN', ...body, 'END:VCALENDAR']
          .map(fold)
          .join(CRLF) + CRLF
      );
    };
    const name = `${String(i).padStart(4, '0')}-${mutation}.ics`;
    const push = (m: Omit<Mutant, 'name' | 'kind'>) =>
      calendar.push({ name, kind: mutation, ...m });

    switch (mutation) {
      case 'good': {
        push({ data: Buffer.from(lines({ uid })), expect: 'good', uid, title });
        goodUidsCal.push({ uid, title });
        break;
      }
      case 'truncated': {
        const text = lines({ uid });
        const cut = dice.int(1, text.lastIndexOf('END:VCALENDAR') - 1);
        push({ data: Buffer.from(text.slice(0, cut)), expect: 'bad', uid, title });
        break;
      }
      case 'bad-date': {
        const value = dice.pick([
          '20261345T100000Z',
          '20260230T100000Z',
          '20260101T250000Z',
          'tomorrow',
          '20260100T100000Z',
        ])!;
        const dtstart = task ? `DUE:${value}` : `DTSTART:${value}`;
        push({ data: Buffer.from(lines({ uid, dtstart })), expect: 'bad', uid, title });
        break;
      }
      case 'unknown-tzid': {
        const local = icsUtc(start).replace('Z', '');
        const zone = dice.pick([
          'Mars/Olympus_Mons',
          'Europe/Atlantis',
          'GMT+25',
          'Customized Time Zone 7',
        ])!;
        const dtstart = task ? `DUE;TZID=${zone}:${local}` : `DTSTART;TZID=${zone}:${local}`;
        push({ data: Buffer.from(lines({ uid, dtstart })), expect: 'bad', uid, title });
        break;
      }
      case 'rrule-garbage': {
        const rule = dice.pick([
          'FREQ=SOMETIMES',
          'garbage',
          'FREQ=WEEKLY;BYDAY=XX',
          'FREQ=DAILY;COUNT=-3',
          'FREQ=DAILY;UNTIL=notadate',
          'FREQ=MONTHLY;BYMONTHDAY=99',
          'FREQ=YEARLY;INTERVAL=0',
        ])!;
        const data = Buffer.from(lines({ uid, extra: [`RRULE:${rule}`] }));
        push({ data, expect: 'bad', uid, title });
        break;
      }
      case 'big-field': {
        bigLeft--;
        const description = bigText(dice, ONE_MB);
        push({
          data: Buffer.from(lines({ uid, extra: [`DESCRIPTION:${description}`] })),
          expect: 'good',
          uid,
          title,
          bigText: description.length,
        });
        goodUidsCal.push({ uid, title });
        break;
      }
      case 'invalid-utf8': {
        const text = lines({ uid, summary: `${title} @@BAD@@` });
        const bytes = dice.pick([
          [0xff],
          [0xc3, 0x28],
          [0xe2, 0x82],
          [0xed, 0xa0, 0x80],
          [0xc0, 0xaf],
        ])!;
        push({ data: spliceBytes(text, '@@BAD@@', bytes), expect: 'bad', uid, title });
        break;
      }
      case 'duplicate-uid': {
        const twin = dice.pick(goodUidsCal)!;
        push({
          data: Buffer.from(lines({ uid: twin.uid, summary: `${title} (twin)` })),
          expect: 'good',
          uid: twin.uid,
          title: `${title} (twin)`,
        });
        break;
      }
      case 'missing-uid': {
        push({ data: Buffer.from(lines({})), expect: 'good', uid: '', title });
        break;
      }
    }
  }

  bigLeft = 4;
  const goodUidsCard: { uid: string; title: string }[] = [];
  for (let i = 0; i < counts.contacts; i++) {
    const uid = `fuzz-${seed}-card-${i}@crm-sync.test`;
    const first = dice.pick(FIRST)!;
    const last = `${dice.pick(LAST)!}${i}`;
    const v4 = dice.chance(0.3);
    let mutation: string = dice.chance(0.35) ? dice.pick(VCARD_MUTATIONS)! : 'good';
    if (mutation === 'big-field' && bigLeft === 0) mutation = 'good';
    if (mutation === 'duplicate-uid' && goodUidsCard.length === 0) mutation = 'good';
    const card = (opts: { uid?: string; last?: string; extra?: string[]; names?: boolean }) =>
      [
        'BEGIN:VCARD',
        `VERSION:${v4 ? '4.0' : '3.0'}`,
        ...(opts.uid === undefined ? [] : [`UID:${opts.uid}`]),
        ...(opts.names === false
          ? []
          : [`N:${opts.last ?? last};${first};;;`, `FN:${first} ${opts.last ?? last}`]),
        `EMAIL;TYPE=work:k${i}@example.cz`,
        `TEL;TYPE=cell:+420 6${String(i).padStart(8, '0')}`,
        ...(opts.extra ?? []),
        'END:VCARD',
      ]
        .map(fold)
        .join(CRLF) + CRLF;
    const name = `${String(i).padStart(4, '0')}-${mutation}.vcf`;
    const push = (m: Omit<Mutant, 'name' | 'kind'>) =>
      contacts.push({ name, kind: mutation, ...m });

    switch (mutation) {
      case 'good':
        push({ data: Buffer.from(card({ uid })), expect: 'good', uid, title: last });
        goodUidsCard.push({ uid, title: last });
        break;
      case 'truncated': {
        const text = card({ uid });
        const cut = dice.int(1, text.lastIndexOf('END:VCARD') - 1);
        push({ data: Buffer.from(text.slice(0, cut)), expect: 'bad', uid, title: last });
        break;
      }
      case 'bad-photo': {
        const photo = v4
          ? 'PHOTO:data:image/png;base64,%%%not-base64%%%'
          : 'PHOTO;ENCODING=b;TYPE=JPEG:@@@notbase64@@@';
        push({ data: Buffer.from(card({ uid, extra: [photo] })), expect: 'bad', uid, title: last });
        break;
      }
      case 'big-field': {
        bigLeft--;
        const note = bigText(dice, ONE_MB);
        push({
          data: Buffer.from(card({ uid, extra: [`NOTE:${note}`] })),
          expect: 'good',
          uid,
          title: last,
          bigText: note.length,
        });
        goodUidsCard.push({ uid, title: last });
        break;
      }
      case 'invalid-utf8': {
        const text = card({ uid, last: `${last}@@BAD@@` });
        const bytes = dice.pick([
          [0xff],
          [0xc3, 0x28],
          [0xe2, 0x82],
          [0xed, 0xa0, 0x80],
          [0xc0, 0xaf],
        ])!;
        push({ data: spliceBytes(text, '@@BAD@@', bytes), expect: 'bad', uid, title: last });
        break;
      }
      case 'duplicate-uid': {
        const twin = dice.pick(goodUidsCard)!;
        push({
          data: Buffer.from(card({ uid: twin.uid })),
          expect: 'good',
          uid: twin.uid,
          title: last,
        });
        break;
      }
      case 'missing-uid':
        push({ data: Buffer.from(card({})), expect: 'good', uid: '', title: last });
        break;
      case 'no-name':
        push({ data: Buffer.from(card({ uid, names: false })), expect: 'bad', uid, title: last });
        break;
    }
  }
  return { calendar, contacts };
}
