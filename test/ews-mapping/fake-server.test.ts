/**
 * Round trips through the fake Exchange server (test/support/ews-fake) with the real client:
 * what newServerItem saves, GetItem with itemPropertySet gives back, and readServerItem
 * reads as the data written. A series gets a cancelled and a moved occurrence through
 * occurrenceWrites + BindToOccurrence, as the connector does it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Appointment,
  ConflictResolutionMode,
  DeleteMode,
  ExchangeService,
  ExchangeVersion,
  FolderId,
  Item,
  PropertySet,
  SendCancellationsMode,
  SendInvitationsMode,
  SendInvitationsOrCancellationsMode,
  Uri,
  WebCredentials,
  WellKnownFolderName,
} from 'ews-javascript-api';
import type { ItemId } from 'ews-javascript-api';
import {
  applyOverrideToOccurrence,
  applyToServerItem,
  exceptionPropertySet,
  instanceIndex,
  itemPropertySet,
  newServerItem,
  occurrenceWrites,
  readServerItem,
  resetOverride,
} from '../../src/core/servers/ews/mapping/index.ts';
import type { AgendaKind, EventData, ItemData, ItemIdentity } from '../../src/core/model/items.ts';
import { startFakeEws } from '../support/ews-fake/index.ts';
import type { FakeEws } from '../support/ews-fake/index.ts';
import { contact, event, task } from './support/items.ts';

let ews: FakeEws;
let service: ExchangeService;

beforeAll(async () => {
  ews = await startFakeEws({
    accounts: [{ user: 'pbartos', password: 'secret', smtp: 'pbartos@example.test' }],
    auth: ['basic'],
  });
  service = new ExchangeService(ExchangeVersion.Exchange2013_SP1);
  service.Credentials = new WebCredentials('pbartos', 'secret');
  service.Url = new Uri(ews.ewsUrl);
});

afterAll(async () => {
  await ews.stop();
});

const FOLDER: Record<AgendaKind, WellKnownFolderName> = {
  events: WellKnownFolderName.Calendar,
  tasks: WellKnownFolderName.Tasks,
  contacts: WellKnownFolderName.Contacts,
};

async function readBack(kind: AgendaKind, id: ItemId): Promise<ReturnType<typeof readServerItem>> {
  const item = await Item.Bind(service, id, itemPropertySet(kind));
  const exceptions = new Map<string, Appointment>();
  if (item instanceof Appointment && item.ModifiedOccurrences) {
    for (const occurrence of item.ModifiedOccurrences.GetEnumerator()) {
      const exception = await Appointment.Bind(service, occurrence.ItemId, exceptionPropertySet());
      exceptions.set(occurrence.ItemId.UniqueId, exception);
    }
  }
  const result = readServerItem(kind, item, exceptions);
  // Plain data only (no undefined, no library objects): what the engine hashes.
  expect(result).toStrictEqual(JSON.parse(JSON.stringify(result)));
  return result;
}

async function create(kind: AgendaKind, data: ItemData, identity: ItemIdentity): Promise<ItemId> {
  const item = newServerItem(service, data, identity);
  if (item instanceof Appointment) {
    await item.Save(new FolderId(FOLDER[kind]), SendInvitationsMode.SendToNone);
  } else {
    await item.Save(new FolderId(FOLDER[kind]));
  }
  return item.Id;
}

/** Cancels, moves and resets occurrences as the connector does (occurrences bound IdOnly). */
async function writeOccurrences(
  id: ItemId,
  current: EventData | null,
  wanted: EventData,
): Promise<void> {
  const writes = occurrenceWrites(current, wanted);
  const bind = (recurrenceId: string): Promise<Appointment> => {
    const index = instanceIndex(wanted, recurrenceId);
    expect(index).not.toBeNull();
    return Appointment.BindToOccurrence(service, id, index ?? 0, PropertySet.IdOnly);
  };
  for (const recurrenceId of writes.cancel) {
    await (
      await bind(recurrenceId)
    ).Delete(DeleteMode.MoveToDeletedItems, SendCancellationsMode.SendToNone);
  }
  const changes = [...writes.change, ...writes.reset.map((r) => resetOverride(wanted, r))];
  for (const override of changes) {
    const occurrence = await bind(override.recurrenceId);
    applyOverrideToOccurrence(occurrence, wanted, override, wanted.subject);
    await occurrence.Update(
      ConflictResolutionMode.AutoResolve,
      SendInvitationsOrCancellationsMode.SendToNone,
    );
  }
}

/** An update as the connector does it: read, apply the difference, save, then occurrences. */
async function update(id: ItemId, wanted: EventData, identity: ItemIdentity): Promise<void> {
  const before = await readBack('events', id);
  const item = await Item.Bind(service, id, itemPropertySet('events'));
  applyToServerItem(item, wanted, identity, before.data);
  if (!(item instanceof Appointment)) throw new Error('not an appointment');
  await item.Update(
    ConflictResolutionMode.NeverOverwrite,
    SendInvitationsOrCancellationsMode.SendToNone,
  );
  await writeOccurrences(id, before.data.kind === 'event' ? before.data : null, wanted);
}

// A weekly series with its second week cancelled and its third moved to Tuesday afternoon.
const moved: EventData = {
  ...event({ rrule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=6' }),
  exdates: ['2026-04-06T07:00:00.000Z'],
  overrides: [
    {
      recurrenceId: '2026-04-13T07:00:00.000Z',
      start: { utc: '2026-04-14T12:00:00.000Z', tz: 'Europe/Prague' },
      end: { utc: '2026-04-14T13:00:00.000Z', tz: 'Europe/Prague' },
      subject: 'Porada (přesunuto)',
      location: null,
      description: null,
    },
  ],
};

describe('through the fake Exchange server', () => {
  it('keeps a single timed event', async () => {
    const data = event({
      isPrivate: true,
      categories: ['Hotline', 'Zákazník'],
      reminderMinutes: 30,
      organizer: { email: 'pbartos@example.test', name: 'Petr Bartoš' },
      attendees: [
        { email: 'eva@example.test', name: 'Eva', role: 'required', response: 'accepted' },
        { email: 'room1@example.test', name: 'Room 1', role: 'resource', response: 'needs-action' },
      ],
    });
    const identity = { uid: 'uid-single', crmStamp: '101' };
    const got = await readBack('events', await create('events', data, identity));
    expect(got.identity).toEqual(identity);
    expect(got.data).toEqual(data);
    expect(got.modifiedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('keeps an all-day event across the spring DST change', async () => {
    const data = event({ start: { date: '2026-03-29' }, end: { date: '2026-03-31' } });
    const got = await readBack(
      'events',
      await create('events', data, { uid: 'uid-allday', crmStamp: null }),
    );
    expect(got.data).toEqual(data);
  });

  it('keeps a series with a cancelled and a moved occurrence', async () => {
    const id = await create('events', moved, { uid: 'uid-series', crmStamp: '102' });
    await writeOccurrences(id, null, moved);
    const got = await readBack('events', id);
    expect(got.identity).toEqual({ uid: 'uid-series', crmStamp: '102' });
    expect(got.data).toEqual(moved);
  });

  it('brings back a cancelled occurrence and resets a moved one on update', async () => {
    const id = await create('events', moved, { uid: 'uid-series-2', crmStamp: '103' });
    await writeOccurrences(id, null, moved);
    // The CRM wants the cancelled week back and the moved one where the rule puts it.
    await update(
      id,
      { ...moved, exdates: [], overrides: [] },
      { uid: 'uid-series-2', crmStamp: '103' },
    );
    expect((await readBack('events', id)).data).toMatchObject({ exdates: [], overrides: [] });
  });

  it('moves a series to a later hour, keeping its cancelled and moved occurrences', async () => {
    const identity = { uid: 'uid-series-3', crmStamp: '104' };
    const id = await create('events', moved, identity);
    await writeOccurrences(id, null, moved);
    const later: EventData = {
      ...moved,
      start: { utc: '2026-03-30T08:00:00.000Z', tz: 'Europe/Prague' },
      end: { utc: '2026-03-30T09:00:00.000Z', tz: 'Europe/Prague' },
      exdates: ['2026-04-06T08:00:00.000Z'],
      overrides: moved.overrides.map((o) => ({ ...o, recurrenceId: '2026-04-13T08:00:00.000Z' })),
    };
    await update(id, later, identity);
    expect((await readBack('events', id)).data).toEqual(later);
  });

  it('renames a series, its moved occurrence following where it shares the name', async () => {
    const identity = { uid: 'uid-series-4', crmStamp: '106' };
    const shared: EventData = {
      ...moved,
      overrides: moved.overrides.map((o) => ({ ...o, subject: null, location: 'Jinde' })),
    };
    const id = await create('events', shared, identity);
    await writeOccurrences(id, null, shared);
    const renamed = { ...shared, subject: 'Porada týmu' };
    await update(id, renamed, identity);
    expect((await readBack('events', id)).data).toEqual(renamed);
  });

  it('changes only a text of a single event, the rest staying as it was', async () => {
    const identity = { uid: 'uid-edit', crmStamp: '105' };
    const data = event({ reminderMinutes: 15, categories: ['A'] });
    const id = await create('events', data, identity);
    await update(id, { ...data, location: 'Jinde' }, identity);
    expect((await readBack('events', id)).data).toEqual({
      ...data,
      location: 'Jinde',
    });
  });

  it('keeps a task', async () => {
    const data = task({
      description: 'Poslat nabídku',
      start: { date: '2026-03-29' },
      due: { date: '2026-03-31' },
      percentComplete: 40,
      priority: 'high',
      categories: ['Obchod'],
    });
    const identity = { uid: 'uid-task', crmStamp: '201' };
    const got = await readBack('tasks', await create('tasks', data, identity));
    expect(got.identity).toEqual(identity);
    expect(got.data).toEqual(data);
  });

  it('keeps a contact', async () => {
    const data = contact({
      prefix: 'Ing.',
      suffix: 'Ph.D.',
      organization: 'ACME s.r.o.',
      jobTitle: 'Jednatel',
      emails: [
        { value: 'jan.novak@acme.test', type: 'work' },
        { value: 'jan@home.test', type: 'home' },
      ],
      phones: [
        { value: '+420 600 000 000', type: 'mobile' },
        { value: '+420 200 000 000', type: 'work' },
      ],
      address: {
        street: 'Na Poříčí 12',
        city: 'Praha',
        postalCode: '110 00',
        region: '',
        country: 'Česko',
      },
      note: 'Potkali jsme se\nna veletrhu',
      categories: ['VIP'],
    });
    const identity = { uid: 'uid-contact', crmStamp: '301' };
    const got = await readBack('contacts', await create('contacts', data, identity));
    expect(got.identity).toEqual(identity);
    expect(got.data).toEqual(data);
  });

  it('sent only schema-valid requests', async () => {
    expect(await ews.invalidRequests()).toEqual([]);
  });
});
