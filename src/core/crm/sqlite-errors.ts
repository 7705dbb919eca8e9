/** Turns SQLite's error codes into sentences a user can act on. */
import Database from 'better-sqlite3';
import { DatabaseError, describeCause } from '../errors.ts';

function reasonFor(code: string): string | undefined {
  if (code === 'SQLITE_NOTADB') return 'the file is not an SQLite database';
  if (code.startsWith('SQLITE_CORRUPT')) return 'the file is corrupt';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return 'the file is locked by another program';
  }
  if (code.startsWith('SQLITE_CANTOPEN')) {
    return 'the file cannot be opened (check that it and its folder exist and are accessible)';
  }
  if (code.startsWith('SQLITE_READONLY')) return 'the file or its folder is read-only';
  if (code === 'SQLITE_PERM' || code.startsWith('SQLITE_AUTH')) return 'access is denied';
  if (code === 'SQLITE_FULL') return 'the disk is full';
  if (code.startsWith('SQLITE_IOERR')) return 'a disk read or write failed';
  return undefined;
}

/**
 * A DatabaseError for a failed operation on the CRM file, e.g.
 * "Cannot open CRM database /x/crm.sqlite: the file is locked by another program (database is locked)."
 */
export function toDatabaseError(file: string, action: string, err: unknown): DatabaseError {
  if (err instanceof DatabaseError) return err;
  const detail = describeCause(err).replace(/\.$/, '');
  const reason = err instanceof Database.SqliteError ? reasonFor(err.code) : undefined;
  const text = reason ? `${reason} (${detail})` : detail;
  return new DatabaseError(`Cannot ${action} CRM database ${file}: ${text}.`, { cause: err });
}

/**
 * A failure of the CRM file as a whole (locked, corrupt, not a database, disk full …) met
 * while a run or a command uses it, as the DatabaseError the user can act on; anything else
 * (a constraint violated by our own SQL is a bug) is returned as it was.
 */
export function asCrmFileFailure(file: string, err: unknown): unknown {
  if (err instanceof Database.SqliteError && reasonFor(err.code) !== undefined) {
    return toDatabaseError(file, 'use', err);
  }
  return err;
}

/** An error SQLite raised (any code). */
export function isSqliteError(err: unknown): boolean {
  return err instanceof Database.SqliteError;
}
