/**
 * The CalDAV/CardDAV fixtures (Radicale, Xandikos): a real server per describe block, a
 * calendar and an address book per installation, and a phone that writes raw iCalendar and
 * vCard over DAV. Listing faults come from a fault proxy between the connector and the server.
 */
import { startDavServer } from '../support/dav-servers.ts';
import type { DavServerKind, DavTestServer } from '../support/dav-servers.ts';
import { startFaultProxy } from '../support/fault-proxy.ts';
import type { FaultProxy } from '../support/fault-proxy.ts';
import { installDav, serverObjects } from '../support/dav-installation.ts';
import type { DavInstallation } from '../support/dav-installation.ts';
import { createConnector } from '../../src/core/servers/create-connector.ts';
import { MemorySecretStore } from '../../src/core/secrets/memory-secret-store.ts';
import { SecretKey } from '../../src/core/secrets/secret-store.ts';
import type {
  Installation,
  ListingFaults,
  Phone,
  PhoneChange,
  PhoneContact,
  PhoneEvent,
  PhoneItem,
  PhoneTask,
  ServerFixture,
} from './fixtures.ts';
import { daysFromNow, fromWallTime, ianaZone, icsDay, icsLocal, icsUtc } from '../support/times.ts';

/** Outlook's VTIMEZONE for the one Windows zone name the suite writes. */
const WINDOWS_VTIMEZONES: Record<string, string[]> = {
  'Central Europe Standard Time': [
    'BEGIN:VTIMEZONE',
    'TZID:Central Europe Standard Time',
    'BEGIN:STANDARD',
    'DTSTART:16010101T030000',
    'TZOFFSETFROM:+0200',
    'TZOFFSETTO:+0100',
    'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10',
    'END:STANDARD',
    'BEGIN:DAYLIGHT',
    'DTSTART:16010101T020000',
    'TZOFFSETFROM:+0100',
    'TZOFFSETTO:+0200',
    'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3',
    'END:DAYLIGHT',
    'END:VTIMEZONE',
  ],
};

let serial = 0;
const newUid = (what: string): string => `${what}-${++serial}-${process.pid}@phone`;

const escapeText = (s: string): string =>
  s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\n/g, '\\n');
const unescapeText = (s: string): string =>
  s.replace(/\\([\\;,nN])/g, (_m, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
const param = (s: string): string => (/[:;,]/.test(s) ? `"${s}"` : s);

/** A time property in the phone's form: a day, a wall time with TZID, or UTC. */
function timeLine(name: string, v: Date | string, zone: string | undefined): string {
  if (typeof v === 'string') return `${name};VALUE=DATE:${icsDay(v)}`;
  if (zone === undefined) return `${name}:${icsUtc(v)}`;
  return `${name};TZID=${zone}:${icsLocal(v, zone)}`;
}

function person(name: string, p: { email: string; name?: string }, extra = ''): string {
  return `${name}${p.name ? `;CN=${param(p.name)}` : ''}${extra}:mailto:${p.email}`;
}

function eventText(e: PhoneEvent, uid: string): string {
  const zone = e.zone;
  const master = [
    'BEGIN:VEVENT',
    `UID:${uid}`,
    `DTSTAMP:${icsUtc(daysFromNow(-1))}`,
    timeLine('DTSTART', e.start, zone),
    timeLine('DTEND', e.end, zone),
    ...(e.recurrence ? [`RRULE:FREQ=${e.recurrence.freq};COUNT=${e.recurrence.count}`] : []),
    ...(e.cancelled ?? []).map((d) => timeLine('EXDATE', d, zone)),
    `SUMMARY:${escapeText(e.subject)}`,
    ...(e.location === undefined ? [] : [`LOCATION:${escapeText(e.location)}`]),
    ...(e.description === undefined ? [] : [`DESCRIPTION:${escapeText(e.description)}`]),
    ...(e.private ? ['CLASS:PRIVATE'] : []),
    ...(e.categories?.length ? [`CATEGORIES:${e.categories.map(escapeText).join(',')}`] : []),
    ...(e.organizer ? [person('ORGANIZER', e.organizer)] : []),
    ...(e.attendees ?? []).map((a) => person('ATTENDEE', a, ';PARTSTAT=ACCEPTED')),
    ...(e.unknown ?? []).map((u) => `${u.name}:${u.value}`),
    ...(e.reminderMinutes === undefined
      ? []
      : ['BEGIN:VALARM', 'ACTION:DISPLAY', `TRIGGER:-PT${e.reminderMinutes}M`, 'END:VALARM']),
    'END:VEVENT',
  ];
  const overrides = (e.moved ?? []).flatMap((m) => [
    'BEGIN:VEVENT',
    `UID:${uid}`,
    `DTSTAMP:${icsUtc(daysFromNow(-1))}`,
    timeLine('RECURRENCE-ID', m.original, zone),
    timeLine('DTSTART', m.start, zone),
    timeLine('DTEND', m.end, zone),
    `SUMMARY:${escapeText(m.subject ?? e.subject)}`,
    'END:VEVENT',
  ]);
  const vtimezone = zone === undefined ? [] : (WINDOWS_VTIMEZONES[zone] ?? []);
  return calendar([...vtimezone, ...master, ...overrides]);
}

function calendar(lines: string[]): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Test phone//EN',
    ...lines,
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

const PRIORITY = { high: 1, normal: 5, low: 9 } as const;

function taskText(t: PhoneTask, uid: string): string {
  return calendar([
    'BEGIN:VTODO',
    `UID:${uid}`,
    `DTSTAMP:${icsUtc(daysFromNow(-1))}`,
    `SUMMARY:${escapeText(t.subject)}`,
    ...(t.due === undefined ? [] : [timeLine('DUE', t.due, undefined)]),
    ...(t.priority ? [`PRIORITY:${PRIORITY[t.priority]}`] : []),
    ...(t.percentComplete === undefined ? [] : [`PERCENT-COMPLETE:${t.percentComplete}`]),
    ...(t.completed ? ['STATUS:COMPLETED', `COMPLETED:${icsUtc(t.completed)}`] : []),
    ...(t.categories?.length ? [`CATEGORIES:${t.categories.map(escapeText).join(',')}`] : []),
    ...(t.owner
      ? [`ORGANIZER${t.owner.name ? `;CN="${t.owner.name}"` : ''}:mailto:${t.owner.email}`]
      : []),
    'END:VTODO',
  ]);
}

function contactText(c: PhoneContact, uid: string): string {
  const full = [c.prefix, c.firstName, c.lastName].filter(Boolean).join(' ');
  return [
    'BEGIN:VCARD',
    'VERSION:3.0',
    ...(c.noUid ? [] : [`UID:${uid}`]),
    `N:${escapeText(c.lastName)};${escapeText(c.firstName ?? '')};;${escapeText(c.prefix ?? '')};`,
    `FN:${escapeText(full)}`,
    ...(c.company === undefined ? [] : [`ORG:${escapeText(c.company)}`]),
    ...(c.jobTitle === undefined ? [] : [`TITLE:${escapeText(c.jobTitle)}`]),
    ...(c.emails ?? []).map(
      (m, n) => `EMAIL;TYPE=INTERNET${n === 0 ? ',WORK' : n === 1 ? ',HOME' : ''}:${m}`,
    ),
    ...(c.mobile ? [`TEL;TYPE=CELL:${c.mobile}`] : []),
    ...(c.workPhone ? [`TEL;TYPE=WORK,VOICE:${c.workPhone}`] : []),
    ...(c.city ? [`ADR;TYPE=WORK:;;;${escapeText(c.city)};;;`] : []),
    ...(c.categories?.length ? [`CATEGORIES:${c.categories.map(escapeText).join(',')}`] : []),
    ...(c.assistant === undefined ? [] : [`X-ASSISTANT:${escapeText(c.assistant)}`]),
    ...(c.unknown ?? []).map((u) => `${u.name}:${u.value}`),
    'END:VCARD',
    '',
  ].join('\r\n');
}

interface Line {
  name: string;
  params: Map<string, string>;
  value: string;
}

function parseLine(raw: string): Line {
  let i = 0;
  let quoted = false;
  for (; i < raw.length; i++) {
    const ch = raw[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === ':' && !quoted) break;
  }
  const head = raw.slice(0, i);
  const value = raw.slice(i + 1);
  const [name = '', ...params] = head.split(/;(?=(?:[^"]*"[^"]*")*[^"]*$)/);
  return {
    name: name.toUpperCase(),
    params: new Map(
      params.map((p) => {
        const eq = p.indexOf('=');
        return [p.slice(0, eq).toUpperCase(), p.slice(eq + 1).replace(/^"|"$/g, '')];
      }),
    ),
    value,
  };
}

/** The property lines of each `kind` component (nested components left out). */
function componentsOf(text: string, kind: string): Line[][] {
  const lines = text.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
  const found: Line[][] = [];
  let current: Line[] | undefined;
  let depth = 0;
  for (const l of lines) {
    const upper = l.toUpperCase();
    if (current === undefined) {
      if (upper === `BEGIN:${kind}`) current = [];
      continue;
    }
    if (upper.startsWith('BEGIN:')) depth++;
    else if (upper.startsWith('END:')) {
      if (depth === 0) {
        found.push(current);
        current = undefined;
      } else depth--;
    } else if (depth === 0 && l !== '') current.push(parseLine(l));
  }
  return found;
}

const first = (lines: Line[], name: string): Line | undefined =>
  lines.find((l) => l.name === name.toUpperCase());
const textOf = (lines: Line[], name: string): string | undefined => {
  const l = first(lines, name);
  return l === undefined ? undefined : unescapeText(l.value);
};
const splitList = (v: string): string[] =>
  v
    .split(/(?<!\\),/)
    .map((c) => unescapeText(c).trim())
    .filter((c) => c !== '');
const mailto = (v: string): string => v.replace(/^mailto:/i, '');

/** A DATE-TIME or DATE property as an instant (ISO) or a day. */
function timeOf(line: Line | undefined): { value?: string; allDay: boolean; zone?: string } {
  if (line === undefined) return { allDay: false };
  const v = line.value.trim();
  if (line.params.get('VALUE') === 'DATE' || /^\d{8}$/.test(v)) {
    return { value: `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 8)}`, allDay: true };
  }
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)$/.exec(v);
  if (!m) return { allDay: false };
  const [, y, mo, d, h, mi, s, z] = m;
  const w = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h),
    minute: Number(mi),
    second: Number(s),
  };
  const tzid = line.params.get('TZID');
  if (z === 'Z' || tzid === undefined) {
    return { value: fromWallTime(w, 'UTC').toISOString(), allDay: false, zone: 'UTC' };
  }
  return { value: fromWallTime(w, tzid).toISOString(), allDay: false, zone: ianaZone(tzid) };
}

function priorityOf(v: string | undefined): PhoneItem['priority'] {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (n >= 1 && n <= 4) return 'high';
  if (n >= 6 && n <= 9) return 'low';
  return 'normal';
}

function itemOf(ref: string, raw: string): PhoneItem | undefined {
  const calendarKind = /^BEGIN:VEVENT/im.test(raw)
    ? 'VEVENT'
    : /^BEGIN:VTODO/im.test(raw)
      ? 'VTODO'
      : undefined;
  if (calendarKind !== undefined) {
    const all = componentsOf(raw, calendarKind);
    const master = all.find((c) => first(c, 'RECURRENCE-ID') === undefined) ?? all[0] ?? [];
    const overrides = all.filter((c) => c !== master && first(c, 'RECURRENCE-ID') !== undefined);
    const start = timeOf(first(master, 'DTSTART'));
    const end = timeOf(first(master, 'DTEND'));
    const due = timeOf(first(master, 'DUE'));
    const status = textOf(master, 'STATUS');
    return {
      ref,
      kind: calendarKind === 'VEVENT' ? 'event' : 'task',
      ...optional('subject', textOf(master, 'SUMMARY')),
      ...optional('location', textOf(master, 'LOCATION')),
      ...optional('description', textOf(master, 'DESCRIPTION')),
      allDay: start.allDay,
      ...optional('start', start.value),
      ...optional('end', end.value),
      ...optional('due', due.value),
      ...optional('zone', start.zone),
      categories: master
        .filter((l) => l.name === 'CATEGORIES')
        .flatMap((l) => splitList(l.value))
        .sort(),
      ...optional('priority', priorityOf(textOf(master, 'PRIORITY'))),
      completed: status?.toUpperCase() === 'COMPLETED' || first(master, 'COMPLETED') !== undefined,
      emails: [],
      phones: [],
      ...optional('uid', textOf(master, 'UID')),
      ...optional('stamp', textOf(master, 'X-CRM-SYNC-ID')),
      // Several ORGANIZER lines (which a component may not have) read as one comma list.
      ...optional(
        'organizer',
        master
          .filter((l) => l.name === 'ORGANIZER')
          .map((l) => mailto(l.value))
          .join(', ') || undefined,
      ),
      ...optional('organizerName', first(master, 'ORGANIZER')?.params.get('CN')),
      attendees: master.filter((l) => l.name === 'ATTENDEE').map((l) => mailto(l.value)),
      ...optional(
        'recurrence',
        /FREQ=([A-Z]+)/i.exec(first(master, 'RRULE')?.value ?? '')?.[1]?.toUpperCase(),
      ),
      exceptions: overrides.map((c) => textOf(c, 'SUMMARY') ?? ''),
      cancelled: master
        .filter((l) => l.name === 'EXDATE')
        .flatMap((l) =>
          l.value
            .split(',')
            .filter((v) => v.trim() !== '')
            .map((v) => timeOf({ ...l, value: v }).value ?? v),
        )
        .sort(),
      property: (name) => textOf(master, name),
      raw,
    };
  }
  const [card] = componentsOf(raw, 'VCARD');
  if (card === undefined) return undefined;
  const n = (first(card, 'N')?.value ?? '').split(/(?<!\\);/).map(unescapeText);
  const adr = (first(card, 'ADR')?.value ?? '').split(/(?<!\\);/).map(unescapeText);
  return {
    ref,
    kind: 'contact',
    allDay: false,
    categories: card
      .filter((l) => l.name === 'CATEGORIES')
      .flatMap((l) => splitList(l.value))
      .sort(),
    completed: false,
    ...optional('firstName', n[1] || undefined),
    ...optional('lastName', n[0] || undefined),
    ...optional('displayName', textOf(card, 'FN')),
    ...optional('assistant', textOf(card, 'X-ASSISTANT')),
    ...optional('jobTitle', textOf(card, 'TITLE')),
    ...optional(
      'company',
      (first(card, 'ORG')?.value ?? '').split(/(?<!\\);/).map(unescapeText)[0] || undefined,
    ),
    ...optional('city', adr[3] || undefined),
    emails: card.filter((l) => l.name === 'EMAIL').map((l) => l.value),
    phones: card.filter((l) => l.name === 'TEL').map((l) => l.value),
    ...optional('uid', textOf(card, 'UID')),
    ...optional('stamp', textOf(card, 'X-CRM-SYNC-ID')),
    attendees: [],
    exceptions: [],
    cancelled: [],
    property: (name) => textOf(card, name),
    raw,
  };
}

/** `{ [key]: value }` when the value is there (exactOptionalPropertyTypes). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Puts `value` in place of the component's `name` line, or adds it. */
function setLine(block: string, name: string, line: string): string {
  const pattern = new RegExp(`^${name}[;:][^\\r\\n]*$`, 'm');
  return pattern.test(block)
    ? block.replace(pattern, line)
    : block.replace(/\r\nEND:(VEVENT|VTODO|VCARD)$/, `\r\n${line}\r\nEND:$1`);
}

/** Applies a change to the master component of an object (unfolded). */
function changed(text: string, change: PhoneChange): string {
  const unfolded = text.replace(/\r?\n[ \t]/g, '').replace(/\r?\n/g, '\r\n');
  const m = /BEGIN:(VEVENT|VTODO|VCARD)\r\n(?:(?!RECURRENCE-ID)[\s\S])*?\r\nEND:\1/.exec(unfolded);
  if (!m) throw new Error('the phone found nothing to change');
  let block = m[0];
  if (change.subject !== undefined)
    block = setLine(block, 'SUMMARY', `SUMMARY:${escapeText(change.subject)}`);
  if (change.location !== undefined)
    block = setLine(block, 'LOCATION', `LOCATION:${escapeText(change.location)}`);
  if (change.start !== undefined)
    block = setLine(block, 'DTSTART', `DTSTART:${icsUtc(change.start)}`);
  if (change.end !== undefined) block = setLine(block, 'DTEND', `DTEND:${icsUtc(change.end)}`);
  return unfolded.slice(0, m.index) + block + unfolded.slice(m.index + m[0].length);
}

function davPhone(inst: DavInstallation): Phone {
  const put = async (url: string, text: string, type: string): Promise<string> =>
    (await inst.phone.putObject(url, null, text, `${type}; charset=utf-8`, { ifNoneMatch: '*' }))
      .href;
  const all = async (): Promise<PhoneItem[]> => {
    const objects = new Map([
      ...(await serverObjects(inst, inst.calendarUrl)),
      ...(await serverObjects(inst, inst.addressBookUrl)),
    ]);
    return [...objects].flatMap(([href, text]) => itemOf(href, text) ?? []);
  };
  return {
    createEvent: (e) => put(inst.calendarUrl, eventText(e, newUid('event')), 'text/calendar'),
    createTask: (t) => put(inst.calendarUrl, taskText(t, newUid('task')), 'text/calendar'),
    createContact: (c) => put(inst.addressBookUrl, contactText(c, newUid('card')), 'text/vcard'),
    async update(ref, change) {
      const current = await inst.phone.getObject(ref);
      if (current === null) throw new Error(`the phone has no ${ref}`);
      const collection = ref.startsWith(inst.addressBookUrl)
        ? inst.addressBookUrl
        : inst.calendarUrl;
      const type = collection === inst.addressBookUrl ? 'text/vcard' : 'text/calendar';
      await inst.phone.putObject(collection, ref, changed(current.data, change), type, {
        ifMatch: current.etag,
      });
    },
    remove: (ref) => inst.phone.deleteObject(ref, ''),
    events: async () => (await all()).filter((i) => i.kind === 'event'),
    tasks: async () => (await all()).filter((i) => i.kind === 'task'),
    contacts: async () => (await all()).filter((i) => i.kind === 'contact'),
    async versions() {
      return new Map([
        ...(await serverObjects(inst, inst.calendarUrl)),
        ...(await serverObjects(inst, inst.addressBookUrl)),
      ]);
    },
  };
}

/** What a server answers a sync token it no longer knows (RFC 6578 3.2). */
const TOKEN_REFUSED = {
  kind: 'status',
  status: 403,
  body: '<?xml version="1.0" encoding="utf-8"?><D:error xmlns:D="DAV:"><D:valid-sync-token/></D:error>',
} as const;
/** A sync-collection REPORT that carries a token (not the initial, empty one). */
const WITH_TOKEN = /<d:sync-token>[^<]+<\/d:sync-token>/;
/** The initial sync-collection: the full listing. */
const WITHOUT_TOKEN = '<d:sync-token/>';

/** Keeps the first `keep` <response> elements and stops there: the multistatus never closes. */
function cutAfterResponses(keep: number): (body: string) => string {
  return (body) => {
    const closing = /<\/(?:[\w-]+:)?response>/g;
    let end = -1;
    for (let n = 0; n < keep; n++) {
      const m = closing.exec(body);
      if (m === null) return body.slice(0, Math.floor(body.length / 2));
      end = m.index + m[0].length;
    }
    return body.slice(0, end);
  };
}

/** Leaves out the <response> elements whose href ends with one of `names`; the XML stays whole. */
function dropResponses(names: string[]): (body: string) => string {
  return (body) =>
    body.replace(/<((?:[\w-]+:)?)response\b[\s\S]*?<\/\1response>/g, (element) =>
      names.some((n) => element.includes(`${n}<`)) ? '' : element,
    );
}

const fileName = (href: string): string => href.split('/').pop()!;

function proxyFaults(proxy: FaultProxy): ListingFaults {
  return {
    refuseChangeTokens(times = Infinity) {
      proxy.add({ method: 'REPORT', body: WITH_TOKEN, times, fault: TOKEN_REFUSED });
    },
    cutFullListing: (keep) =>
      proxy.add({
        method: 'REPORT',
        body: WITHOUT_TOKEN,
        fault: { kind: 'corrupt', transform: cutAfterResponses(keep) },
      }),
    dropFromFullListing: (refs) =>
      proxy.add({
        method: 'REPORT',
        body: WITHOUT_TOKEN,
        fault: { kind: 'corrupt', transform: dropResponses(refs.map(fileName)) },
      }),
    cutChangeListing: (keep) =>
      proxy.add({
        method: 'REPORT',
        body: WITH_TOKEN,
        fault: { kind: 'corrupt', transform: cutAfterResponses(keep) },
      }),
    failNextItemRead() {
      proxy.add({ method: 'REPORT', body: 'multiget', fault: { kind: 'status', status: 500 } });
    },
    clear: () => proxy.clear(),
  };
}

export interface DavFixture extends ServerFixture {
  /** The running server (between start and stop). */
  server(): DavTestServer;
  /** The DAV installation (collections, raw transport) behind an installation of this fixture. */
  native(inst: Installation): DavInstallation;
}

export function davFixture(kind: DavServerKind): DavFixture {
  let current: DavTestServer | undefined;
  const server = (): DavTestServer => {
    if (current === undefined) throw new Error(`the ${kind} test server is not running`);
    return current;
  };
  const natives = new WeakMap<Installation, DavInstallation>();
  return {
    name: kind === 'radicale' ? 'Radicale' : 'Xandikos',
    keeps: {
      taskTimes: true,
      uidlessContacts: kind === 'xandikos',
      exportedOrganizer: true,
      categoryList: false,
      listingFaults: true,
      wallTimes: true,
    },
    requestNames: { listFolders: 'PROPFIND', listChanges: 'REPORT' },
    server,
    native(inst) {
      const found = natives.get(inst);
      if (!found) throw new Error(`not an installation of the ${kind} fixture`);
      return found;
    },
    async start() {
      current = await startDavServer(kind);
    },
    async stop() {
      await current?.stop();
      current = undefined;
    },
    async install(configure = () => {}, options = {}) {
      const srv = server();
      const proxy = options.faults ? await startFaultProxy(srv.url) : undefined;
      const dav = await installDav(
        srv,
        configure,
        proxy ? { url: proxy.url, timeoutMs: 20_000 } : {},
      );
      let closed = false;
      const inst: Installation = {
        db: dav.db,
        dir: dav.dir,
        settings: dav.settings,
        ownerId: dav.ownerId,
        phone: davPhone(dav),
        ...(proxy ? { listingFaults: proxyFaults(proxy) } : {}),
        sync: (o) => dav.sync(o),
        async listCategories() {
          const connector = await createConnector(
            dav.settings,
            new MemorySecretStore({ [SecretKey.serverPassword]: srv.password }),
          );
          try {
            return await connector.listCategories?.();
          } finally {
            await connector.close();
          }
        },
        async noInvitationsSent() {
          // Every participant of what the sync created carries SCHEDULE-AGENT=CLIENT: the
          // server schedules (e-mails) nobody.
          const objects = [...(await serverObjects(dav, dav.calendarUrl)).values()];
          const attendees = objects
            .map((t) => t.replace(/\r\n[ \t]/g, ''))
            .filter((t) => /^X-CRM-SYNC-ID:/m.test(t))
            .flatMap((t) => t.split(/\r?\n/).filter((l) => /^(ATTENDEE|ORGANIZER)[;:]/i.test(l)));
          return attendees.every((l) => /SCHEDULE-AGENT=CLIENT/i.test(l.split(':')[0]!));
        },
        requests: () => ({ ...dav.stats.byMethod }),
        async close() {
          if (closed) return;
          closed = true;
          proxy?.clear();
          await proxy?.stop();
          await dav.close();
        },
      };
      natives.set(inst, dav);
      return inst;
    },
  };
}
