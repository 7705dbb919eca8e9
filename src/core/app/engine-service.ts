/**
 * The engine behind the tray app: everything the UI can ask (`CrmSyncApi`), in plain Node.
 * The app runs it in the engine host process (src/main/engine-host.ts); tests run it
 * directly. It owns the settings file, the CRM login check and lookups, connection tests,
 * previews, runs (never two at once: one more waits at most), the schedule with pause and
 * wake-ups, the status with progress per agenda, and the history (runs, journal, trash).
 *
 * Failures are reported once: `status.error` carries a failure in the one status update
 * that follows the run where it first happened; the same failure again on the next runs is
 * not repeated (for one notification, not one per interval), a different one or the same
 * after a success or a settings change is.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { openCrmDatabase } from '../crm/database.ts';
import type { CrmDatabase } from '../crm/database.ts';
import { ConfigError, describeCause } from '../errors.ts';
import { codedMessageOf } from '../message-codes.ts';
import type { ServerConnector, ServerFolder } from '../servers/connector.ts';
import { createConnector as createServerConnector } from '../servers/create-connector.ts';
import { ServerError } from '../servers/errors.ts';
import { SecretKey } from '../secrets/secret-store.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { SettingsFileInvalidError, loadSettings, saveSettings } from '../settings/file.ts';
import { readinessProblems } from '../settings/readiness.ts';
import { defaultSettings } from '../settings/schema.ts';
import type { Settings } from '../settings/schema.ts';
import { listTrash, restoreFromTrash } from '../sync/crm-side/index.ts';
import { runError, runSync } from '../sync/engine.ts';
import type { ProgressEvent } from '../sync/engine.ts';
import { finishRun, getRun, listRuns, readJournal, startRun } from '../sync/journal.ts';
import { Poller } from '../sync/poller.ts';
import { withRunLock } from '../sync/run-lock.ts';
import type { RunSummary } from '../sync/summary.ts';
import type {
  AgendaProgress,
  AppInfo,
  ConnectionSecret,
  ConnectionTest,
  CrmLookups,
  FieldProblem,
  GuardChoice,
  JournalItem,
  Outcome,
  PlannedItem,
  RunBrief,
  ServerFolderInfo,
  SyncStatus,
  TrashItem,
} from '../../shared/app-api.ts';
import type { EngineApi, EngineAppApi } from '../../shared/engine-protocol.ts';
import { checkCrmLogin, checkImportedStatus, crmLookups } from './crm-access.ts';
import {
  GENERAL_FIELD,
  SERVER_PASSWORD_FIELD,
  fieldNamedIn,
  readinessFieldProblems,
  serverProblem,
  settingsIssueProblems,
  validateSettings,
} from './field-problems.ts';
import { loadAppState, saveAppState } from './app-state.ts';
import { OverlaySecretStore } from './overlay-secret-store.ts';
import { briefOfRun, failureOf, plannedItems, runFailure, unrecordedBrief } from './run-brief.ts';
import type { Failure } from './run-brief.ts';
import { RunQueue } from './run-queue.ts';

export type ConnectorFactory = (
  settings: Settings,
  secrets: SecretStore,
) => Promise<ServerConnector>;
export type SetTimer = (fn: () => void, ms: number) => { cancel(): void };

export interface EngineServiceOptions {
  /** The settings file (it need not exist yet: the wizard creates it). */
  settingsFile: string;
  /** Where the server password lives (in the app: main's safeStorage, over the port). */
  secrets: SecretStore;
  appInfo: AppInfo;
  /** The clock (runs' day window, nextRunAt). */
  now?: () => Date;
  /** How a server connector is made (tests wrap the real one). */
  createConnector?: ConnectorFactory;
  /** The schedule's timer (tests drive it by hand). */
  setTimer?: SetTimer;
  /**
   * Where the app remembers pause across restarts (app-state.ts); default: app-state.json
   * next to the settings file. Main puts it in the app's user data folder.
   */
  stateFile?: string;
}

interface RunOutcome {
  /** False when the server could not be reached: the schedule retries sooner. */
  reachable: boolean;
  /** The sentence for a notification (and its code), or null when the run went well. */
  failure: Failure | null;
}

type Failed = { ok: false; problems: FieldProblem[] };
const failed = (problems: FieldProblem[]): Failed => ({ ok: false, problems });
const general = (message: string): Failed => failed([{ field: GENERAL_FIELD, message }]);

/** Progress updates (one per item written) reach listeners at most this often. */
const PROGRESS_EMIT_MS = 100;

const defaultSetTimer: SetTimer = (fn, ms) => {
  const timer = setTimeout(fn, ms);
  timer.unref();
  return { cancel: () => clearTimeout(timer) };
};

export class EngineService implements EngineAppApi, EngineApi {
  readonly #settingsFile: string;
  readonly #secrets: SecretStore;
  readonly #appInfo: AppInfo;
  readonly #now: () => Date;
  readonly #createConnector: ConnectorFactory;
  readonly #setTimer: SetTimer;

  readonly #listeners = new Set<(status: SyncStatus) => void>();
  readonly #queue = new RunQueue<RunOutcome>();

  /** Settings as last read; null when there is no valid settings file. */
  #settings: Settings | null = null;
  #settingsExist = false;
  /** Why #settings is null (no file yet, invalid file). */
  #settingsProblem: string | null = null;
  /** The same, with codes for the app (SyncStatus.problemDetails). */
  #settingsProblemDetails: FieldProblem[] = [];

  #started = false;
  #stopped = false;
  #paused = false;
  readonly #stateFile: string;
  #syncing = false;
  #progress: AgendaProgress[] = [];
  #progressTimer: ReturnType<typeof setTimeout> | null = null;
  #lastRun: RunBrief | null = null;
  /** Whether the last run failed (the tray shows the error state). */
  #failing = false;
  /** The failure last reported; a run failing the same way again is not news. */
  #reportedFailure: string | null = null;
  /** A new failure, carried by the next status update only. */
  #pendingError: Failure | null = null;

  #poller: Poller | null = null;
  #pollerIntervalMs = 0;
  #nextRunAt: { at: string; token: object } | null = null;
  /** Why the poller's next run happens ('schedule' unless a wake-up or resume asked). */
  #nextTrigger = 'schedule';

  constructor(options: EngineServiceOptions) {
    this.#settingsFile = resolve(options.settingsFile);
    this.#secrets = options.secrets;
    this.#appInfo = options.appInfo;
    this.#now = options.now ?? (() => new Date());
    this.#createConnector =
      options.createConnector ?? ((settings, secrets) => createServerConnector(settings, secrets));
    this.#setTimer = options.setTimer ?? defaultSetTimer;
    this.#stateFile = resolve(
      options.stateFile ?? join(dirname(this.#settingsFile), 'app-state.json'),
    );
    // Paused before the last quit: still paused (no run at start, the tray says so).
    this.#paused = loadAppState(this.#stateFile).paused;
    this.#reloadSettings();
  }

  // --- Life cycle (the engine host) -------------------------------------------------------

  /** Reads the last run and starts the schedule: a run now, then every interval. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#stopped = false;
    this.#reloadSettings();
    this.#lastRun = this.#readLastRun();
    this.#nextTrigger = 'startup';
    this.#reschedule(true);
    if (!this.#poller) this.#nextTrigger = 'schedule'; // not configured: no run at startup
    this.#emit();
  }

  /** Stops the schedule and waits for the run under way (if any) to end. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#started = false;
    this.#stopPoller();
    await this.#queue.idle();
    this.#clearProgressTimer();
  }

  async wake(): Promise<void> {
    if (!this.#poller) return;
    this.#nextTrigger = 'wake';
    this.#poller.trigger();
  }

  // --- CrmSyncApi ---------------------------------------------------------------------------

  async appInfo(): Promise<AppInfo> {
    return { ...this.#appInfo };
  }

  async getSettings(): Promise<{ exists: boolean; settings: Settings }> {
    this.#refresh();
    if (!this.#settingsExist) return { exists: false, settings: defaultSettings() };
    if (!this.#settings) throw new ConfigError(this.#settingsProblem ?? 'Settings unreadable.');
    return { exists: true, settings: this.#settings };
  }

  async saveSettings(input: Settings): Promise<Outcome> {
    const checked = validateSettings(input);
    if (!checked.ok) return checked;
    const status = checked.settings.agendas.events.importedStatus;
    if (status !== this.#settings?.agendas.events.importedStatus) {
      const path = this.#absolute(checked.settings.crm.databasePath);
      const statusChecked = checkImportedStatus(path, status);
      if (!statusChecked.ok) return statusChecked;
    }
    try {
      saveSettings(this.#settingsFile, checked.settings);
    } catch (err) {
      return general(describeCause(err));
    }
    const oldDatabase = this.#settings?.crm.databasePath;
    this.#settings = checked.settings;
    this.#settingsExist = true;
    this.#settingsProblem = null;
    this.#settingsProblemDetails = [];
    // The user changed something: a failure after this is news again.
    this.#reportedFailure = null;
    if (oldDatabase !== checked.settings.crm.databasePath) this.#lastRun = this.#readLastRun();
    // Just configured (the wizard's end): no run yet. As in the tool we replace, the first
    // synchronisation starts on the user's "Synchronize now" (after the wizard's dry-run
    // preview, and after the password is stored); then it repeats on the interval.
    this.#reschedule(false);
    this.#emit();
    return { ok: true };
  }

  async checkCrmLogin(input: {
    databasePath: string;
    user: string;
    password: string;
  }): Promise<Outcome> {
    return checkCrmLogin(this.#absolute(input.databasePath), input.user, input.password);
  }

  async crmLookups(databasePath: string): Promise<Outcome<CrmLookups>> {
    return crmLookups(this.#absolute(databasePath));
  }

  async testConnection(input: ConnectionTest): Promise<Outcome<ServerFolderInfo[]>> {
    const base = this.#settings ?? defaultSettings();
    const candidate: Settings = { ...base, connection: input.connection };
    const missing = readinessFieldProblems(candidate).filter((p) =>
      p.field.startsWith('connection.'),
    );
    if (missing.length) return failed(missing);
    const key = secretKeyOf(candidate);
    const stored = await this.#secrets.get(key);
    if (input.password === '' && !stored) {
      const token = key === SecretKey.serverToken;
      const what = token ? 'access token' : 'password';
      const code = token ? 'server-token-empty' : 'server-password-empty';
      return failed([
        { field: SERVER_PASSWORD_FIELD, message: `Enter the ${what}.`, code, params: {} },
      ]);
    }
    // What is being tested is used in memory only, over the stored secrets.
    const testing: Record<string, string> = {};
    if (input.password !== '') testing[key] = input.password;
    if ((input.proxyPassword ?? '') !== '') {
      testing[SecretKey.proxyPassword] = input.proxyPassword ?? '';
    }
    const secrets =
      Object.keys(testing).length === 0
        ? this.#secrets
        : new OverlaySecretStore(this.#secrets, testing);
    const listed = await this.#folders(candidate, secrets);
    if (!listed.ok) return listed;
    const folders = listed.value;
    const kind = candidate.connection.kind;
    const user = userOf(candidate);
    if (folders.length === 0) {
      return failed([
        serverProblem(
          `The server has no calendars or address books for ${user}; create one on the server (or check the address).`,
          kind,
          { code: 'no-folders', params: { user: loginOf(candidate) } },
        ),
      ]);
    }
    const calendarsWanted = candidate.agendas.events.enabled || candidate.agendas.tasks.enabled;
    if (
      calendarsWanted &&
      !folders.some((f) => f.kinds.includes('events') || f.kinds.includes('tasks'))
    ) {
      return failed([
        serverProblem(
          `The server has no calendars for ${user}; create one on the server (or check the address).`,
          kind,
          { code: 'no-calendars', params: { user: loginOf(candidate) } },
        ),
      ]);
    }
    return { ok: true, value: folders };
  }

  async setServerPassword(password: string, secret: ConnectionSecret = 'server'): Promise<void> {
    const key =
      secret === 'proxy'
        ? SecretKey.proxyPassword
        : secretKeyOf(this.#settings ?? defaultSettings());
    if (password === '') await this.#secrets.delete(key);
    else await this.#secrets.set(key, password);
    this.#reportedFailure = null;
  }

  async listServerCategories(): Promise<Outcome<string[]>> {
    this.#refresh();
    const settings = this.#settings;
    if (!settings) return general(this.#settingsProblem ?? 'There are no settings yet.');
    let connector: ServerConnector | undefined;
    try {
      connector = await this.#createConnector(settings, this.#secrets);
      // A server without a category list (CalDAV) offers none: the user types the names.
      const names = connector.listCategories ? await connector.listCategories() : [];
      const unique = [...new Set(names.map((n) => n.trim()).filter((n) => n !== ''))];
      return { ok: true, value: unique.sort((a, b) => a.localeCompare(b)) };
    } catch (err) {
      return failed([this.#problemOf(err, settings)]);
    } finally {
      await connector?.close();
    }
  }

  async listFolders(): Promise<Outcome<ServerFolderInfo[]>> {
    this.#refresh();
    const settings = this.#settings;
    if (!settings) return general(this.#settingsProblem ?? 'There are no settings yet.');
    return this.#folders(settings, this.#secrets);
  }

  async preview(): Promise<Outcome<PlannedItem[]>> {
    this.#refresh();
    const settings = this.#settings;
    if (!settings) return general(this.#settingsProblem ?? 'There are no settings yet.');
    const missing = readinessFieldProblems(settings);
    if (missing.length) return failed(missing);
    return this.#queue.exclusive(async (): Promise<Outcome<PlannedItem[]>> => {
      try {
        const summary = await this.#withDatabaseAsync(settings, (db) =>
          this.#sync(db, settings, 'preview', true),
        );
        return { ok: true, value: plannedItems(summary) };
      } catch (err) {
        return failed([this.#problemOf(err, settings)]);
      }
    });
  }

  async syncNow(choice?: GuardChoice): Promise<{
    accepted: boolean;
    reason?: string;
    reasonCode?: string;
    reasonParams?: Record<string, string | number>;
  }> {
    this.#refresh();
    if (!this.#configured()) {
      const first = this.#problemDetails()[0];
      if (first === undefined) return { accepted: false, reason: 'Settings are not complete.' };
      return {
        accepted: false,
        reason: first.message,
        ...(first.code === undefined
          ? {}
          : { reasonCode: first.code, reasonParams: { ...first.params } }),
      };
    }
    const request = this.#queue.request(() => this.#runOnce('manual', choice));
    if (!request.accepted) {
      return {
        accepted: false,
        reason: 'A synchronisation is running and another one is already waiting.',
        reasonCode: 'run-already-waiting',
        reasonParams: {},
      };
    }
    return { accepted: true };
  }

  async pause(): Promise<void> {
    this.#paused = true;
    this.#rememberPause();
    this.#stopPoller();
    this.#emit();
  }

  async resume(): Promise<void> {
    if (!this.#paused) return;
    this.#paused = false;
    this.#rememberPause();
    this.#nextTrigger = 'resume';
    this.#reschedule(true);
    this.#emit();
  }

  async status(): Promise<SyncStatus> {
    this.#refresh();
    return this.#snapshot();
  }

  #rememberPause(): void {
    try {
      saveAppState(this.#stateFile, { paused: this.#paused });
    } catch (err) {
      // Pause works for this session all the same; only the next start would not know.
      console.warn(`The pause could not be remembered in ${this.#stateFile}`, err);
    }
  }

  onStatus(listener: (status: SyncStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  async listRuns(limit: number): Promise<RunBrief[]> {
    return this.#read([], (db) => listRuns(db, limit).map(briefOfRun));
  }

  async journal(filter: {
    runId?: number;
    text?: string;
    conflictsOnly?: boolean;
    limit?: number;
  }): Promise<JournalItem[]> {
    return this.#read([], (db) =>
      readJournal(db, {
        ...(filter.runId === undefined ? {} : { runId: filter.runId }),
        ...(filter.text ? { text: filter.text } : {}),
        ...(filter.conflictsOnly ? { conflictsOnly: true } : {}),
        limit: filter.limit ?? 500,
      }).map((e) => ({
        id: e.id,
        runId: e.runId,
        at: e.at,
        agenda: e.agenda,
        action: e.action,
        label: e.label,
        reason: e.reason,
        reasonCode: e.reasonCode,
        reasonParams: e.reasonParams,
        outcome: e.outcome,
        error: e.error,
        conflict: e.conflict,
      })),
    );
  }

  async listTrash(): Promise<TrashItem[]> {
    return this.#read([], (db) =>
      listTrash(db, { includeRestored: true, limit: 1000 }).map((e) => ({
        id: e.id,
        entity: e.entity,
        label: e.label,
        reason: e.reason,
        deletedAt: e.deletedAt,
        restoredAt: e.restoredAt,
      })),
    );
  }

  async restoreTrash(id: number): Promise<Outcome> {
    this.#refresh();
    const settings = this.#settings;
    if (!settings) return general(this.#settingsProblem ?? 'There are no settings yet.');
    try {
      this.#withDatabase(settings, (db) => restoreFromTrash(db, id));
      return { ok: true };
    } catch (err) {
      return general(describeCause(err));
    }
  }

  // --- Runs ---------------------------------------------------------------------------------

  /** One run, start to end; never rejects (the outcome says how it went). */
  async #runOnce(trigger: string, choice?: GuardChoice): Promise<RunOutcome> {
    const startedAt = this.#now();
    this.#syncing = true;
    this.#progress = [];
    this.#emit();
    let outcome: RunOutcome;
    let brief: RunBrief | null;
    try {
      this.#reloadSettings();
      const settings = this.#settings;
      if (!settings) throw new ConfigError(this.#settingsProblem ?? 'There are no settings yet.');
      const missing = readinessProblems(settings);
      if (missing[0]) throw new ConfigError(`The settings are not complete: ${missing[0]}`);
      const result = await this.#withDatabaseAsync(settings, async (db) => {
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
      outcome = { reachable: true, failure: failureOf(result.summary) };
      brief = result.brief;
    } catch (err) {
      const cause = err instanceof RunFailure ? err.cause : err;
      const message = describeCause(cause);
      outcome = {
        reachable: !(cause instanceof ServerError && cause.transient),
        failure: runFailure(cause, message),
      };
      brief =
        (err instanceof RunFailure ? err.brief : null) ??
        unrecordedBrief(trigger, startedAt, this.#now(), message, codedMessageOf(cause));
    }
    this.#syncing = false;
    this.#progress = [];
    this.#clearProgressTimer();
    this.#lastRun = brief;
    this.#noteOutcome(outcome);
    this.#emit();
    // The settings may have changed under us (crm-sync config set): follow the interval.
    if (!this.#stopped) this.#reschedule(false);
    return outcome;
  }

  /** A sync (or with `dryRun` a preview) against the server, progress into the status. */
  async #sync(
    db: CrmDatabase,
    settings: Settings,
    trigger: string,
    dryRun = false,
    /** The user's answer to the guard's last refusal, for this run only. */
    choice?: GuardChoice,
  ): Promise<RunSummary> {
    let connector: ServerConnector;
    try {
      connector = await this.#createConnector(settings, this.#secrets);
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
        now: this.#now(),
        ...(dryRun ? {} : { onProgress: (e: ProgressEvent) => this.#onProgress(e) }),
      });
    } finally {
      await connector.close();
    }
  }

  #onProgress(e: ProgressEvent): void {
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
      this.#emit();
    } else if (!this.#progressTimer) {
      this.#progressTimer = setTimeout(() => {
        this.#progressTimer = null;
        if (this.#syncing) this.#emit();
      }, PROGRESS_EMIT_MS);
    }
  }

  #clearProgressTimer(): void {
    if (this.#progressTimer) clearTimeout(this.#progressTimer);
    this.#progressTimer = null;
  }

  /** Error once: a failure is reported when it is new, not again on every interval. */
  #noteOutcome(outcome: RunOutcome): void {
    this.#failing = outcome.failure !== null;
    if (outcome.failure === null) {
      this.#reportedFailure = null;
      return;
    }
    const { message } = outcome.failure;
    if (message !== this.#reportedFailure) this.#pendingError = outcome.failure;
    this.#reportedFailure = message;
  }

  // --- The schedule -------------------------------------------------------------------------

  /** Starts, adjusts or stops the poller to match settings, pause and life cycle. */
  #reschedule(runNow: boolean): void {
    const settings = this.#settings;
    // schedule.automatic off: no run at start, on the interval or on waking; only when asked.
    const automatic = settings?.schedule.automatic === true;
    if (!this.#started || this.#paused || !settings || !automatic || !this.#configured()) {
      this.#stopPoller();
      return;
    }
    const intervalMs = settings.schedule.intervalMinutes * 60_000;
    if (this.#poller && this.#pollerIntervalMs === intervalMs) {
      if (runNow) this.#poller.trigger();
      return;
    }
    this.#stopPoller();
    const poller = new Poller({
      intervalMs,
      setTimer: (fn, ms) => this.#scheduleTimer(fn, ms),
      run: async () => {
        const trigger = this.#nextTrigger;
        this.#nextTrigger = 'schedule';
        const outcome = await this.#queue.request(() => this.#runOnce(trigger)).done;
        return { reachable: outcome.reachable };
      },
    });
    this.#poller = poller;
    this.#pollerIntervalMs = intervalMs;
    poller.start({ immediately: runNow });
  }

  #scheduleTimer(fn: () => void, ms: number): { cancel(): void } {
    const token = {};
    this.#nextRunAt = { at: new Date(this.#now().getTime() + ms).toISOString(), token };
    const handle = this.#setTimer(() => {
      if (this.#nextRunAt?.token === token) this.#nextRunAt = null;
      fn();
    }, ms);
    if (!this.#syncing) this.#emit();
    return {
      cancel: () => {
        handle.cancel();
        if (this.#nextRunAt?.token === token) this.#nextRunAt = null;
      },
    };
  }

  #stopPoller(): void {
    const poller = this.#poller;
    this.#poller = null;
    this.#nextRunAt = null;
    // Not awaited: a run under way ends on its own; the stopped poller starts no other.
    if (poller) void poller.stop();
  }

  // --- Status -------------------------------------------------------------------------------

  #snapshot(): SyncStatus {
    return {
      state: this.#syncing ? 'syncing' : this.#paused ? 'paused' : this.#failing ? 'error' : 'idle',
      configured: this.#configured(),
      problems: this.#problems(),
      problemDetails: this.#problemDetails(),
      progress: this.#progress.map((p) => ({ ...p })),
      lastRun: this.#lastRun,
      nextRunAt: this.#nextRunAt?.at ?? null,
      error: this.#pendingError?.message ?? null,
      errorDetail: this.#pendingError?.detail ?? null,
    };
  }

  #emit(): void {
    const status = this.#snapshot();
    this.#pendingError = null;
    for (const listener of [...this.#listeners]) {
      try {
        listener(status);
      } catch {
        // A listener's failure must not stop the others or the run's bookkeeping.
      }
    }
  }

  // --- Settings -----------------------------------------------------------------------------

  #reloadSettings(): void {
    if (!existsSync(this.#settingsFile)) {
      this.#settings = null;
      this.#settingsExist = false;
      this.#settingsProblem = `There are no settings yet (${this.#settingsFile}): run the setup wizard.`;
      this.#settingsProblemDetails = [
        {
          field: GENERAL_FIELD,
          message: this.#settingsProblem,
          code: 'settings-none',
          params: { file: this.#settingsFile },
        },
      ];
      return;
    }
    this.#settingsExist = true;
    try {
      this.#settings = loadSettings(this.#settingsFile);
      this.#settingsProblem = null;
      this.#settingsProblemDetails = [];
    } catch (err) {
      this.#settings = null;
      this.#settingsProblem = describeCause(err);
      this.#settingsProblemDetails = settingsFileProblems(err, this.#settingsProblem);
    }
  }

  /** Re-reads the settings (someone may have used `crm-sync config`) and follows them. */
  #refresh(): void {
    this.#reloadSettings();
    this.#reschedule(false);
  }

  /** What stands between the settings and a sync, in sentences naming the key. */
  #problems(): string[] {
    const settings = this.#settings;
    if (!settings) return [this.#settingsProblem ?? 'There are no settings yet.'];
    const problems = readinessProblems(settings);
    if (settings.crm.databasePath !== '') {
      const path = this.#absolute(settings.crm.databasePath);
      if (!existsSync(path)) problems.push(databaseMissing(path).message);
    }
    return problems;
  }

  /** The same as #problems, each with its field and code, for the app to word. */
  #problemDetails(): FieldProblem[] {
    const settings = this.#settings;
    if (!settings) {
      const message = this.#settingsProblem ?? 'There are no settings yet.';
      return this.#settingsProblemDetails.length > 0
        ? this.#settingsProblemDetails.map((p) => ({ ...p }))
        : [{ field: GENERAL_FIELD, message }];
    }
    const problems = readinessFieldProblems(settings);
    if (settings.crm.databasePath !== '') {
      const path = this.#absolute(settings.crm.databasePath);
      if (!existsSync(path)) problems.push(databaseMissing(path));
    }
    return problems;
  }

  #configured(): boolean {
    return this.#settings !== null && this.#problems().length === 0;
  }

  /** A database path as the settings mean it: relative to the settings file's folder. */
  #absolute(path: string): string {
    if (path.trim() === '' || isAbsolute(path)) return path;
    return resolve(dirname(this.#settingsFile), path);
  }

  // --- Helpers ------------------------------------------------------------------------------

  /** Opens the settings' CRM database (migrating it, as the CLI does) for `use`. */
  #openDatabase(settings: Settings): CrmDatabase {
    return openCrmDatabase(this.#absolute(settings.crm.databasePath), { create: false });
  }

  #withDatabase<T>(settings: Settings, use: (db: CrmDatabase) => T): T {
    const db = this.#openDatabase(settings);
    try {
      return use(db);
    } finally {
      db.close();
    }
  }

  async #withDatabaseAsync<T>(
    settings: Settings,
    use: (db: CrmDatabase) => Promise<T>,
  ): Promise<T> {
    const db = this.#openDatabase(settings);
    try {
      return await use(db);
    } finally {
      db.close();
    }
  }

  /** Reads the history; `empty` while there is no database to read it from. */
  #read<T>(empty: T, use: (db: CrmDatabase) => T): T {
    this.#refresh();
    const settings = this.#settings;
    if (!settings || settings.crm.databasePath.trim() === '') return empty;
    if (!existsSync(this.#absolute(settings.crm.databasePath))) return empty;
    return this.#withDatabase(settings, use);
  }

  #readLastRun(): RunBrief | null {
    try {
      return this.#read<RunBrief | null>(null, (db) => {
        const [last] = listRuns(db, 1);
        return last ? briefOfRun(last) : null;
      });
    } catch {
      return null; // the status says what is wrong with the database
    }
  }

  async #folders(
    settings: Settings,
    secrets: SecretStore,
  ): Promise<{ ok: true; value: ServerFolderInfo[] } | Failed> {
    let connector: ServerConnector | undefined;
    try {
      connector = await this.#createConnector(settings, secrets);
      const folders = await connector.listFolders();
      return { ok: true, value: folders.map(folderInfo) };
    } catch (err) {
      return failed([this.#problemOf(err, settings)]);
    } finally {
      await connector?.close();
    }
  }

  #problemOf(err: unknown, settings: Settings): FieldProblem {
    const message = describeCause(err);
    const coded = codedMessageOf(err);
    if (err instanceof ServerError || /not supported by this version/.test(message)) {
      return serverProblem(message, settings.connection.kind, coded);
    }
    const code = coded === undefined ? {} : { code: coded.code, params: coded.params };
    if (err instanceof ConfigError) {
      return { field: fieldNamedIn(message), message, ...code };
    }
    return { field: GENERAL_FIELD, message, ...code };
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

/** The secret the connection's sign-in uses: a token (bearer, OAuth) or the password. */
function secretKeyOf(settings: Settings): string {
  const c = settings.connection;
  const token =
    (c.kind === 'dav' && c.dav.auth === 'bearer') ||
    (c.kind === 'exchange' && c.exchange.auth === 'oauth');
  return token ? SecretKey.serverToken : SecretKey.serverPassword;
}

function loginOf(settings: Settings): string {
  const c = settings.connection;
  return c.kind === 'dav' ? c.dav.user : c.kind === 'exchange' ? c.exchange.user : c.m365.email;
}

function userOf(settings: Settings): string {
  const user = loginOf(settings);
  return user === '' ? 'this account' : `"${user}"`;
}

function folderInfo(f: ServerFolder): ServerFolderInfo {
  return {
    id: f.id,
    displayName: f.displayName,
    path: f.path,
    kinds: [...f.kinds],
    isDefault: f.isDefault,
    ...(f.defaultFor === undefined ? {} : { defaultFor: [...f.defaultFor] }),
  };
}

/** The CRM database the settings name is not there (a readiness problem of the app's). */
function databaseMissing(path: string): FieldProblem {
  return {
    field: 'crm.databasePath',
    message: `crm.databasePath: the CRM database ${path} does not exist.`,
    code: 'readiness-crm-database-missing',
    params: { field: 'crm.databasePath', path },
  };
}

/**
 * Why the settings file cannot be used, for the app: a file that breaks the schema is a
 * heading and each of its problems (coded); any other reason is its English sentence.
 */
function settingsFileProblems(err: unknown, message: string): FieldProblem[] {
  if (!(err instanceof SettingsFileInvalidError)) return [{ field: GENERAL_FIELD, message }];
  return [
    { field: GENERAL_FIELD, message, code: 'settings-file-invalid', params: { file: err.file } },
    ...settingsIssueProblems(err.issues, err.document),
  ];
}
