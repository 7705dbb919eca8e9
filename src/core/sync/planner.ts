/**
 * The planner: a pure function from (pairings, CRM items, server items, rules) to the
 * actions of one run, each with its reason. Same input, same plan.
 *
 * A side "changed" when its content hash differs from the one recorded at the last sync
 * (for the server: and its version differs too, so our own writes coming back are not
 * taken for edits). Deletions are paired items missing on one side. Items that leave a
 * filter are untracked, never deleted on the other side.
 */
import { contentHash } from '../model/content-hash.ts';
import type { EventData, ItemData, ItemIdentity } from '../model/items.ts';
import {
  contactCategoriesFor,
  crmCategoryFor,
  importRecordFor,
  landedRecord,
  schemeOf,
  serverCategoriesFor,
} from './categories.ts';
import type { CategoryRecord } from './categories.ts';
import { crmVerdict, importVerdict, labelOf, serverVerdict } from './filters.ts';
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
    const record = p.categories ?? null;

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
    const crmChanged = c
      ? s && landed
        ? !this.equivalent(c, s, record)
        : c.hash !== p.crmHash
      : true;
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
        this.createServer(c, because('deleted-on-server-changed-in-crm'), true, record);
      } else if (this.rules.restoreServer === true && this.writesServer) {
        this.createServer(c, because('deleted-on-server-restored'), false, record);
      } else if (this.writesCrm) {
        this.actions.push({
          kind: 'delete-crm',
          ...ids,
          ...because('deleted-on-server'),
        });
      } else {
        this.createServer(c, because('deleted-on-server-export-only'), true, record);
      }
      return;
    }

    if (!crmChanged && !serverChanged) {
      if (landed) {
        // The write the last run sent: record what it set, as its answer would have.
        const link = this.linkAction(c, s, because('interrupted-write-landed'));
        this.actions.push({ ...link, categories: this.landedCategories(c, s, record) });
      } else if (s.hash !== p.serverHash) {
        // Our own write came back (same version); remember how the server renders it.
        this.actions.push(this.linkAction(c, s, because('server-confirmed-write')));
      }
      return;
    }
    if (crmChanged && !serverChanged) {
      if (this.writesServer) this.updateServer(c, s, because('changed-in-crm'), false, record);
      else
        this.actions.push({
          kind: 'skip',
          ...ids,
          ...because('changed-in-crm-import-only'),
        });
      return;
    }
    if (!crmChanged && serverChanged) {
      if (this.writesCrm) this.updateCrm(c, s, because('changed-on-server'), false, record);
      else
        this.actions.push({
          kind: 'skip',
          ...ids,
          ...because('changed-on-server-export-only'),
        });
      return;
    }
    // Changed on both sides.
    if (this.sameContent(c, s, record)) {
      this.actions.push(this.linkAction(c, s, because('changed-both-same')));
      return;
    }
    this.resolveConflict(c, s, record);
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

  private resolveConflict(
    c: CrmSnapshot,
    s: ReadableMirrorItem,
    record: CategoryRecord | null,
  ): void {
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
    if (winner === 'crm') this.updateServer(c, s, reason, true, record);
    else this.updateCrm(c, s, reason, true, record);
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
        const out = this.outOfFilter(c, match);
        if (out) {
          this.skipFiltered(c.crmId, match.serverId, labelOf(c.data), out);
          continue;
        }
        if (this.sameContent(c, match)) {
          this.actions.push(this.linkAction(c, match, because('found-by-identity')));
        } else {
          this.actions.push({
            ...this.linkAction(c, match, because('found-by-identity-different')),
            crmHash: '',
            serverHash: '',
          });
          this.resolveConflict(c, match, null);
        }
        continue;
      }
      const verdict = crmVerdict(this.rules, c.data, c.facts);
      if (verdict) {
        // Said only where it would have been sent: the primary folder of a writing agenda.
        if (this.writesServer && this.rules.createOnServer) {
          const code: ReasonCode = `crm-${verdict.code}`;
          this.skipFiltered(c.crmId, null, labelOf(c.data), because(code, verdict.params));
        }
        continue;
      }
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
      // "Import from" a day bounds new imports only: what is paired stays paired.
      const verdict = serverVerdict(this.rules, s.data) ?? importVerdict(this.rules, s.data);
      if (verdict) {
        if (this.writesCrm) {
          const code: ReasonCode = `server-${verdict.code}`;
          this.skipFiltered(null, s.serverId, labelOf(s.data), because(code, verdict.params));
        }
        continue;
      }
      // Stamped by this CRM or sharing a UID with a CRM row that is outside the filter:
      // the CRM has it already, so importing would duplicate it.
      if ((s.crmStamp && crmStamps.has(s.crmStamp)) || (s.uid && crmUids.has(s.uid))) continue;
      if (this.writesCrm) this.createCrm(s, because('new-on-server'));
    }
  }

  /**
   * An item that was never synchronised because a filter keeps it out: said and counted
   * (summary.ts), so the user can find why (`crm-sync log --find`).
   */
  private skipFiltered(
    crmId: number | null,
    serverId: string | null,
    label: string,
    out: Reason,
  ): void {
    const code = `skipped-${out.reasonCode}` as ReasonCode;
    this.actions.push({ kind: 'skip', crmId, serverId, label, ...because(code, out.reasonParams) });
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

  /**
   * The CRM item as the server should hold it, and what to record of its categories: the
   * server's own categories kept, the CRM's merged in (categories.ts). `existing` null = a
   * new server item. `write`: an actual write, which also gives a meeting without an
   * ORGANIZER the CRM user's; a comparison does not, so finding an item again writes
   * nothing.
   */
  private serverWrite(
    c: CrmSnapshot,
    existing: ItemData | null,
    record: CategoryRecord | null,
    write: boolean,
  ): { data: ItemData; categories: CategoryRecord } {
    const scheme = schemeOf(c.data.kind === 'contact' ? null : this.rules.categories);
    const existingCategories =
      existing && existing.kind === c.data.kind ? existing.categories : null;
    const merged = serverCategoriesFor(scheme, c.data.categories, existingCategories, record);
    const data = { ...c.data, categories: merged.categories };
    if (data.kind === 'event') {
      data.organizer = this.organizerFor(data, existing?.kind === 'event' ? existing : null, write);
    }
    return { data, categories: merged.record };
  }

  private landedCategories(
    c: CrmSnapshot,
    s: ReadableMirrorItem,
    record: CategoryRecord | null,
  ): CategoryRecord {
    const scheme = schemeOf(c.data.kind === 'contact' ? null : this.rules.categories);
    return landedRecord(scheme, c.data.categories, s.data.categories, record);
  }

  /**
   * Never replace an ORGANIZER the server item has; a meeting exported without one gets
   * the CRM user's mailbox (RFC 5545 wants one where there are attendees).
   */
  private organizerFor(data: EventData, existing: EventData | null, write: boolean) {
    if (existing?.organizer) return existing.organizer;
    if (data.organizer) return data.organizer;
    if (!write || data.attendees.length === 0) return null;
    return this.rules.organizer ?? null;
  }

  /** The CRM item as the server should hold it (categories merged, server-only kept). */
  private serverView(
    c: CrmSnapshot,
    existing: ItemData | null,
    record: CategoryRecord | null = null,
  ): ItemData {
    return this.serverWrite(c, existing, record, false).data;
  }

  private equivalent(
    c: CrmSnapshot,
    s: ReadableMirrorItem,
    record: CategoryRecord | null = null,
  ): boolean {
    const sent = this.serverView(c, s.data, record);
    if (contentHash(sent) === s.hash) return true;
    // What the server keeps of it (Exchange: a task's times as days).
    const stored = this.input.serverAsStored?.(sent);
    return stored !== undefined && contentHash(stored) === s.hash;
  }

  /** Contacts: the CRM names a server category may come in as (filter names included). */
  private knownContactCategories(): string[] {
    return [...this.input.crmCategoryNames, ...this.rules.contactCategories];
  }

  /**
   * Both copies say the same: sending the CRM's changes nothing on the server, or taking the
   * server's changes nothing in the CRM (its own normalisation: a default category the
   * server copy lacks, what the CRM cannot hold, the kinds it keeps for known addresses).
   */
  private sameContent(
    c: CrmSnapshot,
    s: ReadableMirrorItem,
    record: CategoryRecord | null = null,
  ): boolean {
    if (this.equivalent(c, s, record)) return true;
    const after = this.input.crmHashAfter?.(c.crmId, s.data, this.crmExtras(s, c, record).extras);
    return after !== undefined && after === c.hash;
  }

  private crmExtras(
    s: ReadableMirrorItem,
    c: CrmSnapshot | null,
    record: CategoryRecord | null,
  ): { extras: CrmWriteExtras; categories: CategoryRecord | undefined } {
    const extras: CrmWriteExtras = {};
    let categories: CategoryRecord | undefined;
    const data = s.data;
    const isNew = c === null;
    if (data.kind !== 'contact') {
      const category = crmCategoryFor(this.rules.categories, data.categories, isNew);
      if (category !== undefined) extras.categoryName = category;
      categories = importRecordFor(this.rules.categories, data.categories, category);
    } else {
      const current = c && c.data.kind === 'contact' ? c.data.categories : null;
      const result = contactCategoriesFor(
        data.categories,
        current,
        record,
        this.knownContactCategories(),
      );
      extras.categoryNames = result.crm;
      categories = result.record;
    }
    if (data.kind === 'event') {
      if (isNew && this.rules.importedStatus) extras.status = this.rules.importedStatus;
      if (this.rules.linkByEmail.persons) extras.linkByEmail = { ...this.rules.linkByEmail };
    }
    if (data.kind === 'contact' && isNew && this.rules.branchRootNodeId != null) {
      extras.classificationNodeId = this.rules.branchRootNodeId;
    }
    return { extras, categories };
  }

  private identityOf(s: MirrorItem): ItemIdentity {
    return { uid: s.uid, crmStamp: s.crmStamp };
  }

  private createServer(
    c: CrmSnapshot,
    reason: Reason,
    conflict = false,
    record: CategoryRecord | null = null,
  ): void {
    // A copy made again keeps the import's default CRM-only, as the deleted one did.
    const { data, categories } = this.serverWrite(c, null, record, true);
    this.actions.push({
      kind: 'create-server',
      crmId: c.crmId,
      label: labelOf(c.data),
      ...reason,
      conflict,
      categories,
      data,
      identity: c.identity,
      crmHash: c.hash,
    });
  }

  private updateServer(
    c: CrmSnapshot,
    s: ReadableMirrorItem,
    reason: Reason,
    conflict = false,
    record: CategoryRecord | null = null,
  ): void {
    const { data, categories } = this.serverWrite(c, s.data, record, true);
    this.actions.push({
      kind: 'update-server',
      crmId: c.crmId,
      serverId: s.serverId,
      version: s.version,
      label: labelOf(c.data),
      ...reason,
      conflict,
      categories,
      data,
      identity: { uid: s.uid || c.identity.uid, crmStamp: c.identity.crmStamp },
      crmHash: c.hash,
    });
  }

  private createCrm(s: ReadableMirrorItem, reason: Reason, conflict = false): void {
    const { extras, categories } = this.crmExtras(s, null, null);
    this.actions.push({
      kind: 'create-crm',
      serverId: s.serverId,
      label: labelOf(s.data),
      ...reason,
      conflict,
      data: s.data,
      identity: this.identityOf(s),
      extras,
      ...(categories === undefined ? {} : { categories }),
      serverHash: s.hash,
      serverVersion: s.version,
    });
  }

  private updateCrm(
    c: CrmSnapshot,
    s: ReadableMirrorItem,
    reason: Reason,
    conflict = false,
    record: CategoryRecord | null = null,
  ): void {
    const { extras, categories } = this.crmExtras(s, c, record);
    this.actions.push({
      kind: 'update-crm',
      crmId: c.crmId,
      serverId: s.serverId,
      label: labelOf(s.data),
      ...reason,
      conflict,
      data: s.data,
      identity: { uid: s.uid || c.identity.uid, crmStamp: c.identity.crmStamp },
      extras,
      ...(categories === undefined ? {} : { categories }),
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
