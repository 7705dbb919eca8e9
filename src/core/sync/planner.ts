/**
 * The planner: a pure function from (pairings, CRM items, server items, rules) to the
 * actions of one run, each with its reason. Same input, same plan.
 *
 * A side "changed" when its content hash differs from the one recorded at the last sync
 * (for the server: and its version differs too, so our own writes coming back are not
 * taken for edits). Deletions are paired items missing on one side. Items that leave a
 * filter are untracked, never deleted on the other side.
 */
import { contentHash } from './hash.ts';
import type { ItemData, ItemIdentity } from './model.ts';
import { crmCategoryFor, serverCategoriesFor } from './categories.ts';
import { crmVerdict, labelOf, serverVerdict } from './filters.ts';
import type { CrmSnapshot, CrmWriteExtras, PlanInput, PlannedAction } from './plan.ts';
import { because } from './reasons.ts';
import type { Reason, ReasonCode } from './reasons.ts';
import { pendingStamp } from './state.ts';
import type { MirrorItem, Pairing } from './state.ts';

type ReadableMirrorItem = MirrorItem & { data: ItemData };

const readable = (m: MirrorItem | undefined): m is ReadableMirrorItem => !!m && m.data !== null;

export function planAgenda(input: PlanInput): PlannedAction[] {
  return new Planner(input).run();
}

class Planner {
  private readonly input: PlanInput;
  private readonly actions: PlannedAction[] = [];
  private readonly crmById = new Map<number, CrmSnapshot>();
  private readonly serverById = new Map<string, MirrorItem>();
  private readonly handledCrm = new Set<number>();
  private readonly handledServer = new Set<string>();

  constructor(input: PlanInput) {
    this.input = input;
    for (const c of input.crm) this.crmById.set(c.crmId, c);
    for (const s of input.server) this.serverById.set(s.serverId, s);
  }

  private get rules() {
    return this.input.rules;
  }

  private get writesServer(): boolean {
    return this.rules.direction !== 'import';
  }

  private get writesCrm(): boolean {
    return this.rules.direction !== 'export';
  }

  run(): PlannedAction[] {
    const pairings = [...this.input.pairings].sort((a, b) => a.crmId - b.crmId);
    for (const p of pairings) this.planPaired(p);
    this.planUnpairedCrm();
    this.planUnpairedServer();
    return this.actions;
  }

  // ---- items paired at the last sync ----

  private planPaired(p: Pairing): void {
    const stamp = pendingStamp(p.serverId);
    if (stamp !== null) {
      this.planInterruptedCreate(p, stamp);
      return;
    }
    const c = this.crmById.get(p.crmId);
    const s = this.serverById.get(p.serverId);
    this.handledCrm.add(p.crmId);
    this.handledServer.add(p.serverId);
    const label = c ? labelOf(c.data) : s?.data ? labelOf(s.data) : `#${p.crmId}`;
    const ids = { crmId: p.crmId, serverId: p.serverId, label };

    if (s && !readable(s)) {
      this.actions.push({
        kind: 'skip',
        ...ids,
        ...because('server-unreadable', { error: s.error ?? 'unknown error' }),
      });
      return;
    }
    if (!c && !s) {
      this.actions.push({ kind: 'untrack', ...ids, ...because('deleted-both-sides') });
      return;
    }
    const out = this.outOfFilter(c, s);
    if (out) {
      this.actions.push({ kind: 'untrack', ...ids, ...out });
      return;
    }

    // The last write to the server got there, but the run died before recording it: the
    // server copy is that write, and the CRM has changed since only if it differs from it.
    const landed =
      s !== undefined &&
      p.sentHash != null &&
      s.hash === p.sentHash &&
      s.version !== p.serverVersion;
    const crmChanged = c ? (s && landed ? !this.equivalent(c, s) : c.hash !== p.crmHash) : true;
    const serverChanged = s
      ? !landed && s.version !== p.serverVersion && s.hash !== p.serverHash
      : true;

    if (!c) {
      // Deleted in the CRM.
      if (s && serverChanged && this.writesCrm) {
        this.createCrm(s, because('deleted-in-crm-changed-on-server'), true);
      } else if (this.writesServer) {
        this.actions.push({
          kind: 'delete-server',
          ...ids,
          version: s ? s.version : p.serverVersion,
          ...because('deleted-in-crm'),
        });
      } else if (s) {
        this.createCrm(s, because('deleted-in-crm-import-only'), true);
      }
      return;
    }
    if (!s) {
      // Deleted on the server.
      if (crmChanged && this.writesServer) {
        this.createServer(c, because('deleted-on-server-changed-in-crm'), true);
      } else if (this.writesCrm) {
        this.actions.push({
          kind: 'delete-crm',
          ...ids,
          ...because('deleted-on-server'),
        });
      } else {
        this.createServer(c, because('deleted-on-server-export-only'), true);
      }
      return;
    }

    if (!crmChanged && !serverChanged) {
      if (landed) {
        this.actions.push(this.linkAction(c, s, because('interrupted-write-landed')));
      } else if (s.hash !== p.serverHash) {
        // Our own write came back (same version); remember how the server renders it.
        this.actions.push(this.linkAction(c, s, because('server-confirmed-write')));
      }
      return;
    }
    if (crmChanged && !serverChanged) {
      if (this.writesServer) this.updateServer(c, s, because('changed-in-crm'));
      else
        this.actions.push({
          kind: 'skip',
          ...ids,
          ...because('changed-in-crm-import-only'),
        });
      return;
    }
    if (!crmChanged && serverChanged) {
      if (this.writesCrm) this.updateCrm(c, s, because('changed-on-server'));
      else
        this.actions.push({
          kind: 'skip',
          ...ids,
          ...because('changed-on-server-export-only'),
        });
      return;
    }
    // Changed on both sides.
    if (this.equivalent(c, s)) {
      this.actions.push(this.linkAction(c, s, because('changed-both-same')));
      return;
    }
    this.resolveConflict(c, s);
  }

  /**
   * A create the last run sent but died before it heard back. If the copy got to the server
   * (found by its stamp), it is paired as that write, so that a CRM deletion meanwhile
   * deletes it rather than bringing it back. If it did not, the note is dropped and the CRM
   * item, if still there, is planned below as never paired.
   */
  private planInterruptedCreate(p: Pairing, stamp: string): void {
    const paired = new Set(this.input.pairings.map((q) => q.serverId));
    const s = this.input.server.find(
      (m) => m.crmStamp === stamp && !paired.has(m.serverId) && !this.handledServer.has(m.serverId),
    );
    if (s) {
      this.planPaired({ ...p, serverId: s.serverId, serverVersion: '' });
      return;
    }
    const c = this.crmById.get(p.crmId);
    this.actions.push({
      kind: 'untrack',
      crmId: p.crmId,
      serverId: p.serverId,
      label: c ? labelOf(c.data) : `#${p.crmId}`,
      ...because(c ? 'create-not-through' : 'deleted-before-sent'),
    });
  }

  private resolveConflict(c: CrmSnapshot, s: ReadableMirrorItem): void {
    const { direction, conflictPolicy } = this.rules;
    let winner: 'crm' | 'server';
    let reason: Reason;
    if (direction === 'import') {
      winner = 'server';
      reason = because('conflict-import-only');
    } else if (direction === 'export') {
      winner = 'crm';
      reason = because('conflict-export-only');
    } else if (conflictPolicy === 'server-wins') {
      winner = 'server';
      reason = because('conflict-server-wins');
    } else if (conflictPolicy === 'crm-wins') {
      winner = 'crm';
      reason = because('conflict-crm-wins');
    } else if (!s.modifiedAt || !c.modifiedAt) {
      winner = 'server';
      reason = because('conflict-no-time');
    } else {
      winner = c.modifiedAt > s.modifiedAt ? 'crm' : 'server';
      const times = { crmTime: c.modifiedAt, serverTime: s.modifiedAt };
      reason = because(winner === 'crm' ? 'conflict-newer-crm' : 'conflict-newer-server', times);
    }
    if (winner === 'crm') this.updateServer(c, s, reason, true);
    else this.updateCrm(c, s, reason, true);
  }

  // ---- items not paired yet ----

  private planUnpairedCrm(): void {
    const serverByStamp = new Map<string, ReadableMirrorItem>();
    const serverByUid = new Map<string, ReadableMirrorItem>();
    for (const s of this.input.server) {
      if (this.handledServer.has(s.serverId) || !readable(s)) continue;
      if (s.crmStamp && !serverByStamp.has(s.crmStamp)) serverByStamp.set(s.crmStamp, s);
      if (s.uid && !serverByUid.has(s.uid)) serverByUid.set(s.uid, s);
    }
    const crm = [...this.input.crm].sort((a, b) => a.crmId - b.crmId);
    for (const c of crm) {
      if (this.handledCrm.has(c.crmId)) continue;
      const match =
        (c.identity.crmStamp ? serverByStamp.get(c.identity.crmStamp) : undefined) ??
        (c.identity.uid ? serverByUid.get(c.identity.uid) : undefined);
      if (match && !this.handledServer.has(match.serverId)) {
        // The same item on both sides (e.g. the pairing state was lost): pair, never copy.
        this.handledCrm.add(c.crmId);
        this.handledServer.add(match.serverId);
        // A copy outside the filter: leave both alone rather than duplicate.
        if (this.outOfFilter(c, match)) continue;
        if (this.equivalent(c, match)) {
          this.actions.push(this.linkAction(c, match, because('found-by-identity')));
        } else {
          this.actions.push({
            ...this.linkAction(c, match, because('found-by-identity-different')),
            crmHash: '',
            serverHash: '',
          });
          this.resolveConflict(c, match);
        }
        continue;
      }
      if (crmVerdict(this.rules, c.data, c.facts)) continue;
      this.handledCrm.add(c.crmId);
      if (this.writesServer && this.rules.createOnServer)
        this.createServer(c, because('new-in-crm'));
    }
  }

  private planUnpairedServer(): void {
    const crmStamps = new Set(this.input.crm.map((c) => c.identity.crmStamp).filter(Boolean));
    const crmUids = new Set(this.input.crm.map((c) => c.identity.uid).filter(Boolean));
    const server = [...this.input.server].sort((a, b) => a.serverId.localeCompare(b.serverId));
    for (const s of server) {
      if (this.handledServer.has(s.serverId)) continue;
      if (!readable(s)) {
        this.actions.push({
          kind: 'skip',
          crmId: null,
          serverId: s.serverId,
          label: s.serverId,
          ...because('unreadable-on-server', { error: s.error ?? 'unknown error' }),
        });
        continue;
      }
      if (serverVerdict(this.rules, s.data)) continue;
      // Stamped by this CRM or sharing a UID with a CRM row that is outside the filter:
      // the CRM has it already, so importing would duplicate it.
      if ((s.crmStamp && crmStamps.has(s.crmStamp)) || (s.uid && crmUids.has(s.uid))) continue;
      if (this.writesCrm) this.createCrm(s, because('new-on-server'));
    }
  }

  /**
   * Why a pair is outside the sync, or null. Two-way, either copy decides; one-way, only
   * the master copy does (the other is overwritten anyway).
   */
  private outOfFilter(
    c: CrmSnapshot | undefined,
    s: ReadableMirrorItem | undefined,
  ): Reason | null {
    const { direction } = this.rules;
    if (c && direction !== 'import') {
      const v = crmVerdict(this.rules, c.data, c.facts);
      if (v) return because(`crm-${v.code}` satisfies ReasonCode, v.params);
    }
    if (s && direction !== 'export') {
      const v = serverVerdict(this.rules, s.data);
      if (v) return because(`server-${v.code}` satisfies ReasonCode, v.params);
    }
    return null;
  }

  // ---- building actions ----

  /** The CRM item as the server should hold it (categories translated, server-only kept). */
  private serverView(c: CrmSnapshot, existing: ItemData | null): ItemData {
    if (c.data.kind === 'contact') return c.data;
    const existingCategories = existing && existing.kind !== 'contact' ? existing.categories : [];
    const categories = serverCategoriesFor(
      this.rules.categories,
      c.data.categories,
      existingCategories,
      this.input.crmCategoryNames,
    );
    return { ...c.data, categories };
  }

  private equivalent(c: CrmSnapshot, s: ReadableMirrorItem): boolean {
    return contentHash(this.serverView(c, s.data)) === s.hash;
  }

  private crmExtras(s: ReadableMirrorItem, isNew: boolean): CrmWriteExtras {
    const extras: CrmWriteExtras = {};
    const data = s.data;
    if (data.kind !== 'contact') {
      const category = crmCategoryFor(this.rules.categories, data.categories, isNew);
      if (category !== undefined) extras.categoryName = category;
    }
    if (data.kind === 'event') {
      if (isNew && this.rules.importedStatus) extras.status = this.rules.importedStatus;
      if (this.rules.linkByEmail.persons) extras.linkByEmail = { ...this.rules.linkByEmail };
    }
    if (data.kind === 'contact' && isNew && this.rules.branchRootNodeId != null) {
      extras.classificationNodeId = this.rules.branchRootNodeId;
    }
    return extras;
  }

  private identityOf(s: MirrorItem): ItemIdentity {
    return { uid: s.uid, crmStamp: s.crmStamp };
  }

  private createServer(c: CrmSnapshot, reason: Reason, conflict = false): void {
    this.actions.push({
      kind: 'create-server',
      crmId: c.crmId,
      label: labelOf(c.data),
      ...reason,
      conflict,
      data: this.serverView(c, null),
      identity: c.identity,
      crmHash: c.hash,
    });
  }

  private updateServer(
    c: CrmSnapshot,
    s: ReadableMirrorItem,
    reason: Reason,
    conflict = false,
  ): void {
    this.actions.push({
      kind: 'update-server',
      crmId: c.crmId,
      serverId: s.serverId,
      version: s.version,
      label: labelOf(c.data),
      ...reason,
      conflict,
      data: this.serverView(c, s.data),
      identity: { uid: s.uid || c.identity.uid, crmStamp: c.identity.crmStamp },
      crmHash: c.hash,
    });
  }

  private createCrm(s: ReadableMirrorItem, reason: Reason, conflict = false): void {
    this.actions.push({
      kind: 'create-crm',
      serverId: s.serverId,
      label: labelOf(s.data),
      ...reason,
      conflict,
      data: s.data,
      identity: this.identityOf(s),
      extras: this.crmExtras(s, true),
      serverHash: s.hash,
      serverVersion: s.version,
    });
  }

  private updateCrm(c: CrmSnapshot, s: ReadableMirrorItem, reason: Reason, conflict = false): void {
    this.actions.push({
      kind: 'update-crm',
      crmId: c.crmId,
      serverId: s.serverId,
      label: labelOf(s.data),
      ...reason,
      conflict,
      data: s.data,
      identity: { uid: s.uid || c.identity.uid, crmStamp: c.identity.crmStamp },
      extras: this.crmExtras(s, false),
      serverHash: s.hash,
      serverVersion: s.version,
    });
  }

  private linkAction(
    c: CrmSnapshot,
    s: ReadableMirrorItem,
    reason: Reason,
  ): PlannedAction & { kind: 'link' } {
    return {
      kind: 'link',
      crmId: c.crmId,
      serverId: s.serverId,
      uid: s.uid || c.identity.uid,
      label: labelOf(c.data),
      ...reason,
      crmHash: c.hash,
      serverHash: s.hash,
      serverVersion: s.version,
    };
  }
}
