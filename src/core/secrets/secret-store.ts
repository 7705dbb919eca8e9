/**
 * Where passwords and tokens live. Never in the settings file, never in logs: the app uses
 * Electron safeStorage (src/main), the CLI an environment variable or an owner-only file.
 */
export interface SecretStore {
  /** Where the secrets are kept, in words for `crm-sync status` (never the secrets). */
  readonly description: string;
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** The secret keys the product uses; one place so the CLI, app and engine agree. */
export const SecretKey = {
  /** Password (or app password) of the server account (EWS, CalDAV/CardDAV). */
  serverPassword: 'server.password',
  /** OAuth bearer token given by the user or an MSAL token cache. */
  serverToken: 'server.token',
  /** Proxy password. */
  proxyPassword: 'proxy.password',
  /** MSAL token cache for Microsoft 365 (encrypted by the store like any secret). */
  msalCache: 'm365.msal-cache',
} as const;
