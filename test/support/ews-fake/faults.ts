// Injected failures (FakeFaults), consumed by the HTTP layer and the operations.
import type {
  FakeFaults,
  FakeRequestEvent,
  FakeRequestVerdict,
  UnknownMailboxCode,
  ZoneDefinitionStyle,
} from './types.ts';

interface Busy {
  times: number;
  backOffMs: number;
  operation: string | undefined;
}

export class FaultState implements FakeFaults {
  busyRules: Busy[] = [];
  syncStateRules: (string | undefined)[] = [];
  pageSize: number | null = null;
  /** Items GetItem must not find, with how many more GetItem answers the fault lasts. */
  readonly missingItems = new Map<string, number>();
  writeHooks: (() => void)[] = [];
  http503Left = 0;
  dropLeft = 0;
  requestHook: ((event: FakeRequestEvent) => FakeRequestVerdict) | null = null;
  zoneDefinitions: ZoneDefinitionStyle = 'full';
  readonly leftOutOfAll = new Set<string>();
  unknownMailboxCode: UnknownMailboxCode = 'ErrorNonExistentMailbox';
  answerDelayMs = 0;

  answerDelay(ms: number): void {
    this.answerDelayMs = Math.max(0, ms);
  }

  /** `times` <= 0 clears the pending busy faults (of `operation`, or all). */
  serverBusy(times: number, backOffMs: number, operation?: string): void {
    if (times <= 0) {
      this.busyRules = this.busyRules.filter(
        (r) => operation !== undefined && r.operation !== operation,
      );
      return;
    }
    this.busyRules.push({ times, backOffMs, operation });
  }
  invalidSyncState(folderId?: string): void {
    this.syncStateRules.push(folderId);
  }
  maxPageSize(n: number | null): void {
    this.pageSize = n;
  }
  /**
   * GetItem of this item answers ErrorItemNotFound `times` times (by default for as long as
   * the server runs: an item the server cannot read); `times` <= 0 lifts the fault.
   */
  itemNotFound(itemId: string, times = Infinity): void {
    if (times <= 0) this.missingItems.delete(itemId);
    else this.missingItems.set(itemId, times);
  }
  beforeNextWrite(edit: () => void): void {
    this.writeHooks.push(edit);
  }
  http503(times: number): void {
    this.http503Left += times;
  }
  dropConnection(times: number): void {
    this.dropLeft += times;
  }
  onRequest(hook: ((event: FakeRequestEvent) => FakeRequestVerdict) | null): void {
    this.requestHook = hook;
  }
  timeZoneDefinitions(style: ZoneDefinitionStyle): void {
    this.zoneDefinitions = style;
  }
  allPropertiesWithout(fields: string[]): void {
    this.leftOutOfAll.clear();
    for (const f of fields) this.leftOutOfAll.add(f);
  }
  unknownMailboxAnswer(code: UnknownMailboxCode): void {
    this.unknownMailboxCode = code;
  }

  /** True when the request hook wants the connection closed without an answer. */
  hangsUp(event: FakeRequestEvent): boolean {
    return this.requestHook?.(event) === 'hang-up';
  }

  /** The back-off to answer this call with, if a serverBusy rule applies. */
  takeBusy(operation: string): number | undefined {
    const rule = this.busyRules.find(
      (r) => r.times > 0 && (!r.operation || r.operation === operation),
    );
    if (!rule) return undefined;
    rule.times--;
    this.busyRules = this.busyRules.filter((r) => r.times > 0);
    return rule.backOffMs;
  }

  /** True (once) when the next SyncFolderItems of this folder must fail its sync state. */
  takeInvalidSyncState(folderId: string): boolean {
    const i = this.syncStateRules.findIndex((f) => f === undefined || f === folderId);
    if (i < 0) return false;
    this.syncStateRules.splice(i, 1);
    return true;
  }

  /** True when GetItem of this id must answer ErrorItemNotFound (uses up one time). */
  takeItemNotFound(itemId: string): boolean {
    const left = this.missingItems.get(itemId);
    if (left === undefined) return false;
    if (left <= 1) this.missingItems.delete(itemId);
    else this.missingItems.set(itemId, left - 1);
    return true;
  }

  runWriteHook(): void {
    const hook = this.writeHooks.shift();
    hook?.();
  }
}
