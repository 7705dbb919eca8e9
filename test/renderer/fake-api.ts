/**
 * A typed in-memory CrmSyncApi for component tests: a CRM with two users, a server with a
 * few folders, runs, a journal and a trash. Settings are checked with the real schema (so
 * its problems are the engine's kind), every call is recorded, and `emitStatus` plays the
 * engine's status events.
 */
import type {
  AgendaKind,
  AppInfo,
  AppPage,
  ConnectionSecret,
  PickPathRequest,
  ConnectionTest,
  CrmLookups,
  CrmSyncApi,
  FieldProblem,
  GuardChoice,
  JournalItem,
  Outcome,
  PlannedItem,
  RunBrief,
  ServerFolderInfo,
  Settings,
  SyncStatus,
  TrashItem,
} from '../../src/shared/app-api.ts';
import { readinessProblems } from '../../src/shared/settings/readiness.ts';
import { defaultSettings, settingsSchema } from '../../src/shared/settings/schema.ts';

export const CRM_FILE = '/data/crm.sqlite';

export const LOOKUPS: CrmLookups = {
  users: [
    { login: 'pbartos', displayName: 'Pavel Bartoš' },
    { login: 'jnovakova', displayName: 'Jana Nováková' },
  ],
  categories: [
    { name: 'HOTLINE', icon: 'phone-alert', kind: 'event' },
    { name: 'REGISTRACE', icon: 'id-card', kind: 'event' },
    { name: 'INSTALACE', icon: 'wrench', kind: 'event' },
    { name: 'Nabídka', icon: 'document-edit', kind: 'task' },
    { name: 'Zákazník', icon: 'person-star', kind: 'contact' },
    { name: 'Dodavatel', icon: 'truck', kind: 'contact' },
    { name: 'Partner', icon: 'handshake', kind: 'contact' },
    { name: 'Příloha', icon: 'paperclip', kind: 'document' },
  ],
  groups: ['Obchod', 'Servis', 'Administrativa'],
  eventStatuses: ['Naplánováno', 'Příchozí', 'Vyřízeno'],
  classification: [
    {
      id: 1,
      name: 'Kontakty',
      path: 'Kontakty',
      children: [
        {
          id: 2,
          name: 'Zákazníci',
          path: 'Kontakty/Zákazníci',
          children: [
            { id: 3, name: 'Velkoobchod', path: 'Kontakty/Zákazníci/Velkoobchod', children: [] },
            { id: 4, name: 'Maloobchod', path: 'Kontakty/Zákazníci/Maloobchod', children: [] },
          ],
        },
        { id: 5, name: 'Dodavatelé', path: 'Kontakty/Dodavatelé', children: [] },
      ],
    },
  ],
};

export const FOLDERS: ServerFolderInfo[] = [
  {
    id: 'https://dav.example.com/cal/default/',
    displayName: 'Kalendář',
    path: 'Kalendář',
    kinds: ['events', 'tasks'],
    isDefault: true,
  },
  {
    id: 'https://dav.example.com/cal/projects/',
    displayName: 'Projekty',
    path: 'Kalendář/Projekty',
    kinds: ['events'],
    isDefault: false,
  },
  {
    id: 'https://dav.example.com/card/contacts/',
    displayName: 'Kontakty',
    path: 'Kontakty',
    kinds: ['contacts'],
    isDefault: true,
  },
];

export const RUNS: RunBrief[] = [
  {
    id: 12,
    startedAt: '2026-11-20T13:05:00.000Z',
    finishedAt: '2026-11-20T13:05:04.000Z',
    trigger: 'manual',
    status: 'partial',
    lines: ['events: CRM +2 ~1 -0; server +0 ~3 -0', 'contacts: CRM +0 ~0 -0; server +1 ~0 -0'],
    // A run recorded before the counts were kept: the English lines are shown.
    agendas: [],
    failedItems: [{ label: 'Porada s dodavatelem', cause: 'unknown time zone "Mars/Olympus"' }],
  },
  {
    id: 11,
    startedAt: '2026-11-20T12:55:00.000Z',
    finishedAt: '2026-11-20T12:55:02.000Z',
    trigger: 'schedule',
    status: 'ok',
    lines: ['events (Work): CRM +0 ~0 -0; server +6 ~0 -0'],
    agendas: [
      {
        agenda: 'events',
        folder: 'Work',
        crm: { created: 0, updated: 0, deleted: 0 },
        server: { created: 6, updated: 0, deleted: 0 },
        linked: 0,
        untracked: 0,
        skipped: 0,
        conflicts: 1,
        failed: 0,
        refused: null,
        aborted: null,
      },
    ],
    failedItems: [],
  },
];

export const JOURNAL: JournalItem[] = [
  {
    id: 3,
    runId: 12,
    at: '2026-11-20T13:05:02.000Z',
    agenda: 'events',
    action: 'create-crm',
    label: 'Schůzka Agrotech Morava',
    reason: 'new on the server',
    reasonCode: 'new-on-server',
    reasonParams: {},
    outcome: 'done',
    error: null,
    conflict: false,
  },
  {
    id: 2,
    runId: 12,
    at: '2026-11-20T13:05:01.000Z',
    agenda: 'events',
    action: 'update-server',
    label: 'Instalace serveru ElektroServis',
    reason: 'changed in the CRM since the last sync',
    // Written before reasons had codes: the English text is shown.
    reasonCode: null,
    reasonParams: {},
    outcome: 'done',
    error: null,
    conflict: true,
  },
  {
    id: 1,
    runId: 11,
    at: '2026-11-20T12:55:01.000Z',
    agenda: 'contacts',
    action: 'create-server',
    label: 'Jana Dvořáková',
    reason: 'new in the CRM',
    reasonCode: 'new-in-crm',
    reasonParams: {},
    outcome: 'done',
    error: null,
    conflict: false,
  },
];

export const TRASH: TrashItem[] = [
  {
    id: 7,
    entity: 'event',
    label: 'Školení obsluhy',
    reason: 'deleted on the server',
    deletedAt: '2026-11-19T09:00:00.000Z',
    restoredAt: null,
  },
];

export const PLAN: PlannedItem[] = [
  {
    agenda: 'events',
    action: 'create-server',
    label: 'Porada',
    reason: 'new in the CRM',
    reasonCode: 'new-in-crm',
    reasonParams: {},
  },
  {
    agenda: 'events',
    action: 'create-crm',
    label: 'Oběd',
    reason: 'new on the server',
    reasonCode: 'new-on-server',
    reasonParams: {},
  },
  {
    agenda: 'contacts',
    action: 'create-server',
    label: 'Jan Novák',
    reason: 'new in the CRM',
    reasonCode: 'new-in-crm',
    reasonParams: {},
  },
];

export function idleStatus(patch: Partial<SyncStatus> = {}): SyncStatus {
  return {
    state: 'idle',
    configured: true,
    problems: [],
    progress: [],
    lastRun: RUNS[0] ?? null,
    nextRunAt: '2026-11-20T13:15:00.000Z',
    error: null,
    ...patch,
  };
}

export interface Call {
  method: keyof CrmSyncApi;
  args: unknown[];
}

type Ok<T> = { ok: true; value: T };

function fail(problems: FieldProblem[]): { ok: false; problems: FieldProblem[] } {
  return { ok: false, problems };
}

export class FakeApi implements CrmSyncApi {
  readonly calls: Call[] = [];
  info: AppInfo = { name: 'CRM Sync', version: '1.2.3', platform: 'win32', locale: 'en-US' };
  exists = false;
  settings: Settings = defaultSettings();
  /** CRM logins and passwords of the file at CRM_FILE. */
  crmUsers: Record<string, string> = { pbartos: 'demo', jnovakova: 'demo' };
  lookups: CrmLookups = LOOKUPS;
  folders: ServerFolderInfo[] = FOLDERS;
  /** When set, testConnection and listFolders answer with these problems. */
  connectionProblems: FieldProblem[] | null = null;
  /** When set, saveSettings answers with these problems. */
  saveProblems: FieldProblem[] | null = null;
  serverPassword: string | null = null;
  proxyPassword: string | null = null;
  /** What the server's category list offers (Exchange); [] like CalDAV. */
  serverCategories: string[] = [];
  /** What the next "Browse…" dialogs answer (null: cancelled), in order. */
  pickAnswers: (string | null)[] = [];
  private readonly navigateListeners = new Set<(page: AppPage) => void>();
  current: SyncStatus = idleStatus();
  runs: RunBrief[] = [...RUNS];
  journalItems: JournalItem[] = [...JOURNAL];
  trash: TrashItem[] = TRASH.map((t) => ({ ...t }));
  plan: PlannedItem[] = [...PLAN];
  private readonly listeners = new Set<(status: SyncStatus) => void>();

  constructor(init: Partial<Pick<FakeApi, 'exists' | 'settings' | 'info' | 'current'>> = {}) {
    Object.assign(this, init);
  }

  private record(method: keyof CrmSyncApi, args: unknown[]): void {
    this.calls.push({ method, args: structuredClone(args) });
  }

  /** The arguments of every call of `method`, in order. */
  callsOf(method: keyof CrmSyncApi): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  /** Plays a status change from the engine. */
  emitStatus(patch: Partial<SyncStatus>): void {
    this.current = { ...this.current, ...patch };
    for (const listener of this.listeners) listener(this.current);
  }

  listenerCount(): number {
    return this.listeners.size;
  }

  async appInfo(): Promise<AppInfo> {
    this.record('appInfo', []);
    return this.info;
  }

  async getSettings(): Promise<{ exists: boolean; settings: Settings }> {
    this.record('getSettings', []);
    return { exists: this.exists, settings: structuredClone(this.settings) };
  }

  async saveSettings(settings: Settings): Promise<Outcome> {
    this.record('saveSettings', [settings]);
    if (this.saveProblems) return fail(this.saveProblems);
    const parsed = settingsSchema.safeParse(settings);
    if (!parsed.success) {
      return fail(
        parsed.error.issues.map((issue) => {
          const field = issue.path.join('.');
          return { field, message: `${field}: ${issue.message}` };
        }),
      );
    }
    this.settings = parsed.data;
    this.exists = true;
    const problems = readinessProblems(parsed.data);
    this.current = { ...this.current, configured: problems.length === 0, problems };
    return { ok: true };
  }

  async checkCrmLogin(input: {
    databasePath: string;
    user: string;
    password: string;
  }): Promise<Outcome> {
    this.record('checkCrmLogin', [input]);
    if (input.databasePath !== CRM_FILE) {
      return fail([
        { field: 'crm.databasePath', message: `The file ${input.databasePath} does not exist.` },
      ]);
    }
    const expected = this.crmUsers[input.user];
    if (expected === undefined) {
      return fail([{ field: 'crm.user', message: `The CRM has no user "${input.user}".` }]);
    }
    if (expected !== input.password) {
      return fail([{ field: 'crm.password', message: `Wrong password for ${input.user}.` }]);
    }
    return { ok: true };
  }

  async crmLookups(databasePath: string): Promise<Outcome<CrmLookups>> {
    this.record('crmLookups', [databasePath]);
    if (databasePath !== CRM_FILE) {
      return fail([
        { field: 'crm.databasePath', message: `The file ${databasePath} does not exist.` },
      ]);
    }
    return { ok: true, value: this.lookups } satisfies Ok<CrmLookups>;
  }

  async testConnection(input: ConnectionTest): Promise<Outcome<ServerFolderInfo[]>> {
    this.record('testConnection', [input]);
    if (this.connectionProblems) return fail(this.connectionProblems);
    return { ok: true, value: this.folders };
  }

  /** Creates the folder; the server then has one, so the connection problems are gone. */
  async createServerFolder(
    input: ConnectionTest,
    kind: AgendaKind,
    name: string,
  ): Promise<Outcome<ServerFolderInfo[]>> {
    this.record('createServerFolder', [input, kind, name]);
    this.folders = [
      ...this.folders,
      { id: `/new/${kind}/`, displayName: name, path: name, kinds: [kind], isDefault: false },
    ];
    this.connectionProblems = null;
    return { ok: true, value: this.folders };
  }

  async setServerPassword(password: string, secret?: ConnectionSecret): Promise<void> {
    this.record('setServerPassword', secret === undefined ? [password] : [password, secret]);
    if (secret === 'proxy') this.proxyPassword = password;
    else this.serverPassword = password;
  }

  async listServerCategories(): Promise<Outcome<string[]>> {
    this.record('listServerCategories', []);
    return { ok: true, value: [...this.serverCategories] };
  }

  async pickPath(request: PickPathRequest): Promise<string | null> {
    this.record('pickPath', [request]);
    return this.pickAnswers.shift() ?? null;
  }

  onNavigate(listener: (page: AppPage) => void): () => void {
    this.navigateListeners.add(listener);
    return () => {
      this.navigateListeners.delete(listener);
    };
  }

  /** Plays main's "show this page" (the tray's "Settings…"). */
  navigate(page: AppPage): void {
    for (const listener of this.navigateListeners) listener(page);
  }

  async listFolders(): Promise<Outcome<ServerFolderInfo[]>> {
    this.record('listFolders', []);
    if (this.connectionProblems) return fail(this.connectionProblems);
    return { ok: true, value: this.folders };
  }

  async preview(): Promise<Outcome<PlannedItem[]>> {
    this.record('preview', []);
    return { ok: true, value: this.plan };
  }

  async syncNow(choice?: GuardChoice): Promise<{ accepted: boolean; reason?: string }> {
    this.record('syncNow', choice === undefined ? [] : [choice]);
    if (this.current.state === 'syncing') {
      return { accepted: false, reason: 'A synchronisation is already running.' };
    }
    this.emitStatus({ state: 'syncing', progress: [] });
    return { accepted: true };
  }

  async pause(): Promise<void> {
    this.record('pause', []);
    this.emitStatus({ state: 'paused', nextRunAt: null });
  }

  async resume(): Promise<void> {
    this.record('resume', []);
    this.emitStatus({ state: 'idle', nextRunAt: '2026-11-20T13:15:00.000Z' });
  }

  async status(): Promise<SyncStatus> {
    this.record('status', []);
    return this.current;
  }

  onStatus(listener: (status: SyncStatus) => void): () => void {
    this.record('onStatus', []);
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  async listRuns(limit: number): Promise<RunBrief[]> {
    this.record('listRuns', [limit]);
    return this.runs.slice(0, limit);
  }

  async journal(filter: {
    runId?: number;
    text?: string;
    conflictsOnly?: boolean;
    limit?: number;
  }): Promise<JournalItem[]> {
    this.record('journal', [filter]);
    const text = filter.text?.toLowerCase();
    return this.journalItems
      .filter((item) => filter.runId === undefined || item.runId === filter.runId)
      .filter((item) => !filter.conflictsOnly || item.conflict)
      .filter(
        (item) =>
          !text ||
          item.label.toLowerCase().includes(text) ||
          item.reason.toLowerCase().includes(text),
      )
      .slice(0, filter.limit ?? 100);
  }

  async listTrash(): Promise<TrashItem[]> {
    this.record('listTrash', []);
    return this.trash.map((t) => ({ ...t }));
  }

  async restoreTrash(id: number): Promise<Outcome> {
    this.record('restoreTrash', [id]);
    const item = this.trash.find((t) => t.id === id);
    if (!item) return fail([{ field: 'trash', message: `No trash item ${id}.` }]);
    if (item.restoredAt) return fail([{ field: 'trash', message: 'Already restored.' }]);
    item.restoredAt = '2026-11-20T14:00:00.000Z';
    return { ok: true };
  }
}
