/**
 * Carries out a plan, one item at a time. A CRM write and its pairing row commit together.
 * A server write cannot commit with its pairing row, so it is noted on the row before it is
 * sent (what it sends: `sentHash`) and the row is written in full once the server answered;
 * should the process die in between, the next run finds the server copy by the CRM id
 * stamped on it and takes it for this write, not for a change made on the server. One item
 * failing is journaled with its cause and the run goes on.
 */
import { setImmediate } from 'node:timers/promises';
import { describeCause } from '../errors.ts';
import { codedMessageOf } from '../../shared/message-codes.ts';
import type { CodedMessage } from '../../shared/message-codes.ts';
import { ServerError, VersionConflictError } from '../servers/errors.ts';
import { contentHash } from '../model/content-hash.ts';
import type { ItemData, ItemIdentity } from '../model/items.ts';
import type { CrmWriteExtras, PlannedAction } from './plan.ts';
import { pendingServerId } from './state.ts';
import type { MirrorItem, Pairing } from './state.ts';

/** The CRM store as the executor needs it. Each call is one transaction of its own. */
export interface CrmPort {
  create(data: ItemData, identity: ItemIdentity, extras: CrmWriteExtras): CrmWriteOutcome;
  update(
    crmId: number,
    data: ItemData,
    identity: ItemIdentity,
    extras: CrmWriteExtras,
  ): CrmWriteOutcome;
  /** Moves the row to the sync trash. */
  remove(crmId: number, reason: string): void;
  /**
   * Records the server's UID on a row that has none yet (rows created in the CRM), so the
   * identity is kept on both sides; a row with a UID keeps its own.
   */
  keepUid(crmId: number, uid: string): void;
}

export interface CrmWriteOutcome {
  crmId: number;
  /** Content hash of the row as the CRM now holds it (re-read after the write). */
  hash: string;
  /** The CRM stamp of the row, for pairing. */
  identity: ItemIdentity;
  /** Things worth telling the user ("linked to 2 persons with jan@firma.cz"). */
  notes: string[];
  /** The same notes' codes and parameters, for the app to word them (renderer note.<code>). */
  noteCodes?: CodedNote[];
}

/** A CRM-side note's code (crm-side CrmWriteNoteCode) and parameters. */
export interface CodedNote {
  code: string;
  params: Record<string, string | number>;
}

/**
 * A server write's answer; `uid`: the UID the item was written with, when it says;
 * `source`: the server's copy of the new version, when the server stored what was sent.
 */
export interface ServerWritten {
  serverId: string;
  version: string;
  uid?: string;
  source?: string;
}

export interface ServerPort {
  create(data: ItemData, identity: ItemIdentity): Promise<ServerWritten>;
  /** `previous`: the server's copy of `version` the mirror holds, if any (connector.ts). */
  update(
    serverId: string,
    version: string,
    data: ItemData,
    identity: ItemIdentity,
    previous?: string,
  ): Promise<ServerWritten>;
  remove(serverId: string, version: string): Promise<void>;
}

/** Pairing state and mirror; `transaction` wraps a CRM write with its state rows. */
export interface StatePort {
  transaction<T>(fn: () => T): T;
  savePairing(p: Pairing): void;
  /** Notes the content hash of a server write about to be sent on the item's pairing row. */
  markSent(crmId: number, hash: string): void;
  deletePairing(crmId: number): void;
  putMirror(item: MirrorItem): void;
  deleteMirror(serverId: string): void;
  /** The server's copy of the item at `version` the mirror holds; absent: none kept. */
  serverCopy?(serverId: string, version: string): string | undefined;
}

export type Outcome = 'done' | 'failed' | 'skipped';

export interface ExecutedAction {
  action: PlannedAction;
  outcome: Outcome;
  /** Set when outcome is failed, or for a skip decided at execution (stale version). */
  error?: string;
  /** The error's code, for the app to word it (when the failure has one). */
  errorCode?: CodedMessage;
  notes: string[];
  noteCodes?: CodedNote[];
  /** CRM id after the action (new rows get theirs here). */
  crmId: number | null;
  serverId: string | null;
}

export interface ExecutorPorts {
  crm: CrmPort;
  server: ServerPort;
  state: StatePort;
  /** Called after each action, for the journal and progress. */
  onExecuted(result: ExecutedAction): void;
}

function withCode(err: unknown): { errorCode?: CodedMessage } {
  const coded = codedMessageOf(err);
  return coded === undefined ? {} : { errorCode: coded };
}

/**
 * A server failure that makes going on pointless (credentials refused). Transient ones
 * (timeouts, 5xx, a dropped connection) fail the item only: the others may still pass.
 */
function isFatal(err: unknown): err is ServerError {
  return err instanceof ServerError && !err.transient;
}

/**
 * Actions between two turns of the event loop. CRM writes are synchronous, so a long run of
 * them never lets the loop turn: the engine host could not answer messages meanwhile, and
 * every SQLite statement prepared on the way stays in memory (better-sqlite3 frees them in
 * finalizers that wait for the loop): `npm run bench`'s initial sync (7,500 CRM writes)
 * peaked at 1.6 GB RSS without these turns, 0.7 GB with them.
 */
const ACTIONS_PER_TURN = 100;

export async function executePlan(
  actions: readonly PlannedAction[],
  ports: ExecutorPorts,
): Promise<{ results: ExecutedAction[]; aborted: ServerError | null }> {
  const results: ExecutedAction[] = [];
  for (const action of actions) {
    if (results.length > 0 && results.length % ACTIONS_PER_TURN === 0) await setImmediate();
    let result: ExecutedAction;
    try {
      result = await executeOne(action, ports);
    } catch (err) {
      result = {
        action,
        outcome: 'failed',
        error: describeCause(err),
        ...withCode(err),
        notes: [],
        crmId: 'crmId' in action ? action.crmId : null,
        serverId: 'serverId' in action ? action.serverId : null,
      };
      results.push(result);
      ports.onExecuted(result);
      if (isFatal(err)) return { results, aborted: err };
      continue;
    }
    results.push(result);
    ports.onExecuted(result);
  }
  return { results, aborted: null };
}

function mirrorOf(written: ServerWritten, data: ItemData, identity: ItemIdentity): MirrorItem {
  return {
    serverId: written.serverId,
    version: written.version,
    uid: identity.uid,
    crmStamp: identity.crmStamp,
    data,
    hash: contentHash(data),
    modifiedAt: new Date().toISOString(),
    error: null,
    // Without it the row keeps no copy of the new version: the next update reads the item.
    ...(written.source === undefined ? {} : { source: written.source }),
  };
}

/**
 * After a server create or update: its pairing row and mirror entry, and the UID it was
 * written with on the CRM row, in one transaction.
 */
function recordServerWrite(
  ports: ExecutorPorts,
  action: PlannedAction & { kind: 'create-server' | 'update-server' },
  written: ServerWritten,
): void {
  const { state, crm } = ports;
  const identity = { ...action.identity, uid: written.uid || action.identity.uid };
  state.transaction(() => {
    state.savePairing({
      crmId: action.crmId,
      serverId: written.serverId,
      uid: identity.uid,
      crmHash: action.crmHash,
      serverHash: contentHash(action.data),
      serverVersion: written.version,
      categories: action.categories,
    });
    state.putMirror(mirrorOf(written, action.data, identity));
    if (identity.uid) crm.keepUid(action.crmId, identity.uid);
  });
}

/** A server write refused because the server copy changed since it was read. */
function staleVersion(
  action: PlannedAction & { crmId: number; serverId: string },
  what: string,
): ExecutedAction {
  return {
    action,
    outcome: 'skipped',
    error: `changed on the server during the run; ${what} on the next run`,
    notes: [],
    crmId: action.crmId,
    serverId: action.serverId,
  };
}

async function executeOne(action: PlannedAction, ports: ExecutorPorts): Promise<ExecutedAction> {
  const { crm, server, state } = ports;
  const done = (
    crmId: number | null,
    serverId: string | null,
    notes: string[] = [],
    noteCodes?: CodedNote[],
  ): ExecutedAction => ({
    action,
    outcome: 'done',
    notes,
    ...(noteCodes === undefined ? {} : { noteCodes }),
    crmId,
    serverId,
  });

  switch (action.kind) {
    case 'create-server': {
      const stamp = action.identity.crmStamp;
      if (stamp) {
        // A create in flight: the next run looks for the stamped copy (see the planner).
        state.transaction(() =>
          state.savePairing({
            crmId: action.crmId,
            serverId: pendingServerId(stamp),
            uid: action.identity.uid,
            crmHash: action.crmHash,
            serverHash: '',
            serverVersion: '',
            sentHash: contentHash(action.data),
          }),
        );
      }
      const created = await server.create(action.data, action.identity);
      recordServerWrite(ports, action, created);
      return done(action.crmId, created.serverId);
    }
    case 'update-server': {
      state.transaction(() => state.markSent(action.crmId, contentHash(action.data)));
      let written: ServerWritten;
      try {
        written = await server.update(
          action.serverId,
          action.version,
          action.data,
          action.identity,
          state.serverCopy?.(action.serverId, action.version),
        );
      } catch (err) {
        // Someone changed it on the server meanwhile: the next run reads it and re-plans.
        if (err instanceof VersionConflictError) return staleVersion(action, 'it is merged');
        throw err;
      }
      if (written.serverId !== action.serverId) {
        state.transaction(() => state.deleteMirror(action.serverId));
      }
      recordServerWrite(ports, action, written);
      return done(action.crmId, written.serverId);
    }
    case 'delete-server': {
      try {
        await server.remove(action.serverId, action.version);
      } catch (err) {
        if (err instanceof VersionConflictError)
          return staleVersion(action, 'not deleted, it is looked at again');
        throw err;
      }
      state.transaction(() => {
        state.deletePairing(action.crmId);
        state.deleteMirror(action.serverId);
      });
      return done(action.crmId, action.serverId);
    }
    case 'create-crm': {
      const out = state.transaction(() => {
        const w = crm.create(action.data, action.identity, action.extras);
        state.savePairing({
          crmId: w.crmId,
          serverId: action.serverId,
          uid: action.identity.uid || w.identity.uid,
          crmHash: w.hash,
          serverHash: action.serverHash,
          serverVersion: action.serverVersion,
          categories: action.categories,
        });
        return w;
      });
      return done(out.crmId, action.serverId, out.notes, out.noteCodes);
    }
    case 'update-crm': {
      const out = state.transaction(() => {
        const w = crm.update(action.crmId, action.data, action.identity, action.extras);
        state.savePairing({
          crmId: w.crmId,
          serverId: action.serverId,
          uid: action.identity.uid || w.identity.uid,
          crmHash: w.hash,
          serverHash: action.serverHash,
          serverVersion: action.serverVersion,
          categories: action.categories,
        });
        return w;
      });
      return done(out.crmId, action.serverId, out.notes, out.noteCodes);
    }
    case 'delete-crm': {
      state.transaction(() => {
        crm.remove(action.crmId, action.reason);
        state.deletePairing(action.crmId);
      });
      return done(action.crmId, action.serverId);
    }
    case 'link': {
      state.transaction(() => {
        state.savePairing({
          crmId: action.crmId,
          serverId: action.serverId,
          uid: action.uid,
          crmHash: action.crmHash,
          serverHash: action.serverHash,
          serverVersion: action.serverVersion,
          categories: action.categories,
        });
        // E.g. a create whose answer was lost: the server copy found has the UID.
        if (action.uid) crm.keepUid(action.crmId, action.uid);
      });
      return done(action.crmId, action.serverId);
    }
    case 'untrack': {
      state.transaction(() => state.deletePairing(action.crmId));
      return done(action.crmId, action.serverId);
    }
    case 'skip':
      return {
        action,
        outcome: 'skipped',
        notes: [],
        crmId: action.crmId,
        serverId: action.serverId,
      };
  }
}
