/**
 * The safety guard: a run that would delete a large share of either side, or that follows
 * an empty listing of a folder that had items, is refused before anything is written. The
 * user can look at the plan (--dry-run) and proceed with --force-deletes.
 */
import type { PlannedAction } from './plan.ts';

export interface GuardLimits {
  /** Refuse when more than this share of a side would be deleted… */
  maxDeleteShare: number;
  /** …and more than this many items. */
  maxDeleteCount: number;
}

export interface GuardInput {
  actions: readonly PlannedAction[];
  /** Items tracked on each side before the run (the pairings). */
  tracked: number;
  /** The server listed the folder in full and it came back empty, though items were tracked. */
  emptyListing: boolean;
  folderName: string;
  limits: GuardLimits;
}

/** Null when the run may go ahead, else the message saying why it is refused. */
export function guardVerdict(g: GuardInput): string | null {
  if (g.emptyListing && g.tracked > 0) {
    return `The server listed folder "${g.folderName}" as empty, though ${g.tracked} items were synchronised with it; nothing was deleted. If the folder really was emptied, run again with --force-deletes.`;
  }
  const count = (kind: 'delete-crm' | 'delete-server'): number =>
    g.actions.filter((a) => a.kind === kind).length;
  const sides = [
    { n: count('delete-crm'), where: 'in the CRM' },
    { n: count('delete-server'), where: `on the server (folder "${g.folderName}")` },
  ];
  for (const { n, where } of sides) {
    if (n > g.limits.maxDeleteCount && n > g.limits.maxDeleteShare * g.tracked) {
      const pct = Math.round(g.limits.maxDeleteShare * 100);
      return `The run would delete ${n} of ${g.tracked} synchronised items ${where}, more than the guard allows (${pct} % and ${g.limits.maxDeleteCount} items); nothing was changed. Check with --dry-run, then run again with --force-deletes if that is intended.`;
    }
  }
  return null;
}
