/** CalDAV/CardDAV in the connector registry. */
import { SecretKey } from '../../secrets/secret-store.ts';
import type { Settings } from '../../../shared/settings/schema.ts';
import { trustedFingerprint } from '../../settings/derived.ts';
import { serverKind, signsInWithToken } from '../../../shared/server-kinds.ts';
import { proxyOf } from '../proxy-settings.ts';
import type { ConnectorKind } from '../registry-types.ts';

const secretKey = (settings: Settings): string =>
  signsInWithToken(settings.connection) ? SecretKey.serverToken : SecretKey.serverPassword;

export const davKind: ConnectorKind = {
  id: 'dav',
  async create(settings, secrets, options) {
    const { dav } = settings.connection;
    const fingerprint = trustedFingerprint(settings);
    const token = signsInWithToken(settings.connection);
    // Loaded when a connector is made: commands that only read settings (status, config)
    // and --version/--help skip the DAV client and its XML and iCalendar libraries.
    const { createDavConnector } = await import('./dav-connector.ts');
    return createDavConnector({
      url: dav.url,
      user: dav.user,
      auth: dav.auth,
      password: token ? undefined : await secrets.get(SecretKey.serverPassword),
      bearerToken: token ? await secrets.get(SecretKey.serverToken) : undefined,
      ...(await proxyOf(settings, secrets)),
      ...(fingerprint ? { trustedSha256Fingerprint: fingerprint } : {}),
      ...(dav.calendarHomeUrl ? { calendarHomeUrl: dav.calendarHomeUrl } : {}),
      ...(dav.addressBookHomeUrl ? { addressBookHomeUrl: dav.addressBookHomeUrl } : {}),
      ...(options.stats ? { stats: options.stats } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    });
  },
  describe(settings) {
    const { dav } = settings.connection;
    return { kind: serverKind('dav').label, address: dav.url, user: dav.user, auth: dav.auth };
  },
  secretKey,
  login: (settings) => settings.connection.dav.user,
  serverWideCodes: [],
  capabilities: { categories: false, folderCreation: true, mailSource: false },
};
