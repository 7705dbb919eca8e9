/** Checking the server and proxy addresses the user typed, for every connector. */
import { ExitCode, UserError } from '../errors.ts';
import { ServerError } from './errors.ts';
import { displayUrl } from './http/display-url.ts';
import { redactUrlCredentials } from '../../shared/settings-formats.ts';

/** An http(s) URL without user info (credentials travel in headers, never in URLs). */
export function checkedUrl(value: string, what: 'server' | 'proxy'): string {
  const code = what === 'server' ? 'server-address-invalid' : 'proxy-address-invalid';
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    const shown = redactUrlCredentials(value);
    throw new ServerError(`The ${what} address "${shown}" is not a URL (expected https://…).`, {
      code,
      params: { address: shown },
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ServerError(
      `The ${what} address ${displayUrl(url)} must start with https:// or http://.`,
      { code, params: { address: displayUrl(url) } },
    );
  }
  if (url.username !== '' || url.password !== '') {
    // Refused, not silently dropped: the user must learn where the password belongs. The
    // message shows the address without them (displayUrl).
    const field = what === 'server' ? 'user name and password' : 'proxy user and password';
    throw new UserError(
      `The ${what} address ${displayUrl(url)} must not contain a user name or password: enter the ${field} in their own settings (the password goes to the secret store).`,
      ExitCode.config,
      {
        code: what === 'server' ? 'server-address-credentials' : 'proxy-address-credentials',
        params: { address: displayUrl(url) },
      },
    );
  }
  return url.href;
}
