/**
 * A URL with a user name or password in it ("https://alice:pw@host/") is refused by every
 * URL setting: the password would sit in clear in the settings file. The message says where
 * the user name and the password belong and never repeats the password.
 */
import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../src/core/settings/file.ts';
import { describeIssueClauses } from '../../src/core/settings/issues.ts';
import { settingsSchema } from '../../src/shared/settings/schema.ts';
import { setSettingValue } from '../../src/core/settings/keys.ts';
import { defaultSettings } from '../../src/shared/settings/schema.ts';
import {
  hasUrlCredentials,
  isProxyUrl,
  isServerUrl,
  redactUrlCredentials,
} from '../../src/shared/settings-formats.ts';
import { checkedUrl } from '../../src/core/servers/checked-url.ts';
import { UserError } from '../../src/core/errors.ts';
import { configErrorOf } from './helpers.ts';

const PASSWORD = 'Tajne-Heslo-77';

/** Each URL setting, a URL with user info for it, and where the user name belongs. */
const URL_FIELDS = [
  ['connection.dav.url', `https://alice:${PASSWORD}@dav.example.com/`, 'connection.dav.user'],
  [
    'connection.dav.calendarHomeUrl',
    `https://alice:${PASSWORD}@dav.example.com/cal/`,
    'connection.dav.user',
  ],
  [
    'connection.dav.addressBookHomeUrl',
    `https://alice:${PASSWORD}@dav.example.com/card/`,
    'connection.dav.user',
  ],
  [
    'connection.exchange.ewsUrl',
    `https://FIRMA%5Calice:${PASSWORD}@mail.example.com/EWS/Exchange.asmx`,
    'connection.exchange.user',
  ],
  [
    'connection.proxy.url',
    `http://proxyuser:${PASSWORD}@proxy.example.com:3128`,
    'connection.proxy.user',
  ],
] as const;

function docWith(key: string, value: string): Record<string, unknown> {
  const doc: Record<string, unknown> = {};
  let node = doc;
  const parts = key.split('.');
  for (const part of parts.slice(0, -1)) {
    const child: Record<string, unknown> = {};
    node[part] = child;
    node = child;
  }
  node[parts.at(-1) ?? key] = value;
  return doc;
}

describe('URLs with a user name or password', () => {
  it('the shared format checks refuse them, with a password or only a user name', () => {
    for (const url of [
      'https://alice:pw@dav.example.com/',
      'https://alice@dav.example.com/',
      'http://alice:pw@localhost:5232/',
    ]) {
      expect(hasUrlCredentials(url), url).toBe(true);
      expect(isServerUrl(url), url).toBe(false);
      expect(isProxyUrl(url), url).toBe(false);
    }
    expect(hasUrlCredentials('https://dav.example.com/remote.php/dav')).toBe(false);
    expect(isServerUrl('https://dav.example.com/u/alice@example.com/')).toBe(true);
  });

  it('the redaction used in messages hides them, whatever the password holds', () => {
    expect(redactUrlCredentials(`see "https://alice:${PASSWORD}@dav.example.com/x" now`)).toBe(
      'see "https://***@dav.example.com/x" now',
    );
    expect(redactUrlCredentials('http://a:p@ss@proxy:3128')).toBe('http://***@proxy:3128');
    // An address in the path is no user info.
    expect(redactUrlCredentials('https://dav.example.com/u/alice@example.com/')).toBe(
      'https://dav.example.com/u/alice@example.com/',
    );
  });

  for (const [key, url, userField] of URL_FIELDS) {
    it(`${key}: refused when loaded, saying where the password belongs, without echoing it`, () => {
      const message = configErrorOf(() => parseSettings(docWith(key, url), 'settings.json'));
      expect(message).toContain(`${key} must not contain a user name or password`);
      expect(message).toContain(userField);
      expect(message).toContain('secret store');
      expect(message).not.toContain(PASSWORD);
      if (key === 'connection.proxy.url') {
        expect(message).toContain('CRM_SYNC_PROXY_PASSWORD');
      } else {
        expect(message).toContain('--password-stdin');
        expect(message).toContain('CRM_SYNC_SERVER_PASSWORD');
      }

      // The app words the same problem by its code.
      const parsed = settingsSchema.safeParse(docWith(key, url));
      expect(parsed.success).toBe(false);
      const clauses = describeIssueClauses(parsed.error?.issues ?? [], docWith(key, url));
      expect(clauses).toHaveLength(1);
      expect(clauses[0]).toMatchObject({
        code: 'setting-url-credentials',
        params: { field: key, userField },
      });
      expect(JSON.stringify(clauses)).not.toContain(PASSWORD);
    });

    it(`${key}: \`config set\` refuses it and the settings stay as they were`, () => {
      const before = defaultSettings();
      const message = configErrorOf(() => setSettingValue(before, key, url));
      expect(message).toContain('must not contain a user name or password');
      expect(message).not.toContain(PASSWORD);
      expect(before).toEqual(defaultSettings());
    });
  }

  it('the connectors refuse one too (exit 3), rather than drop it silently', () => {
    for (const what of ['server', 'proxy'] as const) {
      let thrown: unknown;
      try {
        checkedUrl(`https://alice:${PASSWORD}@dav.example.com/dav/`, what);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(UserError);
      const err = thrown as UserError;
      expect(err.exitCode).toBe(3);
      expect(err.code).toBe(`${what}-address-credentials`);
      expect(err.message).toContain('must not contain a user name or password');
      expect(err.message).toContain('https://dav.example.com/dav/');
      expect(err.message + JSON.stringify(err.params)).not.toContain(PASSWORD);
    }
    // A malformed address is shown without its password either.
    expect(() => checkedUrl(`https://alice:${PASSWORD}@`, 'server')).toThrow(/\*\*\*@/);
  });

  it('an http URL to another host with a password is still not echoed', () => {
    // Both rules fail here (plain http to another machine); neither clause shows the password.
    const doc = docWith('connection.dav.url', `http://alice:${PASSWORD}@dav.example.com/`);
    const message = configErrorOf(() => parseSettings(doc, 'settings.json'));
    expect(message).toContain('must not contain a user name or password');
    expect(message).not.toContain(PASSWORD);
  });
});
