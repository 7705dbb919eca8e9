/**
 * The in-memory reference connector's fixture (src/core/servers/memory): a fresh memory
 * server per installation, its connector under the real engine, and a phone that stores
 * items in the neutral model (the memory server's own "wire format"), what the CRM does not
 * model kept beside them. It cannot make a listing lie: no `listingFaults`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCrmDatabase } from '../../src/core/crm/database.ts';
import { createUser } from '../../src/core/crm/users.ts';
import { createMemoryServer } from '../../src/core/servers/memory/memory-server.ts';
import type { MemoryItem, MemoryServer } from '../../src/core/servers/memory/memory-server.ts';
import type { ServerConnector } from '../../src/core/servers/connector.ts';
import { defaultSettings } from '../../src/shared/settings/schema.ts';
import { runSync } from '../../src/core/sync/engine.ts';
import type {
  AgendaKind,
  ContactData,
  EventData,
  ItemData,
  TaskData,
  When,
} from '../../src/core/model/items.ts';
import type {
  Installation,
  Phone,
  PhoneChange,
  PhoneContact,
  PhoneEvent,
  PhoneItem,
  PhoneTask,
  ServerFixture,
} from './fixtures.ts';
import { ianaZone } from '../support/times.ts';

let serial = 0;
const newUid = (what: string): string => `${what}-${++serial}-${process.pid}@phone`;

function when(v: Date | string, zone: string | undefined): When {
  if (typeof v === 'string') return { date: v };
  return { utc: v.toISOString(), tz: zone === undefined ? null : ianaZone(zone) };
}

const original = (v: Date | string): string => (typeof v === 'string' ? v : v.toISOString());
const person = (p: { email: string; name?: string }) => ({
  email: p.email.toLowerCase(),
  name: p.name ?? '',
});

function eventData(e: PhoneEvent): EventData {
  return {
    kind: 'event',
    subject: e.subject,
    location: e.location ?? '',
    description: e.description ?? '',
    start: when(e.start, e.zone),
    end: when(e.end, e.zone),
    rrule: e.recurrence ? `FREQ=${e.recurrence.freq};COUNT=${e.recurrence.count}` : null,
    exdates: (e.cancelled ?? []).map(original).sort(),
    overrides: (e.moved ?? [])
      .map((m) => ({
        recurrenceId: m.original.toISOString(),
        start: when(m.start, e.zone),
        end: when(m.end, e.zone),
        subject: m.subject ?? null,
        location: null,
        description: null,
      }))
      .sort((a, b) => a.recurrenceId.localeCompare(b.recurrenceId)),
    isPrivate: e.private ?? false,
    categories: [...(e.categories ?? [])].sort(),
    reminderMinutes: e.reminderMinutes ?? null,
    organizer: e.organizer ? person(e.organizer) : null,
    attendees: (e.attendees ?? [])
      .map((a) => ({ ...person(a), role: 'required' as const, response: 'accepted' as const }))
      .sort((a, b) => a.email.localeCompare(b.email)),
  };
}

function taskData(t: PhoneTask): TaskData {
  return {
    kind: 'task',
    subject: t.subject,
    description: '',
    start: null,
    due: t.due === undefined ? null : when(t.due, undefined),
    completedAt: t.completed ? t.completed.toISOString() : null,
    percentComplete: t.percentComplete ?? (t.completed ? 100 : 0),
    priority: t.priority ?? 'normal',
    isPrivate: false,
    categories: [...(t.categories ?? [])].sort(),
    ...(t.owner ? { owner: person(t.owner) } : {}),
  };
}

function contactData(c: PhoneContact): ContactData {
  return {
    kind: 'contact',
    firstName: c.firstName ?? '',
    lastName: c.lastName,
    prefix: c.prefix ?? '',
    suffix: '',
    organization: c.company ?? '',
    jobTitle: c.jobTitle ?? '',
    emails: (c.emails ?? []).map((value, n) => ({
      value: value.toLowerCase(),
      type: n === 0 ? 'work' : 'home',
    })),
    phones: [
      ...(c.mobile ? [{ value: c.mobile, type: 'mobile' }] : []),
      ...(c.workPhone ? [{ value: c.workPhone, type: 'work' }] : []),
    ],
    address: c.city ? { street: '', city: c.city, postalCode: '', region: '', country: '' } : null,
    note: '',
    categories: [...(c.categories ?? [])].sort(),
    photo: null,
  };
}

const whenText = (w: When | null): string | undefined =>
  w === null ? undefined : 'date' in w ? w.date : w.utc;

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function itemOf(item: MemoryItem): PhoneItem {
  const d: ItemData = item.data;
  const extra = item.extra;
  const base = {
    ref: item.serverId,
    categories: [...d.categories].sort(),
    ...optional('uid', item.identity.uid || undefined),
    ...optional('stamp', item.identity.crmStamp ?? undefined),
    property: (name: string) => {
      const v = extra[name];
      return typeof v === 'string' ? v : undefined;
    },
    raw: JSON.stringify({ data: d, extra }),
  };
  const none = { emails: [], phones: [], attendees: [], exceptions: [], cancelled: [] };
  if (d.kind === 'event') {
    return {
      ...base,
      ...none,
      kind: 'event',
      subject: d.subject,
      location: d.location,
      description: d.description,
      allDay: 'date' in d.start,
      ...optional('start', whenText(d.start)),
      ...optional('end', whenText(d.end)),
      ...optional('zone', 'tz' in d.start ? (d.start.tz ?? undefined) : undefined),
      completed: false,
      ...optional('organizer', d.organizer?.email),
      ...optional('organizerName', d.organizer?.name || undefined),
      attendees: d.attendees.map((a) => a.email),
      ...optional('recurrence', /FREQ=([A-Z]+)/.exec(d.rrule ?? '')?.[1]),
      exceptions: d.overrides.map((o) => o.subject ?? d.subject),
      cancelled: [...d.exdates].sort(),
    };
  }
  if (d.kind === 'task') {
    return {
      ...base,
      ...none,
      kind: 'task',
      subject: d.subject,
      description: d.description,
      allDay: false,
      ...optional('due', whenText(d.due)),
      priority: d.priority,
      completed: d.completedAt !== null,
    };
  }
  return {
    ...base,
    ...none,
    kind: 'contact',
    allDay: false,
    completed: false,
    firstName: d.firstName,
    lastName: d.lastName,
    displayName: [d.prefix, d.firstName, d.lastName].filter(Boolean).join(' '),
    ...optional(
      'assistant',
      typeof extra['assistant'] === 'string' ? extra['assistant'] : undefined,
    ),
    jobTitle: d.jobTitle,
    company: d.organization,
    ...optional('city', d.address?.city || undefined),
    emails: d.emails.map((e) => e.value),
    phones: d.phones.map((p) => p.value),
  };
}

function changedData(data: ItemData, change: PhoneChange): ItemData {
  if (data.kind === 'contact') return data;
  const next = { ...data } as EventData | TaskData;
  if (change.subject !== undefined) next.subject = change.subject;
  if (next.kind === 'event') {
    const tz = 'tz' in next.start ? next.start.tz : null;
    if (change.location !== undefined) next.location = change.location;
    if (change.start !== undefined) next.start = { utc: change.start.toISOString(), tz };
    if (change.end !== undefined) next.end = { utc: change.end.toISOString(), tz };
  }
  return next;
}

function memoryPhone(server: MemoryServer): Phone {
  const folderOf = (kind: AgendaKind): string => server.defaultFolder(kind).id;
  const put = (kind: AgendaKind, uid: string, data: ItemData, extra: Record<string, unknown>) =>
    server.put(folderOf(kind), { identity: { uid, crmStamp: null }, data, extra }).serverId;
  const unknown = (list: { name: string; value: string }[] | undefined) =>
    Object.fromEntries((list ?? []).map((u) => [u.name, u.value]));
  const holder = (ref: string): string => {
    const found = server.folders().find((f) => server.get(f.id, ref) !== undefined);
    if (found === undefined) throw new Error(`the phone has no item ${ref}`);
    return found.id;
  };
  const all = (): MemoryItem[] => server.folders().flatMap((f) => server.list(f.id));
  const ofKind = (kind: ItemData['kind']) =>
    all()
      .filter((i) => i.data.kind === kind)
      .map(itemOf);
  return {
    createEvent: async (e) => put('events', newUid('event'), eventData(e), unknown(e.unknown)),
    createTask: async (t) => put('tasks', newUid('task'), taskData(t), {}),
    createContact: async (c) =>
      put('contacts', c.noUid ? '' : newUid('card'), contactData(c), {
        ...unknown(c.unknown),
        ...(c.assistant === undefined ? {} : { assistant: c.assistant }),
      }),
    async update(ref, change) {
      const folderId = holder(ref);
      const item = server.get(folderId, ref)!;
      server.put(
        folderId,
        { identity: item.identity, data: changedData(item.data, change), extra: item.extra },
        ref,
      );
    },
    async remove(ref) {
      server.delete(holder(ref), ref);
    },
    events: async () => ofKind('event'),
    tasks: async () => ofKind('task'),
    contacts: async () => ofKind('contact'),
    versions: async () => new Map(all().map((i) => [i.serverId, i.version])),
  };
}

/** Calls answered without a server: opening a folder session, closing, a local mapping. */
const LOCAL_CALLS = new Set(['openFolder', 'close', 'asStored']);

/**
 * The connector with each call that a real server would answer counted by method name in
 * `counts`, the folder sessions it opens included.
 */
function countingConnector(
  connector: ServerConnector,
  counts: Record<string, number>,
): ServerConnector {
  const counted = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(t, key) {
        const value: unknown = Reflect.get(t, key, t);
        if (typeof value !== 'function' || typeof key !== 'string') return value;
        return (...args: unknown[]): unknown => {
          if (!LOCAL_CALLS.has(key)) counts[key] = (counts[key] ?? 0) + 1;
          const out: unknown = value.apply(t, args);
          return key === 'openFolder' ? (out as Promise<object>).then(counted) : out;
        };
      },
    });
  return counted(connector);
}

export function memoryFixture(): ServerFixture {
  return {
    name: 'in-memory reference',
    keeps: {
      taskTimes: true,
      // The memory server stores a card without UID, but its connector reports it with uid
      // '' and a lost pairing state then imports it again: not offered until it gives such
      // an item a stable UID, as the DAV and Exchange connectors do.
      uidlessContacts: false,
      exportedOrganizer: false,
      categoryList: false,
      listingFaults: false,
      wallTimes: false,
    },
    requestNames: { listFolders: 'listFolders', listChanges: 'readChanges' },
    async start() {},
    async stop() {},
    async install(configure = () => {}) {
      const server = createMemoryServer();
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-sync-memory-'));
      const db = openCrmDatabase(path.join(dir, 'crm.sqlite'), { create: true });
      const ownerId = createUser(db, {
        login: 'pbartos',
        displayName: 'Pavel Bartoš',
        password: 'heslo',
      });
      const settings = defaultSettings();
      settings.crm.user = 'pbartos';
      settings.agendas.tasks.enabled = true;
      configure(settings);
      let closed = false;
      const counts: Record<string, number> = {};
      return {
        db,
        dir,
        settings,
        ownerId,
        phone: memoryPhone(server),
        async sync(options = {}) {
          const connector = countingConnector(server.connector(), counts);
          try {
            return await runSync({ db, settings, connector, ...options });
          } finally {
            await connector.close();
          }
        },
        async listCategories() {
          return server.connector().listCategories?.();
        },
        // The memory server schedules nothing: nobody can be invited.
        noInvitationsSent: async () => true,
        requests: () => ({ ...counts }),
        async close() {
          if (closed) return;
          closed = true;
          db.close();
          fs.rmSync(dir, { recursive: true, force: true });
        },
      } satisfies Installation;
    },
  };
}
