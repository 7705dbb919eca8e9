/** Helpers for editing settings: reading a dotted key, dropping problems of edited fields. */
import type { Problems } from './validate.ts';

/** The value at a dotted key ("agendas.events.categoryPairs.0.crm"); undefined if absent. */
export function valueAt(root: unknown, dotted: string): unknown {
  let node: unknown = root;
  for (const part of dotted.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/**
 * The engine's problems that still apply after an edit: a problem goes once the value of
 * its field (or anything below it) changed. Problems of fields that are not settings
 * (`crm.password`) are dropped by the caller when those change.
 */
export function pruneProblems(problems: Problems, before: unknown, after: unknown): Problems {
  const kept = Object.entries(problems).filter(([field]) => {
    const a = valueAt(before, field);
    const b = valueAt(after, field);
    if (a === undefined && b === undefined) return true;
    return JSON.stringify(a) === JSON.stringify(b);
  });
  return kept.length === Object.keys(problems).length ? problems : Object.fromEntries(kept);
}

export function withoutFields(problems: Problems, fields: readonly string[]): Problems {
  if (!fields.some((f) => f in problems)) return problems;
  return Object.fromEntries(Object.entries(problems).filter(([field]) => !fields.includes(field)));
}
