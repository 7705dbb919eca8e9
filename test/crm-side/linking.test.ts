import { describe, expect, it } from 'vitest';
import { readChanges } from '../../src/core/crm/changes.ts';
import { insertCompany } from '../../src/core/crm/companies.ts';
import { getEvent, listEvents } from '../../src/core/crm/events.ts';
import { insertPerson } from '../../src/core/crm/persons.ts';
import type { EventData } from '../../src/core/model/items.ts';
import { create, item, newCrm, updateWith } from './helpers.ts';

function meeting(attendees: string[], organizer: string | null): EventData {
  return {
    kind: 'event',
    subject: 'Schůzka',
    location: '',
    description: '',
    start: { utc: '2026-03-26T09:00:00.000Z', tz: 'Europe/Prague' },
    end: { utc: '2026-03-26T10:00:00.000Z', tz: 'Europe/Prague' },
    rrule: null,
    exdates: [],
    overrides: [],
    isPrivate: false,
    categories: [],
    reminderMinutes: null,
    organizer: organizer === null ? null : { email: organizer, name: '' },
    attendees: attendees.map((email) => ({
      email,
      name: '',
      role: 'required' as const,
      response: 'needs-action' as const,
    })),
  };
}

function people(crm: ReturnType<typeof newCrm>) {
  const firma = insertCompany(crm.db, { name: 'Firma a.s.' });
  const dcera = insertCompany(crm.db, { name: 'Firma Dcera s.r.o.' });
  const jiná = insertCompany(crm.db, { name: 'Jiná s.r.o.' });
  const jan = insertPerson(crm.db, {
    firstName: 'Jan',
    lastName: 'Novák',
    emails: ['Jan@Firma.cz'],
    companies: [firma, dcera],
  });
  // The same address on a second person (father and son share the office mailbox).
  const janMl = insertPerson(crm.db, {
    firstName: 'Jan',
    lastName: 'Novák ml.',
    emails: ['jan@firma.cz', 'jan.ml@firma.cz'],
    companies: [jiná],
  });
  const eva = insertPerson(crm.db, {
    firstName: 'Eva',
    lastName: 'Malá',
    emails: ['eva@firma.cz'],
  });
  const nobody = insertPerson(crm.db, {
    firstName: 'Karel',
    lastName: 'Mimo',
    emails: ['karel@x.cz'],
  });
  return { firma, dcera, jiná, jan, janMl, eva, nobody };
}

describe('linking events by e-mail', () => {
  it('links every person with an attendee or organizer address, and their companies', () => {
    const crm = newCrm();
    const p = people(crm);
    const { created, result } = create(
      crm,
      'event',
      meeting(['jan@firma.cz', 'neznamy@x.cz'], 'eva@firma.cz'),
      {
        linkByEmail: { persons: true, companies: true },
      },
    );
    const event = getEvent(crm.db, created.crmId)!;
    expect(event.personIds).toEqual([p.jan, p.janMl, p.eva].sort((a, b) => a - b));
    expect(event.companyIds).toEqual([p.firma, p.dcera, p.jiná].sort((a, b) => a - b));
    expect(result.linkedPersonIds.sort()).toEqual([p.jan, p.janMl, p.eva].sort());
    expect(result.linkedCompanyIds.sort()).toEqual([p.firma, p.dcera, p.jiná].sort());
    expect(result.notes).toContainEqual({
      code: 'shared-address',
      message: 'Linked to 2 persons with jan@firma.cz.',
      params: { email: 'jan@firma.cz', count: 2 },
    });
    expect(result.notes.map((n) => n.code)).toContain('linked');
  });

  it('links persons only when companies are not asked for', () => {
    const crm = newCrm();
    const p = people(crm);
    const { created } = create(crm, 'event', meeting(['eva@firma.cz', 'jan.ml@firma.cz'], null), {
      linkByEmail: { persons: true, companies: false },
    });
    const event = getEvent(crm.db, created.crmId)!;
    expect(event.personIds).toEqual([p.janMl, p.eva]);
    expect(event.companyIds).toEqual([]);
  });

  it('only adds links on update: hand-made links stay, known ones are not reported again', () => {
    const crm = newCrm();
    const p = people(crm);
    const { created } = create(crm, 'event', meeting(['eva@firma.cz'], null), {
      linkByEmail: { persons: true, companies: false },
    });
    crm.db.prepare('INSERT INTO event_persons VALUES (?, ?)').run(created.crmId, p.nobody);
    const before = item(crm.db, 'event', created.crmId);
    const { result } = updateWith(crm, before, meeting(['eva@firma.cz', 'jan.ml@firma.cz'], null), {
      linkByEmail: { persons: true, companies: false },
    });
    expect(result.linkedPersonIds).toEqual([p.janMl]);
    expect(getEvent(crm.db, created.crmId)?.personIds).toEqual([p.janMl, p.eva, p.nobody]);
    // Without the option nothing is linked.
    const { result: none } = updateWith(
      crm,
      item(crm.db, 'event', created.crmId),
      meeting(['jan@firma.cz'], null),
    );
    expect(none.linkedPersonIds).toEqual([]);
    expect(getEvent(crm.db, created.crmId)?.personIds).toEqual([p.janMl, p.eva, p.nobody]);
  });

  it('links the demo meetings to the persons of their attendees', () => {
    const crm = newCrm({ demo: true });
    const demo = listEvents(crm.db).find((e) => e.attendees.length > 0 && e.personIds.length > 0)!;
    crm.db.prepare('DELETE FROM event_persons WHERE event_id = ?').run(demo.id);
    crm.db.prepare('DELETE FROM event_companies WHERE event_id = ?').run(demo.id);
    const before = item(crm.db, 'event', demo.id);
    const { result } = updateWith(crm, before, before.data, {
      linkByEmail: { persons: true, companies: true },
    });
    expect(result.linkedPersonIds.length).toBeGreaterThan(0);
    expect(getEvent(crm.db, demo.id)?.personIds.length).toBeGreaterThan(0);
    // The link rows were written under the run's origin too.
    const changes = readChanges(crm.db, 0).filter(
      (c) => c.entity === 'event' && c.entityId === demo.id,
    );
    expect(changes[0]?.origins).toContain('run-test-1');
  });
});
