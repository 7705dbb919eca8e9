/**
 * What the app shows of a run: a few lines per agenda like the CLI's summary, the items
 * that failed, the plan of a preview, and the one sentence a failure notification carries.
 */
import { z } from 'zod';
import type { AgendaBrief, PlannedItem, RunBrief } from '../../shared/app-api.ts';
import type { RunRecord } from '../sync/journal.ts';
import type { RunSummary } from '../sync/summary.ts';

/** The part of a stored summary (sync_runs.summary, JSON) the brief reads. */
const counts = z.object({ created: z.number(), updated: z.number(), deleted: z.number() });
const StoredAgendaSchema = z.object({
  agenda: z.string(),
  folder: z.string(),
  crm: counts,
  server: counts,
  linked: z.number().default(0),
  untracked: z.number().default(0),
  skipped: z.number().default(0),
  conflicts: z.number().optional(),
  failed: z.array(z.object({ label: z.string(), cause: z.string() })).default([]),
  refused: z.string().optional(),
  aborted: z.string().optional(),
});
type StoredAgenda = z.infer<typeof StoredAgendaSchema>;
const StoredSummarySchema = z.union([
  z.object({ agendas: z.array(StoredAgendaSchema) }),
  /** A run that ended before it began (server unreachable, wrong password...). */
  z.object({ error: z.string() }),
]);

/** One line for an agenda's folder: "events (Calendar): CRM +2 ~1 -0; server +0 ~3 -0". */
export function agendaLine(a: StoredAgenda): string {
  const head = `${a.agenda} (${a.folder})`;
  if (a.aborted) return `${head}: not synchronised: ${a.aborted}`;
  if (a.refused) return `${head}: refused: ${a.refused}`;
  const conflicts = a.conflicts ? `, ${a.conflicts} conflicts` : '';
  const failed = a.failed.length ? `, ${a.failed.length} failed` : '';
  return (
    `${head}: CRM +${a.crm.created} ~${a.crm.updated} -${a.crm.deleted}; ` +
    `server +${a.server.created} ~${a.server.updated} -${a.server.deleted}${conflicts}${failed}`
  );
}

function agendaBrief(a: StoredAgenda): AgendaBrief {
  return {
    agenda: a.agenda,
    folder: a.folder,
    crm: { ...a.crm },
    server: { ...a.server },
    linked: a.linked,
    untracked: a.untracked,
    skipped: a.skipped,
    conflicts: a.conflicts ?? 0,
    failed: a.failed.length,
    refused: a.refused ?? null,
    aborted: a.aborted ?? null,
  };
}

/** The brief of a recorded run. */
export function briefOfRun(run: RunRecord): RunBrief {
  const brief: RunBrief = {
    id: run.id,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    trigger: run.trigger,
    status: run.status,
    lines: [],
    agendas: [],
    failedItems: [],
  };
  const parsed = StoredSummarySchema.safeParse(run.summary);
  if (parsed.success) {
    if ('error' in parsed.data) {
      brief.lines.push(parsed.data.error);
    } else {
      for (const a of parsed.data.agendas) {
        brief.lines.push(agendaLine(a));
        brief.agendas.push(agendaBrief(a));
        for (const f of a.failed) brief.failedItems.push({ label: f.label, cause: f.cause });
      }
      if (parsed.data.agendas.length === 0) {
        brief.lines.push('No agenda is enabled: nothing to synchronise.');
      }
    }
  } else if (run.status === 'interrupted') {
    brief.lines.push('The run was interrupted before it finished (the program was stopped).');
  }
  return brief;
}

/**
 * A brief for a run that could not be recorded (the CRM database did not open, another
 * process held the run lock): id 0, kept in memory only.
 */
export function unrecordedBrief(
  trigger: string,
  startedAt: Date,
  finishedAt: Date,
  error: string,
): RunBrief {
  return {
    id: 0,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    trigger,
    status: 'failed',
    lines: [error],
    agendas: [],
    failedItems: [],
  };
}

/**
 * The sentence a notification shows when a run did not end well, or null when it did:
 * the first folder that could not be synchronised, the guard's refusal, or how many items
 * failed with the first of them.
 */
export function failureOf(summary: RunSummary): string | null {
  const aborted = summary.agendas.find((a) => a.aborted);
  if (aborted) return `${aborted.agenda} (${aborted.folder}): ${aborted.aborted}`;
  const refused = summary.agendas.find((a) => a.refused);
  if (refused) {
    return `${refused.agenda} (${refused.folder}): nothing was changed: ${refused.refused}`;
  }
  const failed = summary.agendas.flatMap((a) => a.failed);
  const first = failed[0];
  if (!first) return null;
  const more = failed.length > 1 ? ` (and ${failed.length - 1} more)` : '';
  return `${failed.length} item${failed.length === 1 ? '' : 's'} could not be synchronised: "${first.label}": ${first.cause}${more}`;
}

/**
 * A preview's plan: every planned action with its reason; a folder the guard would refuse
 * or that cannot be read is one item saying so ("refused", "not-synchronised").
 */
export function plannedItems(summary: RunSummary): PlannedItem[] {
  const items: PlannedItem[] = [];
  for (const a of summary.agendas) {
    if (a.aborted) {
      items.push({
        agenda: a.agenda,
        action: 'not-synchronised',
        label: a.folder,
        reason: a.aborted,
        reasonCode: null,
        reasonParams: {},
      });
      continue;
    }
    if (a.refused) {
      items.push({
        agenda: a.agenda,
        action: 'refused',
        label: a.folder,
        reason: a.refused,
        reasonCode: null,
        reasonParams: {},
      });
    }
    for (const p of a.planned ?? []) {
      items.push({
        agenda: a.agenda,
        action: p.kind,
        label: p.label,
        reason: p.reason,
        reasonCode: p.reasonCode,
        reasonParams: { ...p.reasonParams },
      });
    }
  }
  return items;
}
