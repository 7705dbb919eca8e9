/**
 * The app's run summary counts skipped items by reason, as the CLI does: "12 skipped
 * (private: 8, outside the days: 4)", in each UI language.
 */
import { describe, expect, test } from 'vitest';
import { briefOfRun } from '../../src/core/app/run-brief.ts';
import { ipcContract } from '../../src/shared/ipc-contract.ts';
import { emptyCounts } from '../../src/core/sync/summary.ts';
import { agendaSummary } from '../../src/renderer/components/reason.ts';
import { createI18n } from '../../src/renderer/i18n/index.ts';

function storedRun() {
  const events = {
    ...emptyCounts('events', 'Kalendář'),
    skipped: 13,
    skippedBy: { private: 8, 'outside-days': 4 },
  };
  return briefOfRun({
    id: 7,
    startedAt: '2026-11-20T10:00:00.000Z',
    finishedAt: '2026-11-20T10:00:05.000Z',
    trigger: 'timer',
    dryRun: false,
    status: 'ok',
    summary: { runId: 7, dryRun: false, status: 'ok', agendas: [events] },
  });
}

describe('skipped items in the run summary', () => {
  test('the brief keeps the counts by reason', () => {
    const brief = storedRun();
    expect(brief.agendas[0]).toMatchObject({
      skipped: 13,
      skippedBy: { private: 8, 'outside-days': 4 },
    });
    expect(brief.lines[0]).toContain('13 skipped');
  });

  test('the counts cross to the window: main accepts the brief as its answer to runs:list', () => {
    const answer = ipcContract['runs:list'].response.safeParse([storedRun()]);
    expect(answer.success, answer.error?.message).toBe(true);
  });

  test('worded with their reasons in English, Czech and Russian', () => {
    const agenda = storedRun().agendas[0];
    if (!agenda) throw new Error('no agenda');
    expect(agendaSummary(createI18n('en').t, agenda)).toContain(
      '13 skipped (private: 8, outside the days: 4)',
    );
    expect(agendaSummary(createI18n('cs').t, agenda)).toContain(
      '13 přeskočeno (soukromé: 8, mimo synchronizované dny: 4)',
    );
    expect(agendaSummary(createI18n('ru').t, agenda)).toContain(
      '13 пропущено (личные: 8, вне синхронизируемых дней: 4)',
    );
  });
});
