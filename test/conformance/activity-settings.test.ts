/**
 * The activity settings end to end, on every server fixture: "import only tasks owned by
 * the CRM user", "export only activities of selected groups" for meetings, "import
 * activities starting from" a day.
 */
import { expect, it } from 'vitest';
import { insertEvent, listEvents } from '../../src/core/crm/events.ts';
import { createGroup } from '../../src/core/crm/groups.ts';
import { listTasks } from '../../src/core/crm/tasks.ts';
import { daysFromNow } from '../support/times.ts';
import { forEachFixture } from './fixtures.ts';
import type { Installation, PhonePerson } from './fixtures.ts';

/** The CRM user as the servers name the owner of a task assigned to them. */
const ME: PhonePerson = { email: 'PBartos@firma.test', name: 'Pavel Bartoš' };
const JANA: PhonePerson = { email: 'jnovakova@firma.test', name: 'Jana Nováková' };

const subjects = (rows: { subject?: string }[]): string[] =>
  rows.map((r) => r.subject ?? '').sort();

/** The phone's own task, one assigned to the CRM user and one handed to Jana. */
async function threeTasks(i: Installation): Promise<void> {
  // The user's address in the CRM: how an owner given by address is recognised.
  i.db.prepare('UPDATE users SET email = ? WHERE id = ?').run('pbartos@firma.test', i.ownerId);
  const due = daysFromNow(2, 0);
  await i.phone.createTask({ subject: 'Vlastní úkol', due });
  await i.phone.createTask({ subject: 'Přiděleno mně', due, owner: ME });
  await i.phone.createTask({ subject: 'Předáno Janě', due, owner: JANA });
}

function crmEventAt(i: Installation, subject: string, day: number, groupId: number | null = null) {
  insertEvent(i.db, {
    subject,
    allDay: false,
    start: daysFromNow(day, 9),
    end: daysFromNow(day, 10),
    timeZone: 'Europe/Prague',
    ownerId: i.ownerId,
    groupId,
  });
}

forEachFixture((fixture) => {
  it('imports only tasks the CRM user owns: its own and those assigned to it, not one handed to someone else', async () => {
    const i = await fixture().install((s) => {
      s.agendas.events.enabled = false;
      s.agendas.contacts.enabled = false;
    });
    await threeTasks(i);
    const versions = await i.phone.versions();
    await i.sync();
    expect(subjects(listTasks(i.db, {}))).toEqual(['Přiděleno mně', 'Vlastní úkol']);
    // The task left out is not touched on the server.
    const left = (await i.phone.tasks()).find((t) => t.subject === 'Předáno Janě')!;
    expect((await i.phone.versions()).get(left.ref)).toBe(versions.get(left.ref));
    expect(await i.phone.tasks()).toHaveLength(3);
  });

  it('imports every task with ownerOnly off', async () => {
    const i = await fixture().install((s) => {
      s.agendas.events.enabled = false;
      s.agendas.contacts.enabled = false;
      s.agendas.tasks.ownerOnly = false;
    });
    await threeTasks(i);
    await i.sync();
    expect(subjects(listTasks(i.db, {}))).toEqual([
      'Předáno Janě',
      'Přiděleno mně',
      'Vlastní úkol',
    ]);
  });

  it('exports only meetings of the selected activity groups (and those without a group)', async () => {
    const i = await fixture().install((s) => {
      s.agendas.tasks.enabled = false;
      s.agendas.contacts.enabled = false;
      s.agendas.events.exportGroups = { mode: 'selected', groups: ['Obchod'] };
    });
    crmEventAt(i, 'Obchodní jednání', 1, createGroup(i.db, { name: 'Obchod' }));
    crmEventAt(i, 'Servisní výjezd', 1, createGroup(i.db, { name: 'Servis' }));
    crmEventAt(i, 'Bez skupiny', 1);
    await i.sync();
    expect(subjects(await i.phone.events())).toEqual(['Bez skupiny', 'Obchodní jednání']);
  });

  it('does not import meetings before the "import from" day; CRM meetings before it are exported', async () => {
    const i = await fixture().install((s) => {
      s.agendas.tasks.enabled = false;
      s.agendas.contacts.enabled = false;
      s.agendas.events.importFrom = daysFromNow(-3).toISOString().slice(0, 10);
    });
    await i.phone.createEvent({
      subject: 'Dávno',
      start: daysFromNow(-7),
      end: daysFromNow(-7, 10),
    });
    await i.phone.createEvent({
      subject: 'Nedávno',
      start: daysFromNow(-1),
      end: daysFromNow(-1, 10),
    });
    crmEventAt(i, 'Stará z CRM', -8);
    await i.sync();
    expect(subjects(listEvents(i.db, {}))).toEqual(['Nedávno', 'Stará z CRM']);
    expect(subjects(await i.phone.events())).toEqual(['Dávno', 'Nedávno', 'Stará z CRM']);
  });
});
