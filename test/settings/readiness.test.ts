import { describe, expect, it } from 'vitest';
import { readinessIssues, readinessProblems } from '../../src/shared/settings/readiness.ts';
import { defaultSettings } from '../../src/shared/settings/schema.ts';
import type { Settings } from '../../src/shared/settings/schema.ts';

function ready(kind: Settings['connection']['kind']): Settings {
  const s = defaultSettings();
  s.crm.databasePath = 'crm.sqlite';
  s.crm.user = 'pbartos';
  s.connection.kind = kind;
  s.connection.exchange.email = 'pbartos@example.com';
  s.connection.exchange.user = 'pbartos';
  s.connection.m365.clientId = '12345678-1234-1234-1234-1234567890ab';
  s.connection.dav.url = 'https://dav.example.com/';
  s.connection.dav.user = 'pbartos';
  return s;
}

describe('readinessProblems', () => {
  it('lists what the defaults still lack, naming each key', () => {
    expect(readinessProblems(defaultSettings())).toEqual([
      'crm.user is empty: set the CRM login whose data is synchronised.',
      'connection.exchange.ewsUrl and connection.exchange.email are both empty: set the EWS URL, or an e-mail address to find it by autodiscovery.',
      'connection.exchange.user is empty: set the account name used in Outlook (or sign in with connection.exchange.auth oauth).',
    ]);
  });

  it('finds nothing missing in complete settings of each kind', () => {
    for (const kind of ['exchange', 'dav'] as const)
      expect(readinessProblems(ready(kind)), kind).toEqual([]);
  });

  it('checks only the server kind in use', () => {
    const s = ready('dav');
    s.connection.exchange.user = '';
    s.connection.m365.clientId = '';
    expect(readinessProblems(s)).toEqual([]);
    s.connection.dav.url = '';
    expect(readinessProblems(s)).toEqual([
      'connection.dav.url is empty: set the CalDAV/CardDAV server address.',
    ]);
  });

  it('Exchange: ewsUrl or e-mail; user unless OAuth; the impersonated mailbox', () => {
    const s = ready('exchange');
    s.connection.exchange.email = '';
    s.connection.exchange.ewsUrl = 'https://mail.example.com/EWS/Exchange.asmx';
    expect(readinessProblems(s)).toEqual([]);
    s.connection.exchange.user = '';
    expect(readinessProblems(s)[0]).toMatch(/^connection\.exchange\.user is empty/);
    s.connection.exchange.auth = 'oauth';
    expect(readinessProblems(s)).toEqual([]);
    s.connection.exchange.mailboxMode = 'impersonation';
    expect(readinessProblems(s)[0]).toMatch(/^connection\.exchange\.mailbox is empty/);
    s.connection.exchange.loginAsMailboxName = true;
    expect(readinessProblems(s)[0]).toMatch(/^connection\.exchange\.mailboxTemplate is empty/);
    s.connection.exchange.mailboxTemplate = '@example.com';
    expect(readinessProblems(s)).toEqual([]);
  });

  it('Microsoft 365 is not available in this version, however complete its settings', () => {
    const s = ready('m365');
    expect(readinessProblems(s)).toEqual([
      'Microsoft 365 (connection.kind "m365") is not available in this version: connect to it as Exchange ("exchange") where the organisation still offers EWS, or choose a CalDAV/CardDAV server ("dav").',
    ]);
    expect(readinessIssues(s)[0]).toMatchObject({
      field: 'connection.kind',
      code: 'readiness-m365-unavailable',
    });
  });

  it('CalDAV with a bearer token needs no user', () => {
    const s = ready('dav');
    s.connection.dav.user = '';
    expect(readinessProblems(s)).toEqual([
      'connection.dav.user is empty: set the user name on the CalDAV/CardDAV server.',
    ]);
    s.connection.dav.auth = 'bearer';
    expect(readinessProblems(s)).toEqual([]);
  });

  it('needs the database path', () => {
    const s = ready('exchange');
    s.crm.databasePath = '';
    expect(readinessProblems(s)).toEqual([
      'crm.databasePath is empty: set the path of the CRM database file.',
    ]);
  });

  it('needs at least one agenda', () => {
    const s = ready('exchange');
    s.agendas.events.enabled = false;
    s.agendas.contacts.enabled = false;
    expect(readinessProblems(s)).toEqual([
      'No agenda is enabled: turn on at least one of agendas.events.enabled, agendas.tasks.enabled or agendas.contacts.enabled.',
    ]);
  });

  it('reports agenda settings that would synchronise nothing', () => {
    const s = ready('exchange');
    s.agendas.events.categoryMode = 'paired';
    s.agendas.tasks.enabled = true;
    s.agendas.tasks.exportGroups.mode = 'selected';
    const problems = readinessProblems(s);
    expect(problems.map((p) => p.slice(0, p.indexOf(' ')))).toEqual([
      'agendas.events.categoryPairs',
      'agendas.tasks.exportGroups.groups',
    ]);
    s.agendas.tasks.direction = 'import';
    expect(readinessProblems(s)).toHaveLength(1);
  });

  it('e-mail import is not available in this version, on every server kind', () => {
    for (const kind of ['exchange', 'dav'] as const) {
      const s = ready(kind);
      s.agendas.mail.enabled = true;
      expect(readinessProblems(s), kind).toEqual([
        'E-mail import (agendas.mail.enabled) is not available in this version: turn it off; events, tasks and contacts synchronise without it.',
      ]);
      expect(readinessIssues(s)[0]).toMatchObject({
        field: 'agendas.mail.enabled',
        code: 'readiness-mail-unavailable',
      });
    }
  });
});
