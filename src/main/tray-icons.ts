/**
 * Which tray icon shows which state. Plain Node (no Electron import); src/main/tray.ts turns
 * the paths into images. Each PNG has an @2x sibling that Electron picks on HiDPI screens.
 * The files are drawn by scripts/make-icons.ts. On macOS the menu bar takes monochrome
 * "template" images (tray-<state>Template.png), which macOS tints for light and dark bars.
 */
import { join } from 'node:path';
import type { TrayState } from '../shared/app-api.ts';

export type { TrayState };

/** One icon per state of the app API's `TrayState` (a new state fails to compile here). */
const iconFiles: Readonly<Record<TrayState, string>> = {
  idle: 'tray-idle.png',
  syncing: 'tray-syncing.png',
  error: 'tray-error.png',
  paused: 'tray-paused.png',
};

export const trayStates = Object.keys(iconFiles) as readonly TrayState[];

/**
 * The assets/ folder: electron-builder copies it next to app.asar (`extraResources`); in
 * development it is the repository's own.
 */
export function assetsDirectory(options: {
  isPackaged: boolean;
  /** `process.resourcesPath` */
  resourcesPath: string;
  /** `app.getAppPath()`: the repository root under `electron-vite dev` / `preview`. */
  appPath: string;
}): string {
  return options.isPackaged
    ? join(options.resourcesPath, 'assets')
    : join(options.appPath, 'assets');
}

/** The icon of `state`; `platform` "darwin" gets the menu bar template image. */
export function trayIconPath(state: TrayState, assetsDir: string, platform?: string): string {
  const file = iconFiles[state];
  return join(assetsDir, platform === 'darwin' ? file.replace(/\.png$/, 'Template.png') : file);
}
