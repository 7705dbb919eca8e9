/**
 * The settings schema flattened to dotted keys: groups (objects) and fields (leaves), in
 * schema order. Keys, error messages and the configuration reference are all derived from
 * this one walk, so a field added to the schema appears everywhere.
 */
import { z } from 'zod';
import { fieldMeta } from '../../shared/settings/fields.ts';
import type { FieldMeta } from '../../shared/settings/fields.ts';
import { defaultSettings, settingsSchema } from '../../shared/settings/schema.ts';

export interface FieldEntry {
  readonly type: 'field';
  readonly key: string;
  readonly path: readonly string[];
  readonly description: string;
  readonly meta: FieldMeta;
  readonly defaultValue: unknown;
}

export interface GroupEntry {
  readonly type: 'group';
  readonly key: string;
  readonly path: readonly string[];
  readonly description: string;
}

export type CatalogueEntry = FieldEntry | GroupEntry;

/** The object schema inside a group's prefault/default wrappers, if it is a group. */
function objectInside(schema: z.ZodType): z.ZodObject | undefined {
  let current: z.ZodType = schema;
  for (;;) {
    if (current instanceof z.ZodObject) return current;
    if (current instanceof z.ZodPrefault || current instanceof z.ZodDefault) {
      current = current.unwrap() as z.ZodType;
      continue;
    }
    return undefined;
  }
}

export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

function walk(
  object: z.ZodObject,
  prefix: readonly string[],
  defaults: unknown,
  out: CatalogueEntry[],
): void {
  for (const [name, schema] of Object.entries(object.shape as Record<string, z.ZodType>)) {
    const path = [...prefix, name];
    const key = path.join('.');
    const description = schema.description ?? '';
    const meta = fieldMeta.get(schema);
    if (meta !== undefined) {
      out.push({
        type: 'field',
        key,
        path,
        description,
        meta,
        defaultValue: valueAt(defaults, path),
      });
      continue;
    }
    const inner = objectInside(schema);
    if (inner === undefined) throw new Error(`Setting ${key} has no field description`);
    out.push({ type: 'group', key, path, description });
    walk(inner, path, defaults, out);
  }
}

let cached: readonly CatalogueEntry[] | undefined;

/** Every group and field of the settings, parents before children, in schema order. */
export function catalogue(): readonly CatalogueEntry[] {
  if (cached === undefined) {
    const out: CatalogueEntry[] = [];
    walk(settingsSchema, [], defaultSettings(), out);
    cached = out;
  }
  return cached;
}

export function fieldEntries(): readonly FieldEntry[] {
  return catalogue().filter((e): e is FieldEntry => e.type === 'field');
}

export function findEntry(key: string): CatalogueEntry | undefined {
  return catalogue().find((e) => e.key === key);
}

/** The field a value path (possibly reaching into a list item) belongs to. */
export function fieldForPath(path: readonly PropertyKey[]): FieldEntry | undefined {
  return fieldEntries().find(
    (e) => e.path.length <= path.length && e.path.every((segment, i) => segment === path[i]),
  );
}
