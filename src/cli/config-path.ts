import os from 'node:os';
import path from 'node:path';
import type { CliIO } from './io.ts';

/** The product folder name; Electron's userData folder uses the same, so CLI and app share. */
const APP_FOLDER = 'CRM Sync';

/**
 * The settings file a command uses: `--config`, else `CRM_SYNC_CONFIG`, else the per-user
 * default the tray app uses too.
 */
export function resolveConfigPath(flag: string | undefined, io: CliIO): string {
  const chosen = flag ?? io.env['CRM_SYNC_CONFIG'];
  if (chosen) return path.resolve(io.cwd, chosen);
  return path.join(defaultAppDataDir(io), 'settings.json');
}

function defaultAppDataDir(io: CliIO): string {
  const home = io.env['HOME'] ?? os.homedir();
  switch (process.platform) {
    case 'win32':
      return path.join(io.env['APPDATA'] ?? path.join(home, 'AppData', 'Roaming'), APP_FOLDER);
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', APP_FOLDER);
    default:
      return path.join(io.env['XDG_CONFIG_HOME'] ?? path.join(home, '.config'), APP_FOLDER);
  }
}
