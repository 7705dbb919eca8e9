/** Exchange on-premises (EWS) in the connector registry. */
import { SecretKey } from '../../secrets/secret-store.ts';
import { impersonatedMailbox, trustedFingerprint } from '../../settings/derived.ts';
import { serverKind, signsInWithToken } from '../../../shared/server-kinds.ts';
import { proxyOf } from '../proxy-settings.ts';
import type { ConnectorKind } from '../registry-types.ts';
import { EWS_SERVER_WIDE_CODES } from './server-wide-codes.ts';
import { exchangeOtherMailboxes } from './other-mailboxes.ts';

export const ewsKind: ConnectorKind = {
  id: 'exchange',
  async create(settings, secrets, options) {
    const ex = settings.connection.exchange;
    const fingerprint = trustedFingerprint(settings);
    const impersonate = impersonatedMailbox(settings);
    const email = ex.email || impersonate;
    // Loaded when a connector is made: ews-javascript-api alone is some 700 modules, which
    // commands that never talk to Exchange (status, config, --help) should not pay for.
    const { createEwsConnector } = await import('./index.ts');
    return createEwsConnector({
      ...(ex.ewsUrl ? { ewsUrl: ex.ewsUrl } : {}),
      ...(email ? { email } : {}),
      user: ex.user,
      ...(ex.domain ? { domain: ex.domain } : {}),
      auth: ex.auth,
      ...(signsInWithToken(settings.connection)
        ? { token: await secrets.get(SecretKey.serverToken) }
        : { password: await secrets.get(SecretKey.serverPassword) }),
      ...(impersonate ? { impersonate } : {}),
      serverVersion: ex.serverVersion,
      ...(await proxyOf(settings, secrets)),
      ...(fingerprint ? { trustedSha256Fingerprint: fingerprint } : {}),
      ...(options.ewsStats ? { stats: options.ewsStats } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.autodiscoverUrls ? { autodiscoverUrls: options.autodiscoverUrls } : {}),
      ...(options.maxBackOffMs !== undefined ? { maxBackOffMs: options.maxBackOffMs } : {}),
    });
  },
  describe(settings) {
    const ex = settings.connection.exchange;
    return {
      kind: serverKind('exchange').label,
      address: ex.ewsUrl || (ex.email ? `autodiscover for ${ex.email}` : ''),
      user: ex.user,
      auth: ex.auth,
    };
  },
  secretKey: (settings) =>
    signsInWithToken(settings.connection) ? SecretKey.serverToken : SecretKey.serverPassword,
  login: (settings) => settings.connection.exchange.user,
  serverWideCodes: EWS_SERVER_WIDE_CODES,
  capabilities: {
    categories: true,
    folderCreation: true,
    otherMailboxes: exchangeOtherMailboxes,
    mailSource: false,
  },
};
