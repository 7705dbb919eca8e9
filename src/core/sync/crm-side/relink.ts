/**
 * "Link by attendee e-mail" kept complete: an event is linked when it is written from the
 * server, but the person with an attendee's address may come later (imported by the
 * contacts agenda after the events of the same run, or added in the CRM program). So after
 * each run the persons changed since the last such pass are looked at, and only the
 * synchronised events with one of their addresses among the attendees or as the organizer
 * gain links. Links are only added, and only for those addresses: a link the user removed
 * by hand comes back only if that person's e-mails change again.
 */
import { withSyncOrigin } from '../../crm/changes.ts';
import type { CrmDatabase } from '../../crm/database.ts';
import type { EventData } from '../../model/items.ts';
import { linkEventByEmail } from './linking.ts';
import { getCrmItems } from './list.ts';
import type { CrmWriteContext, CrmWriteNote } from './types.ts';

export interface RelinkedEvent {
  eventId: number;
  label: string;
  personIds: number[];
  companyIds: number[];
  notes: CrmWriteNote[];
}

/** The e-mail addresses of persons changed after `afterSeq` in the change log, lower-case. */
function changedPersonAddresses(db: CrmDatabase, afterSeq: number): Set<string> {
  const rows = db
    .prepare<[number], string>(
      `SELECT DISTINCT lower(trim(email)) FROM person_emails WHERE person_id IN
         (SELECT entity_id FROM change_log WHERE entity = 'person' AND seq > ?)`,
    )
    .pluck()
    .all(afterSeq);
  return new Set(rows.filter((e) => e !== ''));
}

/**
 * Links the synchronised events (paired in an events scope, `<user>|events|<folder>`, of any
 * CRM user) to persons changed after `afterSeq` whose address they name. Returns the events
 * that gained links.
 */
export function linkEventsToChangedPersons(
  db: CrmDatabase,
  options: {
    afterSeq: number;
    link: { persons: boolean; companies: boolean };
  },
  ctx: CrmWriteContext,
): RelinkedEvent[] {
  if (!options.link.persons) return [];
  const addresses = changedPersonAddresses(db, options.afterSeq);
  if (addresses.size === 0) return [];
  const list = JSON.stringify([...addresses]);
  const eventIds = db
    .prepare<[string, string], number>(
      `SELECT DISTINCT e.id FROM events e
       JOIN sync_pairings p ON p.crm_id = e.id AND instr(p.scope, '|events|') > 0
       WHERE e.id IN (SELECT event_id FROM event_attendees
                      WHERE lower(email) IN (SELECT value FROM json_each(?)))
          OR lower(trim(e.organizer_email)) IN (SELECT value FROM json_each(?))
       ORDER BY e.id`,
    )
    .pluck()
    .all(list, list);
  const out: RelinkedEvent[] = [];
  for (const item of getCrmItems(db, 'event', eventIds)) {
    if (item.data.kind !== 'event') continue;
    const data: EventData = item.data;
    // Only the changed persons' addresses: others were looked at when the event was written.
    const only: EventData = {
      ...data,
      attendees: data.attendees.filter((a) => addresses.has(a.email)),
      organizer: data.organizer && addresses.has(data.organizer.email) ? data.organizer : null,
    };
    const notes: CrmWriteNote[] = [];
    const added = withSyncOrigin(db, ctx.origin, () =>
      linkEventByEmail(db, item.crmId, only, options.link, notes),
    );
    if (added.personIds.length > 0 || added.companyIds.length > 0) {
      out.push({ eventId: item.crmId, label: data.subject, ...added, notes });
    }
  }
  return out;
}
