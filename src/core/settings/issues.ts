/**
 * Turns zod's validation issues into the clauses of one readable sentence, each naming the
 * setting by its dotted key, what it must be (the same words as the configuration
 * reference) and what was found.
 */
import type { z } from 'zod';
import { catalogue, fieldForPath, valueAt } from './catalogue.ts';
import { OWN_CLAUSE } from './fields.ts';
import { suggestionText } from './suggest.ts';

/** Names that suggest a secret someone tried to put in the settings file. */
const SECRET_NAME = /password|passwd|passphrase|^pass$|pwd|secret|token|credential|api[-_]?key/i;

/** The words every secret-related clause carries, so such clauses can be put first. */
const SECRET_CLAUSE = 'belong in the secret store';

export function isSecretLikeName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** A found value, short enough for a message. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function unknownKeyClause(parent: readonly PropertyKey[], name: string): string {
  const key = [...parent, name].join('.');
  if (isSecretLikeName(name)) {
    return `${key} is not allowed: passwords and tokens ${SECRET_CLAUSE}, never in the settings file`;
  }
  const suggestion = suggestionText(
    key,
    catalogue().map((e) => e.key),
  );
  return `${key} is not a known setting${suggestion === '' ? '' : ` (did you mean ${suggestion}?)`}`;
}

function issueClauses(issue: z.core.$ZodIssue, input: unknown): string[] {
  const path = issue.path;
  if (issue.code === 'unrecognized_keys') return issue.keys.map((k) => unknownKeyClause(path, k));

  const field = fieldForPath(path);
  if (field !== undefined) {
    const params = issue.code === 'custom' ? issue.params : undefined;
    if (params?.[OWN_CLAUSE] === true) return [`${field.key} ${issue.message}`];
    const value = valueAt(input, path);
    const next = path[field.path.length];
    const where = typeof next === 'number' ? ` as item ${next + 1}` : '';
    return [`${field.key} must be ${field.meta.expectation} (got ${showValue(value)}${where})`];
  }
  if (path.length === 0) return [`the settings must be a JSON object (got ${showValue(input)})`];
  const key = path.join('.');
  if (catalogue().some((e) => e.type === 'group' && e.key === key)) {
    return [`${key} must be an object of settings (got ${showValue(valueAt(input, path))})`];
  }
  return [`${key}: ${issue.message}`];
}

/**
 * One clause per problem, duplicates removed, in schema order, except that a secret put
 * in the settings file comes first: it is the one that must not go unnoticed.
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[], input: unknown): string[] {
  const clauses = [...new Set(issues.flatMap((issue) => issueClauses(issue, input)))];
  const secrets = clauses.filter((c) => c.includes(SECRET_CLAUSE));
  return [...secrets, ...clauses.filter((c) => !c.includes(SECRET_CLAUSE))];
}

/** The clauses joined into the rest of one sentence: the first few, and how many more. */
export function joinProblems(clauses: readonly string[], limit = 3): string {
  const shown = clauses.slice(0, limit).join('; ');
  const more = clauses.length - limit;
  if (more <= 0) return shown;
  return `${shown}; and ${more} more problem${more === 1 ? '' : 's'}`;
}
