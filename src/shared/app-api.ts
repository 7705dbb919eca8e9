/**
 * What the UI can ask of the engine: the typed API the renderer sees as `window.crmSync`.
 * The same interface is implemented by the engine service (src/core/app, plain Node) and
 * reached through main + preload in the app, or through the test bridge in UI tests.
 *
 * Types only (no runtime code), so renderer, preload, main and core can all import it.
 * Main validates every call against the zod schemas in ipc-contract.ts.
 */
import type { Settings } from './settings/schema.ts';
import type { TwoWayAgenda } from './settings/schema.ts';

export type { Settings };
/** An agenda synchronised both ways: events, tasks or contacts. */
export type AgendaKind = TwoWayAgenda;

export interface AppInfo {
  name: string;
  version: string;
  platform: string;
  /** The OS locale ("cs-CZ"), for the default UI language and date formats. */
  locale: string;
}

/** Parameters of a coded message (src/shared/message-codes.ts), never secrets. */
export type MessageParams = Record<string, string | number>;

/** A problem with one field, for showing next to it. */
export interface FieldProblem {
  /**
   * Dotted settings key ("agendas.events.daysPast") or wizard field: "crm.password" (the
   * CRM login check), "connection.password" (the server password or token being tested).
   * "" when the problem concerns no one field (show it above the form).
   */
  field: string;
  /** English. */
  message: string;
  /** The message's code (renderer key error.<code>), when it has one; else show `message`. */
  code?: string;
  params?: MessageParams;
}

export type Outcome<T = undefined> =
  | (T extends undefined ? { ok: true } : { ok: true; value: T })
  | { ok: false; problems: FieldProblem[] };

export type TrayState = 'idle' | 'syncing' | 'error' | 'paused';

export interface AgendaProgress {
  agenda: AgendaKind;
  folder: string;
  phase: 'reading' | 'planning' | 'writing' | 'done';
  done: number;
  total: number;
}

export interface RunBrief {
  id: number;
  startedAt: string;
  finishedAt: string | null;
  /**
   * What started the run. The app: "manual" (Synchronize now), "schedule", "startup",
   * "wake" (resume from sleep, unlock, network back), "resume" (after pause), "settings"
   * (the first run once the settings are complete). The CLI: "cli", "daemon".
   */
  trigger: string;
  status: 'running' | 'ok' | 'partial' | 'failed' | 'refused' | 'interrupted';
  /** One line per agenda, e.g. "events: CRM +2 ~1 -0; server +0 ~3 -0" (English). */
  lines: string[];
  /** The same per agenda as numbers, for the app to word in its language. */
  agendas: AgendaBrief[];
  /** `cause` in English; `code`/`params` (error.<code>) when the cause has a code. */
  failedItems: { label: string; cause: string; code?: string; params?: MessageParams }[];
  /** A run that ended before it began: the code of its one line (lines[0]), if any. */
  errorCode?: string;
  errorParams?: MessageParams;
}

/** The user's answer to a guard refusal (`crm-sync sync --force-deletes / --restore-server`). */
export type GuardChoice = 'force-deletes' | 'restore-server';

export interface SideCountsBrief {
  created: number;
  updated: number;
  deleted: number;
}

/** What a run did in one agenda's folder. */
export interface AgendaBrief {
  agenda: string;
  folder: string;
  crm: SideCountsBrief;
  server: SideCountsBrief;
  linked: number;
  untracked: number;
  skipped: number;
  /** Of `skipped`, the items a filter keeps out, by the filter's code ("private": 8). */
  skippedBy?: Record<string, number>;
  conflicts: number;
  failed: number;
  /** Why the guard refused the folder (nothing was changed), in English. */
  refused: string | null;
  /** The refusal's code (error.<code>) and parameters, when it has one. */
  refusedCode?: string;
  refusedParams?: MessageParams;
  /** Why the folder could not be synchronised at all, in English. */
  aborted: string | null;
  abortedCode?: string;
  abortedParams?: MessageParams;
}

/**
 * SyncStatus.error's parts, for the app to word it in its language: `code`/`params` are the
 * cause (error.<code>); `scope` says what it concerns: the whole run, one folder that was
 * not synchronised (aborted) or refused by the guard, or failed items (`count`, the first
 * one's `label`).
 */
export interface FailureDetail {
  scope: 'run' | 'aborted' | 'refused' | 'items';
  code: string;
  params: MessageParams;
  agenda?: string;
  folder?: string;
  count?: number;
  label?: string;
}

export interface SyncStatus {
  state: TrayState;
  /** Settings exist and are complete enough to sync. */
  configured: boolean;
  /** What is missing before a sync can run (readiness problems), in English. */
  problems: string[];
  /**
   * The same, for the app to word in its language: each with its field and code
   * (error.<code>) where it has one; an invalid settings file is one problem in `problems`
   * but here a heading ('settings-file-invalid') followed by each of its problems.
   */
  problemDetails?: FieldProblem[];
  progress: AgendaProgress[];
  lastRun: RunBrief | null;
  /** UTC ISO of the next scheduled run; null while paused or not configured. */
  nextRunAt: string | null;
  /**
   * A new failure, for one notification ("Wrong user name or password for …"): set in the
   * one status update that follows the run where it first happened, null in all others.
   * The same failure on the next runs is not repeated; a different one, or the same after
   * a good run or a settings/password change, is. `state` stays "error" meanwhile.
   */
  error: string | null;
  /** The same failure's code and parts, when its cause has a code; null with `error` null. */
  errorDetail?: FailureDetail | null;
}

export interface ServerFolderInfo {
  id: string;
  displayName: string;
  path: string;
  kinds: AgendaKind[];
  isDefault: boolean;
  /** The kinds it is the server's default for, when not all of `kinds`. */
  defaultFor?: AgendaKind[];
}

export interface CrmCategoryInfo {
  name: string;
  icon: string | null;
  kind: 'event' | 'task' | 'contact' | 'document' | 'any';
}

export interface ClassificationNodeInfo {
  id: number;
  name: string;
  /** "Kontakty/Zákazníci": what agendas.contacts.classificationBranch stores. */
  path: string;
  children: ClassificationNodeInfo[];
}

export interface CrmLookups {
  users: { login: string; displayName: string }[];
  categories: CrmCategoryInfo[];
  groups: string[];
  /** The status values the CRM's events use (agendas.events.importedStatus picks one). */
  eventStatuses: string[];
  classification: ClassificationNodeInfo[];
}

export interface PlannedItem {
  agenda: AgendaKind;
  /**
   * The planner's action: "create-server", "update-server", "delete-server", "create-crm",
   * "update-crm", "delete-crm", "link", "untrack", "skip"; or for a whole folder
   * "refused" (the guard would refuse the run; label = folder) or "not-synchronised"
   * (the folder cannot be read; label = folder).
   */
  action: string;
  label: string;
  /** English. */
  reason: string;
  /** The reason's code (renderer key reason.<code>); null for a folder-wide item. */
  reasonCode: string | null;
  reasonParams: Record<string, string | number>;
  /** A folder-wide item: the code of its reason (error.<code>), when it has one. */
  errorCode?: string;
  errorParams?: MessageParams;
}

export interface JournalItem {
  id: number;
  runId: number;
  at: string;
  agenda: string;
  action: string;
  label: string;
  /** English. */
  reason: string;
  /** The reason's code (renderer key reason.<code>); null for entries written without one. */
  reasonCode: string | null;
  reasonParams: Record<string, string | number>;
  outcome: 'done' | 'failed' | 'planned' | 'skipped';
  error: string | null;
  /** Changed on both sides since the last run; a policy chose which copy won. */
  conflict: boolean;
}

export interface TrashItem {
  id: number;
  entity: string;
  label: string;
  reason: string;
  deletedAt: string;
  restoredAt: string | null;
}

/** The server part of the wizard: the connection settings plus the password to test. */
export interface ConnectionTest {
  connection: Settings['connection'];
  /** Server password; empty = keep the stored one. */
  password: string;
  /** Proxy password (connection.proxy.user's); empty or absent = keep the stored one. */
  proxyPassword?: string;
}

/** A file or folder to choose in the system's open dialog (pickPath). */
export interface PickPathRequest {
  kind: 'file' | 'folder';
  /** The dialog's title, in the UI language. */
  title: string;
  /** Where the dialog opens (the path in the field now). */
  defaultPath?: string;
  /** File kinds offered ("CRM database": sqlite, db); kind "file" only. */
  filters?: { name: string; extensions: string[] }[];
}

/** A secret the app stores for the connection (never in settings): see setServerPassword. */
export type ConnectionSecret = 'server' | 'proxy';

/** Pages main can ask the window to show (the tray's "Settings…"). */
export type AppPage = 'settings';

export interface CrmSyncApi {
  appInfo(): Promise<AppInfo>;
  /** Current settings (defaults when there is no settings file yet) and whether they exist. */
  getSettings(): Promise<{ exists: boolean; settings: Settings }>;
  /** Validates and saves; problems name the field. */
  saveSettings(settings: Settings): Promise<Outcome>;
  /** Wizard step 1: the CRM database file, user and password (checked against the CRM). */
  checkCrmLogin(input: { databasePath: string; user: string; password: string }): Promise<Outcome>;
  /** Users, categories, groups and the classification tree of a CRM database. */
  crmLookups(databasePath: string): Promise<Outcome<CrmLookups>>;
  /** Wizard step 2: connects, and lists the folders (for the folder pickers). */
  testConnection(input: ConnectionTest): Promise<Outcome<ServerFolderInfo[]>>;
  /**
   * Wizard step 2, when the account has no calendar, task list or address book: creates one
   * named `name` on the connection being tested, then answers as testConnection.
   */
  createServerFolder(
    input: ConnectionTest,
    kind: AgendaKind,
    name: string,
  ): Promise<Outcome<ServerFolderInfo[]>>;
  /**
   * Stores the server password (or the token, when the saved connection signs in with one)
   * in the OS secret store, never in settings; "" removes it. Call after saveSettings.
   * With `secret` "proxy": the proxy user's password instead (connection.proxy.user).
   */
  setServerPassword(password: string, secret?: ConnectionSecret): Promise<void>;
  /**
   * Category names the configured server knows (Exchange's master category list), for the
   * category pairing editor; [] when the server has no such list (CalDAV).
   */
  listServerCategories(): Promise<Outcome<string[]>>;
  /** Folders of the configured server. */
  listFolders(): Promise<Outcome<ServerFolderInfo[]>>;
  /** What a sync would do now, changing nothing. */
  preview(): Promise<Outcome<PlannedItem[]>>;
  /**
   * Starts a run, or queues one behind the run under way (at most one waits); also while
   * paused (pause stops the schedule, not the user). Not accepted: not configured, or a
   * run already waits (`reason` says which). Progress and the end come as status updates.
   * `choice` answers a guard refusal, for this run only: accept the deletions, or (the
   * server was emptied or replaced) put the CRM's items back on the server.
   */
  syncNow(choice?: GuardChoice): Promise<{
    accepted: boolean;
    reason?: string;
    /** The reason's code (error.<code>) and parameters, when it has one. */
    reasonCode?: string;
    reasonParams?: MessageParams;
  }>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  status(): Promise<SyncStatus>;
  /** Calls back on every status change (progress, end of run); returns an unsubscribe. */
  onStatus(listener: (status: SyncStatus) => void): () => void;
  listRuns(limit: number): Promise<RunBrief[]>;
  journal(filter: {
    runId?: number;
    text?: string;
    /** Only the items that changed on both sides (the conflicts view). */
    conflictsOnly?: boolean;
    limit?: number;
  }): Promise<JournalItem[]>;
  listTrash(): Promise<TrashItem[]>;
  restoreTrash(id: number): Promise<Outcome>;
  /**
   * The system's open dialog over the window (main only: the engine cannot show dialogs):
   * the chosen path, or null when the user cancelled.
   */
  pickPath(request: PickPathRequest): Promise<string | null>;
  /** Calls back when main asks the window to show a page (tray "Settings…"). */
  onNavigate(listener: (page: AppPage) => void): () => void;
}
