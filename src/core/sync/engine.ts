/**
 * One synchronisation run: for each enabled agenda and server folder, bring the mirror of
 * the folder up to date with the server's change tracking, list the CRM side, plan, guard,
 * execute, journal. The same function serves the CLI, the daemon and the tray app.
 */
import type { CrmDatabase } from '../crm/database.ts';
import { entityChangedSince, latestChangeSeq, pruneChanges } from '../crm/changes.ts';
import { findNodeByPath } from '../crm/classification.ts';
import { listCategories } from '../crm/categories.ts';
import { findUserByLogin, getUser } from '../crm/users.ts';
import { asCrmFileFailure } from '../crm/sqlite-errors.ts';
import { ConfigError, describeCause } from '../errors.ts';
import { codedMessageOf } from '../../shared/message-codes.ts';
import type { CodedMessage } from '../../shared/message-codes.ts';
import type {
  ServerChanges,
  ServerConnector,
  ServerFolder,
  ServerFolderSession,
} from '../servers/connector.ts';
import { isDefaultFor, isServerWideFailure } from '../servers/connector.ts';
import { ServerError } from '../servers/errors.ts';
import type { Settings } from '../../shared/settings/schema.ts';
import {
  crmDatabaseId,
  parseCrmStamp,
  applyCrmWrite,
  classificationSubtree,
  getCrmItem,
  keepServerUid,
  listCrmItems,
  previewCrmUpdate,
  ENTITY_OF_AGENDA,
} from './crm-side/index.ts';
import type { CrmItem } from './crm-side/index.ts';
import { namesOf } from './crm-side/load.ts';
import { completeAttendeeLinks } from './attendee-links.ts';
import { executePlan } from './executor.ts';
import type { ExecutedAction, ExecutorPorts } from './executor.ts';
import { guardRefusal } from './guard.ts';
import { contentHash } from '../model/content-hash.ts';
import { addJournalEntry, finishRun, startRun } from './journal.ts';
import type { RunStatus } from './journal.ts';
import { confirmListedDeletions } from './listed-deletions.ts';
import { applyServerChanges, knownVersions } from './mirror.ts';
import {
  dropIdleMark,
  idleMarkHolds,
  loadIdleMark,
  planFingerprint,
  saveIdleMark,
  serverReportsNothing,
} from './idle-marks.ts';
import type { AgendaKind } from '../model/items.ts';
import type { CrmSnapshot, PlanInput, PlannedAction } from './plan.ts';
import { ownMailbox } from './organizer.ts';
import { planAgenda } from './planner.ts';
import { skippedFilter } from './reasons.ts';
import { deriveRules, ownerIdentityOf } from './rules.ts';
import type { AgendaRules, OwnerIdentity } from './rules.ts';
import {
  deleteMirrorItem,
  deletePairing,
  loadFolderSyncTime,
  loadFolderToken,
  loadMirror,
  loadMirrorVersions,
  loadPairings,
  loadServerCopy,
  markPairingSent,
  pairedCrmIds,
  pendingStamp,
  putMirrorItem,
  saveFolderToken,
  savePairing,
} from './state.ts';
import type { MirrorItem, Pairing } from './state.ts';
import { windowStableUntil } from './window-edges.ts';
import type { WindowSpan } from './window-edges.ts';
import { PRODUCT_VERSION } from '../version.ts';
import { discoverFolders, forgetDiscovery } from './discovery.ts';
import type { FolderDiscovery } from './discovery.ts';
import { emptyCounts, countResult } from './summary.ts';
import type { AgendaSummary, RunSummary } from './summary.ts';

export const SYNC_AGENDAS: readonly AgendaKind[] = ['events', 'tasks', 'contacts'];

export interface ProgressEvent {
  agenda: AgendaKind;
  folder: string;
  phase: 'reading' | 'planning' | 'writing' | 'done';
  done: number;
  total: number;
}

export interface SyncRequest {
  db: CrmDatabase;
  settings: Settings;
  connector: ServerConnector;
  /** Only these agendas (default: every enabled one). */
  agendas?: readonly AgendaKind[];
  dryRun?: boolean;
  forceDeletes?: boolean;
  /**
   * The server lost items (emptied or replaced): create them again from the CRM, paired
   * anew, instead of deleting the CRM rows; an empty listing is then no reason to refuse.
   */
  restoreServer?: boolean;
  trigger?: string;
  now?: Date;
  onProgress?: (e: ProgressEvent) => void;
  /** Called with each action as it is carried out (or planned, in a dry run). */
  onAction?: (agenda: AgendaKind, result: ExecutedAction) => void;
}

export async function runSync(req: SyncRequest): Promise<RunSummary> {
  try {
    return await runSyncOnce(req);
  } catch (err) {
    // A locked or corrupt CRM file is the user's to fix (exit 4), not an internal error.
    throw asCrmFileFailure(req.db.name, err);
  }
}

async function runSyncOnce(req: SyncRequest): Promise<RunSummary> {
  const { db, settings } = req;
  const now = req.now ?? new Date();
  const dryRun = req.dryRun ?? false;
  const user = findUserByLogin(db, settings.crm.user);
  if (!user) {
    throw new ConfigError(
      `CRM user "${settings.crm.user}" (crm.user) does not exist in the CRM database.`,
    );
  }
  const agendas = SYNC_AGENDAS.filter(
    (a) => settings.agendas[a].enabled && (!req.agendas || req.agendas.includes(a)),
  );
  const seqAtStart = latestChangeSeq(db);
  const runId = dryRun ? 0 : startRun(db, req.trigger ?? 'cli', false);
  const summaries: AgendaSummary[] = [];
  // Tasks flagged "show in calendar" travel as calendar items (source document 001).
  const tasksAsEvents = agendas.includes('tasks') && settings.agendas.tasks.showInCalendarAsEvent;
  let discovery: FolderDiscovery = { folders: [], cached: false };
  try {
    if (agendas.length) {
      discovery = await discoverFolders(db, settings, req.connector, { now, dryRun });
      // A kept list without a configured folder is out of date: ask the server.
      const needed: AgendaKind[] = tasksAsEvents ? [...agendas, 'events'] : agendas;
      if (discovery.cached && !needed.every((a) => resolves(settings, a, discovery.folders))) {
        discovery = await discoverFolders(db, settings, req.connector, {
          now,
          dryRun,
          fresh: true,
        });
      }
    }
  } catch (err) {
    // Not even the folder list: the run is over before it began (wrong password, no server).
    if (!dryRun) finishRun(db, runId, 'failed', runError(err));
    throw err;
  }
  const folders = discovery.folders;
  // With a kept folder list the first folder's request is the run's first contact with the
  // server: a failure of the whole server there ends the run as a failed listing would.
  let contacted = !discovery.cached;
  const firstContact = (): boolean => {
    const first = !contacted;
    contacted = true;
    return first;
  };

  const databaseId = crmDatabaseId(db);
  const isOurTask = (m: MirrorItem): boolean => {
    const stamp = parseCrmStamp(m.crmStamp);
    return stamp !== null && stamp.entity === 'task' && stamp.databaseId === databaseId;
  };
  try {
    for (const agenda of agendas) {
      let targets: ServerFolder[];
      try {
        targets = foldersFor(settings, agenda, folders);
      } catch (err) {
        summaries.push({ ...emptyCounts(agenda, '?'), ...abortedBy(err) });
        continue;
      }
      const common = {
        req,
        agenda,
        ownerId: user.id,
        ownerIdentity: ownerIdentityOf(settings, user),
        runId,
        now,
        dryRun,
        tasksAsEvents,
      };
      for (const [index, folder] of targets.entries()) {
        summaries.push(
          await syncFolder({
            ...common,
            folder,
            scope: scopeOf(settings, agenda, folder),
            sessionKind: agenda,
            primary: index === 0,
            otherScopes: targets
              .filter((f) => f !== folder)
              .map((f) => scopeOf(settings, agenda, f)),
            // Calendar items that are CRM tasks belong to the tasks agenda, not to events.
            serverFilter: agenda === 'events' ? (m) => !isOurTask(m) : undefined,
            crmFilter: agenda === 'tasks' ? (i) => i.data.kind === 'task' : undefined,
            firstContact: firstContact(),
          }),
        );
      }
      if (agenda === 'tasks' && tasksAsEvents) {
        let calendar: ServerFolder | undefined;
        try {
          calendar = foldersFor(settings, 'events', folders)[0];
        } catch (err) {
          summaries.push({ ...emptyCounts(agenda, '?'), ...abortedBy(err) });
        }
        if (calendar) {
          summaries.push(
            await syncFolder({
              ...common,
              folder: calendar,
              scope: `${settings.crm.user}|tasks-as-events|${calendar.id}`,
              sessionKind: 'events',
              primary: true,
              otherScopes: [],
              serverFilter: isOurTask,
              crmFilter: (i) => i.data.kind === 'event',
              firstContact: firstContact(),
            }),
          );
        }
      }
    }
  } catch (err) {
    if (!dryRun) {
      forgetDiscovery(db, settings);
      finishRun(db, runId, 'failed', runError(err));
    }
    throw err;
  }
  // Persons imported after the events (contacts run last) or added in the CRM since.
  if (!dryRun) completeAttendeeLinks(db, settings, user.id, runId);
  // A folder that could not be opened may be gone or renamed: find the folders again.
  if (discovery.cached && !dryRun && summaries.some((s) => s.aborted)) {
    forgetDiscovery(db, settings);
  }

  const status = runStatus(summaries);
  const result: RunSummary = { runId, dryRun, status, agendas: summaries };
  if (!dryRun) {
    finishRun(db, runId, status, result);
    // The log is only a trigger source for other tools now: keep it from growing forever.
    if (status === 'ok') pruneChanges(db, seqAtStart);
  }
  return result;
}

/** Why a folder could not be synchronised: the sentence and, when it has one, its code. */
function abortedBy(err: unknown): Pick<AgendaSummary, 'aborted' | 'abortedCode'> {
  const coded = codedMessageOf(err);
  return { aborted: describeCause(err), ...(coded === undefined ? {} : { abortedCode: coded }) };
}

/** The stored summary of a run that ended before it began (sync_runs.summary). */
export function runError(err: unknown): {
  error: string;
  errorCode?: CodedMessage;
} {
  const coded = codedMessageOf(err);
  return { error: describeCause(err), ...(coded === undefined ? {} : { errorCode: coded }) };
}

function runStatus(summaries: readonly AgendaSummary[]): RunStatus {
  if (summaries.some((s) => s.aborted)) return 'failed';
  if (summaries.some((s) => s.refused)) return 'refused';
  if (summaries.some((s) => s.failed.length > 0)) return 'partial';
  return 'ok';
}

export function scopeOf(settings: Settings, agenda: AgendaKind, folder: ServerFolder): string {
  return `${settings.crm.user}|${agenda}|${folder.id}`;
}

/** The folders an agenda syncs with: as configured (by id, path or name), else the default. */
export function foldersFor(
  settings: Settings,
  agenda: AgendaKind,
  all: readonly ServerFolder[],
): ServerFolder[] {
  const ofKind = all.filter((f) => f.kinds.includes(agenda));
  const wanted = settings.agendas[agenda].folders;
  if (agenda !== 'contacts' && settings.agendas[agenda].allFolders) {
    // "All calendars / all task folders": every one, the default first (it gets new CRM items).
    const first = ofKind.find((f) => isDefaultFor(f, agenda)) ?? ofKind[0];
    if (first) return [first, ...ofKind.filter((f) => f !== first)];
  }
  if (wanted.length === 0) {
    const folder = ofKind.find((f) => isDefaultFor(f, agenda)) ?? ofKind[0];
    if (!folder) {
      throw new ServerError(`The server has no folder for ${agenda}.`, {
        code: 'no-folder-for-agenda',
        params: { agenda },
      });
    }
    return [folder];
  }
  return wanted.map((w) => {
    const folder =
      ofKind.find((f) => f.id === w) ??
      ofKind.find((f) => f.path === w) ??
      ofKind.find((f) => f.displayName.toLowerCase() === w.toLowerCase());
    if (!folder) {
      const names = ofKind.map((f) => `"${f.path}"`).join(', ') || 'none';
      throw new ConfigError(
        `agendas.${agenda}.folders: the server has no ${agenda} folder "${w}" (it has ${names}).`,
      );
    }
    return folder;
  });
}

/** Whether the agenda's configured folders (or its default) are all in the list. */
function resolves(
  settings: Settings,
  agenda: AgendaKind,
  folders: readonly ServerFolder[],
): boolean {
  try {
    foldersFor(settings, agenda, folders);
    return true;
  } catch {
    return false;
  }
}

/**
 * Failures that concern the whole server, not one folder (wrong password, unknown host,
 * untrusted certificate, no such mailbox): at a run's first contact they end the run as a
 * failed folder listing does. The connector says which codes these are.
 */
function isServerWide(connector: ServerConnector, err: unknown): boolean {
  return err instanceof ServerError && isServerWideFailure(connector, err.code);
}

interface FolderJob {
  req: SyncRequest;
  /** The agenda whose settings apply. */
  agenda: AgendaKind;
  folder: ServerFolder;
  scope: string;
  /** What the connector reads from the folder (tasks shown in the calendar: events). */
  sessionKind: AgendaKind;
  primary: boolean;
  otherScopes: string[];
  ownerId: number;
  /** Who the CRM user is on the server (agendas.tasks.ownerOnly). */
  ownerIdentity: OwnerIdentity;
  runId: number;
  now: Date;
  dryRun: boolean;
  tasksAsEvents: boolean;
  /** Which CRM items and server items of the folder this job is about (default: all). */
  crmFilter?: (item: CrmItem) => boolean;
  serverFilter?: (item: MirrorItem) => boolean;
  /** The run's first request to the server (see runSync). */
  firstContact?: boolean;
}

async function syncFolder(job: FolderJob): Promise<AgendaSummary> {
  const { req, agenda, folder, scope } = job;
  const { db, settings } = req;
  const label = job.sessionKind === agenda ? folder.path : `${folder.path}, as calendar items`;
  const summary = emptyCounts(agenda, label);
  const progress = (phase: ProgressEvent['phase'], done = 0, total = 0): void =>
    req.onProgress?.({ agenda, folder: folder.path, phase, done, total });

  const context = planContext(job);
  const mark = loadIdleMark(db, scope);
  let session: ServerFolderSession;
  // Only the versions for now: the items' data is read when there is something to plan.
  const { versions: known, unread } = loadMirrorVersions(db, scope);
  progress('reading');
  let read: ServerChanges;
  try {
    session = await req.connector.openFolder(folder, job.sessionKind);
    // An item not read last time is not reported again after the token: list everything
    // (only what differs from the mirror's versions is fetched) until it reads.
    read = await session.readChanges(unread ? null : loadFolderToken(db, scope), known);
  } catch (err) {
    if (job.firstContact && isServerWide(req.connector, err)) throw err;
    return { ...summary, ...abortedBy(err) };
  }
  const idle =
    !job.dryRun &&
    !unread &&
    req.restoreServer !== true &&
    serverReportsNothing(read) &&
    idleMarkHolds(mark, {
      fingerprint: context.fingerprint,
      nowMs: job.now.getTime(),
      crmChangedSince: (seq) => entityChangedSince(db, seq, ENTITY_OF_AGENDA[agenda]),
    });
  if (idle) {
    // Neither side changed since a run that had nothing to do: it would plan the same.
    db.transaction(() => saveFolderToken(db, scope, folder.path, read.token))();
    progress('done');
    return { ...summary, skipped: mark.skipped, skippedBy: { ...mark.skippedBy } };
  }
  const mirror = loadMirror(db, scope);
  let changes: ServerChanges;
  try {
    // What a listing left out goes only once the server confirms it (listed-deletions.ts).
    changes = await confirmListedDeletions(mirror, read, session);
  } catch (err) {
    if (job.firstContact && isServerWide(req.connector, err)) throw err;
    return { ...summary, ...abortedBy(err) };
  }
  const update = applyServerChanges(mirror, changes);
  for (const f of changes.failures)
    summary.failed.push({
      label: f.label,
      cause: f.cause,
      side: 'server',
      ...(f.code === undefined ? {} : { code: f.code, params: { ...(f.params ?? {}) } }),
    });

  progress('planning');
  const pairings = loadPairings(db, scope);
  const { rules } = context;
  // Taken before the rows are read: a change made while they are read is after the mark.
  const crmSeq = latestChangeSeq(db);
  const crm = crmSnapshots(db, job, context.elsewhere);
  const mirrored = [...update.mirror.values()];
  const server = job.serverFilter ? mirrored.filter(job.serverFilter) : mirrored;
  const actions = planAgenda({
    rules,
    crm,
    server,
    pairings,
    crmCategoryNames: context.crmCategoryNames,
    crmHashAfter: crmHashAfter(job),
    serverAsStored: session.asStored?.bind(session),
  });

  const refusal = req.forceDeletes
    ? null
    : guardRefusal({
        actions,
        tracked: pairings.length,
        emptyListing: update.emptyListing && req.restoreServer !== true,
        folderName: folder.path,
        limits: settings.guard,
      });
  if (refusal) {
    // Nothing is kept of this run, not even the new token: the next run sees the same.
    return {
      ...summary,
      refused: refusal.message,
      refusedCode: { code: refusal.code, params: refusal.params },
      planned: job.dryRun ? actions : undefined,
    };
  }
  if (job.dryRun) {
    for (const action of actions) {
      req.onAction?.(agenda, {
        action,
        outcome: 'skipped',
        notes: [],
        crmId: null,
        serverId: null,
      });
    }
    return { ...summary, planned: actions };
  }

  const worthJournaling = journalFilter(db, scope, update.upserted, crm);
  // The mirror and token go first: if the run dies below, the next run re-plans the same.
  db.transaction(() => {
    for (const id of update.removed) deleteMirrorItem(db, scope, id);
    for (const item of update.upserted) putMirrorItem(db, scope, item);
    saveFolderToken(db, scope, folder.path, changes.token);
    dropIdleMark(db, scope);
  })();
  if (changes.fallbackReason) summary.notes.push(changes.fallbackReason);

  progress('writing', 0, actions.length);
  let done = 0;
  const ports = executorPorts(job, scope, session, (result) => {
    countResult(summary, result);
    if (worthJournaling(result)) journal(job, scope, result);
    req.onAction?.(agenda, result);
    progress('writing', ++done, actions.length);
  });
  const { results, aborted } = await executePlan(actions, ports);
  if (aborted) Object.assign(summary, abortedBy(aborted));
  const wroteServer = results.some(
    (r) => r.outcome === 'done' && r.action.kind.endsWith('-server'),
  );
  if (wroteServer && !aborted && session.netChangesSinceToken === true) {
    await catchUpAfterWrites(db, scope, folder, session);
  }
  if (!aborted && nothingToDo(results, summary, pairings)) {
    const nowMs = job.now.getTime();
    const items = function* () {
      for (const c of crm) yield c.data;
      for (const m of server) if (m.data !== null) yield m.data;
    };
    saveIdleMark(db, scope, {
      crmSeq,
      fingerprint: context.fingerprint,
      validFrom: nowMs,
      validUntil: context.span ? windowStableUntil(items(), nowMs, context.span) : null,
      skipped: summary.skipped,
      skippedBy: { ...summary.skippedBy },
    });
  }
  progress('done', actions.length, actions.length);
  return summary;
}

/**
 * A run the next one may stand on (idle-marks.ts): every action was a filter's skip,
 * nothing failed on either side, and no server write is waiting for its answer.
 */
function nothingToDo(
  results: readonly ExecutedAction[],
  summary: AgendaSummary,
  pairings: readonly Pairing[],
): boolean {
  return (
    summary.failed.length === 0 &&
    results.every(
      (r) => r.action.kind === 'skip' && r.outcome === 'skipped' && r.error === undefined,
    ) &&
    pairings.every((p) => (p.sentHash ?? null) === null && pendingStamp(p.serverId) === null)
  );
}

/** What a folder's plan is made from besides the items of both sides, and its fingerprint. */
interface PlanContext {
  rules: AgendaRules;
  crmCategoryNames: string[];
  /** CRM ids paired with the agenda's other folders: this folder leaves them alone. */
  elsewhere: Set<number>;
  /** The day window's size, for agendas that have one. */
  span: WindowSpan | null;
  fingerprint: string;
}

function planContext(job: FolderJob): PlanContext {
  const { req, agenda } = job;
  const { db, settings } = req;
  const branch = agenda === 'contacts' ? branchOf(db, settings) : null;
  const rules: AgendaRules = {
    ...deriveRules(settings, agenda, job.now, branch, job.ownerIdentity),
    createOnServer: job.primary,
    organizer: ownerMailboxOf(db, req.connector, job.ownerId),
    restoreServer: req.restoreServer === true,
  };
  const crmCategoryNames = categoryNames(db, agenda);
  const elsewhere = new Set<number>();
  for (const other of job.otherScopes) for (const id of pairedCrmIds(db, other)) elsewhere.add(id);
  const span =
    agenda === 'contacts'
      ? null
      : {
          daysPast: settings.agendas[agenda].daysPast,
          daysFuture: settings.agendas[agenda].daysFuture,
          importFrom: rules.importFrom,
        };
  // The window itself moves with every run: its size goes in, and the mark says how long
  // the items stay where they are (window-edges.ts).
  const fingerprint = planFingerprint({
    version: PRODUCT_VERSION,
    rules: { ...rules, window: null },
    span,
    crmCategoryNames,
    // Activity groups are not in the change log; the CRM's are few.
    groups: agenda === 'contacts' ? [] : [...namesOf(db, 'activity_groups').values()].sort(),
    elsewhere,
    ownerId: job.ownerId,
    sessionKind: job.sessionKind,
    tasksAsEvents: job.tasksAsEvents,
  });
  return { rules, crmCategoryNames, elsewhere, span, fingerprint };
}

/**
 * Reads the folder once more after our own writes, so the token moves past them: for a
 * session whose tokens report only the net difference (`netChangesSinceToken`), an item we
 * created and someone deleted before the next run would otherwise never be reported gone.
 * Our own writes are in the mirror already with their versions, so only others' changes
 * come back.
 */
async function catchUpAfterWrites(
  db: CrmDatabase,
  scope: string,
  folder: ServerFolder,
  session: ServerFolderSession,
): Promise<void> {
  const mirror = loadMirror(db, scope);
  const known = knownVersions(mirror);
  let changes;
  try {
    const read = await session.readChanges(loadFolderToken(db, scope), known);
    changes = await confirmListedDeletions(mirror, read, session);
  } catch {
    return; // the next run starts from the previous token: nothing is lost
  }
  const update = applyServerChanges(mirror, changes);
  db.transaction(() => {
    for (const id of update.removed) deleteMirrorItem(db, scope, id);
    for (const item of update.upserted) putMirrorItem(db, scope, item);
    saveFolderToken(db, scope, folder.path, changes.token);
  })();
}

function branchOf(
  db: CrmDatabase,
  settings: Settings,
): { nodeIds: Set<number>; rootId: number } | null {
  const path = settings.agendas.contacts.classificationBranch;
  const nodeIds = classificationSubtree(db, path);
  if (!nodeIds) return null;
  const root = findNodeByPath(db, path);
  return root ? { nodeIds, rootId: root.id } : null;
}

/** The ORGANIZER given to meetings exported without one (organizer.ts). */
function ownerMailboxOf(db: CrmDatabase, connector: ServerConnector, ownerId: number) {
  const user = getUser(db, ownerId);
  return user ? ownMailbox(connector.ownAddresses ?? [], user) : null;
}

function categoryNames(db: CrmDatabase, agenda: AgendaKind): string[] {
  const kind = agenda === 'events' ? 'event' : agenda === 'tasks' ? 'task' : 'contact';
  return listCategories(db)
    .filter((c) => c.kind === kind || c.kind === 'any')
    .map((c) => c.name);
}

function snapshotOf(item: CrmItem): CrmSnapshot {
  return {
    crmId: item.crmId,
    identity: item.identity,
    data: item.data,
    hash: contentHash(item.data),
    modifiedAt: item.modifiedAt,
    facts: item.facts,
  };
}

/** The agenda's CRM items this folder may see: not those paired with another folder. */
function crmSnapshots(
  db: CrmDatabase,
  job: FolderJob,
  elsewhere: ReadonlySet<number>,
): CrmSnapshot[] {
  return listCrmItems(db, job.agenda, { ownerId: job.ownerId, tasksAsEvents: job.tasksAsEvents })
    .filter((i) => !elsewhere.has(i.crmId) && (job.crmFilter?.(i) ?? true))
    .map(snapshotOf);
}

/** What a CRM row's content hash would be after taking a server copy (nothing written). */
function crmHashAfter(job: FolderJob): PlanInput['crmHashAfter'] {
  const entity = ENTITY_OF_AGENDA[job.agenda];
  const ctx = { ownerId: job.ownerId, origin: `sync-run:${job.runId}` };
  const options = { tasksAsEvents: job.tasksAsEvents };
  return (crmId, data, extras) => {
    const write = { data, identity: { uid: '', crmStamp: null }, extras };
    const after = previewCrmUpdate(job.req.db, entity, crmId, write, ctx, options);
    return after ? contentHash(after.data) : undefined;
  };
}

function executorPorts(
  job: FolderJob,
  scope: string,
  session: ServerFolderSession,
  onExecuted: (r: ExecutedAction) => void,
): ExecutorPorts {
  const { db } = job.req;
  const entity = ENTITY_OF_AGENDA[job.agenda];
  const ctx = { ownerId: job.ownerId, origin: `sync-run:${job.runId}` };
  const reRead = (crmId: number) => {
    const item = getCrmItem(db, entity, crmId, { tasksAsEvents: job.tasksAsEvents });
    if (!item) throw new Error(`CRM row ${entity} ${crmId} vanished right after it was written.`);
    return item;
  };
  return {
    crm: {
      create(data, identity, extras) {
        const r = applyCrmWrite(db, { op: 'create', entity, data, identity, extras }, ctx);
        const item = reRead(r.crmId);
        return {
          crmId: r.crmId,
          hash: contentHash(item.data),
          identity: item.identity,
          notes: r.notes.map((n) => n.message),
          noteCodes: r.notes.map((n) => ({ code: n.code, params: n.params })),
        };
      },
      update(crmId, data, identity, extras) {
        const r = applyCrmWrite(db, { op: 'update', entity, crmId, data, identity, extras }, ctx);
        const item = reRead(r.crmId);
        return {
          crmId: r.crmId,
          hash: contentHash(item.data),
          identity: item.identity,
          notes: r.notes.map((n) => n.message),
          noteCodes: r.notes.map((n) => ({ code: n.code, params: n.params })),
        };
      },
      remove(crmId, reason) {
        applyCrmWrite(db, { op: 'delete', entity, crmId, reason }, ctx);
      },
      keepUid(crmId, uid) {
        keepServerUid(db, entity, crmId, uid, ctx);
      },
    },
    server: {
      create: (data, identity) => session.create(data, identity),
      update: (serverId, version, data, identity, previous) =>
        session.update(serverId, version, data, identity, previous),
      remove: (serverId, version) => session.remove(serverId, version),
    },
    state: {
      transaction: (fn) => db.transaction(fn)(),
      savePairing: (p) => savePairing(db, scope, p),
      markSent: (crmId, hash) => markPairingSent(db, scope, crmId, hash),
      deletePairing: (crmId) => deletePairing(db, scope, crmId),
      putMirror: (m) => putMirrorItem(db, scope, m),
      deleteMirror: (id) => deleteMirrorItem(db, scope, id),
      serverCopy: (id, version) => loadServerCopy(db, scope, id, version),
    },
    onExecuted,
  };
}

/**
 * Which results go to the journal: all but an item a filter keeps out that is unchanged
 * since the folder's last run (it is counted every run, but journaled when it first
 * appears and whenever it changes), so the journal says why without growing every run.
 */
function journalFilter(
  db: CrmDatabase,
  scope: string,
  serverChanged: readonly MirrorItem[],
  crm: readonly CrmSnapshot[],
): (r: ExecutedAction) => boolean {
  const since = loadFolderSyncTime(db, scope);
  const changedOnServer = new Set(serverChanged.map((m) => m.serverId));
  const crmModified = new Map(crm.map((c) => [c.crmId, c.modifiedAt]));
  return (r) => {
    if (since === null || skippedFilter(r.action.reasonCode) === null) return true;
    if (r.serverId !== null && changedOnServer.has(r.serverId)) return true;
    if (r.crmId === null) return false;
    const modified = crmModified.get(r.crmId);
    return modified === undefined || modified === null || modified > since;
  };
}

function journal(job: FolderJob, scope: string, r: ExecutedAction): void {
  const a: PlannedAction = r.action;
  const notes = r.notes.length ? ` (${r.notes.join('; ')})` : '';
  addJournalEntry(job.req.db, job.runId, {
    agenda: job.agenda,
    scope,
    action: a.kind,
    crmId: r.crmId,
    serverId: r.serverId,
    label: a.label,
    reason: a.reason + notes,
    reasonCode: a.reasonCode,
    reasonParams: {
      ...a.reasonParams,
      ...(r.notes.length ? { notes: r.notes.join('; ') } : {}),
      // The notes' and the error's codes, for the app to word them (JSON: a reason's
      // parameters are flat values; the journal has no column of its own for them).
      ...(r.noteCodes?.length ? { noteCodes: JSON.stringify(r.noteCodes) } : {}),
      ...(r.errorCode
        ? { errorCode: r.errorCode.code, errorParams: JSON.stringify(r.errorCode.params) }
        : {}),
    },
    outcome: r.outcome,
    error: r.error ?? null,
    conflict: a.conflict === true,
  });
}
