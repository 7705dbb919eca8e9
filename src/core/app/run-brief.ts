/**
 * What the app shows of a run: a few lines per agenda like the CLI's summary, the items
 * that failed, the plan of a preview, and the one sentence a failure notification carries.
 */
import { z } from 'zod';
import type { AgendaBrief, FailureDetail, PlannedItem, RunBrief } from '../../shared/app-api.ts';
import { codedMessageOf } from '../../shared/message-codes.ts';
import type { CodedMessage } from '../../shared/message-codes.ts';
import type { RunRecord } from '../sync/journal.ts';
import type { RunSummary } from '../sync/summary.ts';

/** The part of a stored summary (sync_runs.summary, JSON) the brief reads. */
const counts = z.object({ created: z.number(), updated: z.number(), deleted: z.number() });
const params = z.record(z.string(), z.union([z.string(), z.number()]));
/** A code stored with a sentence (runs recorded before codes existed have none). */
const coded = z
  .object({ code: z.string(), params: params.default({}) })
  .optional()
  .catch(undefined);
const StoredAgendaSchema = z.object({
  agenda: z.string(),
  folder: z.string(),
  crm: counts,
  server: counts,
  linked: z.number().default(0),
  untracked: z.number().default(0),
  skipped: z.number().default(0),
  skippedBy: z.record(z.string(), z.number()).default({}),
  conflicts: z.number().optional(),
  failed: z
    .array(
      z.object({
        label: z.string(),
        cause: z.string(),
        code: z.string().optional(),
        params: params.optional(),
      }),
    )
    .default([]),
  refused: z.string().optional(),
  refusedCode: coded,
  aborted: z.string().optional(),
  abortedCode: coded,
});
type StoredAgenda = z.infer<typeof StoredAgendaSchema>;
const StoredSummarySchema = z.union([
  z.object({ agendas: z.array(StoredAgendaSchema) }),
  /** A run that ended before it began (server unreachable, wrong password...). */
  z.object({ error: z.string(), errorCode: coded }),
]);

/** One line for an agenda's folder: "events (Calendar): CRM +2 ~1 -0; server +0 ~3 -0". */
export function agendaLine(a: StoredAgenda): string {
  const head = `${a.agenda} (${a.folder})`;
  if (a.aborted) return `${head}: not synchronised: ${a.aborted}`;
  if (a.refused) return `${head}: refused: ${a.refused}`;
  const conflicts = a.conflicts ? `, ${a.conflicts} conflicts` : '';
  const failed = a.failed.length ? `, ${a.failed.length} failed` : '';
  const skipped = a.skipped ? `, ${a.skipped} skipped` : '';
  return (
    `${head}: CRM +${a.crm.created} ~${a.crm.updated} -${a.crm.deleted}; ` +
    `server +${a.server.created} ~${a.server.updated} -${a.server.deleted}${conflicts}${skipped}${failed}`
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
    skippedBy: { ...a.skippedBy },
    conflicts: a.conflicts ?? 0,
    failed: a.failed.length,
    refused: a.refused ?? null,
    ...(a.refused && a.refusedCode
      ? { refusedCode: a.refusedCode.code, refusedParams: { ...a.refusedCode.params } }
      : {}),
    aborted: a.aborted ?? null,
    ...(a.aborted && a.abortedCode
      ? { abortedCode: a.abortedCode.code, abortedParams: { ...a.abortedCode.params } }
      : {}),
  };
}

function failedItem(f: StoredAgenda['failed'][number]): RunBrief['failedItems'][number] {
  return {
    label: f.label,
    cause: f.cause,
    ...(f.code === undefined ? {} : { code: f.code, params: { ...(f.params ?? {}) } }),
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
      const code = parsed.data.errorCode;
      if (code) Object.assign(brief, { errorCode: code.code, errorParams: { ...code.params } });
    } else {
      for (const a of parsed.data.agendas) {
        brief.lines.push(agendaLine(a));
        brief.agendas.push(agendaBrief(a));
        for (const f of a.failed) brief.failedItems.push(failedItem(f));
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
  code?: CodedMessage,
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
    ...(code === undefined ? {} : { errorCode: code.code, errorParams: { ...code.params } }),
  };
}

/** A failure's sentence (English) and, when its cause has a code, the parts to word it. */
export interface Failure {
  message: string;
  detail: FailureDetail | null;
}

/**
 * The sentence a notification shows when a run did not end well, or null when it did:
 * the first folder that could not be synchronised, the guard's refusal, or how many items
 * failed with the first of them.
 */
export function failureOf(summary: RunSummary): Failure | null {
  const aborted = summary.agendas.find((a) => a.aborted);
  if (aborted) {
    const where = { agenda: aborted.agenda, folder: aborted.folder };
    return {
      message: `${aborted.agenda} (${aborted.folder}): ${aborted.aborted}`,
      detail: aborted.abortedCode ? { scope: 'aborted', ...where, ...aborted.abortedCode } : null,
    };
  }
  const refused = summary.agendas.find((a) => a.refused);
  if (refused) {
    const where = { agenda: refused.agenda, folder: refused.folder };
    return {
      message: `${refused.agenda} (${refused.folder}): nothing was changed: ${refused.refused}`,
      detail: refused.refusedCode ? { scope: 'refused', ...where, ...refused.refusedCode } : null,
    };
  }
  const failed = summary.agendas.flatMap((a) => a.failed);
  const first = failed[0];
  if (!first) return null;
  const more = failed.length > 1 ? ` (and ${failed.length - 1} more)` : '';
  return {
    message: `${failed.length} item${failed.length === 1 ? '' : 's'} could not be synchronised: "${first.label}": ${first.cause}${more}`,
    detail:
      first.code === undefined
        ? null
        : {
            scope: 'items',
            code: first.code,
            params: { ...(first.params ?? {}) },
            count: failed.length,
            label: first.label,
          },
  };
}

/** A run that failed as a whole (before it began): its sentence and code. */
export function runFailure(err: unknown, message: string): Failure {
  const code = codedMessageOf(err);
  return { message, detail: code ? { scope: 'run', ...code } : null };
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
        ...(a.abortedCode
          ? { errorCode: a.abortedCode.code, errorParams: a.abortedCode.params }
          : {}),
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
        ...(a.refusedCode
          ? { errorCode: a.refusedCode.code, errorParams: a.refusedCode.params }
          : {}),
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
