/**
 * fast-check generators for the neutral model, in its normalised form (what a parse can
 * return): texts without control characters or trailing line breaks, instants in whole
 * seconds, lists sorted and unique, override texts null where they equal the series'.
 */
import fc from 'fast-check';
import type {
  AttendeeData,
  ContactData,
  EventData,
  OccurrenceOverride,
  PersonRef,
  TaskData,
  When,
} from '../../src/core/model/items.ts';

const special = fc.constantFrom(
  ',',
  ';',
  ':',
  '\\',
  '\n',
  '"',
  "'",
  '^',
  ' ',
  '\t',
  'ů',
  'Ř',
  'Ж',
  'ё',
  '€',
  '😀',
  '\\n',
  '=',
);

/** Text a user might type: punctuation iCalendar escapes, line breaks, Czech, Russian, emoji. */
export const text = fc
  .array(fc.oneof(special, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 })), {
    maxLength: 12,
  })
  .map((parts) =>
    parts
      .join('')
      // eslint-disable-next-line no-control-regex -- the model holds no control characters
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
      .replace(/\n+$/, ''),
  );

const nonEmptyText = text.filter((t) => t.trim() !== '');

const ZONES = [
  'Europe/Prague',
  'America/New_York',
  'America/Los_Angeles',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'Pacific/Kiritimati',
  'America/St_Johns',
  'Europe/Kiev',
  'UTC',
] as const;

const zone = fc.option(fc.constantFrom(...ZONES), { nil: null });

const MIN = Date.UTC(1971, 0, 1);
const MAX = Date.UTC(2099, 11, 31);

const wholeSeconds = fc.integer({ min: MIN / 1000, max: MAX / 1000 }).map((s) => s * 1000);

const wallFormat = new Map<string, Intl.DateTimeFormat>();
function wall(ms: number, tz: string): string {
  let f = wallFormat.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    wallFormat.set(tz, f);
  }
  return f.format(new Date(ms));
}

/**
 * An instant whose wall time in its zone occurs only once or first: the second pass through
 * a wall time (clocks turned back) cannot be written with a TZID (RFC 5545 reads the first).
 */
export function writable(ms: number, tz: string | null): boolean {
  if (tz === null) return true;
  const own = wall(ms, tz);
  for (let k = 1; k <= 4; k++) if (wall(ms - k * 30 * 60_000, tz) === own) return false;
  return true;
}

const isoOf = (ms: number): string => new Date(ms).toISOString();
const dateOf = (ms: number): string => isoOf(ms).slice(0, 10);

/** A start/end pair: both dates (end exclusive, at least a day) or both zoned instants. */
export const span = fc.oneof(
  fc
    .record({ from: wholeSeconds, days: fc.integer({ min: 1, max: 30 }) })
    .map(({ from, days }) => ({
      start: { date: dateOf(from) } as When,
      end: { date: dateOf(from + days * 86_400_000) } as When,
    })),
  fc
    .record({
      from: wholeSeconds,
      length: fc.integer({ min: 0, max: 3 * 86_400 }).map((s) => s * 1000),
      startZone: zone,
      endZone: fc.oneof(fc.constant('same' as const), zone),
    })
    .filter(({ from, length, startZone, endZone }) => {
      const tz = endZone === 'same' ? startZone : endZone;
      return writable(from, startZone) && writable(from + length, tz);
    })
    .map(({ from, length, startZone, endZone }) => ({
      start: { utc: isoOf(from), tz: startZone } as When,
      end: { utc: isoOf(from + length), tz: endZone === 'same' ? startZone : endZone } as When,
    })),
);

const email = fc.emailAddress().map((e) => e.toLowerCase());

const person: fc.Arbitrary<PersonRef> = fc.record({ email, name: text });

const attendee: fc.Arbitrary<AttendeeData> = fc.record({
  email,
  name: text,
  role: fc.constantFrom('required', 'optional', 'resource', 'chair'),
  response: fc.constantFrom('needs-action', 'accepted', 'declined', 'tentative'),
});

export const categories = fc
  .array(nonEmptyText, { maxLength: 4 })
  .map((list) => [...new Set(list.map((c) => c.trim()).filter((c) => c !== ''))].sort());

const RRULES = [
  'FREQ=DAILY;COUNT=5',
  'FREQ=WEEKLY;BYDAY=MO,WE,FR',
  'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=20991231T235959Z',
  'FREQ=MONTHLY;COUNT=12;BYDAY=-1FR',
  'FREQ=MONTHLY;BYMONTHDAY=15',
  'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1',
];

const byKey = <T extends { recurrenceId: string }>(a: T, b: T): number =>
  a.recurrenceId < b.recurrenceId ? -1 : a.recurrenceId > b.recurrenceId ? 1 : 0;

export const eventData: fc.Arbitrary<EventData> = fc
  .record({
    subject: text,
    location: text,
    description: text,
    times: span,
    series: fc.option(
      fc.record({
        rrule: fc.constantFrom(...RRULES),
        keys: fc.uniqueArray(fc.integer({ min: 1, max: 60 }), { maxLength: 6 }),
        cancelled: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        overrides: fc.array(
          fc.record({
            shiftHours: fc.integer({ min: -24, max: 48 }),
            subject: fc.option(text, { nil: null }),
            location: fc.option(text, { nil: null }),
            description: fc.option(text, { nil: null }),
          }),
          { minLength: 6, maxLength: 6 },
        ),
      }),
      { nil: null },
    ),
    isPrivate: fc.boolean(),
    categories,
    reminderMinutes: fc.option(fc.integer({ min: 0, max: 40_000 }), { nil: null }),
    organizer: fc.option(person, { nil: null }),
    attendees: fc.uniqueArray(attendee, { selector: (a) => a.email, maxLength: 5 }),
  })
  .map((g) => {
    const { start, end } = g.times;
    const exdates: string[] = [];
    const overrides: OccurrenceOverride[] = [];
    if (g.series) {
      g.series.keys.forEach((week, i) => {
        // Keys: the series start shifted by whole weeks (a plausible original start).
        let key: string;
        let ovStart: When;
        let ovEnd: When;
        const shift = (g.series?.overrides[i]?.shiftHours ?? 0) * 3_600_000;
        if ('date' in start && 'date' in end) {
          const base = Date.parse(`${start.date}T00:00:00Z`) + week * 7 * 86_400_000;
          key = dateOf(base);
          const length =
            Date.parse(`${end.date}T00:00:00Z`) - Date.parse(`${start.date}T00:00:00Z`);
          const from = base + Math.round(shift / 86_400_000) * 86_400_000;
          ovStart = { date: dateOf(from) };
          ovEnd = { date: dateOf(from + length) };
        } else if ('utc' in start && 'utc' in end) {
          const base = Date.parse(start.utc) + week * 7 * 86_400_000;
          key = isoOf(base);
          const from = base + shift;
          const length = Date.parse(end.utc) - Date.parse(start.utc);
          ovStart = { utc: isoOf(from), tz: start.tz };
          ovEnd = { utc: isoOf(from + length), tz: end.tz };
          if (
            !writable(base, start.tz) ||
            !writable(from, start.tz) ||
            !writable(from + length, end.tz)
          )
            return;
        } else {
          return;
        }
        if (g.series?.cancelled[i]) {
          exdates.push(key);
          return;
        }
        const o = g.series?.overrides[i];
        const own = (value: string | null | undefined, series: string): string | null =>
          value === null || value === undefined || value === series ? null : value;
        overrides.push({
          recurrenceId: key,
          start: ovStart,
          end: ovEnd,
          subject: own(o?.subject, g.subject),
          location: own(o?.location, g.location),
          description: own(o?.description, g.description),
        });
      });
    }
    const data: EventData = {
      kind: 'event',
      subject: g.subject,
      location: g.location,
      description: g.description,
      start,
      end,
      rrule: g.series?.rrule ?? null,
      exdates: [...new Set(exdates)].sort(),
      overrides: overrides.sort(byKey),
      isPrivate: g.isPrivate,
      categories: g.categories,
      reminderMinutes: g.reminderMinutes,
      organizer: g.organizer,
      attendees: [...g.attendees].sort((a, b) => (a.email < b.email ? -1 : 1)),
    };
    return data;
  });

const optionalWhen = fc.option(
  span.map((s) => s.start),
  { nil: null },
);

export const taskData: fc.Arbitrary<TaskData> = fc.record({
  kind: fc.constant('task' as const),
  subject: text,
  description: text,
  start: optionalWhen,
  due: optionalWhen,
  completedAt: fc.option(wholeSeconds.map(isoOf), { nil: null }),
  percentComplete: fc.integer({ min: 0, max: 100 }),
  priority: fc.constantFrom('low', 'normal', 'high'),
  isPrivate: fc.boolean(),
  categories,
});

const phone = fc
  .array(fc.constantFrom('+', '4', '2', '0', ' ', '7', '(', ')', '-', '1', '9', 'x', ','), {
    minLength: 3,
    maxLength: 16,
  })
  .map((chars) => chars.join('').trim())
  .filter((p) => p !== '');

const photo = fc.option(
  fc.record({
    mediaType: fc.constantFrom('image/jpeg', 'image/png', 'image/gif', 'image/webp'),
    base64: fc
      .uint8Array({ minLength: 1, maxLength: 300 })
      .map((b) => Buffer.from(b).toString('base64')),
  }),
  { nil: null },
);

const address = fc.option(
  fc
    .record({ street: text, city: text, postalCode: text, region: text, country: text })
    .filter((a) => Object.values(a).some((v) => v !== '')),
  { nil: null },
);

export const contactData: fc.Arbitrary<ContactData> = fc.record({
  kind: fc.constant('contact' as const),
  firstName: text,
  lastName: text,
  prefix: text,
  suffix: text,
  organization: text,
  jobTitle: text,
  emails: fc.uniqueArray(
    fc.record({ value: email, type: fc.constantFrom('work', 'home', 'other') }),
    {
      selector: (e) => e.value,
      maxLength: 4,
    },
  ),
  phones: fc.array(
    fc.record({ value: phone, type: fc.constantFrom('work', 'home', 'mobile', 'fax', 'other') }),
    {
      maxLength: 4,
    },
  ),
  address,
  note: text,
  categories,
  photo,
});

export const crmStamp = fc.option(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9:_-]{0,20}$/), {
  nil: null,
});
