/** The connector the settings ask for, with its secrets from the secret store. */
import { ExitCode, UserError } from '../errors.ts';
import { SecretKey } from '../secrets/secret-store.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import type { Settings } from '../settings/schema.ts';
import { trustedFingerprint } from '../settings/derived.ts';
import type { ServerConnector } from './connector.ts';
import { createDavConnector } from './dav/dav-connector.ts';
import type { RequestStats } from './dav/transport/index.ts';

export async function createConnector(
  settings: Settings,
  secrets: SecretStore,
  /** timeoutMs: the limit for one request (default: the transport's); for tests and tools. */
  options: { stats?: RequestStats; timeoutMs?: number } = {},
): Promise<ServerConnector> {
  const c = settings.connection;
  switch (c.kind) {
    case 'dav': {
      const proxyPassword = c.proxy.url ? await secrets.get(SecretKey.proxyPassword) : undefined;
      const fingerprint = trustedFingerprint(settings);
      return createDavConnector({
        url: c.dav.url,
        user: c.dav.user,
        auth: c.dav.auth,
        password: c.dav.auth === 'bearer' ? undefined : await secrets.get(SecretKey.serverPassword),
        bearerToken: c.dav.auth === 'bearer' ? await secrets.get(SecretKey.serverToken) : undefined,
        ...(c.proxy.url
          ? { proxy: { url: c.proxy.url, user: c.proxy.user, password: proxyPassword } }
          : {}),
        ...(fingerprint ? { trustedSha256Fingerprint: fingerprint } : {}),
        ...(c.dav.calendarHomeUrl ? { calendarHomeUrl: c.dav.calendarHomeUrl } : {}),
        ...(c.dav.addressBookHomeUrl ? { addressBookHomeUrl: c.dav.addressBookHomeUrl } : {}),
        ...(options.stats ? { stats: options.stats } : {}),
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      });
    }
    case 'exchange':
      throw new UserError(
        'Exchange (EWS) is not supported by this version yet; choose a CalDAV/CardDAV server (connection.kind dav).',
        ExitCode.notImplemented,
      );
    case 'm365':
      throw new UserError(
        'Microsoft 365 is not supported by this version yet; choose a CalDAV/CardDAV server (connection.kind dav).',
        ExitCode.notImplemented,
      );
  }
}
