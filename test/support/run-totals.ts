/** A run summary's changes added up over its agendas, for asserting what a run did. */
import type { RunSummary } from '../../src/core/sync/summary.ts';

/** The totals of a run that changed nothing. */
export const NOTHING = {
  crmCreated: 0,
  crmUpdated: 0,
  crmDeleted: 0,
  serverCreated: 0,
  serverUpdated: 0,
  serverDeleted: 0,
  failed: 0,
} as const;

export function totals(summary: RunSummary) {
  const t = { ...NOTHING } as { -readonly [K in keyof typeof NOTHING]: number };
  for (const a of summary.agendas) {
    t.crmCreated += a.crm.created;
    t.crmUpdated += a.crm.updated;
    t.crmDeleted += a.crm.deleted;
    t.serverCreated += a.server.created;
    t.serverUpdated += a.server.updated;
    t.serverDeleted += a.server.deleted;
    t.failed += a.failed.length;
  }
  return t;
}
