/**
 * The tray icon and its menu: puts `trayView` (src/main/tray-view.ts) on screen. All
 * decisions are in the view; this file only talks to Electron.
 */
import {
  Menu,
  Tray,
  nativeImage,
  type MenuItemConstructorOptions,
  type NativeImage,
} from 'electron';
import type { SyncStatus, TrayState } from '../shared/app-api.ts';
import { PRODUCT_NAME } from '../shared/product.ts';
import { trayIconPath, trayStates } from './tray-icons.ts';
import type { TrayTranslate } from './tray-strings.ts';
import { trayView, type TrayCommand, type TrayMenuItem, type TrayView } from './tray-view.ts';

const startingStatus: SyncStatus = {
  state: 'idle',
  configured: false,
  problems: [],
  progress: [],
  lastRun: null,
  nextRunAt: null,
  error: null,
};

export interface AppTray {
  /** Shows `status`: icon, tooltip and menu (each only touched when it changes). */
  show(status: SyncStatus): void;
  destroy(): void;
}

export function createTray(options: {
  assetsDir: string;
  /** BCP 47 locale for times in the tooltip. */
  locale: string;
  t: TrayTranslate;
  /** A menu item was chosen (or the icon clicked: `open`). */
  onCommand: (command: TrayCommand) => void;
  /** `process.platform`: macOS gets template images and a click that opens the menu. */
  platform: string;
}): AppTray {
  const images = new Map<TrayState, NativeImage>();
  for (const state of trayStates) {
    const path = trayIconPath(state, options.assetsDir, options.platform);
    const image = nativeImage.createFromPath(path);
    if (image.isEmpty()) console.warn(`Tray icon missing or unreadable: ${path}`);
    images.set(state, image);
  }
  const imageFor = (state: TrayState): NativeImage =>
    images.get(state) ?? nativeImage.createEmpty();

  const tray = new Tray(imageFor('idle'));
  // Windows and most Linux trays: a left click opens the window. On macOS a click opens
  // the menu, as users expect there.
  if (options.platform !== 'darwin') tray.on('click', () => options.onCommand('open'));

  let shown: { icon?: TrayState; tooltip?: string; menu?: string } = {};
  const render = (view: TrayView): void => {
    if (view.icon !== shown.icon) tray.setImage(imageFor(view.icon));
    if (view.tooltip !== shown.tooltip) tray.setToolTip(view.tooltip);
    // Rebuilt only when it changes, so progress updates do not close an open menu (and
    // Linux needs setContextMenu again for a change to show).
    const menuKey = JSON.stringify(view.menu);
    if (menuKey !== shown.menu) {
      tray.setContextMenu(
        Menu.buildFromTemplate(view.menu.map((item) => menuItem(item, options.onCommand))),
      );
    }
    shown = { icon: view.icon, tooltip: view.tooltip, menu: menuKey };
  };
  const show = (status: SyncStatus): void => render(trayView(status, options.locale, options.t));

  // Until the engine answers: the idle icon, the product name, engine commands disabled.
  render({ ...trayView(startingStatus, options.locale, options.t), tooltip: PRODUCT_NAME });

  return { show, destroy: () => tray.destroy() };
}

function menuItem(
  item: TrayMenuItem,
  onCommand: (command: TrayCommand) => void,
): MenuItemConstructorOptions {
  if (item.type === 'separator') return { type: 'separator' };
  return {
    id: item.command,
    label: item.label,
    enabled: item.enabled,
    click: () => onCommand(item.command),
  };
}
