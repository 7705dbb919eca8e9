/**
 * One service account for every CRM user (source document 000), against the fake Exchange:
 * each user's mailbox opened by ExchangeImpersonation, one pairing state per user; a user
 * without a mailbox is reported and skipped; the account's missing rights for an agenda
 * are reported, not fatal. Also the `crm-sync` command itself in that mode. Not in the
 * conformance suite: opening other users' mailboxes is Exchange's capability alone.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { crmSyncAsync } from '../support/cli.ts';
import { insertEvent, listEvents } from '../../src/core/crm/events.ts';
import { findUserByLogin } from '../../src/core/crm/users.ts';
import { insertTask } from '../../src/core/crm/tasks.ts';
import { saveSettings } from '../../src/core/settings/index.ts';
import {
  SERVICE,
  USER,
  perTestInstallation,
  useServiceAccount,
} from '../support/ews-installation.ts';
import type { EwsInstallation } from '../support/ews-installation.ts';
import { totals } from '../support/run-totals.ts';
import { daysFromNow } from '../support/times.ts';

const OTHERS = [
  { login: 'jnovakova', email: 'jnovakova@firma.test' },
  { login: 'kdvorak', email: null },
  { login: 'odesla', email: 'odesla@firma.test' }, // no such mailbox on the server
];

const install = perTestInstallation(
  (s) => {
    s.agendas.contacts.enabled = false;
    s.agendas.tasks.showInCalendarAsEvent = false;
  },
  { users: OTHERS, mailboxes: ['jnovakova@firma.test'] },
);

/** The service account opening every user's mailbox. */
async function fresh(options: { serviceDenied?: string[] } = {}): Promise<EwsInstallation> {
  const inst = await install(undefined, options);
  useServiceAccount(inst);
  return inst;
}

function ownerOf(i: EwsInstallation, login: string): number {
  return findUserByLogin(i.db, login)!.id;
}

describe('all users through one service account on the fake Exchange', () => {
  it("syncs each user's mailbox as that user, skips who has none, and keeps the users apart", async () => {
    const i = await fresh();
    insertEvent(i.db, {
      subject: 'Porada Pavla',
      allDay: false,
      start: daysFromNow(1),
      end: daysFromNow(1, 10),
      ownerId: ownerOf(i, USER.login),
    });
    insertEvent(i.db, {
      subject: 'Návštěva Jany',
      allDay: false,
      start: daysFromNow(2),
      end: daysFromNow(2, 10),
      ownerId: ownerOf(i, 'jnovakova'),
    });
    const results = await i.syncAllUsers();
    const byLogin = new Map(results.map((r) => [r.login, r]));
    expect([...byLogin.keys()].sort()).toEqual(['jnovakova', 'kdvorak', 'odesla', 'pbartos']);
    expect(byLogin.get('pbartos')!.summary!.status).toBe('ok');
    expect(byLogin.get('jnovakova')!.summary!.status).toBe('ok');
    expect(byLogin.get('kdvorak')!.skipped!.message).toMatch(/no e-mail address/);
    expect(byLogin.get('odesla')!.skipped!.code).toBe('mailbox-not-found');
    expect(byLogin.get('odesla')!.skipped!.message).toContain('odesla@firma.test');

    const pavel = i.fake.mailbox(USER.smtp).folder('calendar').items();
    const jana = i.fake.mailbox('jnovakova@firma.test').folder('calendar').items();
    expect(pavel.map((x) => x.field('Subject'))).toEqual(['Porada Pavla']);
    expect(jana.map((x) => x.field('Subject'))).toEqual(['Návštěva Jany']);
    // Every call acted as the service account, in the user's mailbox, by impersonation.
    const ewsCalls = i.fake.calls.filter((c) => c.operation !== 'GetUserSettings');
    expect(new Set(ewsCalls.map((c) => c.account))).toEqual(new Set([SERVICE.user]));
    expect(ewsCalls.every((c) => c.impersonated)).toBe(true);

    // Jana's Outlook adds an event: it lands with Jana in the CRM, not with Pavel.
    i.fake
      .mailbox('jnovakova@firma.test')
      .folder('calendar')
      .create(
        `<t:CalendarItem><t:Subject>Janin oběd</t:Subject><t:Start>${daysFromNow(3).toISOString()}</t:Start><t:End>${daysFromNow(3, 10).toISOString()}</t:End><t:StartTimeZone Id="Central Europe Standard Time"/><t:EndTimeZone Id="Central Europe Standard Time"/></t:CalendarItem>`,
      );
    const again = await i.syncAllUsers();
    const created = again
      .filter((r) => r.summary)
      .map((r) => [r.login, totals(r.summary!).crmCreated]);
    expect(created).toEqual([
      ['jnovakova', 1],
      ['pbartos', 0],
    ]);
    const lunch = listEvents(i.db, {}).find((e) => e.subject === 'Janin oběd')!;
    expect(lunch.ownerId).toBe(ownerOf(i, 'jnovakova'));
  });

  it('reports an agenda the service account may not open and syncs the others', async () => {
    const i = await fresh({ serviceDenied: ['tasks'] });
    insertEvent(i.db, {
      subject: 'Událost',
      allDay: false,
      start: daysFromNow(1),
      end: daysFromNow(1, 10),
      ownerId: ownerOf(i, USER.login),
    });
    insertTask(i.db, { subject: 'Úkol', due: daysFromNow(2), ownerId: ownerOf(i, USER.login) });
    const results = await i.syncAllUsers();
    const pavel = results.find((r) => r.login === USER.login)!.summary!;
    const tasks = pavel.agendas.find((a) => a.agenda === 'tasks')!;
    const events = pavel.agendas.find((a) => a.agenda === 'events')!;
    expect(tasks.aborted).toMatch(/access|right|denied/i);
    expect(events.aborted).toBeUndefined();
    expect(events.server.created).toBe(1);
    expect(i.fake.mailbox(USER.smtp).folder('tasks').items()).toHaveLength(0);

    // The next run (folders kept from this one) says the same, and still syncs the events.
    const again = (await i.syncAllUsers()).find((r) => r.login === USER.login)!.summary!;
    expect(again.agendas.find((a) => a.agenda === 'tasks')!.abortedCode?.code).toBe(
      'folder-access-denied',
    );
    expect(again.agendas.find((a) => a.agenda === 'events')!.aborted).toBeUndefined();
  });

  it('crm-sync sync --all-users prints each user and exits 5 when a mailbox is missing', async () => {
    const i = await fresh();
    insertEvent(i.db, {
      subject: 'Z příkazové řádky',
      allDay: false,
      start: daysFromNow(1),
      end: daysFromNow(1, 10),
      ownerId: ownerOf(i, USER.login),
    });
    const config = path.join(i.dir, 'crm-sync.json');
    i.settings.crm.databasePath = path.join(i.dir, 'crm.sqlite');
    saveSettings(config, i.settings);
    const res = await crmSyncAsync(['sync', '--all-users', '--config', config], {
      CRM_SYNC_SERVER_PASSWORD: SERVICE.password,
    });
    expect(res.stdout).toContain('== pbartos (pbartos@firma.test)');
    expect(res.stdout).toMatch(/== odesla \(odesla@firma\.test\): skipped: .*odesla@firma\.test/);
    expect(res.stdout).toMatch(/== kdvorak: skipped/);
    expect(res.code).toBe(5);
    expect(i.fake.mailbox(USER.smtp).folder('calendar').items()).toHaveLength(1);
  });
});
