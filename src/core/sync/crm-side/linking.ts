/**
 * "Create links by the attendee's e-mail address": an event is linked to every CRM person
 * with the address of an attendee or the organizer, and optionally to those persons'
 * companies. Links are only ever added: the CRM user may have linked more by hand.
 */
import type { CrmDatabase } from '../../crm/database.ts';
import type { EventData } from '../../model/items.ts';
import type { CrmWriteNote } from './types.ts';
import { note } from './types.ts';

export interface LinkResult {
  personIds: number[];
  companyIds: number[];
}

export function linkEventByEmail(
  db: CrmDatabase,
  eventId: number,
  data: EventData,
  options: { persons: boolean; companies: boolean },
  notes: CrmWriteNote[],
): LinkResult {
  if (!options.persons && !options.companies) return { personIds: [], companyIds: [] };
  const addresses = [
    ...new Set(
      [...data.attendees.map((a) => a.email), data.organizer?.email ?? '']
        .map((e) => e.trim().toLowerCase())
        .filter((e) => e !== ''),
    ),
  ];
  if (addresses.length === 0) return { personIds: [], companyIds: [] };

  const matches = db
    .prepare<[string], { email: string; personId: number }>(
      `SELECT DISTINCT lower(email) AS email, person_id AS personId FROM person_emails
       WHERE lower(email) IN (SELECT value FROM json_each(?)) ORDER BY 1, 2`,
    )
    .all(JSON.stringify(addresses));
  const byAddress = new Map<string, number[]>();
  for (const m of matches) {
    const list = byAddress.get(m.email) ?? [];
    list.push(m.personId);
    byAddress.set(m.email, list);
  }
  for (const [email, ids] of byAddress) {
    if (ids.length > 1) {
      notes.push(
        note('shared-address', `Linked to ${ids.length} persons with ${email}.`, {
          email,
          count: ids.length,
        }),
      );
    }
  }
  const personIds = [...new Set(matches.map((m) => m.personId))];

  const added: LinkResult = { personIds: [], companyIds: [] };
  // Linking persons is the base of the option; companies come through the persons found.
  const insertPerson = db.prepare(
    'INSERT INTO event_persons (event_id, person_id) VALUES (?, ?) ON CONFLICT DO NOTHING',
  );
  for (const id of personIds) {
    if (options.persons && insertPerson.run(eventId, id).changes > 0) added.personIds.push(id);
  }
  if (options.companies && personIds.length > 0) {
    const companyIds = db
      .prepare<[string], number>(
        `SELECT DISTINCT company_id FROM person_companies
         WHERE person_id IN (SELECT value FROM json_each(?)) ORDER BY company_id`,
      )
      .pluck()
      .all(JSON.stringify(personIds));
    const insertCompany = db.prepare(
      'INSERT INTO event_companies (event_id, company_id) VALUES (?, ?) ON CONFLICT DO NOTHING',
    );
    for (const id of companyIds) {
      if (insertCompany.run(eventId, id).changes > 0) added.companyIds.push(id);
    }
  }
  if (added.personIds.length > 0 || added.companyIds.length > 0) {
    notes.push(
      note(
        'linked',
        `Linked to ${added.personIds.length} person(s) and ${added.companyIds.length} company(ies) by e-mail.`,
        { persons: added.personIds.length, companies: added.companyIds.length },
      ),
    );
  }
  return added;
}
