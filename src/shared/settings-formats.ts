/**
 * Format checks for text settings. Each accepts the empty string where the setting is
 * optional, so the schema can default to "" and readiness reports what is still missing.
 * Shared: the settings schema (src/shared/settings) and the renderer's checks next to each
 * field use the same rules. Plain code, no Node or DOM-only API.
 */

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/**
 * A URL with a user name or password in it ("https://alice:pw@host/"). Every URL setting
 * refuses one: the settings file is no place for a password (it belongs in the secret
 * store), and a URL is shown in messages and logs.
 */
export function hasUrlCredentials(value: string): boolean {
  const url = parseUrl(value.trim());
  return url !== undefined && (url.username !== '' || url.password !== '');
}

/**
 * The text with the user name and password of every URL in it replaced by "***", for
 * anything shown or logged. Greedy up to the last "@" before the path, as URL parsers read it.
 */
export function redactUrlCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#"'<>]*@/gi, '$1***@');
}

/**
 * A server URL: https, or plain http only to this machine (test servers, local proxies),
 * without user info. Passwords must not cross a network in clear text.
 */
export function isServerUrl(value: string): boolean {
  if (value === '') return true;
  const url = parseUrl(value);
  if (url === undefined || url.hostname === '' || hasUrlCredentials(value)) return false;
  if (url.protocol === 'https:') return true;
  return (
    url.protocol === 'http:' && (LOOPBACK_HOSTS.has(url.hostname) || /^127\./.test(url.hostname))
  );
}

export const SERVER_URL_EXPECTATION = 'an https URL (plain http only to localhost), or empty';

/** A proxy URL: http or https, any host, without user info. */
export function isProxyUrl(value: string): boolean {
  if (value === '') return true;
  const url = parseUrl(value);
  return (
    url !== undefined &&
    url.hostname !== '' &&
    ['http:', 'https:'].includes(url.protocol) &&
    !hasUrlCredentials(value)
  );
}

/** A plain e-mail address; servers do the real validation, this catches typos. */
export function isEmail(value: string): boolean {
  return value === '' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}

export function isGuid(value: string): boolean {
  return (
    value === '' || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)
  );
}

/** A Microsoft Entra tenant: a well-known alias, a tenant GUID or a verified domain. */
export function isTenant(value: string): boolean {
  if (['common', 'organizations', 'consumers'].includes(value)) return true;
  if (value !== '' && isGuid(value)) return true;
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(value);
}

/** The part appended to a CRM login to make a mailbox address, e.g. "@example.com". */
export function isMailboxSuffix(value: string): boolean {
  return value === '' || /^@[^\s@]+$/.test(value);
}

/** A SHA-256 certificate fingerprint: 64 hex digits, optionally in colon-separated pairs. */
export function isFingerprint(value: string): boolean {
  return (
    value === '' || /^[0-9a-f]{64}$/i.test(value) || /^[0-9a-f]{2}(:[0-9a-f]{2}){31}$/i.test(value)
  );
}

/** The fingerprint as lowercase hex without colons, the form TLS code compares with. */
export function normalizeFingerprint(value: string): string {
  return value.replaceAll(':', '').toLowerCase();
}

/** A path in the CRM's classification tree, "Contacts/Customers": no empty segment. */
export function isBranchPath(value: string): boolean {
  return value === '' || value.split('/').every((segment) => segment.trim() !== '');
}

/** An attachment type as stored: lower-case letters and digits, no dot. */
export const EXTENSION_PATTERN = /^[a-z0-9]+$/;

/**
 * Attachment types as a user writes them ("doc", ".PDF", "*.xlsx") -> as stored ("doc",
 * "pdf", "xlsx"), without empties and repeats. Whether each is valid is EXTENSION_PATTERN's.
 */
export function normalizeExtensions(items: readonly string[]): string[] {
  const normalized = items
    .map((item) =>
      item
        .trim()
        .replace(/^\*?\.+/, '')
        .toLowerCase(),
    )
    .filter((item) => item !== '');
  return [...new Set(normalized)];
}
