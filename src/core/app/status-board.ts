/**
 * The status the tray and the main window show (`SyncStatus`), and the listeners it is
 * pushed to: the state, progress per agenda during a run, the last run and a new failure.
 *
 * Failures are reported once: `error` carries a failure in the one status update that
 * follows the run where it first happened; the same failure again on the next runs is not
 * repeated (for one notification, not one per interval), a different one or the same after
 * a success or a settings change is.
 */
import type { ProgressEvent } from '../sync/engine.ts';
import type { AgendaProgress, FieldProblem, RunBrief, SyncStatus } from '../../shared/app-api.ts';
import type { Failure } from './run-brief.ts';

/** Progress updates (one per item written) reach listeners at most this often. */
const PROGRESS_EMIT_MS = 100;

/** What the status shows that other parts of the engine know. */
export interface StatusSources {
  syncing(): boolean;
  paused(): boolean;
  nextRunAt(): string | null;
  /** The settings are complete and the CRM database is there. */
  configured(): boolean;
  problems(): string[];
  problemDetails(): FieldProblem[];
}

export class StatusBoard {
  readonly #sources: StatusSources;
  readonly #listeners = new Set<(status: SyncStatus) => void>();
  #progress: AgendaProgress[] = [];
  #progressTimer: ReturnType<typeof setTimeout> | null = null;
  #lastRun: RunBrief | null = null;
  /** Whether the last run failed (the tray shows the error state). */
  #failing = false;
  /** The failure last reported; a run failing the same way again is not news. */
  #reportedFailure: string | null = null;
  /** A new failure, carried by the next status update only. */
  #pendingError: Failure | null = null;

  constructor(sources: StatusSources) {
    this.#sources = sources;
  }

  onStatus(listener: (status: SyncStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  snapshot(): SyncStatus {
    const s = this.#sources;
    return {
      state: s.syncing() ? 'syncing' : s.paused() ? 'paused' : this.#failing ? 'error' : 'idle',
      configured: s.configured(),
      problems: s.problems(),
      problemDetails: s.problemDetails(),
      progress: this.#progress.map((p) => ({ ...p })),
      lastRun: this.#lastRun,
      nextRunAt: s.nextRunAt(),
      error: this.#pendingError?.message ?? null,
      errorDetail: this.#pendingError?.detail ?? null,
    };
  }

  /** Pushes the status to every listener; a pending failure goes out with it, once. */
  emit(): void {
    const status = this.snapshot();
    this.#pendingError = null;
    for (const listener of [...this.#listeners]) {
      try {
        listener(status);
      } catch {
        // A listener's failure must not stop the others or the run's bookkeeping.
      }
    }
  }

  setLastRun(brief: RunBrief | null): void {
    this.#lastRun = brief;
  }

  /** The user changed something: a failure after this is news again. */
  forgetReportedFailure(): void {
    this.#reportedFailure = null;
  }

  runStarted(): void {
    this.#progress = [];
  }

  /** The run's record and its failure (null when it went well). */
  runEnded(brief: RunBrief | null, failure: Failure | null): void {
    this.#progress = [];
    this.#clearProgressTimer();
    this.#lastRun = brief;
    this.#noteFailure(failure);
  }

  /** An item written or a phase begun; a new phase is pushed at once, items at most 10/s. */
  onProgress(e: ProgressEvent): void {
    const entry: AgendaProgress = {
      agenda: e.agenda,
      folder: e.folder,
      phase: e.phase,
      done: e.done,
      total: e.total,
    };
    const index = this.#progress.findIndex((p) => p.agenda === e.agenda && p.folder === e.folder);
    const phaseChanged = index < 0 || this.#progress[index]?.phase !== e.phase;
    if (index < 0) this.#progress.push(entry);
    else this.#progress[index] = entry;
    if (phaseChanged) {
      this.#clearProgressTimer();
      this.emit();
    } else if (!this.#progressTimer) {
      this.#progressTimer = setTimeout(() => {
        this.#progressTimer = null;
        if (this.#sources.syncing()) this.emit();
      }, PROGRESS_EMIT_MS);
    }
  }

  stop(): void {
    this.#clearProgressTimer();
  }

  #clearProgressTimer(): void {
    if (this.#progressTimer) clearTimeout(this.#progressTimer);
    this.#progressTimer = null;
  }

  /** Error once: a failure is reported when it is new, not again on every interval. */
  #noteFailure(failure: Failure | null): void {
    this.#failing = failure !== null;
    if (failure === null) {
      this.#reportedFailure = null;
      return;
    }
    const { message } = failure;
    if (message !== this.#reportedFailure) this.#pendingError = failure;
    this.#reportedFailure = message;
  }
}
