/**
 * Which tray icon shows which state. Plain Node (no Electron import); src/main/tray.ts turns
 * the paths into images. Each PNG has an @2x sibling that Electron picks on HiDPI screens.
 * The files are drawn by scripts/make-icons.ts.
 */
import { join } from 'node:path';

export const trayStates = ['idle', 'syncing', 'error', 'paused'] as const;
export type TrayState = (typeof trayStates)[number];

const stateLabels: Record<TrayState, string> = {
  idle: 'Up to date',
  syncing: 'Synchronizing…',
  error: 'Last synchronization failed',
  paused: 'Synchronization paused',
};

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

export function trayIconPath(state: TrayState, assetsDir: string): string {
  return join(assetsDir, `tray-${state}.png`);
}

/** Short words for the tray tooltip. */
export function trayStateLabel(state: TrayState): string {
  return stateLabels[state];
}
