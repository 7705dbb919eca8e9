/**
 * A server URL with a user name or password in it is refused by `config set`, `init --url`
 * and when a settings file holding one is loaded: one sentence that says where the password
 * belongs, never the password itself, and nothing written.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { crmSync, tempDir } from '../support/cli.ts';

const PASSWORD = 'Tajne-Heslo-77';
const URL_WITH_PASSWORD = `https://alice:${PASSWORD}@dav.example.com/remote.php/dav`;
/** Each test starts several crm-sync processes: generous on a busy machine. */
const SLOW = 240_000;

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function expectRefusal(res: { code: number; stdout: string; stderr: string }, key: string): void {
  expect(res.code).toBe(3);
  expect(res.stderr.trim().split('\n')).toHaveLength(1);
  expect(res.stderr).toContain(`${key} must not contain a user name or password`);
  expect(res.stderr).toContain('secret store');
  expect(res.stderr).toContain('--password-stdin');
  expect(res.stderr).toContain('CRM_SYNC_SERVER_PASSWORD');
  expect(res.stdout + res.stderr).not.toContain(PASSWORD);
}

describe('server URLs with a password in them', () => {
  it(
    'config set refuses one and leaves the settings file as it was',
    () => {
      const config = path.join(dir, 'demo.json');
      expect(crmSync(['init', '--demo', '--config', config]).code).toBe(0);
      const before = fs.readFileSync(config, 'utf8');

      const res = crmSync([
        'config',
        'set',
        'connection.dav.url',
        URL_WITH_PASSWORD,
        '--config',
        config,
      ]);
      expectRefusal(res, 'connection.dav.url');
      expect(fs.readFileSync(config, 'utf8')).toBe(before);

      const proxy = crmSync([
        'config',
        'set',
        'connection.proxy.url',
        `http://proxyuser:${PASSWORD}@proxy.example.com:3128`,
        '--config',
        config,
      ]);
      expect(proxy.code).toBe(3);
      expect(proxy.stderr).toContain(
        'connection.proxy.url must not contain a user name or password',
      );
      expect(proxy.stderr).toContain('CRM_SYNC_PROXY_PASSWORD');
      expect(proxy.stdout + proxy.stderr).not.toContain(PASSWORD);
      expect(fs.readFileSync(config, 'utf8')).toBe(before);
    },
    SLOW,
  );

  it(
    'init --url refuses one and creates nothing',
    () => {
      const config = path.join(dir, 'new.json');
      const res = crmSync(
        [
          'init',
          '--config',
          config,
          '--database',
          path.join(dir, 'crm.sqlite'),
          '--server',
          'dav',
          '--url',
          URL_WITH_PASSWORD,
          '--user',
          'alice',
        ],
        { env: { CRM_SYNC_CRM_PASSWORD: 'demo' } },
      );
      expectRefusal(res, 'connection.dav.url');
      expect(fs.existsSync(config)).toBe(false);
    },
    SLOW,
  );

  it(
    'a settings file holding one is refused when loaded, without echoing the password',
    () => {
      const config = path.join(dir, 'demo.json');
      expect(crmSync(['init', '--demo', '--config', config]).code).toBe(0);
      const settings = JSON.parse(fs.readFileSync(config, 'utf8'));
      settings.connection.kind = 'dav';
      settings.connection.dav.url = URL_WITH_PASSWORD;
      fs.writeFileSync(config, JSON.stringify(settings));

      for (const args of [['status'], ['sync']]) {
        const res = crmSync([...args, '--config', config]);
        expectRefusal(res, 'connection.dav.url');
      }
      const json = crmSync(['status', '--json', '--config', config]);
      expect(json.code).toBe(3);
      expect(json.stdout + json.stderr).not.toContain(PASSWORD);
    },
    SLOW,
  );
});
