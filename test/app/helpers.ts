/**
 * An app installation for EngineService tests: a temp folder with a CRM database (user
 * pbartos, password "heslo"), a calendar and an address book on a real server, the
 * settings the wizard would write (not saved yet), a MemorySecretStore, a clock for the
 * schedule driven by hand, and a recorder of the status updates the service pushes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EngineService } from '../../src/core/app/engine-service.ts';
import type { ConnectorFactory } from '../../src/core/app/connector-factory.ts';
import { openCrmDatabase } from '../../src/core/crm/database.ts';
import { createUser } from '../../src/core/crm/users.ts';
import { MemorySecretStore } from '../../src/core/secrets/memory-secret-store.ts';
import type { ServerConnector } from '../../src/core/servers/connector.ts';
import { createConnector } from '../../src/core/servers/create-connector.ts';
import { createDavTransport } from '../../src/core/servers/dav/transport/index.ts';
import type { DavTransport } from '../../src/core/servers/dav/transport/index.ts';
import { defaultSettings } from '../../src/shared/settings/schema.ts';
import type { Settings } from '../../src/shared/settings/schema.ts';
import type { AppInfo, SyncStatus } from '../../src/shared/app-api.ts';
import type { DavTestServer } from '../support/dav-servers.ts';

export const APP_INFO: AppInfo = {
  name: 'CRM Sync',
  version: '0.1.0',
  platform: 'linux',
  locale: 'cs-CZ',
};

/** A timer the test fires by hand: the schedule never runs by itself. */
export function manualTimers() {
  const timers: { fn: () => void; ms: number; cancelled: boolean; fired: boolean }[] = [];
  return {
    setTimer(fn: () => void, ms: number) {
      const timer = { fn, ms, cancelled: false, fired: false };
      timers.push(timer);
      return { cancel: () => void (timer.cancelled = true) };
    },
    /** The timers that would still fire. */
    get pending() {
      return timers.filter((t) => !t.cancelled && !t.fired);
    },
    /** Fires the pending timer (the interval passed); false when none is pending. */
    fire(): boolean {
      const timer = timers.find((t) => !t.cancelled && !t.fired);
      if (!timer) return false;
      timer.fired = true;
      timer.fn();
      return true;
    },
  };
}

/** Every status the service pushes, and promises for the ones a test waits for. */
export function recordStatuses(service: Pick<EngineService, 'onStatus'>) {
  const seen: SyncStatus[] = [];
  let runsEnded = 0;
  const waiters: { done: () => boolean; resolve: () => void }[] = [];
  service.onStatus((status) => {
    const previous = seen[seen.length - 1];
    seen.push(status);
    if (previous?.state === 'syncing' && status.state !== 'syncing') runsEnded++;
    for (const waiter of [...waiters]) {
      if (waiter.done()) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  });
  const until = (done: () => boolean): Promise<void> =>
    done() ? Promise.resolve() : new Promise((resolve) => waiters.push({ done, resolve }));
  return {
    seen,
    get runsEnded() {
      return runsEnded;
    },
    get last(): SyncStatus | undefined {
      return seen[seen.length - 1];
    },
    /** Resolves once `count` runs in all have ended (counted from the recorder's start). */
    untilRunsEnded: (count: number) => until(() => runsEnded >= count),
    /** Resolves once the latest status satisfies `test` (at once if it does already). */
    untilLast: (test: (status: SyncStatus) => boolean): Promise<void> =>
      until(() => seen.length > 0 && test(seen[seen.length - 1]!)),
    /** Resolves once any status since the recorder started satisfies `test`. */
    untilSeen: (test: (status: SyncStatus) => boolean): Promise<void> =>
      until(() => seen.some(test)),
  };
}

/** A promise the test resolves by hand. */
export function gate() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

export interface AppSetup {
  dir: string;
  settingsFile: string;
  /** What the wizard would save: the database, the user, the server, the folders. */
  settings: Settings;
  secrets: MemorySecretStore;
  server: DavTestServer;
  calendarUrl: string;
  addressBookUrl: string;
  /** Another client of the same mailbox. */
  phone: DavTransport;
  /** Connections made by the service so far, and the most open at once. */
  connections: { made: number; open: number; maxOpen: number };
  /** While set, the next connector's folder listing waits for it (a run held mid-way). */
  hold: { until: Promise<void> | null };
  service(options?: {
    setTimer?: (fn: () => void, ms: number) => { cancel(): void };
    /** Another connector factory (e.g. one whose server keeps a category list). */
    createConnector?: ConnectorFactory;
  }): EngineService;
  close(): Promise<void>;
}

export async function setUpApp(server: DavTestServer): Promise<AppSetup> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-sync-app-'));
  const db = openCrmDatabase(path.join(dir, 'crm.sqlite'), { create: true });
  createUser(db, { login: 'pbartos', displayName: 'Pavel Bartoš', password: 'heslo' });
  db.close();
  const name = path.basename(dir);
  const calendarUrl = await server.createCalendar(`cal-${name}`, ['VEVENT', 'VTODO']);
  const addressBookUrl = await server.createAddressBook(`book-${name}`);

  const settings = defaultSettings();
  settings.crm.databasePath = 'crm.sqlite';
  settings.crm.user = 'pbartos';
  settings.connection.kind = 'dav';
  settings.connection.dav.url = server.url;
  settings.connection.dav.user = server.user;
  settings.connection.dav.auth = 'basic';
  settings.agendas.events.folders = [calendarUrl];
  settings.agendas.contacts.folders = [addressBookUrl];

  const secrets = new MemorySecretStore();
  const connections = { made: 0, open: 0, maxOpen: 0 };
  const hold: AppSetup['hold'] = { until: null };
  const counted: ConnectorFactory = async (s, store) => {
    const connector = await createConnector(s, store, { timeoutMs: 10_000 });
    connections.made++;
    connections.open++;
    connections.maxOpen = Math.max(connections.maxOpen, connections.open);
    const wrapped: ServerConnector = {
      description: connector.description,
      testConnection: () => connector.testConnection(),
      listFolders: async () => {
        const waitFor = hold.until;
        hold.until = null;
        if (waitFor) await waitFor;
        return connector.listFolders();
      },
      openFolder: (folder, kind) => connector.openFolder(folder, kind),
      ...(connector.createFolder
        ? { createFolder: (kind, name) => connector.createFolder!(kind, name) }
        : {}),
      close: async () => {
        connections.open--;
        await connector.close();
      },
    };
    return wrapped;
  };
  const phone = createDavTransport({
    url: server.url,
    user: server.user,
    password: server.password,
    auth: 'basic',
  });
  const services: EngineService[] = [];
  return {
    dir,
    settingsFile: path.join(dir, 'settings.json'),
    settings,
    secrets,
    server,
    calendarUrl,
    addressBookUrl,
    phone,
    connections,
    hold,
    service(options = {}) {
      const service = new EngineService({
        settingsFile: path.join(dir, 'settings.json'),
        secrets,
        appInfo: APP_INFO,
        createConnector: counted,
        ...options,
      });
      services.push(service);
      return service;
    },
    async close() {
      for (const service of services) await service.stop();
      await phone.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
