/// <reference types="vite/client" />
import type { CrmSyncApi } from '../shared/app-api.ts';

declare global {
  interface Window {
    /** Exposed by src/preload/index.ts; absent when the page is opened outside the app. */
    readonly crmSync?: CrmSyncApi;
  }
}
