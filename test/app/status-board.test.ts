/**
 * The status the tray shows, on its own: the state from what the other parts know, a
 * failure told once (one notification, not one per interval), progress pushed at once
 * when a phase begins, and listeners that cannot break each other.
 */
import { describe, expect, it } from 'vitest';
import { StatusBoard } from '../../src/core/app/status-board.ts';
import type { StatusSources } from '../../src/core/app/status-board.ts';
import type { SyncStatus } from '../../src/shared/app-api.ts';

function setUp() {
  const facts = { syncing: false, paused: false, nextRunAt: null as string | null };
  const sources: StatusSources = {
    syncing: () => facts.syncing,
    paused: () => facts.paused,
    nextRunAt: () => facts.nextRunAt,
    configured: () => true,
    problems: () => [],
    problemDetails: () => [],
  };
  const board = new StatusBoard(sources);
  const seen: SyncStatus[] = [];
  board.onStatus((status) => seen.push(status));
  return { board, facts, seen };
}

const failure = (message: string) => ({ message, detail: null });

describe('the status board', () => {
  it('shows syncing over paused over error over idle', () => {
    const { board, facts } = setUp();
    expect(board.snapshot().state).toBe('idle');
    board.runEnded(null, failure('The server refused the password.'));
    expect(board.snapshot().state).toBe('error');
    facts.paused = true;
    expect(board.snapshot().state).toBe('paused');
    facts.syncing = true;
    expect(board.snapshot().state).toBe('syncing');
  });

  it('tells a failure once; again after a success, a settings change or a new failure', () => {
    const { board, seen } = setUp();
    const errors = () => seen.map((s) => s.error);
    const refused = failure('The server refused the password.');

    board.runEnded(null, refused);
    board.emit();
    board.emit();
    board.runEnded(null, refused);
    board.emit();
    expect(errors()).toEqual([refused.message, null, null]);

    board.runEnded(null, null);
    board.emit();
    board.runEnded(null, refused);
    board.emit();
    board.forgetReportedFailure();
    board.runEnded(null, refused);
    board.emit();
    const other = failure('The server cannot be reached.');
    board.runEnded(null, other);
    board.emit();
    expect(errors().slice(3)).toEqual([null, refused.message, refused.message, other.message]);
  });

  it('pushes progress at once when an agenda begins a phase', () => {
    const { board, facts, seen } = setUp();
    facts.syncing = true;
    board.runStarted();
    board.onProgress({ agenda: 'events', folder: 'Calendar', phase: 'reading', done: 0, total: 0 });
    expect(seen.at(-1)?.progress).toEqual([
      { agenda: 'events', folder: 'Calendar', phase: 'reading', done: 0, total: 0 },
    ]);
    board.runEnded(null, null);
    expect(board.snapshot().progress).toEqual([]);
  });

  it('keeps telling the other listeners when one throws, and forgets one that left', () => {
    const { board, seen } = setUp();
    board.onStatus(() => {
      throw new Error('the window is gone');
    });
    const later: SyncStatus[] = [];
    const leave = board.onStatus((status) => later.push(status));
    board.emit();
    leave();
    board.emit();
    expect(seen).toHaveLength(2);
    expect(later).toHaveLength(1);
  });
});
