/** Counters the benchmark and the tests read: how chatty a sync was. */
export interface RequestStats {
  /** HTTP requests sent (retries after an auth challenge and redirects count). */
  requests: number;
  /** Request body bytes. */
  bytesSent: number;
  /** Response body bytes as received (compressed, when the server compressed them). */
  bytesReceived: number;
  /** Requests per HTTP method ("PROPFIND", "REPORT", "PUT"...). */
  byMethod: Record<string, number>;
}

export function createRequestStats(): RequestStats {
  return { requests: 0, bytesSent: 0, bytesReceived: 0, byMethod: {} };
}

export function resetRequestStats(stats: RequestStats): void {
  stats.requests = 0;
  stats.bytesSent = 0;
  stats.bytesReceived = 0;
  stats.byMethod = {};
}
