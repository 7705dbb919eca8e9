/**
 * A CalDAV/CardDAV server whose .well-known address sends the user to another server
 * (RFC 6764, normal for hosted services): the transport never follows it with the password
 * (ServerError 'server-redirect-offered'); `init` asks the user, and `--use-redirect`
 * answers yes in advance: the target is stored as the server address and checked again.
 */
import { UserError } from '../core/errors.ts';

/** The address a failure offers, when it is such an offer. */
export function offeredServerUrl(err: unknown): string | undefined {
  if (!(err instanceof UserError) || err.code !== 'server-redirect-offered') return undefined;
  const target = err.params['target'];
  return typeof target === 'string' && target !== '' ? target : undefined;
}

/**
 * Runs the connection check; on an offer, takes it when `accept` (`adopt` stores it, then
 * the check runs once more, from the new address) or says how to take it.
 */
export async function checkTakingRedirect<T>(
  check: () => Promise<T>,
  accept: boolean,
  adopt: (target: string) => void,
): Promise<T> {
  try {
    return await check();
  } catch (err) {
    const target = offeredServerUrl(err);
    if (target === undefined || !(err instanceof UserError)) throw err;
    if (accept) {
      adopt(target);
      return check();
    }
    throw new UserError(
      `${err.message} Use it? Run init again with --use-redirect, or: crm-sync config set connection.dav.url ${target}`,
      err.exitCode,
      { cause: err, code: 'server-redirect-offered', params: err.params },
    );
  }
}
