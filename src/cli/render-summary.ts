import type { AgendaKind } from '../core/sync/model.ts';
import type { PlannedAction } from '../core/sync/plan.ts';
import type { RunSummary } from '../core/sync/summary.ts';

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
      const n = a.planned.length;
      lines.push(`${head}: dry run, ${n} planned action${n === 1 ? '' : 's'}, nothing changed`);
      continue;
    }
    lines.push(
      `${head}: CRM +${a.crm.created} ~${a.crm.updated} -${a.crm.deleted}; ` +
        `server +${a.server.created} ~${a.server.updated} -${a.server.deleted}; ` +
        `paired ${a.linked}, untracked ${a.untracked}, skipped ${a.skipped}, conflicts ${a.conflicts}, errors ${a.failed.length}`,
    );
    for (const n of a.notes) lines.push(`  note: ${n}`);
    for (const f of a.failed) lines.push(`  failed (${f.side}): "${f.label}": ${f.cause}`);
  }
  if (s.agendas.length === 0) lines.push('No agenda is enabled: nothing to synchronise.');
  if (!s.dryRun) lines.push(`Run ${s.runId}: ${s.status}. Details: crm-sync log --run ${s.runId}`);
  return lines.join('\n');
}
