/**
 * What the tray, notifications, wake triggers and login item need from the engine: a
 * slice of the app API (src/shared/app-api.ts) plus `wake`, implemented by main's
 * engine-host client (src/main/engine-host-client.ts).
 *
 * Plain Node (no Electron import).
 */
import type { CrmSyncApi } from '../shared/app-api.ts';
import type { EngineHost } from './engine-host-client.ts';

export interface EngineControl extends Pick<
  CrmSyncApi,
  'status' | 'syncNow' | 'pause' | 'resume' | 'onStatus' | 'getSettings'
> {
  /**
   * The computer woke up, the screen was unlocked or the network came back: synchronise
   * soon (the engine ignores it while paused or not configured, and never overlaps runs).
   */
  wake(): Promise<void>;
}

/** The engine as main reaches it: the engine-host client's `api` implements the slice. */
export function engineControlFor(host: EngineHost): EngineControl {
  return host.api;
}
