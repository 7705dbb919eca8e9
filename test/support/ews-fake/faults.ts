// Injected failures (FakeFaults), consumed by the HTTP layer and the operations.
import type { FakeFaults } from './types.ts';

interface Busy {
  times: number;
  backOffMs: number;
  operation: string | undefined;
}

export class FaultState implements FakeFaults {
  busyRules: Busy[] = [];
  syncStateRules: (string | undefined)[] = [];
  pageSize: number | null = null;
  readonly missingItems = new Set<string>();
  writeHooks: (() => void)[] = [];
  http503Left = 0;
  dropLeft = 0;

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
  itemNotFound(itemId: string): void {
    this.missingItems.add(itemId);
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

  runWriteHook(): void {
    const hook = this.writeHooks.shift();
    hook?.();
  }
}
