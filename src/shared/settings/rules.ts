/**
 * The settings rules that say what is still missing, once for the engine's readiness check
 * (readiness.ts: `crm-sync status`, the wizard's engine-side check, a sync's refusal) and
 * the app's checks next to each field (renderer/settings/validate.ts). Each problem is one
 * English sentence naming the key (the CLI prints it) with a code and parameters
 * (message-codes.ts) the app words it by.
 *
 * A rule looks at one part of the settings and ignores whether its agenda is enabled: the
 * caller decides which parts count (readiness: enabled agendas; a dialog: the one shown).
 */
import type { MessageCode, MessageParams } from '../message-codes.ts';
import { signInMethodOf } from '../server-kinds.ts';
import type { ServerKindId } from '../server-kinds.ts';
import type { Settings } from './schema.ts';

export interface RuleProblem {
  /** The dotted settings key to set (the first the sentence names). */
  field: string;
  /** One English sentence naming the key and what to do. */
  message: string;
  code: MessageCode;
  params: MessageParams;
}

type Connection = Settings['connection'];
type ActivityAgenda = Settings['agendas']['events'] | Settings['agendas']['tasks'];

function problem(
  message: string,
  code: MessageCode,
  params: MessageParams & { field: string },
): RuleProblem {
  return { field: params.field, message, code, params };
}

const blank = (value: string): boolean => value.trim() === '';

/** Whether the connection's sign-in method takes a user name (a token names its user itself). */
const needsUser = (connection: Connection): boolean =>
  signInMethodOf(connection)?.needsUser ?? false;

export function crmRules(crm: Settings['crm']): RuleProblem[] {
  const problems: RuleProblem[] = [];
  if (blank(crm.databasePath)) {
    problems.push(
      problem(
        'crm.databasePath is empty: set the path of the CRM database file.',
        'readiness-crm-database',
        { field: 'crm.databasePath' },
      ),
    );
  }
  if (blank(crm.user)) {
    problems.push(
      problem(
        'crm.user is empty: set the CRM login whose data is synchronised.',
        'readiness-crm-user',
        { field: 'crm.user' },
      ),
    );
  }
  return problems;
}

function exchangeRules(connection: Connection): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const { exchange } = connection;
  if (exchange.ewsUrl === '' && exchange.email === '') {
    problems.push(
      problem(
        'connection.exchange.ewsUrl and connection.exchange.email are both empty: set the EWS URL, or an e-mail address to find it by autodiscovery.',
        'readiness-exchange-address',
        { field: 'connection.exchange.ewsUrl', emailField: 'connection.exchange.email' },
      ),
    );
  }
  if (needsUser(connection) && blank(exchange.user)) {
    problems.push(
      problem(
        'connection.exchange.user is empty: set the account name used in Outlook (or sign in with connection.exchange.auth oauth).',
        'readiness-exchange-user',
        { field: 'connection.exchange.user', authField: 'connection.exchange.auth' },
      ),
    );
  }
  if (exchange.mailboxMode === 'impersonation' && exchange.mailbox === '') {
    if (!exchange.loginAsMailboxName) {
      problems.push(
        problem(
          'connection.exchange.mailbox is empty: set the mailbox to impersonate, or turn on connection.exchange.loginAsMailboxName.',
          'readiness-exchange-mailbox',
          {
            field: 'connection.exchange.mailbox',
            switchField: 'connection.exchange.loginAsMailboxName',
          },
        ),
      );
    } else if (exchange.mailboxTemplate === '') {
      problems.push(
        problem(
          'connection.exchange.mailboxTemplate is empty: set what follows the CRM login in the mailbox address, e.g. @example.com.',
          'readiness-exchange-mailbox-template',
          { field: 'connection.exchange.mailboxTemplate' },
        ),
      );
    }
  }
  return problems;
}

function davRules(connection: Connection): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const { dav } = connection;
  if (dav.url === '') {
    problems.push(
      problem(
        'connection.dav.url is empty: set the CalDAV/CardDAV server address.',
        'readiness-dav-url',
        { field: 'connection.dav.url' },
      ),
    );
  }
  if (needsUser(connection) && blank(dav.user)) {
    problems.push(
      problem(
        'connection.dav.user is empty: set the user name on the CalDAV/CardDAV server.',
        'readiness-dav-user',
        { field: 'connection.dav.user' },
      ),
    );
  }
  return problems;
}

/**
 * What each server kind needs filled in. Microsoft 365 is not available in this version
 * (unavailable.ts): nothing to complete.
 */
const CONNECTION_RULES: Record<ServerKindId, (connection: Connection) => RuleProblem[]> = {
  exchange: exchangeRules,
  m365: () => [],
  dav: davRules,
};

/** What the connection of the chosen server kind still lacks. */
export function connectionRules(connection: Connection): RuleProblem[] {
  return CONNECTION_RULES[connection.kind](connection);
}

// E-mail import is not available in this version (unavailable.ts): it is no way out here.
const AGENDA_SWITCHES = [
  'agendas.events.enabled',
  'agendas.tasks.enabled',
  'agendas.contacts.enabled',
];

/** At least one of events, tasks and contacts must be on. */
export function noAgendaRule(agendas: Settings['agendas']): RuleProblem[] {
  const { events, tasks, contacts } = agendas;
  if (events.enabled || tasks.enabled || contacts.enabled) return [];
  return [
    problem(
      'No agenda is enabled: turn on at least one of agendas.events.enabled, agendas.tasks.enabled or agendas.contacts.enabled.',
      'readiness-no-agenda',
      {
        field: 'agendas.events.enabled',
        fields: AGENDA_SWITCHES.slice(0, -1).join(', '),
        last: AGENDA_SWITCHES.at(-1) ?? '',
      },
    ),
  ];
}

/** "Only paired categories" with no pair would synchronise nothing. */
export function categoryPairsRule(name: 'events' | 'tasks', agenda: ActivityAgenda): RuleProblem[] {
  if (agenda.categoryMode !== 'paired' || agenda.categoryPairs.length > 0) return [];
  return [
    problem(
      `agendas.${name}.categoryPairs is empty while agendas.${name}.categoryMode is "paired", so nothing would be synchronised: add a pair or set the mode to "all".`,
      'readiness-category-pairs',
      { field: `agendas.${name}.categoryPairs`, modeField: `agendas.${name}.categoryMode` },
    ),
  ];
}

/** "Export only activities of selected groups" with no group would export nothing. */
export function exportGroupsRule(name: 'events' | 'tasks', agenda: ActivityAgenda): RuleProblem[] {
  if (
    agenda.direction === 'import' ||
    agenda.exportGroups.mode !== 'selected' ||
    agenda.exportGroups.groups.length > 0
  ) {
    return [];
  }
  return [
    problem(
      `agendas.${name}.exportGroups.groups is empty while agendas.${name}.exportGroups.mode is "selected", so nothing would be exported: list the CRM activity groups or set the mode to "all".`,
      'readiness-export-groups',
      {
        field: `agendas.${name}.exportGroups.groups`,
        modeField: `agendas.${name}.exportGroups.mode`,
      },
    ),
  ];
}
