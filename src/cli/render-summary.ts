import type { AgendaKind } from '../core/model/items.ts';
import type { PlannedAction } from '../core/sync/plan.ts';
import type { RunSummary } from '../core/sync/summary.ts';
import { skippedFilter } from '../core/sync/reasons.ts';
import type { FilterCode } from '../core/sync/reasons.ts';

const VERBS: Record<PlannedAction['kind'], string> = {
  'create-server': 'create on server',
  'update-server': 'update on server',
  'delete-server': 'delete on server',
  'create-crm': 'create in CRM',
  'update-crm': 'update in CRM',
  'delete-crm': 'delete in CRM (to trash)',
  link: 'pair',
  untrack: 'stop tracking',
  skip: 'skip',
};

export function renderPlannedAction(agenda: AgendaKind, a: PlannedAction): string {
  return `${agenda}: ${VERBS[a.kind]} "${a.label}": ${a.reason}`;
}

/** How the filters read in a count: "8 private", "4 outside the window". */
const FILTER_WORDS: Record<FilterCode, string> = {
  private: 'private',
  'outside-days': 'outside the window',
  'no-paired-category': 'without a paired category',
  'no-contact-category': 'without a synchronised contact category',
  'outside-branch': 'outside the classification branch',
  'group-not-exported': 'in an activity group not exported',
  'not-own-task': "another user's task",
  'before-import-from': 'before the import-from day',
};

/** "skipped 12 (8 private, 4 outside the window)"; "skipped 0". */
export function skippedText(total: number, by: Partial<Record<FilterCode, number>> = {}): string {
  const parts = (Object.entries(by) as [FilterCode, number][])
    .filter(([, n]) => n > 0)
    .sort((x, y) => y[1] - x[1])
    .map(([code, n]) => `${n} ${FILTER_WORDS[code]}`);
  const other = total - Object.values(by).reduce((sum, n) => sum + (n ?? 0), 0);
  if (parts.length && other > 0) parts.push(`${other} other`);
  return `skipped ${total}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

function skippedCounts(planned: readonly PlannedAction[]): {
  total: number;
  by: Partial<Record<FilterCode, number>>;
} {
  const by: Partial<Record<FilterCode, number>> = {};
  let total = 0;
  for (const p of planned) {
    const filter = skippedFilter(p.reasonCode);
    if (filter === null) continue;
    total++;
    by[filter] = (by[filter] ?? 0) + 1;
  }
  return { total, by };
}

export function renderSummary(s: RunSummary): string {
  const lines: string[] = [];
  for (const a of s.agendas) {
    const head = `${a.agenda} (${a.folder})`;
    if (a.aborted) {
      lines.push(`${head}: not synchronised: ${a.aborted}`);
      continue;
    }
    if (a.refused) {
      lines.push(`${head}: refused: ${a.refused}`);
      continue;
    }
    if (a.planned) {
      // Items a filter keeps out are counted, not listed one by one (there may be many).
      const kept = a.planned.filter((p) => skippedFilter(p.reasonCode) === null);
      const out = skippedCounts(a.planned);
      const n = kept.length;
      const skipped = out.total ? `; ${skippedText(out.total, out.by)}` : '';
      lines.push(
        `${head}: dry run, ${n} planned action${n === 1 ? '' : 's'}${skipped}, nothing changed`,
      );
      continue;
    }
    lines.push(
      `${head}: CRM +${a.crm.created} ~${a.crm.updated} -${a.crm.deleted}; ` +
        `server +${a.server.created} ~${a.server.updated} -${a.server.deleted}; ` +
        `paired ${a.linked}, untracked ${a.untracked}, ${skippedText(a.skipped, a.skippedBy)}, conflicts ${a.conflicts}, errors ${a.failed.length}`,
    );
    for (const n of a.notes) lines.push(`  note: ${n}`);
    for (const f of a.failed) lines.push(`  failed (${f.side}): "${f.label}": ${f.cause}`);
  }
  if (s.agendas.length === 0) lines.push('No agenda is enabled: nothing to synchronise.');
  if (!s.dryRun) lines.push(`Run ${s.runId}: ${s.status}. Details: crm-sync log --run ${s.runId}`);
  return lines.join('\n');
}
