import { ExitCode, UserError } from '../errors.ts';
import type { UserErrorOptions } from '../errors.ts';
import type { MessageCode, MessageParams } from '../../shared/message-codes.ts';

/** The server could not be reached, refused the credentials, or failed as a whole. */
export class ServerError extends UserError {
  /** Whether trying again later may help (timeouts, 5xx, throttling). */
  readonly transient: boolean;
  constructor(message: string, options?: UserErrorOptions & { transient?: boolean }) {
    super(message, ExitCode.server, options);
    this.name = 'ServerError';
    this.transient = options?.transient ?? false;
  }
}

/** A write was refused because the item changed on the server since it was read. */
export class VersionConflictError extends Error {
  readonly serverId: string;
  constructor(serverId: string, options?: { cause?: unknown }) {
    super(`The server copy of ${serverId} changed since it was read.`, options);
    this.name = 'VersionConflictError';
    this.serverId = serverId;
  }
}

/** One item failed (bad data, rejected write); the run goes on with the others. */
export class ItemError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ItemError';
  }
}

/** One item failed, with the code the app words the cause by (ItemError has none). */
export class CodedItemError extends ItemError {
  readonly code: MessageCode;
  readonly params: MessageParams;
  constructor(message: string, code: MessageCode, params: MessageParams) {
    super(message);
    this.code = code;
    this.params = params;
  }
}

/**
 * A CodedItemError that, unlike the constructor, keeps the underlying error as `cause`
 * (for `--verbose`). Used by every connector's readers and mappers.
 */
export function codedItemError(
  message: string,
  code: MessageCode,
  params: MessageParams,
  options?: { cause?: unknown },
): CodedItemError {
  const err = new CodedItemError(message, code, params);
  if (options !== undefined && 'cause' in options) {
    // As `new Error(message, { cause })` does: an own, non-enumerable property.
    Object.defineProperty(err, 'cause', {
      value: options.cause,
      writable: true,
      enumerable: false,
      configurable: true,
    });
  }
  return err;
}
