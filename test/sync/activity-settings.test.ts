/**
 * The activity settings in the pure planner: tasks "import only tasks owned by
 * the CRM user" (ownerOnly), "export only activities of selected groups" for events too,
 * and "import activities starting from" a day. Rules come from real settings through
 * deriveRules, so a setting that nothing reads fails here.
 */
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../src/shared/settings/schema.ts';
import type { Settings } from '../../src/shared/settings/schema.ts';
import { contentHash } from '../../src/core/model/content-hash.ts';
import type { EventData, ItemData, TaskData } from '../../src/core/model/items.ts';
import type { CrmFacts, CrmSnapshot, PlannedAction } from '../../src/core/sync/plan.ts';
import { planAgenda } from '../../src/core/sync/planner.ts';
import { deriveRules, ownerIdentityOf } from '../../src/core/sync/rules.ts';
import type { MirrorItem } from '../../src/core/sync/state.ts';

const NOW = new Date('2026-05-10T08:00:00Z');
const USER = { login: 'pbartos', displayName: 'Petr Bartoš', email: 'pbartos@firma.cz' };

function settingsWith(edit: (s: Settings) => void): Settings {
  const s = defaultSettings();
  s.crm.user = USER.login;
  edit(s);
  return s;
}

function rulesFor(settings: Settings, agenda: 'events' | 'tasks') {
  return deriveRules(settings, agenda, NOW, null, ownerIdentityOf(settings, USER));
}

function task(subject: string, extra: Partial<TaskData> = {}): TaskData {
  return {
    kind: 'task',
    subject,
    description: '',
    start: null,
    due: { date: '2026-05-12' },
    completedAt: null,
    percentComplete: 0,
    priority: 'normal',
    isPrivate: false,
    categories: [],
    ...extra,
  };
}

function event(subject: string, day: string, extra: Partial<EventData> = {}): EventData {
  return {
    kind: 'event',
    subject,
    location: '',
    description: '',
    start: { utc: `${day}T08:00:00.000Z`, tz: 'Europe/Prague' },
    end: { utc: `${day}T09:00:00.000Z`, tz: 'Europe/Prague' },
    rrule: null,
    exdates: [],
    overrides: [],
    isPrivate: false,
    categories: [],
    reminderMinutes: null,
    organizer: null,
    attendees: [],
    ...extra,
  };
}

function onServer(id: string, data: ItemData): MirrorItem {
  return {
    serverId: id,
    version: 'v1',
    uid: `uid-${id}`,
    crmStamp: null,
    data,
    hash: contentHash(data),
    modifiedAt: null,
    error: null,
  };
}

function inCrm(crmId: number, data: ItemData, facts: Partial<CrmFacts> = {}): CrmSnapshot {
  return {
    crmId,
    identity: { uid: '', crmStamp: `crm:x:${crmId}@db` },
    data,
    hash: contentHash(data),
    modifiedAt: null,
    facts: {
      ownerId: 1,
      groupName: null,
      classificationNodeId: null,
      showInCalendar: false,
      ...facts,
    },
  };
}

const labels = (actions: PlannedAction[], kind: PlannedAction['kind']) =>
  actions
    .filter((a) => a.kind === kind)
    .map((a) => a.label)
    .sort();

describe('tasks: import only tasks owned by the CRM user', () => {
  const server = [
    onServer('a', task('Bez vlastníka')),
    onServer('b', task('Můj podle adresy', { owner: { email: 'pbartos@firma.cz', name: '' } })),
    onServer('c', task('Cizí podle adresy', { owner: { email: 'jnovakova@firma.cz', name: '' } })),
    onServer('d', task('Můj podle jména', { owner: { email: '', name: 'petr  BARTOŠ' } })),
    onServer('e', task('Cizí podle jména', { owner: { email: '', name: 'Jana Nováková' } })),
  ];

  it('imports own tasks and tasks without an owner, not tasks of someone else', () => {
    const rules = rulesFor(
      settingsWith(() => {}),
      'tasks',
    );
    const actions = planAgenda({ rules, crm: [], server, pairings: [], crmCategoryNames: [] });
    expect(labels(actions, 'create-crm')).toEqual([
      'Bez vlastníka',
      'Můj podle adresy',
      'Můj podle jména',
    ]);
  });

  it('recognises the connection mailbox as the user too', () => {
    const settings = settingsWith((s) => {
      s.connection.exchange.email = 'petr.bartos@firma.cz';
    });
    const rules = rulesFor(settings, 'tasks');
    const other = onServer(
      'f',
      task('Schránka', { owner: { email: 'petr.bartos@firma.cz', name: '' } }),
    );
    const actions = planAgenda({
      rules,
      crm: [],
      server: [other],
      pairings: [],
      crmCategoryNames: [],
    });
    expect(labels(actions, 'create-crm')).toEqual(['Schránka']);
  });

  it('imports every task when the setting is off', () => {
    const rules = rulesFor(
      settingsWith((s) => {
        s.agendas.tasks.ownerOnly = false;
      }),
      'tasks',
    );
    const actions = planAgenda({ rules, crm: [], server, pairings: [], crmCategoryNames: [] });
    expect(labels(actions, 'create-crm')).toHaveLength(5);
  });

  it('stops tracking a paired task once it is assigned to someone else, deleting nothing', () => {
    const rules = rulesFor(
      settingsWith(() => {}),
      'tasks',
    );
    const mine = task('Předáno');
    const crm = inCrm(7, mine);
    const handedOver = onServer('g', { ...mine, owner: { email: 'jnovakova@firma.cz', name: '' } });
    const actions = planAgenda({
      rules,
      crm: [crm],
      server: [{ ...handedOver, version: 'v2' }],
      pairings: [
        {
          crmId: 7,
          serverId: 'g',
          uid: 'uid-g',
          crmHash: crm.hash,
          serverHash: contentHash(mine),
          serverVersion: 'v1',
        },
      ],
      crmCategoryNames: [],
    });
    expect(actions.map((a) => [a.kind, a.reasonCode])).toEqual([
      ['untrack', 'server-not-own-task'],
    ]);
  });

  it('is a fact, not content: the owner changes no hash, so an own task is not rewritten', () => {
    const plain = task('Stejný');
    expect(contentHash({ ...plain, owner: { email: 'pbartos@firma.cz', name: 'Petr' } })).toBe(
      contentHash(plain),
    );
  });
});

describe('export only activities of selected groups: events too', () => {
  const settings = settingsWith((s) => {
    s.agendas.events.exportGroups = { mode: 'selected', groups: ['Obchod'] };
  });

  it('exports events of a selected group and events without a group, not the others', () => {
    const rules = rulesFor(settings, 'events');
    const crm = [
      inCrm(1, event('Obchodní schůzka', '2026-05-11'), { groupName: 'obchod' }),
      inCrm(2, event('Servisní výjezd', '2026-05-11'), { groupName: 'Servis' }),
      inCrm(3, event('Bez skupiny', '2026-05-11')),
    ];
    const actions = planAgenda({ rules, crm, server: [], pairings: [], crmCategoryNames: [] });
    expect(labels(actions, 'create-server')).toEqual(['Bez skupiny', 'Obchodní schůzka']);
  });

  it('leaves the tasks agenda to its own setting', () => {
    const rules = rulesFor(settings, 'tasks');
    const crm = [inCrm(4, task('Servisní úkol'), { groupName: 'Servis' })];
    const actions = planAgenda({ rules, crm, server: [], pairings: [], crmCategoryNames: [] });
    expect(labels(actions, 'create-server')).toEqual(['Servisní úkol']);
  });
});

describe('import activities starting from a day', () => {
  const settings = settingsWith((s) => {
    s.agendas.events.daysPast = 60;
    s.agendas.tasks.daysPast = 60;
    s.agendas.events.importFrom = '2026-05-01';
    s.agendas.tasks.importFrom = '2026-05-01';
  });

  it('does not import server events before the day, a series reaching past it does', () => {
    const rules = rulesFor(settings, 'events');
    const server = [
      onServer('a', event('Dubnová porada', '2026-04-20')),
      onServer('b', event('Květnová porada', '2026-05-01')),
      onServer('c', event('Týdenní', '2026-04-06', { rrule: 'FREQ=WEEKLY;BYDAY=MO' })),
      onServer('d', event('Skončila', '2026-04-06', { rrule: 'FREQ=WEEKLY;COUNT=3' })),
    ];
    const actions = planAgenda({ rules, crm: [], server, pairings: [], crmCategoryNames: [] });
    expect(labels(actions, 'create-crm')).toEqual(['Květnová porada', 'Týdenní']);
  });

  it('does not import tasks due before the day; tasks without dates come', () => {
    const rules = rulesFor(settings, 'tasks');
    const server = [
      onServer('a', task('Staré', { due: { date: '2026-04-30' } })),
      onServer('b', task('Nové', { due: { date: '2026-05-01' } })),
      onServer('c', task('Bez data', { due: null })),
    ];
    const actions = planAgenda({ rules, crm: [], server, pairings: [], crmCategoryNames: [] });
    expect(labels(actions, 'create-crm')).toEqual(['Bez data', 'Nové']);
  });

  it('bounds import only: a CRM event before the day is exported, and a paired one stays', () => {
    const rules = rulesFor(settings, 'events');
    const old = event('Stará z CRM', '2026-04-20');
    const paired = event('Spárovaná', '2026-04-21');
    const pairedCrm = inCrm(2, paired);
    const actions = planAgenda({
      rules,
      crm: [
        inCrm(1, old),
        { ...pairedCrm, data: { ...paired, location: 'Brno' }, hash: 'changed' },
      ],
      server: [onServer('p', paired)],
      pairings: [
        {
          crmId: 2,
          serverId: 'p',
          uid: 'uid-p',
          crmHash: pairedCrm.hash,
          serverHash: contentHash(paired),
          serverVersion: 'v1',
        },
      ],
      crmCategoryNames: [],
    });
    expect(labels(actions, 'create-server')).toEqual(['Stará z CRM']);
    expect(labels(actions, 'update-server')).toEqual(['Spárovaná']);
  });
});
