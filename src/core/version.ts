import pkg from '../../package.json' with { type: 'json' };

/** The product version (package.json's), shown by the CLI and the app's main window. */
export const PRODUCT_VERSION: string = pkg.version;
