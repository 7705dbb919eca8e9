/** The failed side of an `Outcome`: problems put on the fields they concern. */
import { ConfigError, describeCause } from '../errors.ts';
import { codedMessageOf } from '../../shared/message-codes.ts';
import { ServerError } from '../servers/errors.ts';
import type { Settings } from '../../shared/settings/schema.ts';
import type { FieldProblem } from '../../shared/app-api.ts';
import { GENERAL_FIELD, fieldNamedIn, serverProblem } from './field-problems.ts';

export type Failed = { ok: false; problems: FieldProblem[] };

export const failed = (problems: FieldProblem[]): Failed => ({ ok: false, problems });

/** A problem of no one field (shown above the form). */
export const general = (message: string): Failed => failed([{ field: GENERAL_FIELD, message }]);

/**
 * A failure while talking to the server with `settings`: on the server's field when the
 * server (or its kind) is the cause, on the setting a ConfigError names, else general.
 */
export function problemOf(err: unknown, settings: Settings): FieldProblem {
  const message = describeCause(err);
  const coded = codedMessageOf(err);
  if (err instanceof ServerError || /not supported by this version/.test(message)) {
    return serverProblem(message, settings.connection.kind, coded);
  }
  const code = coded === undefined ? {} : { code: coded.code, params: coded.params };
  if (err instanceof ConfigError) {
    return { field: fieldNamedIn(message), message, ...code };
  }
  return { field: GENERAL_FIELD, message, ...code };
}
