/**
 * Turns zod's validation issues into the clauses of one readable sentence, each naming the
 * setting by its dotted key, what it must be (the same words as the configuration
 * reference) and what was found.
 */
import type { z } from 'zod';
import { catalogue, fieldForPath, valueAt } from './catalogue.ts';
import { OWN_CLAUSE, OWN_CODE, OWN_PARAMS } from '../../shared/settings/fields.ts';
import { closeMatches, suggestionText } from './suggest.ts';
import { isMessageCode } from '../../shared/message-codes.ts';
import { redactUrlCredentials } from '../../shared/settings-formats.ts';
import type { MessageCode, MessageParams } from '../../shared/message-codes.ts';

/** Names that suggest a secret someone tried to put in the settings file. */
const SECRET_NAME = /password|passwd|passphrase|^pass$|pwd|secret|token|credential|api[-_]?key/i;

/** The words every secret-related clause carries, so such clauses can be put first. */
const SECRET_CLAUSE = 'belong in the secret store';

export function isSecretLikeName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** A found value, short enough for a message, with no URL's password in it. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = redactUrlCredentials(JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** One clause of a validation sentence, with its code for the app (when it has one). */
export interface IssueClause {
  text: string;
  code?: MessageCode;
  params?: MessageParams;
}

function unknownKeyClause(parent: readonly PropertyKey[], name: string): IssueClause {
  const key = [...parent, name].join('.');
  if (isSecretLikeName(name)) {
    return {
      text: `${key} is not allowed: passwords and tokens ${SECRET_CLAUSE}, never in the settings file`,
      code: 'setting-secret',
      params: { field: key },
    };
  }
  const known = catalogue().map((e) => e.key);
  const suggestion = suggestionText(key, known);
  return {
    text: `${key} is not a known setting${suggestion === '' ? '' : ` (did you mean ${suggestion}?)`}`,
    ...(suggestion === ''
      ? { code: 'setting-unknown', params: { field: key } }
      : {
          code: 'setting-unknown-similar',
          params: {
            field: key,
            suggestions: closeMatches(key, known)
              .map((m) => `"${m}"`)
              .join(', '),
          },
        }),
  };
}

function ownParams(value: unknown): MessageParams {
  const out: MessageParams = {};
  if (typeof value !== 'object' || value === null) return out;
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string' || typeof v === 'number') out[k] = v;
  }
  return out;
}

function issueClauses(issue: z.core.$ZodIssue, input: unknown): IssueClause[] {
  const path = issue.path;
  if (issue.code === 'unrecognized_keys') return issue.keys.map((k) => unknownKeyClause(path, k));

  const field = fieldForPath(path);
  if (field !== undefined) {
    const params = issue.code === 'custom' ? issue.params : undefined;
    if (params?.[OWN_CLAUSE] === true) {
      const code: unknown = params[OWN_CODE];
      return [
        {
          text: `${field.key} ${issue.message}`,
          ...(isMessageCode(code)
            ? { code, params: { field: field.key, ...ownParams(params[OWN_PARAMS]) } }
            : {}),
        },
      ];
    }
    const value = valueAt(input, path);
    const next = path[field.path.length];
    const where = typeof next === 'number' ? ` as item ${next + 1}` : '';
    const text = `${field.key} must be ${field.meta.expectation} (got ${showValue(value)}${where})`;
    // "got nothing" has no coded form: the English clause is shown.
    if (value === undefined) return [{ text }];
    const coded: MessageParams = {
      ...field.meta.expectsParams,
      field: field.key,
      expectation: field.meta.expectation,
      expects: field.meta.expects,
      value: showValue(value),
    };
    return [
      typeof next === 'number'
        ? { text, code: 'setting-item-invalid', params: { ...coded, item: next + 1 } }
        : { text, code: 'setting-invalid', params: coded },
    ];
  }
  if (path.length === 0) {
    const text = `the settings must be a JSON object (got ${showValue(input)})`;
    if (input === undefined) return [{ text }];
    return [{ text, code: 'settings-not-object', params: { value: showValue(input) } }];
  }
  const key = path.join('.');
  if (catalogue().some((e) => e.type === 'group' && e.key === key)) {
    const value = valueAt(input, path);
    const text = `${key} must be an object of settings (got ${showValue(value)})`;
    if (value === undefined) return [{ text }];
    return [
      { text, code: 'setting-group-invalid', params: { field: key, value: showValue(value) } },
    ];
  }
  return [{ text: `${key}: ${issue.message}` }];
}

/**
 * One clause per problem, duplicates removed, in schema order, except that a secret put
 * in the settings file comes first: it is the one that must not go unnoticed. Each with
 * its code, when it has one.
 */
export function describeIssueClauses(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
): IssueClause[] {
  const seen = new Set<string>();
  const clauses: IssueClause[] = [];
  for (const clause of issues.flatMap((issue) => issueClauses(issue, input))) {
    if (seen.has(clause.text)) continue;
    seen.add(clause.text);
    clauses.push(clause);
  }
  const secret = (c: IssueClause) => c.text.includes(SECRET_CLAUSE);
  return [...clauses.filter(secret), ...clauses.filter((c) => !secret(c))];
}

/** The clauses' English texts (see describeIssueClauses). */
export function describeIssues(issues: readonly z.core.$ZodIssue[], input: unknown): string[] {
  return describeIssueClauses(issues, input).map((c) => c.text);
}

/** The clauses joined into the rest of one sentence: the first few, and how many more. */
export function joinProblems(clauses: readonly string[], limit = 3): string {
  const shown = clauses.slice(0, limit).join('; ');
  const more = clauses.length - limit;
  if (more <= 0) return shown;
  return `${shown}; and ${more} more problem${more === 1 ? '' : 's'}`;
}
