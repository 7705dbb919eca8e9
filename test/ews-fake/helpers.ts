// Shared set-up for the fake EWS server's own tests: a started server and real
// ews-javascript-api clients signed in to it.
import util from 'node:util';
import { XhrApi } from '@ewsjs/xhr';
import { ExchangeService, ExchangeVersion, Uri, WebCredentials } from 'ews-javascript-api';
import { startFakeEws, type FakeEws, type FakeEwsOptions } from '../support/ews-fake/index.ts';

// ews-javascript-api 0.15.3 calls util.isNullOrUndefined (removed in Node 23) when it
// writes an ExtendedPropertyDefinition; the connector needs the same shim.
const legacyUtil = util as unknown as { isNullOrUndefined?: (v: unknown) => boolean };
legacyUtil.isNullOrUndefined ??= (v) => v === null || v === undefined;

/** The changes of a ChangeCollection as an array. */
export function changesOf<T>(c: { Count: number; _getItem(i: number): T }): T[] {
  return Array.from({ length: c.Count }, (_, i) => c._getItem(i));
}

export const PB = {
  user: 'pbartos',
  password: 'Heslo-123',
  smtp: 'pbartos@firma.test',
  domain: 'FIRMA',
};
export const SVC = {
  user: 'svc-crm',
  password: 'svc-pass',
  smtp: 'svc-crm@firma.test',
  canImpersonate: true,
  deniedFolders: ['tasks', 'contacts'],
};
export const JN = { user: 'jnovakova', password: 'jn-pass', smtp: 'jnovakova@firma.test' };

export function startDefault(extra: Partial<FakeEwsOptions> = {}): Promise<FakeEws> {
  return startFakeEws({ accounts: [PB, SVC, JN], mailboxes: ['room@firma.test'], ...extra });
}

export function basicService(
  ews: FakeEws,
  user = PB.user,
  password = PB.password,
): ExchangeService {
  const service = new ExchangeService(ExchangeVersion.Exchange2013_SP1);
  service.Credentials = new WebCredentials(user, password);
  service.Url = new Uri(ews.ewsUrl);
  return service;
}

export function ntlmService(ews: FakeEws, user: string, password: string): ExchangeService {
  const service = basicService(ews, user, password);
  service.XHRApi = new XhrApi({ rejectUnauthorized: false }).useNtlmAuthentication(user, password);
  return service;
}

/** Stops the server after checking that every request the client sent was schema-valid. */
export async function stopChecked(ews: FakeEws): Promise<void> {
  const invalid = await ews.invalidRequests();
  await ews.stop();
  if (invalid.length) throw new Error(`schema-invalid requests: ${JSON.stringify(invalid)}`);
}

/** The rejection of a promise (fails the test if it resolves). */
export async function rejection(p: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await p;
  } catch (e) {
    return e as Record<string, unknown>;
  }
  throw new Error('expected the call to fail');
}
