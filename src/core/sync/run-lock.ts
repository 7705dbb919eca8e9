/**
 * Never two runs at once on one CRM database, whoever starts them (the tray app, a daemon,
 * a script): a lock file next to the database holds the owner's pid. A lock whose process
 * is gone is taken over.
 */
import fs from 'node:fs';
import { ExitCode, UserError } from '../errors.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class SyncBusyError extends UserError {
  constructor(lockFile: string, pid: number) {
    super(
      `Another synchronisation is running (process ${pid}, lock ${lockFile}); try again when it ends.`,
      ExitCode.busy,
    );
    this.name = 'SyncBusyError';
  }
}

export async function withRunLock<T>(databaseFile: string, fn: () => Promise<T>): Promise<T> {
  const lockFile = `${databaseFile}.sync-lock`;
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx', mode: 0o600 });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err;
      const pid = Number(fs.readFileSync(lockFile, 'utf8'));
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) throw new SyncBusyError(lockFile, pid);
      fs.rmSync(lockFile, { force: true });
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockFile, { force: true });
  }
}
