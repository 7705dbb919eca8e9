/**
 * Replaces a small file so that a reader (or a crash) sees either the old or the new
 * contents, never half of each: write a temporary file in the same folder, flush it to
 * disk, then rename it over the target. The file is created owner-only.
 */
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteOptions {
  /** Keep the previous contents as `<file>.bak`. */
  readonly backup?: boolean;
  /** File mode; owner read/write only unless given. */
  readonly mode?: number;
}

/** Flushes a folder's entry list so the rename itself survives a power cut (POSIX only). */
function syncFolder(folder: string): void {
  if (process.platform === 'win32') return;
  let fd: number | undefined;
  try {
    fd = openSync(folder, 'r');
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on folders; the rename is still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function writeFileAtomic(
  file: string,
  text: string,
  options: AtomicWriteOptions = {},
): void {
  const mode = options.mode ?? 0o600;
  const folder = dirname(file);
  // A folder we create for settings or secrets is private to the user.
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const temp = join(
    folder,
    `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    const fd = openSync(temp, 'wx', mode);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (options.backup === true && existsSync(file)) {
      const backup = `${file}.bak`;
      copyFileSync(file, backup);
      chmodSync(backup, mode);
    }
    renameSync(temp, file);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
  syncFolder(folder);
}
