/**
 * The one IPC contract between main, preload and renderer: one channel per method of the
 * app API (src/shared/app-api.ts), the zod schemas main checks every request and answer
 * with, and the push channel main sends status updates on.
 *
 * Preload and renderer import this module with `import type` only, so zod never ends up in
 * the sandboxed preload or in the renderer bundle; main imports the schemas.
 *
 * To add a call: add the method to `CrmSyncApi` (app-api.ts), its channel to `ApiChannels`
 * and `ipcContract` below (the compile-time checks at the end insist that the schemas
 * describe exactly the method's arguments and answer), then the preload
 * (src/preload/index.ts) and the engine (src/core/app/engine-service.ts). Main forwards
 * every channel to the engine host without further code. The compiler points at each place
 * that is missing.
 */
import { z } from 'zod';
import { settingsSchema } from '../core/settings/schema.ts';
import type * as Api from './app-api.ts';

export type { AppInfo, CrmSyncApi } from './app-api.ts';

// --- Schemas of the API's types ---------------------------------------------------------

const agendaKind = z.enum(['events', 'tasks', 'contacts']);

export const AppInfoSchema = z.strictObject({
  /** Product name, as shown to the user. */
  name: z.string().min(1),
  /** Application version (package.json `version`). */
  version: z.string().min(1),
  /** Node's `process.platform` of the main process (`win32`, `darwin`, `linux`...). */
  platform: z.string().min(1),
  /** The OS locale ("cs-CZ"). */
  locale: z.string(),
});

export const FieldProblemSchema = z.strictObject({ field: z.string(), message: z.string() });

const notOk = z.strictObject({ ok: z.literal(false), problems: z.array(FieldProblemSchema) });

/** `Outcome` (no value). */
export const OutcomeSchema = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true) }),
  notOk,
]);

/** `Outcome<T>` for the schema of T. */
function outcomeOf<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [z.strictObject({ ok: z.literal(true), value }), notOk]);
}

export const SettingsSchema = settingsSchema;

export const AgendaProgressSchema = z.strictObject({
  agenda: agendaKind,
  folder: z.string(),
  phase: z.enum(['reading', 'planning', 'writing', 'done']),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
});

const sideCounts = z.strictObject({
  created: z.number().int().nonnegative(),
  updated: z.number().int().nonnegative(),
  deleted: z.number().int().nonnegative(),
});

export const AgendaBriefSchema = z.strictObject({
  agenda: z.string(),
  folder: z.string(),
  crm: sideCounts,
  server: sideCounts,
  linked: z.number().int().nonnegative(),
  untracked: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  conflicts: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  refused: z.string().nullable(),
  aborted: z.string().nullable(),
});

const reasonParams = z.record(z.string(), z.union([z.string(), z.number()]));

export const RunBriefSchema = z.strictObject({
  id: z.number().int().nonnegative(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  trigger: z.string(),
  status: z.enum(['running', 'ok', 'partial', 'failed', 'refused', 'interrupted']),
  lines: z.array(z.string()),
  agendas: z.array(AgendaBriefSchema),
  failedItems: z.array(z.strictObject({ label: z.string(), cause: z.string() })),
});

export const SyncStatusSchema = z.strictObject({
  state: z.enum(['idle', 'syncing', 'error', 'paused']),
  configured: z.boolean(),
  problems: z.array(z.string()),
  progress: z.array(AgendaProgressSchema),
  lastRun: RunBriefSchema.nullable(),
  nextRunAt: z.string().nullable(),
  error: z.string().nullable(),
});

export const ServerFolderInfoSchema = z.strictObject({
  id: z.string(),
  displayName: z.string(),
  path: z.string(),
  kinds: z.array(agendaKind),
  isDefault: z.boolean(),
});

export const ClassificationNodeInfoSchema: z.ZodType<Api.ClassificationNodeInfo> = z.strictObject({
  id: z.number().int(),
  name: z.string(),
  path: z.string(),
  get children() {
    return z.array(ClassificationNodeInfoSchema);
  },
});

export const CrmLookupsSchema = z.strictObject({
  users: z.array(z.strictObject({ login: z.string(), displayName: z.string() })),
  categories: z.array(
    z.strictObject({
      name: z.string(),
      icon: z.string().nullable(),
      kind: z.enum(['event', 'task', 'contact', 'document', 'any']),
    }),
  ),
  groups: z.array(z.string()),
  classification: z.array(ClassificationNodeInfoSchema),
});

export const PlannedItemSchema = z.strictObject({
  agenda: agendaKind,
  action: z.string(),
  label: z.string(),
  reason: z.string(),
  reasonCode: z.string().nullable(),
  reasonParams,
});

export const JournalItemSchema = z.strictObject({
  id: z.number().int(),
  runId: z.number().int(),
  at: z.string(),
  agenda: z.string(),
  action: z.string(),
  label: z.string(),
  reason: z.string(),
  reasonCode: z.string().nullable(),
  reasonParams,
  outcome: z.enum(['done', 'failed', 'planned', 'skipped']),
  error: z.string().nullable(),
  conflict: z.boolean(),
});

export const TrashItemSchema = z.strictObject({
  id: z.number().int(),
  entity: z.string(),
  label: z.string(),
  reason: z.string(),
  deletedAt: z.string(),
  restoredAt: z.string().nullable(),
});

export const ConnectionTestSchema = z.strictObject({
  connection: settingsSchema.shape.connection,
  password: z.string().max(4096),
});

export const SyncNowResultSchema = z.strictObject({
  /** Whether a sync run was started (or queued) because of this request. */
  accepted: z.boolean(),
  /** Why the request was not accepted, in words for the user. */
  reason: z.string().min(1).optional(),
});
export type SyncNowResult = z.infer<typeof SyncNowResultSchema>;

// --- Channels ---------------------------------------------------------------------------

/** No arguments: `ipcRenderer.invoke(channel)`. */
const noArgs = z.tuple([]);
/** No answer (the promise resolves with undefined). */
const noAnswer = z.undefined();

/**
 * Every channel: the API `method` it carries, `request` validates the argument list given
 * to `ipcRenderer.invoke` (after the channel name), `response` what main answers. Requests
 * check shapes and sizes only: the engine checks meaning and answers with problems named
 * by field.
 */
export const ipcContract = {
  'app:info': { method: 'appInfo', request: noArgs, response: AppInfoSchema },
  'settings:get': {
    method: 'getSettings',
    request: noArgs,
    response: z.strictObject({ exists: z.boolean(), settings: settingsSchema }),
  },
  'settings:save': {
    method: 'saveSettings',
    request: z.tuple([settingsSchema]),
    response: OutcomeSchema,
  },
  'crm:check-login': {
    method: 'checkCrmLogin',
    request: z.tuple([
      z.strictObject({
        databasePath: z.string().max(4096),
        user: z.string().max(256),
        password: z.string().max(4096),
      }),
    ]),
    response: OutcomeSchema,
  },
  'crm:lookups': {
    method: 'crmLookups',
    request: z.tuple([z.string().max(4096)]),
    response: outcomeOf(CrmLookupsSchema),
  },
  'server:test': {
    method: 'testConnection',
    request: z.tuple([ConnectionTestSchema]),
    response: outcomeOf(z.array(ServerFolderInfoSchema)),
  },
  'server:set-password': {
    method: 'setServerPassword',
    request: z.tuple([z.string().max(4096)]),
    response: noAnswer,
  },
  'server:folders': {
    method: 'listFolders',
    request: noArgs,
    response: outcomeOf(z.array(ServerFolderInfoSchema)),
  },
  'sync:preview': {
    method: 'preview',
    request: noArgs,
    response: outcomeOf(z.array(PlannedItemSchema)),
  },
  'sync:now': { method: 'syncNow', request: noArgs, response: SyncNowResultSchema },
  'sync:pause': { method: 'pause', request: noArgs, response: noAnswer },
  'sync:resume': { method: 'resume', request: noArgs, response: noAnswer },
  'sync:status': { method: 'status', request: noArgs, response: SyncStatusSchema },
  'runs:list': {
    method: 'listRuns',
    request: z.tuple([z.number().int().min(1).max(1000)]),
    response: z.array(RunBriefSchema),
  },
  'runs:journal': {
    method: 'journal',
    request: z.tuple([
      z.strictObject({
        runId: z.number().int().nonnegative().optional(),
        text: z.string().max(200).optional(),
        conflictsOnly: z.boolean().optional(),
        limit: z.number().int().min(1).max(5000).optional(),
      }),
    ]),
    response: z.array(JournalItemSchema),
  },
  'trash:list': { method: 'listTrash', request: noArgs, response: z.array(TrashItemSchema) },
  'trash:restore': {
    method: 'restoreTrash',
    request: z.tuple([z.number().int().positive()]),
    response: OutcomeSchema,
  },
} as const;

export type IpcChannel = keyof typeof ipcContract;
/** The argument list of a call on `channel`. */
export type IpcRequest<C extends IpcChannel> = z.input<(typeof ipcContract)[C]['request']>;
/** What main answers on `channel`. */
export type IpcResponse<C extends IpcChannel> = z.output<(typeof ipcContract)[C]['response']>;

/** The API methods reached by a request (all but `onStatus`, which is a push). */
export type ApiMethod = Exclude<keyof Api.CrmSyncApi, 'onStatus'>;

/** Which channel each method of the API calls. */
export interface ApiChannels {
  appInfo: 'app:info';
  getSettings: 'settings:get';
  saveSettings: 'settings:save';
  checkCrmLogin: 'crm:check-login';
  crmLookups: 'crm:lookups';
  testConnection: 'server:test';
  setServerPassword: 'server:set-password';
  listFolders: 'server:folders';
  preview: 'sync:preview';
  syncNow: 'sync:now';
  pause: 'sync:pause';
  resume: 'sync:resume';
  status: 'sync:status';
  listRuns: 'runs:list';
  journal: 'runs:journal';
  listTrash: 'trash:list';
  restoreTrash: 'trash:restore';
}

/** Main → renderer: the engine's status changed (payload: one `SyncStatus`). */
export const STATUS_CHANNEL = 'status:changed';
export type StatusChannel = typeof STATUS_CHANNEL;

/** The global name under which the preload exposes `CrmSyncApi` (`window.crmSync`). */
export type CrmSyncApiKey = 'crmSync';

// --- Compile-time checks: the contract describes the API exactly --------------------------

/** True when A and B are assignable both ways. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Check<T extends true> = T;

type ChannelOfMethod = {
  [M in ApiMethod]: ApiChannels[M] extends IpcChannel
    ? (typeof ipcContract)[ApiChannels[M]]['method'] extends M
      ? true
      : false
    : false;
};
type RequestMatches = {
  [M in ApiMethod]: Same<
    z.output<(typeof ipcContract)[ApiChannels[M]]['request']>,
    Parameters<Api.CrmSyncApi[M]>
  >;
};
/** A `Promise<void>` method answers `undefined` over IPC. */
type Answer<T> = [T] extends [void] ? undefined : T;
type ResponseMatches = {
  [M in ApiMethod]: Same<
    IpcResponse<ApiChannels[M]>,
    Answer<Awaited<ReturnType<Api.CrmSyncApi[M]>>>
  >;
};
/** Every channel is some method's. */
type EveryChannelUsed = Same<ApiChannels[ApiMethod], IpcChannel>;

export type ContractChecks = [
  Check<ChannelOfMethod[ApiMethod]>,
  Check<RequestMatches[ApiMethod]>,
  Check<ResponseMatches[ApiMethod]>,
  Check<EveryChannelUsed>,
];
