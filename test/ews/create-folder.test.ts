/**
 * Creating a calendar, task or contact folder in the mailbox (`crm-sync folders create` on
 * Exchange), against the fake Exchange with the real ews-javascript-api: the new folder is
 * listed as its kind, takes items, and a second one of the same name is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeEws } from '../support/ews-fake/index.ts';
import {
  SERVICE,
  USER,
  connect,
  event,
  expectValidRequests,
  failureOf,
  startFake,
} from './helpers.ts';

let fake: FakeEws;
beforeAll(async () => {
  fake = await startFake();
});
afterAll(async () => {
  await expectValidRequests(fake);
  await fake.stop();
});

describe('creating a folder on Exchange', () => {
  it('creates a calendar beside the default one, lists it and writes events into it', async () => {
    const { connector, stats } = connect(fake);
    const created = await connector.createFolder!('events', 'CRM');
    expect(stats.byOperation.CreateFolder).toBe(1);
    expect(created).toMatchObject({ displayName: 'CRM', path: 'CRM', kinds: ['events'] });
    expect(created.isDefault).toBe(false);
    const listed = await connector.listFolders();
    expect(listed.filter((f) => f.kinds.includes('events')).map((f) => f.path)).toEqual([
      'Calendar',
      'CRM',
    ]);
    const session = await connector.openFolder(created, 'events');
    await session.create(event({ subject: 'Porada v novém kalendáři' }), {
      uid: 'crm-uid-new-cal',
      crmStamp: 'crm-1',
    });
    // Not in the default calendar: that one stays empty.
    expect(fake.mailbox(USER.smtp).folder('calendar').items()).toHaveLength(0);
    const changes = await session.readChanges(null, new Map());
    expect(changes.records.map((r) => r.data.kind === 'event' && r.data.subject)).toEqual([
      'Porada v novém kalendáři',
    ]);
    await connector.close();
  });

  it('creates a task list and an address book of their own kind', async () => {
    const { connector } = connect(fake);
    const tasks = await connector.createFolder!('tasks', 'CRM úkoly');
    const contacts = await connector.createFolder!('contacts', 'CRM kontakty');
    expect(tasks).toMatchObject({ path: 'CRM úkoly', kinds: ['tasks'], isDefault: false });
    expect(contacts).toMatchObject({ path: 'CRM kontakty', kinds: ['contacts'], isDefault: false });
    await connector.close();
  });

  it('creates it in the impersonated mailbox, not the service account’s own', async () => {
    const { connector } = connect(fake, {
      user: SERVICE.user,
      password: SERVICE.password,
      impersonate: USER.smtp,
    });
    const created = await connector.createFolder!('events', 'CRM servis');
    await connector.close();
    const own = connect(fake, { user: SERVICE.user, password: SERVICE.password }).connector;
    expect((await own.listFolders()).map((f) => f.id)).not.toContain(created.id);
    await own.close();
    const user = connect(fake).connector;
    expect((await user.listFolders()).map((f) => f.id)).toContain(created.id);
    await user.close();
  });

  it('says so when a folder of that name exists already', async () => {
    const { connector } = connect(fake);
    await connector.createFolder!('events', 'Projekty');
    const err = await failureOf(connector.createFolder!('events', 'Projekty'));
    expect(err.message).toBe(
      'The mailbox already has a folder named "Projekty"; choose another name, or pick that folder.',
    );
    await connector.close();
  });
});
