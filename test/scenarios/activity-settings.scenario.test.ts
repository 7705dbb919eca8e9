/**
 * The activity settings end to end: "import only tasks owned by the CRM user",
 * "export only activities of selected groups" for meetings too, "all calendars / all task
 * folders", "import activities starting from" a day. On the fake Exchange and on Radicale.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroup } from '../../src/core/crm/groups.ts';
import { insertEvent, listEvents } from '../../src/core/crm/events.ts';
import { insertTask, listTasks } from '../../src/core/crm/tasks.ts';
import { startRadicale } from '../support/dav-servers.ts';
import type { DavTestServer } from '../support/dav-servers.ts';
import { calendarItem, ewsTime, perTestInstallation } from './ews-harness.ts';
import { daysFromNow, icsUtc, install } from './harness.ts';

const fresh = perTestInstallation((s) => {
  s.agendas.contacts.enabled = false;
});

const outlookTask = (subject: string, extra = ''): string =>
  `<t:Task><t:Subject>${subject}</t:Subject>${extra}<t:DueDate>${ewsTime(daysFromNow(2, 0))}</t:DueDate></t:Task>`;

const subjects = (rows: { subject: string }[]): string[] => rows.map((r) => r.subject).sort();

describe('activity settings on the fake Exchange', () => {
  it('imports only tasks owned by the CRM user: not one assigned to someone else', async () => {
    const i = await fresh((s) => {
      s.agendas.events.enabled = false;
    });
    i.tasks.create(outlookTask('Vlastní úkol'));
    i.tasks.create(
      outlookTask(
        'Předáno Janě',
        '<t:DelegationState>Owned</t:DelegationState><t:Delegator>Pavel Bartoš</t:Delegator>',
      ).replace('</t:DueDate>', '</t:DueDate><t:Owner>Jana Nováková</t:Owner>'),
    );
    i.tasks.create(
      outlookTask(
        'Přiděleno mně',
        '<t:DelegationState>OwnNew</t:DelegationState><t:Delegator>Jana Nováková</t:Delegator>',
      ).replace('</t:DueDate>', '</t:DueDate><t:Owner>Pavel Bartoš</t:Owner>'),
    );
    await i.sync();
    expect(subjects(listTasks(i.db, {}))).toEqual(['Přiděleno mně', 'Vlastní úkol']);
    // Nothing on the server was touched for the task left out.
    expect(i.tasks.items()).toHaveLength(3);
  });

  it('imports every task with ownerOnly off', async () => {
    const i = await fresh((s) => {
      s.agendas.events.enabled = false;
      s.agendas.tasks.ownerOnly = false;
    });
    i.tasks.create(outlookTask('Vlastní úkol'));
    i.tasks.create(
      outlookTask('Předáno Janě', '<t:DelegationState>Owned</t:DelegationState>').replace(
        '</t:DueDate>',
        '</t:DueDate><t:Owner>Jana Nováková</t:Owner>',
      ),
    );
    await i.sync();
    expect(subjects(listTasks(i.db, {}))).toEqual(['Předáno Janě', 'Vlastní úkol']);
  });

  it('exports only meetings of the selected activity groups (and those without a group)', async () => {
    const i = await fresh((s) => {
      s.agendas.tasks.enabled = false;
      s.agendas.events.exportGroups = { mode: 'selected', groups: ['Obchod'] };
    });
    const sales = createGroup(i.db, { name: 'Obchod' });
    const service = createGroup(i.db, { name: 'Servis' });
    const at = (subject: string, groupId: number | null) =>
      insertEvent(i.db, {
        subject,
        allDay: false,
        start: daysFromNow(1, 9),
        end: daysFromNow(1, 10),
        timeZone: 'Europe/Prague',
        ownerId: i.ownerId,
        groupId,
      });
    at('Obchodní jednání', sales);
    at('Servisní výjezd', service);
    at('Bez skupiny', null);
    await i.sync();
    expect(
      i.calendar
        .items()
        .map((e) => e.field('Subject'))
        .sort(),
    ).toEqual(['Bez skupiny', 'Obchodní jednání']);
  });

  it('synchronises all task folders: both are imported, new CRM tasks go to the default one', async () => {
    const i = await fresh((s) => {
      s.agendas.events.enabled = false;
      s.agendas.tasks.allFolders = true;
    });
    const projects = i.mailbox.addFolder(i.mailbox.folder('msgfolderroot'), 'Projekty', 'IPF.Task');
    i.tasks.create(outlookTask('Ve výchozích'));
    projects.create(outlookTask('V projektech'));
    insertTask(i.db, { subject: 'Z CRM', due: daysFromNow(3), ownerId: i.ownerId });
    await i.sync();
    expect(subjects(listTasks(i.db, {}))).toEqual(['V projektech', 'Ve výchozích', 'Z CRM']);
    expect(
      i.tasks
        .items()
        .map((t) => t.field('Subject'))
        .sort(),
    ).toEqual(['Ve výchozích', 'Z CRM']);
    expect(projects.items().map((t) => t.field('Subject'))).toEqual(['V projektech']);
  });

  it('does not import meetings before the "import from" day; CRM meetings before it are exported', async () => {
    const i = await fresh((s) => {
      s.agendas.tasks.enabled = false;
      s.agendas.events.importFrom = daysFromNow(-3).toISOString().slice(0, 10);
    });
    i.calendar.create(
      calendarItem({ subject: 'Dávno', start: daysFromNow(-7), end: daysFromNow(-7, 10) }),
    );
    i.calendar.create(
      calendarItem({ subject: 'Nedávno', start: daysFromNow(-1), end: daysFromNow(-1, 10) }),
    );
    insertEvent(i.db, {
      subject: 'Stará z CRM',
      allDay: false,
      start: daysFromNow(-8, 9),
      end: daysFromNow(-8, 10),
      timeZone: 'Europe/Prague',
      ownerId: i.ownerId,
    });
    await i.sync();
    expect(subjects(listEvents(i.db, {}))).toEqual(['Nedávno', 'Stará z CRM']);
    expect(
      i.calendar
        .items()
        .map((e) => e.field('Subject'))
        .sort(),
    ).toEqual(['Dávno', 'Nedávno', 'Stará z CRM']);
  });
});

describe('activity settings on Radicale', () => {
  let server: DavTestServer;
  beforeAll(async () => {
    server = await startRadicale();
  }, 240_000);
  afterAll(async () => {
    await server?.stop();
  });

  const vtodo = (uid: string, subject: string, organizer: string | null): string =>
    [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Phone//EN',
      'BEGIN:VTODO',
      `UID:${uid}`,
      `DTSTAMP:${icsUtc(daysFromNow(-1))}`,
      `SUMMARY:${subject}`,
      `DUE:${icsUtc(daysFromNow(2))}`,
      ...(organizer ? [`ORGANIZER:mailto:${organizer}`] : []),
      'END:VTODO',
      'END:VCALENDAR',
      '',
    ].join('\r\n');

  it('imports tasks without an ORGANIZER or organised by the user, not organised by another', async () => {
    const i = await install(server, (s) => {
      s.agendas.events.enabled = false;
      s.agendas.contacts.enabled = false;
    });
    try {
      // The user's address in the CRM: the ORGANIZER of the user's own tasks.
      i.db.prepare('UPDATE users SET email = ? WHERE id = ?').run('pbartos@firma.cz', i.ownerId);
      const put = (text: string) =>
        i.phone.putObject(i.calendarUrl, null, text, 'text/calendar; charset=utf-8', {
          ifNoneMatch: '*',
        });
      await put(vtodo('t1@phone', 'Bez organizátora', null));
      await put(vtodo('t2@phone', 'Můj', 'PBartos@firma.cz'));
      await put(vtodo('t3@phone', 'Janin', 'jnovakova@firma.cz'));
      await i.sync();
      expect(subjects(listTasks(i.db, {}))).toEqual(['Bez organizátora', 'Můj']);
    } finally {
      await i.close();
    }
  });
});
