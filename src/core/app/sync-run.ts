/**
 * One synchronisation as the app runs it: with the settings as they are at its start,
 * under the CRM database's run lock (the CLI and a daemon take it too), recorded in the
 * history even when it fails before it begins; and the dry-run preview the wizard shows.
 */
import type { CrmDatabase } from '../crm/database.ts';
import { ConfigError, describeCause } from '../errors.ts';
import { codedMessageOf } from '../../shared/message-codes.ts';
import type { ServerConnector } from '../servers/connector.ts';
import { ServerError } from '../servers/errors.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { readinessProblems } from '../../shared/settings/readiness.ts';
import type { Settings } from '../../shared/settings/schema.ts';
import { runError, runSync } from '../sync/engine.ts';
import type { ProgressEvent } from '../sync/engine.ts';
import { finishRun, getRun, listRuns, startRun } from '../sync/journal.ts';
import { withRunLock } from '../sync/run-lock.ts';
import type { RunSummary } from '../sync/summary.ts';
import type { GuardChoice, RunBrief } from '../../shared/app-api.ts';
import type { ConnectorFactory } from './connector-factory.ts';
import { withCrmDatabaseAsync } from './crm-file.ts';
import { briefOfRun, failureOf, runFailure, unrecordedBrief } from './run-brief.ts';
import type { Failure } from './run-brief.ts';
import type { SettingsState } from './settings-state.ts';

export interface RunOutcome {
  /** False when the server could not be reached: the schedule retries sooner. */
  reachable: boolean;
  /** The sentence for a notification (and its code), or null when the run went well. */
  failure: Failure | null;
}

export interface SyncRunnerOptions {
  settings: SettingsState;
  secrets: SecretStore;
  createConnector: ConnectorFactory;
  now: () => Date;
  /** Progress of a run (not of a preview). */
  onProgress: (e: ProgressEvent) => void;
}

export class SyncRunner {
  readonly #options: SyncRunnerOptions;

  constructor(options: SyncRunnerOptions) {
    this.#options = options;
  }

  /**
   * One run, start to end, and the brief of the run record it left (or of the failure that
   * kept it from being recorded); never rejects.
   */
  async run(
    trigger: string,
    startedAt: Date,
    /** The user's answer to the guard's last refusal, for this run only. */
    choice?: GuardChoice,
  ): Promise<{ outcome: RunOutcome; brief: RunBrief | null }> {
    const { settings: state, now } = this.#options;
    try {
      state.reload();
      const settings = state.current;
      if (!settings) throw new ConfigError(state.problem);
      const missing = readinessProblems(settings);
      if (missing[0]) throw new ConfigError(`The settings are not complete: ${missing[0]}`);
      const path = state.absolute(settings.crm.databasePath);
      const result = await withCrmDatabaseAsync(path, async (db) => {
        const before = lastRunId(db);
        try {
          const summary = await withRunLock(db.name, () =>
            this.#sync(db, settings, trigger, false, choice),
          );
          return { summary, brief: briefOf(db, summary.runId) };
        } catch (err) {
          // runSync (or we, below) recorded a run that failed before it began: show that one.
          const after = lastRunId(db);
          throw new RunFailure(err, after > before ? briefOf(db, after) : null);
        }
      });
      return {
        outcome: { reachable: true, failure: failureOf(result.summary) },
        brief: result.brief,
      };
    } catch (err) {
      const cause = err instanceof RunFailure ? err.cause : err;
      const message = describeCause(cause);
      const outcome: RunOutcome = {
        reachable: !(cause instanceof ServerError && cause.transient),
        failure: runFailure(cause, message),
      };
      const brief =
        (err instanceof RunFailure ? err.brief : null) ??
        unrecordedBrief(trigger, startedAt, now(), message, codedMessageOf(cause));
      return { outcome, brief };
    }
  }

  /** What a sync would do with `settings`, changing nothing. */
  async preview(settings: Settings): Promise<RunSummary> {
    const path = this.#options.settings.absolute(settings.crm.databasePath);
    return withCrmDatabaseAsync(path, (db) => this.#sync(db, settings, 'preview', true));
  }

  /** A sync (or with `dryRun` a preview) against the server, progress into the status. */
  async #sync(
    db: CrmDatabase,
    settings: Settings,
    trigger: string,
    dryRun: boolean,
    choice?: GuardChoice,
  ): Promise<RunSummary> {
    const { createConnector, secrets, now, onProgress } = this.#options;
    let connector: ServerConnector;
    try {
      connector = await createConnector(settings, secrets);
    } catch (err) {
      // Recorded like runSync records a server it cannot reach, so the history shows it.
      if (!dryRun) finishRun(db, startRun(db, trigger, false), 'failed', runError(err));
      throw err;
    }
    try {
      return await runSync({
        db,
        settings,
        connector,
        dryRun,
        trigger,
        forceDeletes: choice === 'force-deletes',
        restoreServer: choice === 'restore-server',
        now: now(),
        ...(dryRun ? {} : { onProgress }),
      });
    } finally {
      await connector.close();
    }
  }
}

/** A failed run, with the brief of the run record it left (if any). */
class RunFailure extends Error {
  readonly brief: RunBrief | null;
  constructor(cause: unknown, brief: RunBrief | null) {
    super(describeCause(cause), { cause });
    this.brief = brief;
  }
}

function lastRunId(db: CrmDatabase): number {
  return listRuns(db, 1)[0]?.id ?? 0;
}

function briefOf(db: CrmDatabase, runId: number): RunBrief | null {
  const run = runId > 0 ? getRun(db, runId) : undefined;
  return run ? briefOfRun(run) : null;
}
