/**
 * The one IPC contract between main, preload and renderer: one channel per method of the
 * app API (src/shared/app-api.ts), the zod schemas main checks every request and answer
 * with, and the push channel main sends status updates on.
 *
 * `ipcContract` is the one method table: the channel names (`API_CHANNELS`, `channelOf`),
 * the preload's `window.crmSync`, main's handlers, main's client of the engine host, the
 * engine host's method list (engine-protocol.ts) and the UI test bridge all come from it.
 *
 * Preload and renderer import this module with `import type` only, so zod never ends up in
 * the sandboxed preload or in the renderer bundle: the build hands the preload the plain
 * `API_CHANNELS` (electron.vite.config.ts). Main imports the schemas.
 *
 * To add a call: add the method to `CrmSyncApi` (app-api.ts) and its entry to `ipcContract`
 * below (the compile-time checks at the end insist that the schemas describe exactly the
 * method's arguments and answer), then implement it in the engine
 * (src/core/app/engine-service.ts). The compiler points at each place that is missing.
 */
import { z } from 'zod';
import { settingsSchema } from './settings/schema.ts';
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

const messageParams = z.record(z.string(), z.union([z.string(), z.number()]));

export const FieldProblemSchema = z.strictObject({
  field: z.string(),
  message: z.string(),
  code: z.string().optional(),
  params: messageParams.optional(),
});

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
  skippedBy: z.record(z.string(), z.number().int().nonnegative()).optional(),
  conflicts: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  refused: z.string().nullable(),
  refusedCode: z.string().optional(),
  refusedParams: messageParams.optional(),
  aborted: z.string().nullable(),
  abortedCode: z.string().optional(),
  abortedParams: messageParams.optional(),
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
  failedItems: z.array(
    z.strictObject({
      label: z.string(),
      cause: z.string(),
      code: z.string().optional(),
      params: messageParams.optional(),
    }),
  ),
  errorCode: z.string().optional(),
  errorParams: messageParams.optional(),
});

export const FailureDetailSchema = z.strictObject({
  scope: z.enum(['run', 'aborted', 'refused', 'items']),
  code: z.string(),
  params: messageParams,
  agenda: z.string().optional(),
  folder: z.string().optional(),
  count: z.number().int().nonnegative().optional(),
  label: z.string().optional(),
});

export const SyncStatusSchema = z.strictObject({
  state: z.enum(['idle', 'syncing', 'error', 'paused']),
  configured: z.boolean(),
  problems: z.array(z.string()),
  problemDetails: z.array(FieldProblemSchema).optional(),
  progress: z.array(AgendaProgressSchema),
  lastRun: RunBriefSchema.nullable(),
  nextRunAt: z.string().nullable(),
  error: z.string().nullable(),
  errorDetail: FailureDetailSchema.nullable().optional(),
});

export const ServerFolderInfoSchema = z.strictObject({
  id: z.string(),
  displayName: z.string(),
  path: z.string(),
  kinds: z.array(agendaKind),
  isDefault: z.boolean(),
  defaultFor: z.array(agendaKind).optional(),
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
  eventStatuses: z.array(z.string()),
  classification: z.array(ClassificationNodeInfoSchema),
});

export const PlannedItemSchema = z.strictObject({
  agenda: agendaKind,
  action: z.string(),
  label: z.string(),
  reason: z.string(),
  reasonCode: z.string().nullable(),
  reasonParams,
  errorCode: z.string().optional(),
  errorParams: messageParams.optional(),
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
  proxyPassword: z.string().max(4096).optional(),
});

/** A path a dialog offers: no NUL, of a sane length (the OS checks the rest). */
const dialogPath = z
  .string()
  .max(4096)
  .refine((s) => !s.includes('\0'), 'no NUL in a path');

export const PickPathRequestSchema = z.strictObject({
  kind: z.enum(['file', 'folder']),
  title: z.string().max(200),
  defaultPath: dialogPath.optional(),
  filters: z
    .array(
      z.strictObject({
        name: z.string().max(100),
        // Extensions without the dot ("sqlite"), or "*" for all files.
        extensions: z.array(z.string().regex(/^(\*|[A-Za-z0-9]{1,16})$/)).max(20),
      }),
    )
    .max(10)
    .optional(),
});

export const SyncNowResultSchema = z.strictObject({
  /** Whether a sync run was started (or queued) because of this request. */
  accepted: z.boolean(),
  /** Why the request was not accepted, in words for the user. */
  reason: z.string().min(1).optional(),
  /** The reason's code (renderer key error.<code>) and parameters, when it has one. */
  reasonCode: z.string().optional(),
  reasonParams: messageParams.optional(),
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
  'server:create-folder': {
    method: 'createServerFolder',
    request: z.tuple([ConnectionTestSchema, agendaKind, z.string().max(255)]),
    response: outcomeOf(z.array(ServerFolderInfoSchema)),
  },
  'server:set-password': {
    method: 'setServerPassword',
    request: z.tuple([z.string().max(4096), z.enum(['server', 'proxy']).optional()]),
    response: noAnswer,
  },
  'server:categories': {
    method: 'listServerCategories',
    request: noArgs,
    response: outcomeOf(z.array(z.string())),
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
  'sync:now': {
    method: 'syncNow',
    request: z.tuple([z.enum(['force-deletes', 'restore-server']).optional()]),
    response: SyncNowResultSchema,
  },
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
  // Answered by main itself (the system dialog over the calling window), not the engine.
  'dialog:pick-path': {
    method: 'pickPath',
    request: z.tuple([PickPathRequestSchema]),
    response: dialogPath.nullable(),
  },
} as const;

/** Channels main answers itself; every other channel goes to the engine host. */
export const MAIN_CHANNELS = ['dialog:pick-path'] as const;
export type MainChannel = (typeof MAIN_CHANNELS)[number];

export type IpcChannel = keyof typeof ipcContract;
/** The argument list of a call on `channel`. */
export type IpcRequest<C extends IpcChannel> = z.input<(typeof ipcContract)[C]['request']>;
/** What main answers on `channel`. */
export type IpcResponse<C extends IpcChannel> = z.output<(typeof ipcContract)[C]['response']>;

/** The API methods reached by a request (all but the pushes `onStatus` and `onNavigate`). */
export type ApiMethod = Exclude<keyof Api.CrmSyncApi, 'onStatus' | 'onNavigate'>;

/** Which channel each method of the API calls, read off the table. */
export type ApiChannels = {
  readonly [C in IpcChannel as (typeof ipcContract)[C]['method']]: C;
};

/**
 * Which channel each method calls, at run time. Plain strings: the build hands this object
 * to the preload, which must not bundle zod.
 */
export const API_CHANNELS = Object.fromEntries(
  (Object.keys(ipcContract) as IpcChannel[]).map((channel) => [
    ipcContract[channel].method,
    channel,
  ]),
  // One entry per channel keyed by its method; the checks at the end hold each method to
  // exactly one channel.
) as ApiChannels;

/** Every method reached by a request, in the table's order. */
export const API_METHODS = Object.keys(API_CHANNELS) as ApiMethod[];

export function channelOf<M extends ApiMethod>(method: M): ApiChannels[M] {
  return API_CHANNELS[method];
}

/** Whether `name` (from outside: a URL, a message) is a method of the table. */
export function isApiMethod(name: string): name is ApiMethod {
  return Object.hasOwn(API_CHANNELS, name);
}

/** Main → renderer: the engine's status changed (payload: one `SyncStatus`). */
export const STATUS_CHANNEL = 'status:changed';
export type StatusChannel = typeof STATUS_CHANNEL;

/** Main → renderer: show a page (payload: one `AppPage`, checked by the preload). */
export const NAVIGATE_CHANNEL = 'app:navigate';
export type NavigateChannel = typeof NAVIGATE_CHANNEL;
export const APP_PAGES = ['settings'] as const satisfies readonly Api.AppPage[];

/** The global name under which the preload exposes `CrmSyncApi` (`window.crmSync`). */
export type CrmSyncApiKey = 'crmSync';

// --- Compile-time checks: the contract describes the API exactly --------------------------

/** True when A and B are assignable both ways. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Check<T extends true> = T;

/** The channel of M, or never when the table has none. */
type ChannelOf<M extends ApiMethod> = M extends keyof ApiChannels ? ApiChannels[M] : never;
/** True when T is a union of several types. */
type IsUnion<T, U = T> = T extends unknown ? ([U] extends [T] ? false : true) : never;

/** Each method of the API has exactly one channel, and every channel carries one of them. */
type MethodsAreTheApis = Same<keyof ApiChannels, ApiMethod>;
type OneChannelPerMethod = {
  [M in ApiMethod]: [ChannelOf<M>] extends [never]
    ? false
    : IsUnion<ChannelOf<M>> extends false
      ? true
      : false;
};
type RequestMatches = {
  [M in ApiMethod]: Same<
    z.output<(typeof ipcContract)[ChannelOf<M>]['request']>,
    Parameters<Api.CrmSyncApi[M]>
  >;
};
/** A `Promise<void>` method answers `undefined` over IPC. */
type Answer<T> = [T] extends [void] ? undefined : T;
type ResponseMatches = {
  [M in ApiMethod]: Same<IpcResponse<ChannelOf<M>>, Answer<Awaited<ReturnType<Api.CrmSyncApi[M]>>>>;
};

export type ContractChecks = [
  Check<MethodsAreTheApis>,
  Check<OneChannelPerMethod[ApiMethod]>,
  Check<RequestMatches[ApiMethod]>,
  Check<ResponseMatches[ApiMethod]>,
];
