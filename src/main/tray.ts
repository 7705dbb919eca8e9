/** The tray icon and its menu. */
import { Menu, Tray, nativeImage, type NativeImage } from 'electron';
import { PRODUCT_NAME } from '../shared/product.ts';
import { trayIconPath, trayStateLabel, trayStates, type TrayState } from './tray-icons.ts';

export interface AppTray {
  setState(state: TrayState): void;
  destroy(): void;
}

export function createTray(options: {
  assetsDir: string;
  onOpen: () => void;
  onQuit: () => void;
}): AppTray {
  const images = new Map<TrayState, NativeImage>();
  for (const state of trayStates) {
    const path = trayIconPath(state, options.assetsDir);
    const image = nativeImage.createFromPath(path);
    if (image.isEmpty()) console.warn(`Tray icon missing or unreadable: ${path}`);
    images.set(state, image);
  }
  const imageFor = (state: TrayState): NativeImage =>
    images.get(state) ?? nativeImage.createEmpty();

  const tray = new Tray(imageFor('idle'));
  tray.setContextMenu(
    Menu.buildFromTemplate([
      // Enabled with the sync engine (a later issue).
      { id: 'sync-now', label: 'Synchronize now', enabled: false, toolTip: 'Coming soon' },
      { type: 'separator' },
      { label: `Open ${PRODUCT_NAME}`, click: () => options.onOpen() },
      { type: 'separator' },
      { label: 'Quit', click: () => options.onQuit() },
    ]),
  );
  // Windows and most Linux trays: a left click opens the window. On macOS a click opens
  // the menu, as users expect there.
  if (process.platform !== 'darwin') tray.on('click', () => options.onOpen());

  const setState = (state: TrayState): void => {
    tray.setImage(imageFor(state));
    tray.setToolTip(`${PRODUCT_NAME}: ${trayStateLabel(state)}`);
  };
  setState('idle');

  return { setState, destroy: () => tray.destroy() };
}
