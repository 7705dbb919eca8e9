/**
 * What the app shows of a run carries the codes of its failures (for the UI's language)
 * next to the English text, and runs recorded before codes existed still read.
 */
import { describe, expect, it } from 'vitest';
import { briefOfRun, failureOf, plannedItems } from '../../src/core/app/run-brief.ts';
import { guardRefusal, guardVerdict } from '../../src/core/sync/guard.ts';
import type { PlannedAction } from '../../src/core/sync/plan.ts';
import { emptyCounts } from '../../src/core/sync/summary.ts';
import type { RunSummary } from '../../src/core/sync/summary.ts';
import type { RunRecord } from '../../src/core/sync/journal.ts';

const run = (summary: unknown, status: RunRecord['status'] = 'failed'): RunRecord => ({
  id: 3,
  startedAt: '2026-11-20T10:00:00.000Z',
  finishedAt: '2026-11-20T10:00:05.000Z',
  trigger: 'schedule',
  dryRun: false,
  status,
  summary,
});

const limits = { maxDeleteShare: 0.3, maxDeleteCount: 5 };
const deletes = (n: number): PlannedAction[] =>
  Array.from(
    { length: n },
    (_, i) =>
      ({ kind: 'delete-crm', crmId: i + 1, label: `item ${i}` }) as unknown as PlannedAction,
  );

describe('coded failures in what the app shows', () => {
  it("the guard's refusal has a code and its numbers, and the same sentence as before", () => {
    const input = {
      actions: deletes(8),
      tracked: 10,
      emptyListing: false,
      folderName: 'Kalendář',
      limits,
    };
    const refusal = guardRefusal(input);
    expect(refusal).toMatchObject({
      code: 'guard-mass-delete-crm',
      params: { count: 8, tracked: 10, percent: 30, limit: 5 },
    });
    expect(refusal?.message).toBe(guardVerdict(input));
    expect(refusal?.message).toMatch(/^The run would delete 8 of 10 synchronised items in the CRM/);
    expect(guardRefusal({ ...input, actions: [], emptyListing: true })?.code).toBe(
      'guard-empty-listing',
    );
    expect(guardRefusal({ ...input, actions: deletes(2) })).toBeNull();
  });

  it('a stored run gives its codes to the brief; the notification sentence gets them too', () => {
    const events = {
      ...emptyCounts('events', 'Práce'),
      refused: 'The run would delete 8 of 10 …',
      refusedCode: { code: 'guard-mass-delete-crm' as const, params: { count: 8, tracked: 10 } },
    };
    const tasks = {
      ...emptyCounts('tasks', 'Úkoly'),
      failed: [
        {
          label: 'Porada',
          cause: 'a.ics is no longer on the server.',
          side: 'server' as const,
          code: 'item-gone' as const,
          params: { item: 'a.ics' },
        },
      ],
    };
    const summary: RunSummary = {
      runId: 3,
      dryRun: false,
      status: 'refused',
      agendas: [events, tasks],
    };
    // Stored as JSON in sync_runs.summary, read back.
    const brief = briefOfRun(run(JSON.parse(JSON.stringify(summary)), 'refused'));
    expect(brief.agendas[0]).toMatchObject({
      refused: 'The run would delete 8 of 10 …',
      refusedCode: 'guard-mass-delete-crm',
      refusedParams: { count: 8, tracked: 10 },
    });
    expect(brief.failedItems).toEqual([
      {
        label: 'Porada',
        cause: 'a.ics is no longer on the server.',
        code: 'item-gone',
        params: { item: 'a.ics' },
      },
    ]);
    expect(failureOf(summary)).toEqual({
      message: 'events (Práce): nothing was changed: The run would delete 8 of 10 …',
      detail: {
        scope: 'refused',
        agenda: 'events',
        folder: 'Práce',
        code: 'guard-mass-delete-crm',
        params: { count: 8, tracked: 10 },
      },
    });
    expect(plannedItems(summary)[0]).toMatchObject({
      action: 'refused',
      errorCode: 'guard-mass-delete-crm',
    });
  });

  it('a run that ended before it began keeps its code; old runs without codes still read', () => {
    const failed = briefOfRun(
      run({
        error: 'Wrong user name or password for https://dav.example.com/ (401 Unauthorized).',
        errorCode: { code: 'auth-failed', params: { server: 'https://dav.example.com/' } },
      }),
    );
    expect(failed).toMatchObject({
      lines: ['Wrong user name or password for https://dav.example.com/ (401 Unauthorized).'],
      errorCode: 'auth-failed',
      errorParams: { server: 'https://dav.example.com/' },
    });

    const old = briefOfRun(run({ error: 'Cannot reach https://dav.example.com.' }));
    expect(old.lines).toEqual(['Cannot reach https://dav.example.com.']);
    expect(old.errorCode).toBeUndefined();
    const oldAgendas = briefOfRun(
      run({
        agendas: [
          {
            ...emptyCounts('events', 'Práce'),
            aborted: 'Cannot reach https://dav.example.com.',
            failed: [{ label: 'x', cause: 'y' }],
          },
        ],
      }),
    );
    expect(oldAgendas.agendas[0]).toMatchObject({
      aborted: 'Cannot reach https://dav.example.com.',
    });
    expect(oldAgendas.agendas[0]?.abortedCode).toBeUndefined();
    expect(oldAgendas.failedItems).toEqual([{ label: 'x', cause: 'y' }]);
  });
});
