/**
 * A CRM Sync installation against the fake Exchange (test/support/ews-fake): a CRM database
 * with users, settings, secrets, the real EWS connector (the real ews-javascript-api over
 * HTTP) and the engine; the fake's own API plays "another Outlook" editing the mailbox.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect } from 'vitest';
import { openCrmDatabase } from '../../src/core/crm/database.ts';
import type { CrmDatabase } from '../../src/core/crm/database.ts';
import { createUser } from '../../src/core/crm/users.ts';
import { MemorySecretStore } from '../../src/core/secrets/memory-secret-store.ts';
import { SecretKey } from '../../src/core/secrets/secret-store.ts';
import { createConnector } from '../../src/core/servers/create-connector.ts';
import { createEwsStats } from '../../src/core/servers/ews/index.ts';
import type { EwsStats } from '../../src/core/servers/ews/index.ts';
import { defaultSettings } from '../../src/shared/settings/schema.ts';
import type { Settings } from '../../src/shared/settings/schema.ts';
import { runForAllUsers } from '../../src/core/sync/all-users.ts';
import { otherMailboxesOf } from '../../src/core/servers/registry.ts';
import type { UserRunResult } from '../../src/core/sync/all-users.ts';
import { runSync } from '../../src/core/sync/engine.ts';
import type { SyncRequest } from '../../src/core/sync/engine.ts';
import type { RunSummary } from '../../src/core/sync/summary.ts';
import { startFakeEws } from './ews-fake/index.ts';
import { ewsTime } from './times.ts';
import type { FakeEws, FakeFolder, FakeMailbox } from './ews-fake/index.ts';

export const USER = { login: 'pbartos', smtp: 'pbartos@firma.test', password: 'Heslo-2026' };
export const SERVICE = { user: 'svc-crm', smtp: 'svc-crm@firma.test', password: 'Servis-2026' };

type SyncOptions = Partial<Pick<SyncRequest, 'dryRun' | 'forceDeletes' | 'agendas' | 'now'>>;

export interface EwsInstallation {
  db: CrmDatabase;
  dir: string;
  settings: Settings;
  ownerId: number;
  fake: FakeEws;
  stats: EwsStats;
  /** The user's mailbox as another client sees it. */
  mailbox: FakeMailbox;
  calendar: FakeFolder;
  tasks: FakeFolder;
  contacts: FakeFolder;
  secrets: MemorySecretStore;
  sync(options?: SyncOptions): Promise<RunSummary>;
  syncAllUsers(options?: SyncOptions): Promise<UserRunResult[]>;
  close(): Promise<void>;
}

export interface EwsInstallOptions {
  /** Further CRM users (login, e-mail) and mailboxes the fake knows (impersonation only). */
  users?: { login: string; email: string | null }[];
  mailboxes?: string[];
  /** Folders the service account may not open in others' mailboxes. */
  serviceDenied?: string[];
  auth?: 'basic' | 'ntlm';
  /** Validate every request body with xmllint (default on). */
  validate?: boolean;
}

/** A fresh fake Exchange and CRM per test: nothing leaks between scenarios. */
export async function installEws(
  configure: (s: Settings) => void = () => {},
  options: EwsInstallOptions = {},
): Promise<EwsInstallation> {
  const fake = await startFakeEws({
    accounts: [
      { user: USER.login, password: USER.password, smtp: USER.smtp, domain: 'FIRMA' },
      {
        user: SERVICE.user,
        password: SERVICE.password,
        smtp: SERVICE.smtp,
        domain: 'FIRMA',
        canImpersonate: true,
        ...(options.serviceDenied ? { deniedFolders: options.serviceDenied } : {}),
      },
    ],
    mailboxes: options.mailboxes ?? [],
    validate: options.validate ?? true,
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-sync-ews-'));
  const db = openCrmDatabase(path.join(dir, 'crm.sqlite'), { create: true });
  const ownerId = createUser(db, {
    login: USER.login,
    displayName: 'Pavel Bartoš',
    email: USER.smtp,
    password: 'heslo',
  });
  for (const u of options.users ?? []) {
    createUser(db, { login: u.login, displayName: u.login, email: u.email, password: 'heslo' });
  }
  const settings = defaultSettings();
  settings.crm.user = USER.login;
  settings.connection.kind = 'exchange';
  settings.connection.exchange.ewsUrl = fake.ewsUrl;
  settings.connection.exchange.user = USER.login;
  settings.connection.exchange.domain = 'FIRMA';
  settings.connection.exchange.auth = options.auth ?? 'basic';
  settings.agendas.tasks.enabled = true;
  configure(settings);
  const secrets = new MemorySecretStore({ [SecretKey.serverPassword]: USER.password });
  const stats = createEwsStats();
  const mailbox = fake.mailbox(USER.smtp);
  const connect = (s: Settings) =>
    createConnector(s, secrets, { ewsStats: stats, timeoutMs: 10_000, maxBackOffMs: 2_000 });
  return {
    db,
    dir,
    settings,
    ownerId,
    fake,
    stats,
    mailbox,
    calendar: mailbox.folder('calendar'),
    tasks: mailbox.folder('tasks'),
    contacts: mailbox.folder('contacts'),
    secrets,
    async sync(opts = {}) {
      const connector = await connect(settings);
      try {
        return await runSync({ db, settings, connector, ...opts });
      } finally {
        await connector.close();
      }
    },
    async syncAllUsers(opts = {}) {
      return runForAllUsers({
        db,
        settings,
        openConnector: connect,
        otherMailboxes: otherMailboxesOf(settings),
        ...opts,
      });
    },
    async close() {
      db.close();
      await fake.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * An installation per test, closed after it with the check every EWS scenario makes: each
 * SOAP body the real client sent was valid against Microsoft's messages.xsd.
 */
export function perTestInstallation(
  defaults: (s: Settings) => void = () => {},
  options: EwsInstallOptions = {},
): (configure?: (s: Settings) => void, extra?: EwsInstallOptions) => Promise<EwsInstallation> {
  let current: EwsInstallation | undefined;
  afterEach(async () => {
    if (!current) return;
    const invalid = await current.fake.invalidRequests();
    await current.close();
    current = undefined;
    expect(invalid).toEqual([]);
  });
  return async (configure = () => {}, extra = {}) => {
    current = await installEws(
      (s) => {
        defaults(s);
        configure(s);
      },
      { ...options, ...extra },
    );
    return current;
  };
}

/** Switches an installation to the service account opening mailboxes by impersonation. */
export function useServiceAccount(inst: EwsInstallation): void {
  const ex = inst.settings.connection.exchange;
  ex.user = SERVICE.user;
  ex.mailboxMode = 'impersonation';
  ex.mailbox = '';
  ex.loginAsMailboxName = false;
  void inst.secrets.set(SecretKey.serverPassword, SERVICE.password);
}

const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export interface PhoneEvent {
  subject: string;
  start: Date | string;
  end: Date | string;
  zone?: string;
  allDay?: boolean;
  location?: string;
  body?: string;
  private?: boolean;
  categories?: string[];
  /** A <t:Recurrence> element. */
  recurrence?: string;
  /** Raw elements at the end of the item (extended properties, unknown fields). */
  extra?: string;
}

/** A calendar item as Outlook would write it, elements in schema order. */
export function calendarItem(e: PhoneEvent): string {
  const time = (v: Date | string) => (typeof v === 'string' ? v : ewsTime(v));
  const zone = e.zone ?? 'Central Europe Standard Time';
  return [
    '<t:CalendarItem>',
    `<t:Subject>${escapeXml(e.subject)}</t:Subject>`,
    e.private ? '<t:Sensitivity>Private</t:Sensitivity>' : '',
    e.body === undefined ? '' : `<t:Body BodyType="Text">${escapeXml(e.body)}</t:Body>`,
    e.categories?.length
      ? `<t:Categories>${e.categories.map((c) => `<t:String>${escapeXml(c)}</t:String>`).join('')}</t:Categories>`
      : '',
    e.extra ?? '',
    `<t:Start>${time(e.start)}</t:Start>`,
    `<t:End>${time(e.end)}</t:End>`,
    e.allDay ? '<t:IsAllDayEvent>true</t:IsAllDayEvent>' : '',
    e.location === undefined ? '' : `<t:Location>${escapeXml(e.location)}</t:Location>`,
    e.recurrence ?? '',
    `<t:StartTimeZone Id="${zone}"/>`,
    `<t:EndTimeZone Id="${zone}"/>`,
    '</t:CalendarItem>',
  ].join('');
}
