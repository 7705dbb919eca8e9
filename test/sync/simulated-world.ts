/**
 * An in-memory CRM and server behind the real planner and executor, for property tests of
 * the sync semantics without I/O.
 */
import { contentHash } from '../../src/core/model/content-hash.ts';
import type { EventData, ItemIdentity } from '../../src/core/model/items.ts';
import { executePlan } from '../../src/core/sync/executor.ts';
import { planAgenda } from '../../src/core/sync/planner.ts';
import type { AgendaRules } from '../../src/core/sync/rules.ts';
import type { MirrorItem, Pairing } from '../../src/core/sync/state.ts';
import type { PlannedAction } from '../../src/core/sync/plan.ts';
import { VersionConflictError } from '../../src/core/servers/errors.ts';

export interface CrmRow {
  data: EventData;
  identity: ItemIdentity;
  modifiedAt: string;
}

export interface ServerRow {
  data: EventData;
  version: string;
  identity: ItemIdentity;
  modifiedAt: string;
}

export type ServerFault = 'refuse' | 'lose-reply' | null;

export class World {
  crm = new Map<number, CrmRow>();
  server = new Map<string, ServerRow>();
  pairings = new Map<number, Pairing>();
  mirror = new Map<string, MirrorItem>();
  private clock = Date.parse('2026-01-10T08:00:00Z');
  private nextCrmId = 1;
  private nextServerId = 1;
  private nextVersion = 1;
  readonly rules: AgendaRules;
  /**
   * Called before each server write the engine makes (it may change the world meanwhile):
   * "refuse" fails the write, "lose-reply" carries it out but fails it as if the answer never
   * came, as when the run dies between the write and its pairing row.
   */
  serverFault:
    ((op: 'create' | 'update' | 'remove', serverId: string | null) => ServerFault) | null = null;

  constructor(rules: AgendaRules) {
    this.rules = rules;
  }

  tick(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString();
  }

  crmCreate(data: EventData, uid = ''): number {
    const id = this.nextCrmId++;
    this.crm.set(id, {
      data,
      identity: { uid: uid || `crm-uid-${id}`, crmStamp: `event:${id}` },
      modifiedAt: this.tick(),
    });
    return id;
  }

  crmEdit(id: number, data: EventData): void {
    const row = this.crm.get(id);
    if (row) this.crm.set(id, { ...row, data, modifiedAt: this.tick() });
  }

  serverCreate(data: EventData, identity?: ItemIdentity): string {
    const id = `/cal/${this.nextServerId++}.ics`;
    this.server.set(id, {
      data,
      version: `v${this.nextVersion++}`,
      identity: identity ?? { uid: `srv-uid-${id}`, crmStamp: null },
      modifiedAt: this.tick(),
    });
    return id;
  }

  serverEdit(id: string, data: EventData): void {
    const row = this.server.get(id);
    if (row)
      this.server.set(id, {
        ...row,
        data,
        version: `v${this.nextVersion++}`,
        modifiedAt: this.tick(),
      });
  }

  /** One run: the "change feed" here is a full listing into the mirror. */
  async sync(): Promise<PlannedAction[]> {
    this.mirror = new Map();
    for (const [serverId, row] of this.server) {
      this.mirror.set(serverId, {
        serverId,
        version: row.version,
        uid: row.identity.uid,
        crmStamp: row.identity.crmStamp,
        data: row.data,
        hash: contentHash(row.data),
        modifiedAt: row.modifiedAt,
        error: null,
      });
    }
    const actions = planAgenda({
      rules: this.rules,
      crm: [...this.crm].map(([crmId, row]) => ({
        crmId,
        identity: row.identity,
        data: row.data,
        hash: contentHash(row.data),
        modifiedAt: row.modifiedAt,
        facts: { ownerId: 1, groupName: null, classificationNodeId: null, showInCalendar: false },
      })),
      server: [...this.mirror.values()],
      pairings: [...this.pairings.values()],
      crmCategoryNames: [],
    });
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the ports below close over the world
    const world = this;
    await executePlan(actions, {
      crm: {
        create(data, identity) {
          const id = world.crmCreate(data as EventData, identity.uid);
          const row = world.crm.get(id)!;
          return { crmId: id, hash: contentHash(row.data), identity: row.identity, notes: [] };
        },
        update(crmId, data) {
          world.crmEdit(crmId, data as EventData);
          const row = world.crm.get(crmId)!;
          return { crmId, hash: contentHash(row.data), identity: row.identity, notes: [] };
        },
        remove(crmId) {
          world.crm.delete(crmId);
        },
        keepUid(crmId, uid) {
          const row = world.crm.get(crmId);
          if (row && !row.identity.uid) row.identity = { ...row.identity, uid };
        },
      },
      server: {
        async create(data, identity) {
          const fault = world.serverFault?.('create', null) ?? null;
          if (fault === 'refuse') throw new Error('refused');
          const id = world.serverCreate(data as EventData, identity);
          if (fault === 'lose-reply') throw new Error('the answer was lost');
          return { serverId: id, version: world.server.get(id)!.version };
        },
        async update(serverId, version, data, identity) {
          const fault = world.serverFault?.('update', serverId) ?? null;
          if (fault === 'refuse') throw new Error('refused');
          const row = world.server.get(serverId);
          if (!row || row.version !== version) throw new VersionConflictError(serverId);
          world.server.set(serverId, {
            ...row,
            identity: { ...row.identity, crmStamp: identity.crmStamp },
          });
          world.serverEdit(serverId, data as EventData);
          if (fault === 'lose-reply') throw new Error('the answer was lost');
          return { serverId, version: world.server.get(serverId)!.version };
        },
        async remove(serverId) {
          const fault = world.serverFault?.('remove', serverId) ?? null;
          if (fault === 'refuse') throw new Error('refused');
          world.server.delete(serverId);
          if (fault === 'lose-reply') throw new Error('the answer was lost');
        },
      },
      state: {
        transaction: (fn) => fn(),
        savePairing(p) {
          for (const [k, v] of world.pairings)
            if (v.serverId === p.serverId) world.pairings.delete(k);
          world.pairings.set(p.crmId, p);
        },
        markSent(crmId, hash) {
          const p = world.pairings.get(crmId);
          if (p) world.pairings.set(crmId, { ...p, sentHash: hash });
        },
        deletePairing(crmId) {
          world.pairings.delete(crmId);
        },
        putMirror() {},
        deleteMirror() {},
      },
      onExecuted() {},
    });
    return actions;
  }
}
