/** What a run did, per agenda and folder: the CLI's summary and the app's status line. */
import type { CodedMessage } from '../../shared/message-codes.ts';
import type { ExecutedAction } from './executor.ts';
import type { RunStatus } from './journal.ts';
import type { AgendaKind } from '../model/items.ts';
import type { PlannedAction } from './plan.ts';
import { skippedFilter } from './reasons.ts';
import type { FilterCode } from './reasons.ts';

export interface SideCounts {
  created: number;
  updated: number;
  deleted: number;
}

export interface FailedItem {
  label: string;
  cause: string;
  side: 'crm' | 'server';
  /** The cause's code, for the app to word it (absent: show `cause`). */
  code?: CodedMessage['code'];
  params?: CodedMessage['params'];
}

export interface AgendaSummary {
  agenda: AgendaKind;
  folder: string;
  crm: SideCounts;
  server: SideCounts;
  linked: number;
  untracked: number;
  skipped: number;
  /**
   * Of `skipped`, the items a filter keeps out of the sync, by the filter's code
   * ("private": 8, "outside-days": 4), on either side.
   */
  skippedBy: Partial<Record<FilterCode, number>>;
  conflicts: number;
  failed: FailedItem[];
  notes: string[];
  /** Why the guard refused the run for this folder (nothing was changed). */
  refused?: string;
  /** The refusal's code, for the app to word it. */
  refusedCode?: CodedMessage;
  /** Why the folder could not be synchronised at all (server unreachable, wrong password…). */
  aborted?: string;
  /** The abort's code, when its cause has one. */
  abortedCode?: CodedMessage;
  /** Dry run: the plan. */
  planned?: PlannedAction[];
}

export interface RunSummary {
  /** 0 for a dry run (not recorded). */
  runId: number;
  dryRun: boolean;
  status: RunStatus;
  agendas: AgendaSummary[];
}

export function emptyCounts(agenda: AgendaKind, folder: string): AgendaSummary {
  return {
    agenda,
    folder,
    crm: { created: 0, updated: 0, deleted: 0 },
    server: { created: 0, updated: 0, deleted: 0 },
    linked: 0,
    untracked: 0,
    skipped: 0,
    skippedBy: {},
    conflicts: 0,
    failed: [],
    notes: [],
  };
}

export function countResult(s: AgendaSummary, r: ExecutedAction): void {
  const a = r.action;
  if (r.outcome === 'failed') {
    const side = a.kind.endsWith('-crm') ? 'crm' : 'server';
    s.failed.push({
      label: a.label,
      cause: r.error ?? 'unknown error',
      side,
      ...(r.errorCode === undefined ? {} : { code: r.errorCode.code, params: r.errorCode.params }),
    });
    return;
  }
  if (r.outcome === 'skipped') {
    s.skipped++;
    const filter = skippedFilter(a.reasonCode);
    if (filter) s.skippedBy[filter] = (s.skippedBy[filter] ?? 0) + 1;
    return;
  }
  if (a.conflict) s.conflicts++;
  switch (a.kind) {
    case 'create-crm':
      s.crm.created++;
      break;
    case 'update-crm':
      s.crm.updated++;
      break;
    case 'delete-crm':
      s.crm.deleted++;
      break;
    case 'create-server':
      s.server.created++;
      break;
    case 'update-server':
      s.server.updated++;
      break;
    case 'delete-server':
      s.server.deleted++;
      break;
    case 'link':
      s.linked++;
      break;
    case 'untrack':
      s.untracked++;
      break;
    case 'skip':
      s.skipped++;
      break;
  }
}
