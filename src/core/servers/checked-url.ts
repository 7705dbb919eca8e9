/** Checking the server and proxy addresses the user typed, for every connector. */
import { ServerError } from './errors.ts';
import { displayUrl } from './dav/transport/hrefs.ts';

/** An http(s) URL without user info (credentials travel in headers, never in URLs). */
export function checkedUrl(value: string, what: 'server' | 'proxy'): string {
  const code = what === 'server' ? 'server-address-invalid' : 'proxy-address-invalid';
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new ServerError(`The ${what} address "${value}" is not a URL (expected https://…).`, {
      code,
      params: { address: value },
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ServerError(
      `The ${what} address ${displayUrl(url)} must start with https:// or http://.`,
      { code, params: { address: displayUrl(url) } },
    );
  }
  url.username = '';
  url.password = '';
  return url.href;
}
