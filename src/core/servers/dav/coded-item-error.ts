/**
 * One item could not be read or written, with the code the app words the cause by
 * (message-codes.ts) and, unlike CodedItemError's constructor, the underlying error kept
 * as `cause` (for `--verbose`). Used by the iCalendar and vCard readers and by the
 * Exchange mapping.
 */
import { CodedItemError } from '../errors.ts';
import type { MessageCode, MessageParams } from '../../message-codes.ts';

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
