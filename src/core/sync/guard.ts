/**
 * The safety guard: a run that would delete a large share of either side, or that follows
 * an empty listing of a folder that had items, is refused before anything is written. The
 * user can look at the plan (--dry-run), then proceed with --force-deletes (accept the
 * deletions) or, when the server lost the items, --restore-server (put them back there).
 */
import type { CodedMessage } from '../../shared/message-codes.ts';
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

/** Why the guard refuses a folder: the English sentence and its code for the app. */
export interface GuardRefusal extends CodedMessage {
  message: string;
}

/**
 * Items gone from the server: either the server lost them (emptied, replaced, a new
 * account) and the CRM's copies should go back, or they were deleted on purpose. Both
 * choices are named: --force-deletes alone would send every CRM copy to the trash.
 */
const WAYS_OUT =
  "if the server was emptied or replaced, run again with --restore-server to put the CRM's items back on the server (no CRM item is deleted); if the items were deleted on purpose, run again with --force-deletes to delete them in the CRM too (they go to the CRM trash).";

/** Null when the run may go ahead, else the message saying why it is refused. */
export function guardVerdict(g: GuardInput): string | null {
  return guardRefusal(g)?.message ?? null;
}

/** Null when the run may go ahead, else why it is refused (sentence, code, parameters). */
export function guardRefusal(g: GuardInput): GuardRefusal | null {
  if (g.emptyListing && g.tracked > 0) {
    return {
      message: `The server listed folder "${g.folderName}" as empty, though ${g.tracked} items were synchronised with it; nothing was deleted. ${WAYS_OUT.charAt(0).toUpperCase()}${WAYS_OUT.slice(1)}`,
      code: 'guard-empty-listing',
      params: { folder: g.folderName, tracked: g.tracked },
    };
  }
  const count = (kind: 'delete-crm' | 'delete-server'): number =>
    g.actions.filter((a) => a.kind === kind).length;
  const sides = [
    { n: count('delete-crm'), where: 'in the CRM', code: 'guard-mass-delete-crm' as const },
    {
      n: count('delete-server'),
      where: `on the server (folder "${g.folderName}")`,
      code: 'guard-mass-delete-server' as const,
    },
  ];
  for (const { n, where, code } of sides) {
    if (n > g.limits.maxDeleteCount && n > g.limits.maxDeleteShare * g.tracked) {
      const pct = Math.round(g.limits.maxDeleteShare * 100);
      // Deletions in the CRM follow items gone from the server: it may have been emptied.
      const next =
        code === 'guard-mass-delete-crm'
          ? `Check with --dry-run; ${WAYS_OUT}`
          : 'Check with --dry-run, then run again with --force-deletes if that is intended.';
      return {
        message: `The run would delete ${n} of ${g.tracked} synchronised items ${where}, more than the guard allows (${pct} % and ${g.limits.maxDeleteCount} items); nothing was changed. ${next}`,
        code,
        params: {
          count: n,
          tracked: g.tracked,
          folder: g.folderName,
          percent: pct,
          limit: g.limits.maxDeleteCount,
        },
      };
    }
  }
  return null;
}
