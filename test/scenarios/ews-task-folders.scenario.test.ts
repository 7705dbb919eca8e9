/**
 * "Synchronise all task folders" on Exchange, against the fake: tasks of every task folder
 * in the mailbox are imported, new CRM tasks go to the default one. Not in the conformance
 * suite: the second folder is made with the fake Exchange's own API, and the conformance
 * phone works in each agenda's default folder; the other activity settings run on every
 * server in test/conformance/activity-settings.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { listTasks, insertTask } from '../../src/core/crm/tasks.ts';
import { perTestInstallation } from '../support/ews-installation.ts';
import { daysFromNow, ewsTime } from '../support/times.ts';

const fresh = perTestInstallation((s) => {
  s.agendas.contacts.enabled = false;
});

const outlookTask = (subject: string): string =>
  `<t:Task><t:Subject>${subject}</t:Subject><t:DueDate>${ewsTime(daysFromNow(2, 0))}</t:DueDate></t:Task>`;

const subjects = (rows: { subject: string }[]): string[] => rows.map((r) => r.subject).sort();

describe('all task folders on the fake Exchange', () => {
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
});
