/**
 * The fake Exchange for `npm run bench -- --server ews`, in a process of its own so the
 * measuring process's memory and CPU figures are the client's alone. Driven over the
 * fork IPC channel: seed the calendar, edit some of it as another client, count the SOAP
 * calls answered.
 */
import { startFakeEws } from '../test/support/ews-fake/index.ts';
import type { FakeEws } from '../test/support/ews-fake/index.ts';

export const BENCH_MAILBOX = { user: 'bench', password: 'Bench-2026', smtp: 'bench@firma.test' };

/**
 * The day the seeded items are spread around, and the clock the measured runs use: with the
 * wall clock, items near the window's edge leave it as the days pass and the checks fail.
 */
export const BENCH_NOW = new Date(Date.UTC(2026, 10, 21, 12));

/** The service account of the all-users benchmark, and the mailbox of its k-th user. */
export const BENCH_SERVICE = { user: 'svc-bench', password: 'Servis-2026', smtp: 'svc@firma.test' };
export const benchUserMailbox = (k: number): string => `uzivatel${k}@firma.test`;

export type BenchRequest =
  | { cmd: 'seed'; count: number; windowDays: number }
  | { cmd: 'seed-users'; perMailbox: number; windowDays: number }
  | { cmd: 'answer-delay'; ms: number }
  | { cmd: 'edit'; count: number }
  | { cmd: 'calls' }
  | { cmd: 'count' }
  | { cmd: 'stop' };

export type BenchReply =
  | {
      ok: true;
      ewsUrl?: string;
      calls?: Record<string, number>;
      /** SOAP calls per mailbox acted on. */
      byMailbox?: Record<string, number>;
      count?: number;
      ms?: number;
    }
  | { ok: false; error: string };

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** BENCH_NOW's day at this UTC hour, in ms. */
export function atHour(hour: number): number {
  const day = new Date(BENCH_NOW);
  day.setUTCHours(hour, 0, 0, 0);
  return day.getTime();
}

/** A calendar item as Outlook writes one; every 5th a weekly series, every 3rd with a guest. */
export function benchItem(k: number, windowDays: number): string {
  const day = ((k * 7919) % (2 * windowDays - 20)) - windowDays + 10;
  const start = new Date(atHour(8 + (k % 9)) + day * 86_400_000);
  const end = new Date(start.getTime() + 3_600_000);
  const time = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const guest =
    k % 3 === 0
      ? `<t:RequiredAttendees><t:Attendee><t:Mailbox><t:Name>Host ${k}</t:Name><t:EmailAddress>host${k % 500}@zakaznik.test</t:EmailAddress></t:Mailbox></t:Attendee></t:RequiredAttendees>`
      : '';
  const weekday = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][
    new Date(start.getTime() + 3_600_000).getUTCDay()
  ];
  const series =
    k % 5 === 0
      ? `<t:Recurrence><t:WeeklyRecurrence><t:Interval>1</t:Interval><t:DaysOfWeek>${weekday}</t:DaysOfWeek></t:WeeklyRecurrence><t:NumberedRecurrence><t:StartDate>${start.toISOString().slice(0, 10)}</t:StartDate><t:NumberOfOccurrences>6</t:NumberOfOccurrences></t:NumberedRecurrence></t:Recurrence>`
      : '';
  return [
    '<t:CalendarItem>',
    `<t:Subject>${escapeXml(`Schůzka ${k}`)}</t:Subject>`,
    `<t:Body BodyType="Text">Poznámka ke schůzce ${k}</t:Body>`,
    `<t:Start>${time(start)}</t:Start>`,
    `<t:End>${time(end)}</t:End>`,
    `<t:Location>Zasedačka ${k % 7}</t:Location>`,
    guest,
    series,
    '<t:StartTimeZone Id="Central Europe Standard Time"/>',
    '<t:EndTimeZone Id="Central Europe Standard Time"/>',
    '</t:CalendarItem>',
  ].join('');
}

async function main(): Promise<void> {
  // `--mailboxes N`: a service account and N more mailboxes, for `--server all-users`.
  const at = process.argv.indexOf('--mailboxes');
  const users = at < 0 ? 0 : Number(process.argv[at + 1] ?? 0);
  const fake: FakeEws = await startFakeEws({
    accounts: [
      { ...BENCH_MAILBOX },
      ...(users > 0 ? [{ ...BENCH_SERVICE, canImpersonate: true }] : []),
    ],
    mailboxes: Array.from({ length: users }, (_, k) => benchUserMailbox(k)),
    auth: ['basic'],
    // Validating every body with xmllint is the tests' job; here it would measure xmllint.
    validate: false,
  });
  const calendar = fake.mailbox(BENCH_MAILBOX.smtp).folder('calendar');
  let seeded: string[] = [];
  let callsFrom = 0;
  const reply = (r: BenchReply): void => {
    process.send?.(r);
  };
  process.on('message', (msg: BenchRequest) => {
    try {
      const started = performance.now();
      switch (msg.cmd) {
        case 'seed':
          for (let k = 0; k < msg.count; k++) {
            seeded.push(calendar.create(benchItem(k, msg.windowDays)).id);
          }
          reply({ ok: true, ms: performance.now() - started });
          break;
        case 'seed-users':
          for (let u = 0; u < users; u++) {
            const userCalendar = fake.mailbox(benchUserMailbox(u)).folder('calendar');
            for (let k = 0; k < msg.perMailbox; k++)
              userCalendar.create(benchItem(u * msg.perMailbox + k, msg.windowDays));
          }
          reply({ ok: true, ms: performance.now() - started });
          break;
        case 'answer-delay':
          fake.faults.answerDelay(msg.ms);
          reply({ ok: true });
          break;
        case 'edit': {
          const step = seeded.length / msg.count;
          for (let k = 0; k < msg.count; k++) {
            const id = seeded[Math.floor(k * step)];
            if (id !== undefined)
              calendar.update(id, `<t:Subject>Schůzka ${k} (upraveno)</t:Subject>`);
          }
          reply({ ok: true });
          break;
        }
        case 'calls': {
          const calls: Record<string, number> = {};
          const byMailbox: Record<string, number> = {};
          for (const c of fake.calls.slice(callsFrom)) {
            calls[c.operation] = (calls[c.operation] ?? 0) + 1;
            byMailbox[c.mailbox] = (byMailbox[c.mailbox] ?? 0) + 1;
          }
          callsFrom = fake.calls.length;
          reply({ ok: true, calls, byMailbox });
          break;
        }
        case 'count':
          reply({ ok: true, count: calendar.items().length });
          break;
        case 'stop':
          seeded = [];
          void fake.stop().then(() => {
            reply({ ok: true });
            process.exit(0);
          });
          break;
      }
    } catch (err) {
      reply({ ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  });
  reply({ ok: true, ewsUrl: fake.ewsUrl });
}

if (process.send) void main();
