/**
 * Errors the user is meant to read. Each carries one clear sentence (naming the file, field
 * or item and the cause) and the exit code the CLI returns for it. Anything else that is
 * thrown is a bug and is reported as such.
 */
import type { MessageCode, MessageParams } from '../shared/message-codes.ts';

export const ExitCode = {
  ok: 0,
  /** A sync ran but some items failed; each is named in the output. */
  itemsFailed: 1,
  /** The command line was wrong (unknown option, missing argument). */
  usage: 2,
  /** The settings file is missing, unreadable or invalid. */
  config: 3,
  /** The CRM database cannot be opened, is locked, corrupt or of a newer schema. */
  database: 4,
  /** The server could not be reached or refused the credentials. */
  server: 5,
  /** The command is not available in this version. */
  notImplemented: 6,
  /** The safety guard refused the run (mass deletion); rerun with --force-deletes. */
  guard: 7,
  /** Another synchronisation (the app, a daemon, a script) is running on this CRM database. */
  busy: 8,
  /** The CRM user does not exist or its password is wrong (init's login check). */
  crmLogin: 9,
  /** An unexpected internal error (a bug): rerun with --verbose and report it. */
  internal: 70,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface UserErrorOptions {
  cause?: unknown;
  /** Stable code of the failure, for the app to translate (see message-codes.ts). */
  code?: MessageCode;
  params?: MessageParams;
}

export class UserError extends Error {
  readonly exitCode: ExitCodeValue;
  readonly code: MessageCode | undefined;
  readonly params: MessageParams;
  constructor(message: string, exitCode: ExitCodeValue, options?: UserErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UserError';
    this.exitCode = exitCode;
    this.code = options?.code;
    this.params = options?.params ?? {};
  }
}

export class ConfigError extends UserError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.config, options);
    this.name = 'ConfigError';
  }
}

export class DatabaseError extends UserError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.database, options);
    this.name = 'DatabaseError';
  }
}

/** The text of any thrown value, for messages that must not lose the cause. */
export function describeCause(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
