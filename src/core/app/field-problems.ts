/**
 * Problems the UI shows next to a field: settings validation (zod issues), readiness gaps
 * and server failures, each mapped to the dotted settings key or wizard field it concerns.
 *
 * Wizard fields that are not settings keys: `crm.password` (the CRM login check) and
 * `connection.password` (the server password or token being tested). A problem that
 * concerns no one field has the field `''`.
 */
import type { z } from 'zod';
import type { ConnectionKind, Settings } from '../../shared/settings/schema.ts';
import { settingsSchema } from '../../shared/settings/schema.ts';
import { fieldForPath } from '../settings/catalogue.ts';
import { describeIssueClauses } from '../settings/issues.ts';
import { readinessIssues } from '../../shared/settings/readiness.ts';
import type { FieldProblem } from '../../shared/app-api.ts';
import type { CodedMessage } from '../../shared/message-codes.ts';
import { serverFieldKey, serverKind } from '../../shared/server-kinds.ts';

export const CRM_PASSWORD_FIELD = 'crm.password';
export const SERVER_PASSWORD_FIELD = 'connection.password';
export const GENERAL_FIELD = '';

/** A clause as a sentence (it starts with the dotted key, which keeps its case). */
function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/**
 * One problem per field for each validation issue, in schema order, duplicates removed;
 * each with its code (error.<code>) for the app to word it in its language.
 */
export function settingsIssueProblems(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  for (const issue of issues) {
    const clauses = describeIssueClauses([issue], input);
    const fields =
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((k) => [...issue.path, k].join('.'))
        : [fieldForPath(issue.path)?.key ?? issue.path.map(String).join('.')];
    clauses.forEach((clause, i) => {
      const problem: FieldProblem = {
        field: fields[i] ?? fields[0] ?? GENERAL_FIELD,
        message: sentence(clause.text),
        ...(clause.code === undefined ? {} : { code: clause.code, params: { ...clause.params } }),
      };
      const key = `${problem.field}\n${problem.message}`;
      if (seen.has(key)) return;
      seen.add(key);
      problems.push(problem);
    });
  }
  return problems;
}

/** Validates settings as the settings file would; problems name the dotted key. */
export function validateSettings(
  input: unknown,
): { ok: true; settings: Settings } | { ok: false; problems: FieldProblem[] } {
  const result = settingsSchema.safeParse(input);
  if (result.success) return { ok: true, settings: result.data };
  return { ok: false, problems: settingsIssueProblems(result.error.issues, input) };
}

const KEY_PATTERN = /\b((?:crm|connection|schedule|guard|agendas)(?:\.[A-Za-z0-9]+)+)/;

/** The field a sentence is about: the first dotted settings key it names. */
export function fieldNamedIn(message: string): string {
  return KEY_PATTERN.exec(message)?.[1] ?? GENERAL_FIELD;
}

/** What is missing before a sync can run, each on the key it names, with its code. */
export function readinessFieldProblems(settings: Settings): FieldProblem[] {
  return readinessIssues(settings).map((p) => ({
    field: fieldNamedIn(p.message),
    message: p.message,
    code: p.code,
    params: { ...p.params },
  }));
}

/** The settings key holding the server's address for a connection kind. */
export function serverAddressField(kind: ConnectionKind): string {
  return serverFieldKey(kind, 'address') ?? serverFieldKey(kind, 'tenant') ?? 'connection.kind';
}

/** The settings key of the sign-in method (a server that does not offer the chosen one). */
function authMethodField(kind: ConnectionKind): string {
  return serverFieldKey(kind, 'auth') ?? serverAddressField(kind);
}

/** Failures whose code says which field is wrong (the rest are read from the sentence). */
const FIELD_OF_CODE: Partial<Record<string, string>> = {
  'auth-failed': SERVER_PASSWORD_FIELD,
  'token-refused': SERVER_PASSWORD_FIELD,
  'certificate-untrusted': 'connection.trustedCertificate.sha256Fingerprint',
  'proxy-auth-failed': 'connection.proxy.url',
  'proxy-refused': 'connection.proxy.url',
  'server-kind-unsupported': 'connection.kind',
};

/**
 * The field a server failure belongs to, read from its (already clear) message: refused
 * credentials to the password, an untrusted certificate (the message carries its
 * fingerprint) to the trusted fingerprint, a failing proxy to the proxy, an unsupported
 * server kind to the kind, anything else (unknown host, nothing answering, no service) to
 * the server address.
 */
export function serverProblem(
  message: string,
  kind: ConnectionKind,
  coded?: CodedMessage,
): FieldProblem {
  const code = coded === undefined ? {} : { code: coded.code, params: { ...coded.params } };
  const byCode =
    coded === undefined
      ? undefined
      : coded.code === 'auth-method-not-offered' || coded.code === 'auth-methods-unsupported'
        ? authMethodField(kind)
        : (FIELD_OF_CODE[coded.code] ?? serverKind(kind).fieldOfFailure[coded.code]);
  if (byCode !== undefined) return { field: byCode, message, ...code };
  let field: string;
  if (/certificate/i.test(message)) field = 'connection.trustedCertificate.sha256Fingerprint';
  else if (/proxy/i.test(message)) field = 'connection.proxy.url';
  else if (/user name or password|access token|credentials/i.test(message)) {
    field = SERVER_PASSWORD_FIELD;
  } else if (/not supported by this version/i.test(message)) field = 'connection.kind';
  else field = serverAddressField(kind);
  return { field, message, ...code };
}
