/**
 * The settings rules shared by the engine's readiness check and the app's field checks:
 * each names its key and code, a blank value counts as missing, the connection's rules are
 * those of the kind in use and of its sign-in method, and agenda rules ignore whether the
 * agenda is on (the caller decides).
 */
import { describe, expect, it } from 'vitest';
import {
  categoryPairsRule,
  connectionRules,
  crmRules,
  exportGroupsRule,
  noAgendaRule,
} from '../../src/shared/settings/rules.ts';
import { defaultSettings } from '../../src/shared/settings/schema.ts';
import { SERVER_KIND_IDS } from '../../src/shared/server-kinds.ts';

const codes = (problems: readonly { code: string }[]) => problems.map((p) => p.code);

describe('the shared settings rules', () => {
  it('count a value of only spaces as missing', () => {
    const s = defaultSettings();
    s.crm.databasePath = '  ';
    s.crm.user = ' ';
    expect(crmRules(s.crm).map((p) => p.field)).toEqual(['crm.databasePath', 'crm.user']);
    s.connection.kind = 'dav';
    s.connection.dav.url = 'https://dav.example.com/';
    s.connection.dav.user = '   ';
    expect(codes(connectionRules(s.connection))).toEqual(['readiness-dav-user']);
  });

  it('ask for a user name only where the sign-in method takes one', () => {
    const s = defaultSettings();
    s.connection.kind = 'dav';
    s.connection.dav.url = 'https://dav.example.com/';
    s.connection.dav.auth = 'bearer';
    expect(connectionRules(s.connection)).toEqual([]);
    s.connection.kind = 'exchange';
    s.connection.exchange.email = 'pavel@firma.cz';
    expect(codes(connectionRules(s.connection))).toEqual(['readiness-exchange-user']);
    s.connection.exchange.auth = 'oauth';
    expect(connectionRules(s.connection)).toEqual([]);
  });

  it('have rules for every server kind of the settings', () => {
    for (const kind of SERVER_KIND_IDS) {
      const s = defaultSettings();
      s.connection.kind = kind;
      expect(() => connectionRules(s.connection), kind).not.toThrow();
    }
  });

  it('judge an agenda whether or not it is on, and name its keys', () => {
    const s = defaultSettings();
    const tasks = s.agendas.tasks;
    tasks.enabled = false;
    tasks.categoryMode = 'paired';
    tasks.direction = 'two-way';
    tasks.exportGroups = { mode: 'selected', groups: [] };
    expect(categoryPairsRule('tasks', tasks)).toMatchObject([
      { field: 'agendas.tasks.categoryPairs', code: 'readiness-category-pairs' },
    ]);
    expect(exportGroupsRule('tasks', tasks)).toMatchObject([
      { field: 'agendas.tasks.exportGroups.groups', code: 'readiness-export-groups' },
    ]);
    tasks.direction = 'import';
    expect(exportGroupsRule('tasks', tasks)).toEqual([]);
  });

  it('want one of events, tasks and contacts on (e-mail import does not count)', () => {
    const s = defaultSettings();
    s.agendas.events.enabled = false;
    s.agendas.tasks.enabled = false;
    s.agendas.contacts.enabled = false;
    s.agendas.mail.enabled = true;
    expect(codes(noAgendaRule(s.agendas))).toEqual(['readiness-no-agenda']);
    s.agendas.contacts.enabled = true;
    expect(noAgendaRule(s.agendas)).toEqual([]);
  });
});
