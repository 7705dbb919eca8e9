/**
 * createDavTransport: wires the pieces (dispatcher, auth, HTTP client) and keeps what is
 * learnt about collections (calendar or address book) for the life of the transport.
 */
import { checkedUrl } from '../../checked-url.ts';
import { ServerError } from '../../errors.ts';
import { createAuthenticator } from './auth.ts';
import { createDispatcher, normalizeSha256 } from '../../http/dispatcher.ts';
import { discoverCollections } from './discovery.ts';
import type { CollectionKind } from './discovery.ts';
import { HttpClient } from './http.ts';
import { displayUrl } from '../../http/display-url.ts';
import { canonicalHref, withTrailingSlash } from './hrefs.ts';
import { deleteObject, getObject, putObject } from './objects.ts';
import { createCollection } from './collections.ts';
import { syncCollection } from './sync.ts';
import type { DavTransport, DavTransportOptions } from './types.ts';

const DEFAULT_TIMEOUT_MS = 60_000;

export function createDavTransport(options: DavTransportOptions): DavTransport {
  const serverUrl = checkedUrl(options.url, 'server');
  if (options.auth === 'bearer' && (options.bearerToken ?? '') === '') {
    throw new ServerError(
      `No access token is available for ${displayUrl(serverUrl)} (bearer sign-in).`,
      { code: 'no-access-token', params: { url: displayUrl(serverUrl) } },
    );
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const proxy =
    options.proxy === undefined || options.proxy.url === ''
      ? undefined
      : { ...options.proxy, url: checkedUrl(options.proxy.url, 'proxy') };
  const pin =
    options.trustedSha256Fingerprint === undefined || options.trustedSha256Fingerprint === ''
      ? undefined
      : normalizeSha256(options.trustedSha256Fingerprint);
  const dispatcher = createDispatcher({
    ...(proxy === undefined ? {} : { proxy }),
    ...(pin === undefined ? {} : { pinnedSha256: pin }),
    connectTimeoutMs: Math.min(timeoutMs, 30_000),
    // One kept-alive connection per origin: requests go one after another, and a pool
    // without a limit opens a second connection for a request sent the moment the previous
    // answer was read (undici frees the first a tick later).
    connections: 1,
  });
  const homes = [options.calendarHomeUrl, options.addressBookHomeUrl]
    .filter((h): h is string => h !== undefined && h !== '')
    .map((h) => checkedUrl(new URL(h, serverUrl).href, 'server'));
  const http = new HttpClient({
    serverUrl,
    alsoTrusted: homes,
    bearer: options.auth === 'bearer',
    authenticator: createAuthenticator(options),
    dispatcher,
    timeoutMs,
    ...(options.stats === undefined ? {} : { stats: options.stats }),
    ...(proxy === undefined ? {} : { proxyUrl: proxy.url }),
  });

  const kinds = new Map<string, CollectionKind>();
  const remember = (url: string, kind: CollectionKind) => kinds.set(withTrailingSlash(url), kind);
  const ctx = { http, knownKind: (url: string) => kinds.get(withTrailingSlash(url)), remember };
  const resolve = (href: string) => canonicalHref(href, serverUrl);

  const discover = () =>
    discoverCollections(
      http,
      {
        serverUrl,
        bearer: options.auth === 'bearer',
        ...(options.calendarHomeUrl ? { calendarHomeUrl: resolve(options.calendarHomeUrl) } : {}),
        ...(options.addressBookHomeUrl
          ? { addressBookHomeUrl: resolve(options.addressBookHomeUrl) }
          : {}),
      },
      remember,
    );
  return {
    discover,
    async createCollection(kind, name, components) {
      const found = await discover();
      const home = kind === 'calendar' ? found.calendarHomeUrl : found.addressBookHomeUrl;
      if (home === undefined) {
        throw new ServerError(
          `${displayUrl(serverUrl)} shows this account no ${kind === 'calendar' ? 'calendar' : 'address-book'} home to create one in; create it in the server's web interface.`,
        );
      }
      return createCollection(http, home, kind, name, components);
    },
    syncCollection: (url, token, syncOptions) =>
      syncCollection(ctx, resolve(url), token, syncOptions),
    putObject: (collectionUrl, href, data, contentType, putOptions) =>
      putObject(
        http,
        resolve(collectionUrl),
        href === null ? null : resolve(href),
        data,
        contentType,
        putOptions,
      ),
    getObject: (href) => getObject(http, resolve(href)),
    deleteObject: (href, etag) => deleteObject(http, resolve(href), etag),
    close: () => dispatcher.close(),
  };
}
