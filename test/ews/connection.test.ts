/**
 * Signing in, opening the mailbox, autodiscover and the folder list, against the fake
 * Exchange over HTTP with the real ews-javascript-api: each failure a user can meet gives
 * its own coded sentence.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerError } from '../../src/core/servers/errors.ts';
import type { FakeEws } from '../support/ews-fake/index.ts';
import {
  ROOM,
  SERVICE,
  USER,
  connect,
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

describe('signing in', () => {
  it('opens the mailbox with the right password over Basic and counts the call', async () => {
    const { connector, stats } = connect(fake);
    await connector.testConnection();
    expect(stats.byOperation.GetFolder).toBe(1);
    expect(stats.calls).toBe(1);
    await connector.close();
  });

  it('names a wrong password over Basic', async () => {
    const { connector } = connect(fake, { password: 'spatne' });
    const err = await failureOf(connector.testConnection());
    expect(err).toBeInstanceOf(ServerError);
    expect(err.code).toBe('auth-failed');
    expect(err.message).toContain('Wrong user name or password');
    expect(err.message).not.toContain('spatne');
    await connector.close();
  });

  it('signs in over NTLM as DOMAIN\\user, as user@domain and with a separate domain', async () => {
    for (const form of [
      { user: `FIRMA\\${USER.user}` },
      { user: USER.smtp },
      { user: USER.user, domain: 'firma' },
    ]) {
      const { connector } = connect(fake, { auth: 'ntlm', ...form });
      await connector.testConnection();
      // A second call reuses the signed-in connection or signs in again: both work.
      await connector.listFolders();
      await connector.close();
    }
  });

  it('names a wrong password over NTLM', async () => {
    const { connector } = connect(fake, {
      auth: 'ntlm',
      user: `FIRMA\\${USER.user}`,
      password: 'x',
    });
    const err = await failureOf(connector.testConnection());
    expect(err.code).toBe('auth-failed');
    await connector.close();
  });

  it('says nothing answers at a closed port', async () => {
    const port = await closedPort();
    const { connector } = connect(fake, { ewsUrl: `http://127.0.0.1:${port}/EWS/Exchange.asmx` });
    const err = await failureOf(connector.testConnection());
    expect(err.code).toBe('connection-refused');
    expect(err.message).toContain(`127.0.0.1:${port}`);
    await connector.close();
  });
});

describe('impersonation', () => {
  it('opens another mailbox as the service account', async () => {
    const { connector } = connect(fake, {
      user: SERVICE.user,
      password: SERVICE.password,
      impersonate: ROOM,
    });
    const before = fake.calls.length;
    await connector.testConnection();
    const call = fake.calls.slice(before).find((c) => c.operation === 'GetFolder');
    expect(call).toMatchObject({ account: SERVICE.user, mailbox: ROOM, impersonated: true });
    await connector.close();
  });

  it('names a mailbox that does not exist', async () => {
    const { connector } = connect(fake, {
      user: SERVICE.user,
      password: SERVICE.password,
      impersonate: 'nikdo@firma.test',
    });
    const err = await failureOf(connector.testConnection());
    expect(err.code).toBe('mailbox-not-found');
    expect(err.params).toEqual({ mailbox: 'nikdo@firma.test' });
    await connector.close();
  });

  it('says when the account may not impersonate', async () => {
    const { connector } = connect(fake, {
      user: 'jnovakova',
      password: 'Jiny-2026',
      impersonate: ROOM,
    });
    const err = await failureOf(connector.testConnection());
    expect(err.code).toBe('impersonation-denied');
    expect(err.params).toEqual({ account: 'jnovakova', mailbox: ROOM });
    await connector.close();
  });

  it('reports a folder denied to the service account for that folder only', async () => {
    const { connector } = connect(fake, {
      user: SERVICE.user,
      password: SERVICE.password,
      impersonate: USER.smtp,
    });
    const folders = await connector.listFolders();
    const calendar = folders.find((f) => f.kinds.includes('events') && f.isDefault);
    expect(calendar).toBeDefined();
    const tasks = fake.mailbox(USER.smtp).folder('tasks');
    const denied = await connector.openFolder(
      { id: tasks.id, displayName: 'Tasks', path: 'Tasks', kinds: ['tasks'], isDefault: true },
      'tasks',
    );
    const err = await failureOf(denied.readChanges(null, new Map()));
    expect(err.code).toBe('folder-access-denied');
    expect(err.params).toEqual({ folder: 'Tasks', mailbox: USER.smtp });
    // The calendar still reads.
    const session = await connector.openFolder(calendar!, 'events');
    const changes = await session.readChanges(null, new Map());
    expect(changes.full).toBe(true);
    await connector.close();
  });
});

describe('autodiscover', () => {
  it('finds the EWS address from the e-mail address, past an endpoint that does not answer', async () => {
    const before = fake.calls.length;
    const { connector } = connect(fake, {
      ewsUrl: undefined,
      email: USER.smtp,
      autodiscoverUrls: [
        `http://127.0.0.1:${await closedPort()}/autodiscover/autodiscover.svc`,
        fake.autodiscoverUrl,
      ],
    });
    await connector.testConnection();
    const calls = fake.calls.slice(before).map((c) => c.operation);
    expect(calls).toEqual(['GetUserSettings', 'GetFolder']);
    await connector.close();
  });

  it('says autodiscover failed when no endpoint answers', async () => {
    const { connector } = connect(fake, {
      ewsUrl: undefined,
      email: USER.smtp,
      autodiscoverUrls: [`http://127.0.0.1:${await closedPort()}/autodiscover/autodiscover.svc`],
    });
    const err = await failureOf(connector.testConnection());
    expect(err.code).toBe('autodiscover-failed');
    expect(err.params.email).toBe(USER.smtp);
    await connector.close();
  });
});

describe('folders and categories', () => {
  it('lists calendars, task and contact folders with paths and defaults', async () => {
    const mailbox = fake.mailbox(USER.smtp);
    const calendar = mailbox.folder('calendar');
    const projects = mailbox.addFolder(calendar, 'Projekty', 'IPF.Appointment');
    mailbox.addFolder(mailbox.folder('inbox'), 'Faktury', 'IPF.Note');
    const { connector } = connect(fake);
    const folders = await connector.listFolders();
    const byId = new Map(folders.map((f) => [f.id, f]));
    expect(byId.get(calendar.id)).toMatchObject({ kinds: ['events'], isDefault: true });
    expect(byId.get(projects.id)).toMatchObject({
      displayName: 'Projekty',
      path: `${calendar.displayName}/Projekty`,
      kinds: ['events'],
      isDefault: false,
    });
    expect(byId.get(mailbox.folder('tasks').id)).toMatchObject({
      kinds: ['tasks'],
      isDefault: true,
    });
    expect(byId.get(mailbox.folder('contacts').id)).toMatchObject({
      kinds: ['contacts'],
      isDefault: true,
    });
    // Mail folders are no agenda.
    expect(folders.some((f) => f.displayName === 'Faktury')).toBe(false);
    await connector.close();
  });

  it('reads the master category list', async () => {
    const mailbox = fake.mailbox(USER.smtp);
    mailbox.categories.splice(0, mailbox.categories.length, 'HOTLINE', 'Instalace & servis');
    const { connector } = connect(fake);
    expect(await connector.listCategories()).toEqual(['HOTLINE', 'Instalace & servis']);
    await connector.close();
  });
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
