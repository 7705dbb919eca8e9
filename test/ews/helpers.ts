/**
 * The EWS connector against the fake Exchange (test/support/ews-fake) over HTTP, with the
 * real ews-javascript-api: accounts, item data and small lookups the tests share.
 */
import { expect } from 'vitest';
import { createEwsConnector, createEwsStats } from '../../src/core/servers/ews/index.ts';
import type { EwsConnectorOptions, EwsStats } from '../../src/core/servers/ews/index.ts';
import type { ServerConnector } from '../../src/core/servers/connector.ts';
import type { ContactData, EventData, TaskData } from '../../src/core/model/items.ts';
import { startFakeEws } from '../support/ews-fake/index.ts';
import type { FakeEws } from '../support/ews-fake/index.ts';

export const USER = { user: 'pbartos', password: 'Heslo-2026', smtp: 'pbartos@firma.test' };
export const SERVICE = { user: 'svc-crm', password: 'Servis-2026', smtp: 'svc-crm@firma.test' };
export const ROOM = 'room1@firma.test';

export function startFake(validate = true): Promise<FakeEws> {
  return startFakeEws({
    accounts: [
      { user: USER.user, password: USER.password, smtp: USER.smtp, domain: 'FIRMA' },
      {
        user: SERVICE.user,
        password: SERVICE.password,
        smtp: SERVICE.smtp,
        domain: 'FIRMA',
        canImpersonate: true,
        deniedFolders: ['tasks'],
      },
      // Signs in, but holds no impersonation right.
      { user: 'jnovakova', password: 'Jiny-2026', smtp: 'jnovakova@firma.test', domain: 'FIRMA' },
    ],
    mailboxes: [ROOM],
    validate,
  });
}

export type ConnectorWithCategories = ServerConnector & { listCategories(): Promise<string[]> };

export function connect(
  fake: FakeEws,
  options: Partial<EwsConnectorOptions> = {},
): { connector: ConnectorWithCategories; stats: EwsStats } {
  const stats = createEwsStats();
  const connector = createEwsConnector({
    ewsUrl: fake.ewsUrl,
    user: USER.user,
    password: USER.password,
    auth: 'basic',
    serverVersion: 'Exchange2013_SP1',
    timeoutMs: 10_000,
    maxBackOffMs: 2_000,
    stats,
    ...options,
  });
  return { connector, stats };
}

/** Every request body the client sent was valid against messages.xsd. */
export async function expectValidRequests(fake: FakeEws): Promise<void> {
  expect(await fake.invalidRequests()).toEqual([]);
}

/** The error a promise rejects with (fails the test when it resolves). */
export type Failure = Error & { code?: string; params: Record<string, string | number> };

export async function failureOf(promise: Promise<unknown>): Promise<Failure> {
  try {
    await promise;
  } catch (err) {
    return err as Failure;
  }
  throw new Error('expected the call to fail, it succeeded');
}

export function event(overrides: Partial<EventData> = {}): EventData {
  return {
    kind: 'event',
    subject: 'Schůzka s klientem',
    location: 'Brno, kancelář 2',
    description: 'Probrat nabídku.',
    start: { utc: '2026-11-24T09:00:00.000Z', tz: 'Europe/Prague' },
    end: { utc: '2026-11-24T10:00:00.000Z', tz: 'Europe/Prague' },
    rrule: null,
    exdates: [],
    overrides: [],
    isPrivate: false,
    categories: [],
    reminderMinutes: 15,
    organizer: null,
    attendees: [],
    ...overrides,
  };
}

export function task(overrides: Partial<TaskData> = {}): TaskData {
  return {
    kind: 'task',
    subject: 'Poslat fakturu',
    description: 'Faktura za listopad.',
    start: null,
    due: { date: '2026-11-27' },
    completedAt: null,
    percentComplete: 0,
    priority: 'high',
    isPrivate: false,
    categories: [],
    ...overrides,
  };
}

export function contact(overrides: Partial<ContactData> = {}): ContactData {
  return {
    kind: 'contact',
    firstName: 'Jana',
    lastName: 'Dvořáková',
    prefix: 'Ing.',
    suffix: '',
    organization: 'Stavby Morava s.r.o.',
    jobTitle: 'Jednatelka',
    emails: [{ value: 'jana.dvorakova@stavby.test', type: 'work' }],
    phones: [{ value: '+420 601 234 567', type: 'mobile' }],
    address: null,
    note: '',
    categories: [],
    photo: null,
    ...overrides,
  };
}
