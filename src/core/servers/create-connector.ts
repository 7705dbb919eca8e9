/** The connector the settings ask for, with its secrets from the secret store. */
import { ExitCode, UserError } from '../errors.ts';
import { SecretKey } from '../secrets/secret-store.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import type { Settings } from '../settings/schema.ts';
import { impersonatedMailbox, trustedFingerprint } from '../settings/derived.ts';
import type { ServerConnector } from './connector.ts';
import { createDavConnector } from './dav/dav-connector.ts';
import type { RequestStats } from './dav/transport/index.ts';
import { createEwsConnector } from './ews/index.ts';
import type { EwsStats } from './ews/index.ts';

export async function createConnector(
  settings: Settings,
  secrets: SecretStore,
  /**
   * For tests and tools: timeoutMs, the limit for one request (default: the transport's);
   * request counters; autodiscoverUrls, endpoints to ask instead of the e-mail domain's.
   */
  options: {
    stats?: RequestStats;
    ewsStats?: EwsStats;
    timeoutMs?: number;
    autodiscoverUrls?: string[];
    maxBackOffMs?: number;
  } = {},
): Promise<ServerConnector> {
  const c = settings.connection;
  const proxy = async () =>
    c.proxy.url
      ? {
          proxy: {
            url: c.proxy.url,
            user: c.proxy.user,
            password: await secrets.get(SecretKey.proxyPassword),
          },
        }
      : {};
  const fingerprint = trustedFingerprint(settings);
  switch (c.kind) {
    case 'dav': {
      return createDavConnector({
        url: c.dav.url,
        user: c.dav.user,
        auth: c.dav.auth,
        password: c.dav.auth === 'bearer' ? undefined : await secrets.get(SecretKey.serverPassword),
        bearerToken: c.dav.auth === 'bearer' ? await secrets.get(SecretKey.serverToken) : undefined,
        ...(await proxy()),
        ...(fingerprint ? { trustedSha256Fingerprint: fingerprint } : {}),
        ...(c.dav.calendarHomeUrl ? { calendarHomeUrl: c.dav.calendarHomeUrl } : {}),
        ...(c.dav.addressBookHomeUrl ? { addressBookHomeUrl: c.dav.addressBookHomeUrl } : {}),
        ...(options.stats ? { stats: options.stats } : {}),
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      });
    }
    case 'exchange': {
      const ex = c.exchange;
      const impersonate = impersonatedMailbox(settings);
      const email = ex.email || impersonate;
      return createEwsConnector({
        ...(ex.ewsUrl ? { ewsUrl: ex.ewsUrl } : {}),
        ...(email ? { email } : {}),
        user: ex.user,
        ...(ex.domain ? { domain: ex.domain } : {}),
        auth: ex.auth,
        ...(ex.auth === 'oauth'
          ? { token: await secrets.get(SecretKey.serverToken) }
          : { password: await secrets.get(SecretKey.serverPassword) }),
        ...(impersonate ? { impersonate } : {}),
        serverVersion: ex.serverVersion,
        ...(await proxy()),
        ...(fingerprint ? { trustedSha256Fingerprint: fingerprint } : {}),
        ...(options.ewsStats ? { stats: options.ewsStats } : {}),
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        ...(options.autodiscoverUrls ? { autodiscoverUrls: options.autodiscoverUrls } : {}),
        ...(options.maxBackOffMs !== undefined ? { maxBackOffMs: options.maxBackOffMs } : {}),
      });
    }
    case 'm365':
      throw new UserError(
        'Microsoft 365 is not supported by this version yet; choose Exchange (connection.kind exchange) or a CalDAV/CardDAV server (connection.kind dav).',
        ExitCode.notImplemented,
        { code: 'server-kind-unsupported', params: { kind: 'Microsoft 365' } },
      );
  }
}
