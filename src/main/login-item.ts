/**
 * Start at login (settings.schedule.startAtLogin), in the tray: the app is started with
 * `--hidden`. Windows and macOS through Electron's login items; Linux, where Electron has
 * none, through an XDG autostart entry (~/.config/autostart/crm-sync-app.desktop), which
 * GNOME, KDE, Xfce, Cinnamon, MATE and LXQt all honour.
 *
 * Plain Node: main passes Electron's `app` in, so tests run without Electron.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.ts';
import { PRODUCT_NAME } from '../shared/product.ts';

/** The argument main looks for to stay in the tray (src/main/index.ts). */
export const HIDDEN_ARG = '--hidden';

/** electron-builder.yml `linux.executableName`: also the installed icon's name. */
const LINUX_EXECUTABLE_NAME = 'crm-sync-app';

export interface LoginItemEnvironment {
  platform: NodeJS.Platform;
  /** Electron's `app` (used on Windows and macOS). */
  app: { setLoginItemSettings(settings: { openAtLogin: boolean; args: string[] }): void };
  /** Linux: the user's home folder and environment (HOME, XDG_CONFIG_HOME, APPIMAGE). */
  homeDir: string;
  env: Readonly<Record<string, string | undefined>>;
  /** `process.execPath`: the app's executable. */
  execPath: string;
}

export type LoginItemOutcome =
  | { kind: 'login-item'; openAtLogin: boolean }
  | { kind: 'autostart-file'; openAtLogin: boolean; path: string; changed: boolean };

/** Registers or removes the app as started at login, as `openAtLogin` says. */
export function setStartAtLogin(
  openAtLogin: boolean,
  environment: LoginItemEnvironment,
): LoginItemOutcome {
  if (environment.platform !== 'linux') {
    // `args` is used on Windows; macOS starts the app as it is (it shows its window).
    environment.app.setLoginItemSettings({ openAtLogin, args: [HIDDEN_ARG] });
    return { kind: 'login-item', openAtLogin };
  }
  const path = autostartFilePath(environment.homeDir, environment.env);
  if (!openAtLogin) {
    const existed = existsSync(path);
    rmSync(path, { force: true });
    return { kind: 'autostart-file', openAtLogin, path, changed: existed };
  }
  // An AppImage runs from a new temporary mount each time: start the image itself.
  const executable = environment.env['APPIMAGE'] || environment.execPath;
  const entry = autostartDesktopEntry(executable);
  if (readIfExists(path) === entry) {
    return { kind: 'autostart-file', openAtLogin, path, changed: false };
  }
  writeFileAtomic(path, entry, { mode: 0o644 });
  return { kind: 'autostart-file', openAtLogin, path, changed: true };
}

/** `$XDG_CONFIG_HOME/autostart/…`, or `~/.config/autostart/…` (XDG Base Directory). */
export function autostartFilePath(
  homeDir: string,
  env: Readonly<Record<string, string | undefined>>,
): string {
  const configured = env['XDG_CONFIG_HOME'];
  // The spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const configHome =
    configured != null && isAbsolute(configured) ? configured : join(homeDir, '.config');
  return join(configHome, 'autostart', `${LINUX_EXECUTABLE_NAME}.desktop`);
}

/** The autostart entry that starts `executable --hidden` (Desktop Entry Specification 1.5). */
export function autostartDesktopEntry(executable: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.5',
    `Name=${PRODUCT_NAME}`,
    'Comment=Keeps the CRM in step with the mailbox',
    `Exec=${execArgument(executable)} ${HIDDEN_ARG}`,
    `Icon=${LINUX_EXECUTABLE_NAME}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/**
 * One argument of an Exec key: double-quoted, with `"`, `` ` ``, `$` and `\` escaped by a
 * backslash, then every backslash doubled (the string-value escape readers undo first),
 * and `%` written `%%` (field codes).
 */
function execArgument(value: string): string {
  if ([...value].some((char) => char < ' ' || char === '\x7f')) {
    throw new Error(`Cannot start ${JSON.stringify(value)} at login: control characters.`);
  }
  const quoted = value.replace(/["`$\\]/g, (char) => `\\${char}`);
  return `"${quoted.replace(/\\/g, '\\\\').replace(/%/g, '%%')}"`;
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
