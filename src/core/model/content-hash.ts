import { createHash } from 'node:crypto';
import type { ItemData, TaskData } from './items.ts';

/** JSON with object keys sorted, so equal content always gives equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
      return sorted;
    }
    return v;
  });
}

/** Deep equality of model values (plain data), whatever their key order. */
export function sameContent(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** Content hash of an item as one side holds it (a task's owner is a fact, not content). */
export function contentHash(data: ItemData): string {
  const content = data.kind === 'task' && data.owner !== undefined ? withoutOwner(data) : data;
  return createHash('sha256').update(canonicalJson(content)).digest('hex').slice(0, 32);
}

function withoutOwner(data: TaskData): TaskData {
  const { owner: _owner, ...content } = data;
  return content;
}
