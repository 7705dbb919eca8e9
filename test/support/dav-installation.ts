/**
 * A CRM Sync installation against a real CalDAV/CardDAV server: a CRM database with a user,
 * settings, secrets, the real connector and engine; plus a "phone" that edits the server
 * directly (raw iCalendar/vCard), as another client of the same mailbox would.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCrmDatabase } from '../../src/core/crm/database.ts';
import type { CrmDatabase } from '../../src/core/crm/database.ts';
import { createUser } from '../../src/core/crm/users.ts';
import { MemorySecretStore } from '../../src/core/secrets/memory-secret-store.ts';
import { SecretKey } from '../../src/core/secrets/secret-store.ts';
import { createConnector } from '../../src/core/servers/create-connector.ts';
import {
  createDavTransport,
  createRequestStats,
} from '../../src/core/servers/dav/transport/index.ts';
import type { DavTransport, RequestStats } from '../../src/core/servers/dav/transport/index.ts';
import { defaultSettings } from '../../src/shared/settings/schema.ts';
import type { Settings } from '../../src/shared/settings/schema.ts';
import { runSync } from '../../src/core/sync/engine.ts';
import type { SyncRequest } from '../../src/core/sync/engine.ts';
import type { RunSummary } from '../../src/core/sync/summary.ts';
import type { DavTestServer } from './dav-servers.ts';

export interface DavInstallation {
  db: CrmDatabase;
  dir: string;
  settings: Settings;
  ownerId: number;
  stats: RequestStats;
  /** The other client: raw access to the same server. */
  phone: DavTransport;
  calendarUrl: string;
  addressBookUrl: string;
  sync(
    options?: Partial<Pick<SyncRequest, 'dryRun' | 'forceDeletes' | 'agendas' | 'now'>>,
  ): Promise<RunSummary>;
  close(): Promise<void>;
}

export interface DavInstallOptions {
  /**
   * Where the installation reaches the server instead of `server.url` (a fault proxy in
   * front of it): the settings' server and folder addresses point there. The phone still
   * talks to the server directly, and `calendarUrl`/`addressBookUrl` stay its addresses.
   */
  url?: string;
  /** The limit for one request, so a server that never answers fails a test quickly. */
  timeoutMs?: number;
}

export async function installDav(
  server: DavTestServer,
  configure: (s: Settings) => void = () => {},
  overrides: DavInstallOptions = {},
): Promise<DavInstallation> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-sync-scenario-'));
  const db = openCrmDatabase(path.join(dir, 'crm.sqlite'), { create: true });
  const ownerId = createUser(db, {
    login: 'pbartos',
    displayName: 'Pavel Bartoš',
    password: 'heslo',
  });
  const calendarUrl = await server.createCalendar(`cal-${path.basename(dir)}`, ['VEVENT', 'VTODO']);
  const addressBookUrl = await server.createAddressBook(`book-${path.basename(dir)}`);
  const settings = defaultSettings();
  settings.crm.user = 'pbartos';
  settings.connection.kind = 'dav';
  const reached = (url: string): string =>
    overrides.url === undefined ? url : new URL(new URL(url).pathname, overrides.url).href;
  settings.connection.dav.url = reached(server.url);
  settings.connection.dav.user = server.user;
  settings.connection.dav.auth = 'basic';
  settings.agendas.events.folders = [reached(calendarUrl)];
  settings.agendas.tasks.enabled = true;
  settings.agendas.tasks.folders = [reached(calendarUrl)];
  settings.agendas.contacts.folders = [reached(addressBookUrl)];
  configure(settings);
  const secrets = new MemorySecretStore({ [SecretKey.serverPassword]: server.password });
  const stats = createRequestStats();
  const phone = createDavTransport({
    url: server.url,
    user: server.user,
    password: server.password,
    auth: 'basic',
  });
  return {
    db,
    dir,
    settings,
    ownerId,
    stats,
    phone,
    calendarUrl,
    addressBookUrl,
    async sync(options = {}) {
      const connector = await createConnector(settings, secrets, {
        stats,
        ...(overrides.timeoutMs === undefined ? {} : { timeoutMs: overrides.timeoutMs }),
      });
      try {
        return await runSync({ db, settings, connector, ...options });
      } finally {
        await connector.close();
      }
    },
    async close() {
      await phone.close();
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** All objects in a collection, as raw text, keyed by href. */
export async function serverObjects(
  inst: DavInstallation,
  url: string,
): Promise<Map<string, string>> {
  const res = await inst.phone.syncCollection(url, null);
  return new Map(res.changed.map((o) => [o.href, o.data]));
}
