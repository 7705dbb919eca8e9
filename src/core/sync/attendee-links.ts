/**
 * After a run: events gain links to persons that appeared or changed since the last run
 * (crm-side/relink.ts), each journaled. The change-log position handled last is kept beside
 * the folders' tokens, so each pass looks only at what changed since. One position for the
 * whole file, and every user's synchronised events: every run prunes the change log (each
 * user's, with --all-users), so a pass must not leave changes for another user's run.
 */
import { latestChangeSeq } from '../crm/changes.ts';
import type { CrmDatabase } from '../crm/database.ts';
import type { Settings } from '../../shared/settings/schema.ts';
import { linkEventsToChangedPersons } from './crm-side/index.ts';
import { addJournalEntry } from './journal.ts';
import { because } from './reasons.ts';
import { loadFolderToken, saveFolderToken } from './state.ts';

export function completeAttendeeLinks(
  db: CrmDatabase,
  settings: Settings,
  ownerId: number,
  runId: number,
): void {
  const events = settings.agendas.events;
  if (!events.enabled || !events.linkByAttendeeEmail) return;
  const scope = 'attendee-links';
  const handled = Number(loadFolderToken(db, scope) ?? 0);
  // Read first: a person changed while this pass runs is looked at by the next one.
  const upTo = latestChangeSeq(db);
  const relinked = linkEventsToChangedPersons(
    db,
    {
      afterSeq: Number.isSafeInteger(handled) ? handled : 0,
      link: { persons: true, companies: events.linkCompanies },
    },
    { ownerId, origin: `sync-run:${runId}` },
  );
  for (const r of relinked) {
    const reason = because('linked-to-new-person', {
      persons: r.personIds.length,
      companies: r.companyIds.length,
    });
    const notes = r.notes.map((n) => n.message);
    addJournalEntry(db, runId, {
      agenda: 'events',
      scope,
      action: 'update-crm',
      crmId: r.eventId,
      serverId: null,
      label: r.label,
      reason: reason.reason + (notes.length ? ` (${notes.join('; ')})` : ''),
      reasonCode: reason.reasonCode,
      reasonParams: {
        ...reason.reasonParams,
        ...(notes.length ? { notes: notes.join('; ') } : {}),
        ...(r.notes.length
          ? { noteCodes: JSON.stringify(r.notes.map((n) => ({ code: n.code, params: n.params }))) }
          : {}),
      },
      outcome: 'done',
      error: null,
      conflict: false,
    });
  }
  saveFolderToken(db, scope, 'attendee links', String(upTo));
}
