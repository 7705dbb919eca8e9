/**
 * What is still missing before a sync can run. A settings file may be valid yet
 * incomplete (the wizard saves as it goes, `crm-sync init` writes defaults): these are
 * the gaps, each naming the key to set, for `crm-sync status` and the wizard.
 *
 * Each gap is one English sentence (the CLI prints it) with a code and parameters
 * (message-codes.ts) the app words it by; `field` is the key the sentence names first.
 */
import type { MessageCode, MessageParams } from '../message-codes.ts';
import type { Settings } from './schema.ts';
import { unavailableFeatures } from './unavailable.ts';

export interface ReadinessProblem {
  /** The dotted settings key to set (the first the sentence names). */
  field: string;
  /** One English sentence naming the key and what to do. */
  message: string;
  code: MessageCode;
  params: MessageParams;
}

function problem(
  message: string,
  code: MessageCode,
  params: MessageParams & { field: string },
): ReadinessProblem {
  return { field: params.field, message, code, params };
}

function connectionProblems(settings: Settings): ReadinessProblem[] {
  const problems: ReadinessProblem[] = [];
  const { kind, exchange, dav } = settings.connection;
  if (kind === 'exchange') {
    if (exchange.ewsUrl === '' && exchange.email === '') {
      problems.push(
        problem(
          'connection.exchange.ewsUrl and connection.exchange.email are both empty: set the EWS URL, or an e-mail address to find it by autodiscovery.',
          'readiness-exchange-address',
          { field: 'connection.exchange.ewsUrl', emailField: 'connection.exchange.email' },
        ),
      );
    }
    if (exchange.auth !== 'oauth' && exchange.user === '') {
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
  } else if (kind === 'm365') {
    // Not available in this version (unavailable.ts): nothing to complete.
  } else {
    if (dav.url === '') {
      problems.push(
        problem(
          'connection.dav.url is empty: set the CalDAV/CardDAV server address.',
          'readiness-dav-url',
          { field: 'connection.dav.url' },
        ),
      );
    }
    if (dav.auth !== 'bearer' && dav.user === '') {
      problems.push(
        problem(
          'connection.dav.user is empty: set the user name on the CalDAV/CardDAV server.',
          'readiness-dav-user',
          { field: 'connection.dav.user' },
        ),
      );
    }
  }
  return problems;
}

// E-mail import is not available in this version (unavailable.ts): it is no way out here.
const AGENDA_SWITCHES = [
  'agendas.events.enabled',
  'agendas.tasks.enabled',
  'agendas.contacts.enabled',
];

function agendaProblems(settings: Settings): ReadinessProblem[] {
  const problems: ReadinessProblem[] = [];
  const { events, tasks, contacts } = settings.agendas;
  if (!events.enabled && !tasks.enabled && !contacts.enabled) {
    problems.push(
      problem(
        'No agenda is enabled: turn on at least one of agendas.events.enabled, agendas.tasks.enabled or agendas.contacts.enabled.',
        'readiness-no-agenda',
        {
          field: 'agendas.events.enabled',
          fields: AGENDA_SWITCHES.slice(0, -1).join(', '),
          last: AGENDA_SWITCHES.at(-1) ?? '',
        },
      ),
    );
  }
  for (const [name, agenda] of [
    ['events', events],
    ['tasks', tasks],
  ] as const) {
    if (agenda.enabled && agenda.categoryMode === 'paired' && agenda.categoryPairs.length === 0) {
      problems.push(
        problem(
          `agendas.${name}.categoryPairs is empty while agendas.${name}.categoryMode is "paired", so nothing would be synchronised: add a pair or set the mode to "all".`,
          'readiness-category-pairs',
          { field: `agendas.${name}.categoryPairs`, modeField: `agendas.${name}.categoryMode` },
        ),
      );
    }
  }
  // "Export only activities of selected groups": events and tasks each.
  for (const [name, agenda] of [
    ['events', events],
    ['tasks', tasks],
  ] as const) {
    if (
      agenda.enabled &&
      agenda.direction !== 'import' &&
      agenda.exportGroups.mode === 'selected' &&
      agenda.exportGroups.groups.length === 0
    ) {
      problems.push(
        problem(
          `agendas.${name}.exportGroups.groups is empty while agendas.${name}.exportGroups.mode is "selected", so nothing would be exported: list the CRM activity groups or set the mode to "all".`,
          'readiness-export-groups',
          {
            field: `agendas.${name}.exportGroups.groups`,
            modeField: `agendas.${name}.exportGroups.mode`,
          },
        ),
      );
    }
  }
  return problems;
}

/** What is missing, each with the key it concerns and its code; empty = ready. */
export function readinessIssues(settings: Settings): ReadinessProblem[] {
  const problems: ReadinessProblem[] = [];
  if (settings.crm.databasePath === '') {
    problems.push(
      problem(
        'crm.databasePath is empty: set the path of the CRM database file.',
        'readiness-crm-database',
        { field: 'crm.databasePath' },
      ),
    );
  }
  if (settings.crm.user === '') {
    problems.push(
      problem(
        'crm.user is empty: set the CRM login whose data is synchronised.',
        'readiness-crm-user',
        { field: 'crm.user' },
      ),
    );
  }
  // What this version cannot do comes first: completing other settings would not help.
  const unavailable = unavailableFeatures(settings).map((u) =>
    problem(u.message, u.code, { ...u.params, field: u.field }),
  );
  return [
    ...unavailable,
    ...problems,
    ...connectionProblems(settings),
    ...agendaProblems(settings),
  ];
}

/** Each problem is one sentence naming the setting key and what to do; empty = ready. */
export function readinessProblems(settings: Settings): string[] {
  return readinessIssues(settings).map((p) => p.message);
}
