/**
 * The tray app around the window: tray icon and menu, failure notifications, wake-up
 * syncs and the login item, all driven by the engine (EngineControl). Main calls
 * `startTrayApp` once the app is ready. Each part is a tested plain-Node module; this file
 * only hands them Electron's objects.
 */
import { homedir } from 'node:os';
import { app, net, Notification, powerMonitor } from 'electron';
import type { Settings } from '../shared/app-api.ts';
import type { EngineControl } from './engine-control.ts';
import { setStartAtLogin } from './login-item.ts';
import { createFailureNotifier } from './notifications.ts';
import { createTray } from './tray.ts';
import { connectTray, type TrayController } from './tray-controller.ts';
import { trayLanguage, trayTranslator } from './tray-strings.ts';
import { startWakeTriggers } from './wake-triggers.ts';

export interface TrayApp {
  /**
   * Applies the settings main acts on itself (start at login). Called at start with the
   * saved settings; call it again whenever settings are saved.
   */
  applySettings(settings: Settings): void;
  stop(): void;
}

export function startTrayApp(options: {
  control: EngineControl;
  assetsDir: string;
  openWindow: () => void;
  openSettings: () => void;
  quit: () => void;
}): TrayApp {
  const { control } = options;
  // The OS format locale ("cs-CZ"): tray language and time format.
  const locale = app.getSystemLocale() || app.getLocale();
  const t = trayTranslator(locale);

  const notifier = createFailureNotifier({
    Notification,
    t,
    language: trayLanguage(locale),
    onClick: options.openWindow,
  });
  const tray = createTray({
    assetsDir: options.assetsDir,
    locale,
    t,
    platform: process.platform,
    // Menu clicks come after start-up, when `controller` is set.
    onCommand: (command) => void controller.handle(command),
  });
  const controller: TrayController = connectTray({
    control,
    show: (status) => {
      tray.show(status);
      notifier.update(status);
    },
    openWindow: options.openWindow,
    openSettings: options.openSettings,
    quit: options.quit,
  });

  const stopWakeTriggers = startWakeTriggers({
    powerMonitor,
    isOnline: () => net.isOnline(),
    wake: () => control.wake(),
  });

  const applySettings = (settings: Settings): void => {
    // Under `electron-vite dev` the executable is the bare Electron binary: never
    // register that to start at login.
    if (!app.isPackaged) return;
    try {
      setStartAtLogin(settings.schedule.startAtLogin, {
        platform: process.platform,
        app,
        homeDir: homedir(),
        env: process.env,
        execPath: process.execPath,
      });
    } catch (err) {
      console.error('Start at login could not be changed', err);
    }
  };
  control.getSettings().then(
    ({ exists, settings }) => {
      if (exists) applySettings(settings);
    },
    (err: unknown) => console.error('Settings could not be read for start at login', err),
  );

  return {
    applySettings,
    stop() {
      stopWakeTriggers();
      controller.dispose();
      tray.destroy();
    },
  };
}
