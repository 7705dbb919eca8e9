/** Addresses as messages may show them: never a user name, a password or a query. */

/** The URL as messages may show it: no user name or password, no query. */
export function displayUrl(url: string | URL): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid address)';
  }
}

/** "https://host:port", for network-level messages. */
export function displayOrigin(url: string | URL): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid address)';
  }
}
