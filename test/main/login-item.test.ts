/** Start at login: Electron's login item on Windows/macOS, an XDG autostart file on Linux. */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  autostartDesktopEntry,
  autostartFilePath,
  setStartAtLogin,
  type LoginItemEnvironment,
} from '../../src/main/login-item.ts';

let home: string;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'crm-sync-home-'));
});

afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

function environment(overrides: Partial<LoginItemEnvironment> = {}): LoginItemEnvironment {
  return {
    platform: 'linux',
    app: { setLoginItemSettings: vi.fn() },
    homeDir: home,
    env: { HOME: home },
    execPath: '/opt/CRM Sync/crm-sync-app',
    ...overrides,
  };
}

describe('start at login on Windows and macOS', () => {
  it.each(['win32', 'darwin'] as const)('%s: Electron login item with --hidden', (platform) => {
    const env = environment({ platform });
    expect(setStartAtLogin(true, env)).toEqual({ kind: 'login-item', openAtLogin: true });
    expect(env.app.setLoginItemSettings).toHaveBeenLastCalledWith({
      openAtLogin: true,
      args: ['--hidden'],
    });
    setStartAtLogin(false, env);
    expect(env.app.setLoginItemSettings).toHaveBeenLastCalledWith({
      openAtLogin: false,
      args: ['--hidden'],
    });
  });
});

describe('start at login on Linux (XDG autostart)', () => {
  const file = () => join(home, '.config', 'autostart', 'crm-sync-app.desktop');

  it('writes ~/.config/autostart/crm-sync-app.desktop that starts the app hidden', async () => {
    const env = environment();
    expect(setStartAtLogin(true, env)).toEqual({
      kind: 'autostart-file',
      openAtLogin: true,
      path: file(),
      changed: true,
    });
    expect(env.app.setLoginItemSettings).not.toHaveBeenCalled();
    const text = await readFile(file(), 'utf8');
    expect(text.split('\n')).toEqual([
      '[Desktop Entry]',
      'Type=Application',
      'Version=1.5',
      'Name=CRM Sync',
      'Comment=Keeps the CRM in step with the mailbox',
      'Exec="/opt/CRM Sync/crm-sync-app" --hidden',
      'Icon=crm-sync-app',
      'Terminal=false',
      'X-GNOME-Autostart-enabled=true',
      '',
    ]);
    expect((await stat(file())).mode & 0o022).toBe(0); // nobody else can change what runs
  });

  it('rewrites nothing when the entry is already right, and fixes one that is not', async () => {
    const env = environment();
    setStartAtLogin(true, env);
    expect(setStartAtLogin(true, env)).toMatchObject({ changed: false });
    await writeFile(file(), '[Desktop Entry]\nExec=/old/place/crm-sync-app\n');
    expect(setStartAtLogin(true, env)).toMatchObject({ changed: true });
    expect(await readFile(file(), 'utf8')).toBe(autostartDesktopEntry(env.execPath));
  });

  it('removes the entry when start at login is turned off (and is fine without one)', async () => {
    const env = environment();
    setStartAtLogin(true, env);
    expect(setStartAtLogin(false, env)).toEqual({
      kind: 'autostart-file',
      openAtLogin: false,
      path: file(),
      changed: true,
    });
    await expect(stat(file())).rejects.toMatchObject({ code: 'ENOENT' });
    expect(setStartAtLogin(false, env)).toMatchObject({ changed: false });
  });

  it('starts the AppImage file, not its temporary mount', async () => {
    setStartAtLogin(
      true,
      environment({
        env: { HOME: home, APPIMAGE: '/home/pavel/Apps/CRM-Sync-0.1.0.AppImage' },
        execPath: '/tmp/.mount_CRM-SyabcDEF/crm-sync-app',
      }),
    );
    expect(await readFile(file(), 'utf8')).toContain(
      'Exec="/home/pavel/Apps/CRM-Sync-0.1.0.AppImage" --hidden\n',
    );
  });

  it('follows XDG_CONFIG_HOME when it is absolute, ignores it when relative', () => {
    expect(autostartFilePath(home, { XDG_CONFIG_HOME: '/srv/cfg' })).toBe(
      '/srv/cfg/autostart/crm-sync-app.desktop',
    );
    expect(autostartFilePath(home, { XDG_CONFIG_HOME: 'cfg' })).toBe(file());
    expect(autostartFilePath(home, {})).toBe(file());
  });

  it('quotes the Exec path as the Desktop Entry Specification says', () => {
    const exec = (path: string) => /^Exec=(.*)$/m.exec(autostartDesktopEntry(path))?.[1];
    expect(exec('/opt/a b/app')).toBe('"/opt/a b/app" --hidden');
    // ", `, $ and \ get a backslash; then every backslash is doubled; % becomes %%.
    expect(exec('/opt/say "hi"/app')).toBe('"/opt/say \\\\"hi\\\\"/app" --hidden');
    expect(exec('/opt/$HOME`x`/app')).toBe('"/opt/\\\\$HOME\\\\`x\\\\`/app" --hidden');
    expect(exec('/opt/back\\slash/app')).toBe('"/opt/back\\\\\\\\slash/app" --hidden');
    expect(exec('/opt/100%/app')).toBe('"/opt/100%%/app" --hidden');
    expect(() => autostartDesktopEntry('/opt/new\nline/app')).toThrow(/control characters/);
  });
});
