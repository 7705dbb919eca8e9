/**
 * The one door to the engine: `window.crmSync` (exposed by the preload, typed by
 * src/shared/app-api.ts). Components take the API from context, so component tests render
 * them with an in-memory fake (test/renderer/fake-api.ts) instead of the preload bridge.
 */
import { createContext, useContext } from 'react';
import type { CrmSyncApi } from '../shared/app-api.ts';

/** The preload's API, or undefined when the page is opened outside the app. */
export function getApi(): CrmSyncApi | undefined {
  return window.crmSync;
}

export const ApiContext = createContext<CrmSyncApi | undefined>(undefined);

export function useApi(): CrmSyncApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi() outside <ApiContext.Provider>');
  return api;
}

/** The message of anything a failed call rejects with. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
