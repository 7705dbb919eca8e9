/**
 * Names that must agree between the app, its installer (electron-builder.yml) and the OS
 * (Windows AppUserModelID, notifications). test/packaging checks the YAML against these.
 */
export const PRODUCT_NAME = 'CRM Sync';

/** Reverse-DNS application id: electron-builder `appId` and Windows AppUserModelID. */
export const APP_ID = 'cz.crmsync.app';
