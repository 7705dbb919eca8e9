/**
 * The engine behind the tray app: everything the UI can ask (`EngineAppApi`) and `wake`,
 * in plain Node. The app runs it in the engine host process; tests run it directly. It
 * holds no state of its own and wires the parts that do, each with one job: the settings
 * file (settings-state.ts), the schedule, pause, wake and the run queue (scheduler.ts),
 * the status and its listeners (status-board.ts), one run and the preview (sync-run.ts),
 * runs, journal and trash (history.ts), the server's folders and categories
 * (connection-test.ts), the CRM login and lookups (crm-access.ts).
 *
 * Every request re-reads the settings (`crm-sync config` may have changed them) and the
 * schedule follows them.
 */
import { dirname, join, resolve } from 'node:path';
import { secretKeyOf } from '../servers/registry.ts';
import { SecretKey } from '../secrets/secret-store.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { defaultSettings } from '../../shared/settings/schema.ts';
import type { Settings } from '../../shared/settings/schema.ts';
import type {
  AgendaKind,
  AppInfo,
  ConnectionSecret,
  ConnectionTest,
  CrmLookups,
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
import { loadAppState } from './app-state.ts';
import { ConnectionTests } from './connection-test.ts';
import { defaultConnectorFactory } from './connector-factory.ts';
import type { ConnectorFactory } from './connector-factory.ts';
import { checkCrmLogin, crmLookups } from './crm-access.ts';
import { readinessFieldProblems } from './field-problems.ts';
import { History } from './history.ts';
import type { JournalFilter } from './history.ts';
import { failed, general, problemOf } from './outcomes.ts';
import { plannedItems } from './run-brief.ts';
import { Scheduler } from './scheduler.ts';
import type { SetTimer } from './scheduler.ts';
import { SettingsState } from './settings-state.ts';
import { StatusBoard } from './status-board.ts';
import { SyncRunner } from './sync-run.ts';
import type { RunOutcome } from './sync-run.ts';

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

export class EngineService implements EngineAppApi, EngineApi {
  readonly #appInfo: AppInfo;
  readonly #secrets: SecretStore;
  readonly #now: () => Date;
  readonly #settings: SettingsState;
  readonly #scheduler: Scheduler<RunOutcome>;
  readonly #board: StatusBoard;
  readonly #runner: SyncRunner;
  readonly #history: History;
  readonly #connections: ConnectionTests;

  constructor(options: EngineServiceOptions) {
    this.#appInfo = options.appInfo;
    this.#secrets = options.secrets;
    this.#now = options.now ?? (() => new Date());
    const createConnector = options.createConnector ?? defaultConnectorFactory;
    const settings = new SettingsState(options.settingsFile);
    this.#settings = settings;
    const stateFile = resolve(options.stateFile ?? join(dirname(settings.file), 'app-state.json'));
    const scheduler = new Scheduler<RunOutcome>({
      // Paused before the last quit: still paused (no run at start, the tray says so).
      paused: loadAppState(stateFile).paused,
      stateFile,
      ...(options.setTimer ? { setTimer: options.setTimer } : {}),
      now: this.#now,
      run: (trigger) => this.#runOnce(trigger),
      onNextRunAt: () => this.#board.emit(),
    });
    this.#scheduler = scheduler;
    const board = new StatusBoard({
      syncing: () => scheduler.state.run === 'syncing',
      paused: () => scheduler.state.paused,
      nextRunAt: () => scheduler.nextRunAt,
      configured: () => settings.configured(),
      problems: () => settings.problems(),
      problemDetails: () => settings.problemDetails(),
    });
    this.#board = board;
    this.#runner = new SyncRunner({
      settings,
      secrets: options.secrets,
      createConnector,
      now: this.#now,
      onProgress: (e) => board.onProgress(e),
    });
    this.#history = new History(settings, () => this.#refresh());
    this.#connections = new ConnectionTests(
      options.secrets,
      createConnector,
      () => settings.current,
    );
  }

  // --- Life cycle (the engine host) -------------------------------------------------------

  /** Reads the last run and starts the schedule: a run now, then every interval. */
  start(): void {
    if (!this.#scheduler.start()) return;
    this.#settings.reload();
    // Reading the history re-reads the settings, and the schedule follows them.
    this.#board.setLastRun(this.#history.lastRun());
    this.#scheduler.runAtStart(this.#settings.automaticIntervalMs());
    this.#board.emit();
  }

  /** Stops the schedule and waits for the run under way (if any) to end. */
  async stop(): Promise<void> {
    await this.#scheduler.stop();
    this.#board.stop();
  }

  async wake(): Promise<void> {
    this.#scheduler.wake();
  }

  // --- Settings and the wizard --------------------------------------------------------------

  async appInfo(): Promise<AppInfo> {
    return { ...this.#appInfo };
  }

  async getSettings(): Promise<{ exists: boolean; settings: Settings }> {
    this.#refresh();
    return this.#settings.forEditing();
  }

  async saveSettings(input: Settings): Promise<Outcome> {
    const saved = this.#settings.save(input);
    if (!saved.ok) return saved;
    // The user changed something: a failure after this is news again.
    this.#board.forgetReportedFailure();
    if (saved.value.databaseChanged) this.#board.setLastRun(this.#history.lastRun());
    // Just configured (the wizard's end): no run yet. As in the tool we replace, the first
    // synchronisation starts on the user's "Synchronize now" (after the wizard's dry-run
    // preview, and after the password is stored); then it repeats on the interval.
    this.#scheduler.follow(this.#settings.automaticIntervalMs());
    this.#board.emit();
    return { ok: true };
  }

  async checkCrmLogin(input: {
    databasePath: string;
    user: string;
    password: string;
  }): Promise<Outcome> {
    return checkCrmLogin(this.#settings.absolute(input.databasePath), input.user, input.password);
  }

  async crmLookups(databasePath: string): Promise<Outcome<CrmLookups>> {
    return crmLookups(this.#settings.absolute(databasePath));
  }

  async testConnection(input: ConnectionTest): Promise<Outcome<ServerFolderInfo[]>> {
    return this.#connections.test(input);
  }

  async createServerFolder(
    input: ConnectionTest,
    kind: AgendaKind,
    name: string,
  ): Promise<Outcome<ServerFolderInfo[]>> {
    return this.#connections.createFolder(input, kind, name);
  }

  async setServerPassword(password: string, secret: ConnectionSecret = 'server'): Promise<void> {
    const key =
      secret === 'proxy'
        ? SecretKey.proxyPassword
        : secretKeyOf(this.#settings.current ?? defaultSettings());
    if (password === '') await this.#secrets.delete(key);
    else await this.#secrets.set(key, password);
    this.#board.forgetReportedFailure();
  }

  async listServerCategories(): Promise<Outcome<string[]>> {
    this.#refresh();
    const settings = this.#settings.current;
    if (!settings) return general(this.#settings.problem);
    return this.#connections.listCategories(settings);
  }

  async listFolders(): Promise<Outcome<ServerFolderInfo[]>> {
    this.#refresh();
    const settings = this.#settings.current;
    if (!settings) return general(this.#settings.problem);
    return this.#connections.listFolders(settings);
  }

  // --- Runs and the schedule ----------------------------------------------------------------

  async preview(): Promise<Outcome<PlannedItem[]>> {
    this.#refresh();
    const settings = this.#settings.current;
    if (!settings) return general(this.#settings.problem);
    const missing = readinessFieldProblems(settings);
    if (missing.length) return failed(missing);
    return this.#scheduler.exclusive(async (): Promise<Outcome<PlannedItem[]>> => {
      try {
        return { ok: true, value: plannedItems(await this.#runner.preview(settings)) };
      } catch (err) {
        return failed([problemOf(err, settings)]);
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
    if (!this.#settings.configured()) {
      const first = this.#settings.problemDetails()[0];
      if (first === undefined) return { accepted: false, reason: 'Settings are not complete.' };
      return {
        accepted: false,
        reason: first.message,
        ...(first.code === undefined
          ? {}
          : { reasonCode: first.code, reasonParams: { ...first.params } }),
      };
    }
    const request = this.#scheduler.request(() => this.#runOnce('manual', choice));
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
    this.#scheduler.pause();
    this.#board.emit();
  }

  async resume(): Promise<void> {
    if (!this.#scheduler.state.paused) return;
    this.#scheduler.resume(this.#settings.automaticIntervalMs());
    this.#board.emit();
  }

  // --- Status and history -------------------------------------------------------------------

  async status(): Promise<SyncStatus> {
    this.#refresh();
    return this.#board.snapshot();
  }

  onStatus(listener: (status: SyncStatus) => void): () => void {
    return this.#board.onStatus(listener);
  }

  async listRuns(limit: number): Promise<RunBrief[]> {
    return this.#history.listRuns(limit);
  }

  async journal(filter: JournalFilter): Promise<JournalItem[]> {
    return this.#history.journal(filter);
  }

  async listTrash(): Promise<TrashItem[]> {
    return this.#history.listTrash();
  }

  async restoreTrash(id: number): Promise<Outcome> {
    return this.#history.restoreTrash(id);
  }

  // --- Inside -------------------------------------------------------------------------------

  /** One run, start to end, reported in the status; never rejects. */
  async #runOnce(trigger: string, choice?: GuardChoice): Promise<RunOutcome> {
    const startedAt = this.#now();
    this.#scheduler.runStarted();
    this.#board.runStarted();
    this.#board.emit();
    const { outcome, brief } = await this.#runner.run(trigger, startedAt, choice);
    this.#scheduler.runEnded();
    this.#board.runEnded(brief, outcome.failure);
    this.#board.emit();
    // The settings may have changed under us (crm-sync config set): follow the interval.
    this.#scheduler.afterRun(this.#settings.automaticIntervalMs());
    return outcome;
  }

  /** Re-reads the settings (someone may have used `crm-sync config`) and follows them. */
  #refresh(): void {
    this.#settings.reload();
    this.#scheduler.follow(this.#settings.automaticIntervalMs());
  }
}
