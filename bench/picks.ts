/**
 * Which items a `--compare` scenario changes: the same choice for every client.
 */

/** 1 % of n, at least one. */
export function onePercent(n: number): number {
  return Math.max(1, Math.round(n / 100));
}

/** k items spread evenly over a list. */
export function spread<T>(list: readonly T[], k: number): T[] {
  if (k <= 0 || list.length === 0) return [];
  const step = list.length / k;
  const out: T[] = [];
  for (let i = 0; i < k && i < list.length; i++) {
    const item = list[Math.floor(i * step)];
    if (item !== undefined) out.push(item);
  }
  return out;
}

/** n local changes: a third updated, a third deleted, the rest added. */
export function thirds(n: number): { update: number; remove: number; add: number } {
  const update = Math.ceil(n / 3);
  const remove = Math.floor((n - update) / 2);
  return { update, remove, add: n - update - remove };
}
