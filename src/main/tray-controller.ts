/**
 * Between the engine and the tray: every status the engine pushes goes to the display
 * (tray, notifications), and a menu command becomes an engine call or a window action.
 * Plain Node (no Electron import).
 */
import type { SyncStatus } from '../shared/app-api.ts';
import type { EngineControl } from './engine-control.ts';
import type { TrayCommand } from './tray-view.ts';

export interface TrayController {
  /** Carries out a tray menu command; resolves when the engine has answered. */
  handle(command: TrayCommand): Promise<void>;
  /** Stops listening to the engine. */
  dispose(): void;
}

export function connectTray(options: {
  control: EngineControl;
  /** Shows a status (tray icon, tooltip, menu; failure notification). */
  show: (status: SyncStatus) => void;
  openWindow: () => void;
  openSettings: () => void;
  quit: () => void;
}): TrayController {
  const { control } = options;
  let disposed = false;
  // A status() answer that arrives after a newer pushed status must not overwrite it.
  let pushes = 0;

  const show = (status: SyncStatus): void => {
    if (!disposed) options.show(status);
  };
  const unsubscribe = control.onStatus((status) => {
    pushes++;
    show(status);
  });
  const refresh = async (): Promise<void> => {
    const seen = pushes;
    const status = await control.status();
    if (pushes === seen) show(status);
  };
  const report = (what: string) => (err: unknown) => console.error(`Tray: ${what} failed`, err);

  refresh().catch(report('reading the status'));

  return {
    async handle(command) {
      try {
        switch (command) {
          case 'sync-now': {
            const result = await control.syncNow();
            if (!result.accepted) {
              console.info(`Synchronize now: not started: ${result.reason ?? 'no reason given'}`);
            }
            break;
          }
          case 'pause':
            await control.pause();
            break;
          case 'resume':
            await control.resume();
            break;
          case 'open':
            options.openWindow();
            return;
          case 'settings':
            options.openSettings();
            return;
          case 'quit':
            options.quit();
            return;
        }
        // The engine pushes its new status too; asking covers an engine that does not.
        await refresh();
      } catch (err) {
        report(command)(err);
      }
    },
    dispose() {
      disposed = true;
      unsubscribe();
    },
  };
}
