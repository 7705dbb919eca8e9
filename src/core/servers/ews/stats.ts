/** Counters the benchmark and the tests read: how many SOAP calls a sync took. */
export interface EwsStats {
  /** SOAP calls sent (throttled and retried calls count each time they are sent). */
  calls: number;
  /** Calls per EWS operation ("GetItem", "SyncFolderItems", "GetUserSettings"…). */
  byOperation: Record<string, number>;
}

export function createEwsStats(): EwsStats {
  return { calls: 0, byOperation: {} };
}

export function countCall(stats: EwsStats | undefined, operation: string): void {
  if (stats === undefined) return;
  stats.calls++;
  stats.byOperation[operation] = (stats.byOperation[operation] ?? 0) + 1;
}
