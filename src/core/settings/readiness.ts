/**
 * What is still missing before a sync can run. A settings file may be valid yet
 * incomplete (the wizard saves as it goes, `crm-sync init` writes defaults): these are
 * the gaps, each naming the key to set, for `crm-sync status` and the wizard.
 */
import type { Settings } from './schema.ts';

function connectionProblems(settings: Settings): string[] {
  const problems: string[] = [];
  const { kind, exchange, m365, dav } = settings.connection;
  if (kind === 'exchange') {
    if (exchange.ewsUrl === '' && exchange.email === '') {
      problems.push(
        'connection.exchange.ewsUrl and connection.exchange.email are both empty: set the EWS URL, or an e-mail address to find it by autodiscovery.',
      );
    }
    if (exchange.auth !== 'oauth' && exchange.user === '') {
      problems.push(
        'connection.exchange.user is empty: set the account name used in Outlook (or sign in with connection.exchange.auth oauth).',
      );
    }
    if (exchange.mailboxMode === 'impersonation' && exchange.mailbox === '') {
      if (!exchange.loginAsMailboxName) {
        problems.push(
          'connection.exchange.mailbox is empty: set the mailbox to impersonate, or turn on connection.exchange.loginAsMailboxName.',
        );
      } else if (exchange.mailboxTemplate === '') {
        problems.push(
          'connection.exchange.mailboxTemplate is empty: set what follows the CRM login in the mailbox address, e.g. @example.com.',
        );
      }
    }
  } else if (kind === 'm365') {
    if (m365.clientId === '') {
      problems.push(
        'connection.m365.clientId is empty: set the application (client) ID of the app registration in Microsoft Entra ID.',
      );
    }
  } else {
    if (dav.url === '') {
      problems.push('connection.dav.url is empty: set the CalDAV/CardDAV server address.');
    }
    if (dav.auth !== 'bearer' && dav.user === '') {
      problems.push(
        'connection.dav.user is empty: set the user name on the CalDAV/CardDAV server.',
      );
    }
  }
  return problems;
}

function agendaProblems(settings: Settings): string[] {
  const problems: string[] = [];
  const { events, tasks, contacts, mail } = settings.agendas;
  if (!events.enabled && !tasks.enabled && !contacts.enabled && !mail.enabled) {
    problems.push(
      'No agenda is enabled: turn on at least one of agendas.events.enabled, agendas.tasks.enabled, agendas.contacts.enabled or agendas.mail.enabled.',
    );
  }
  for (const [name, agenda] of [
    ['events', events],
    ['tasks', tasks],
  ] as const) {
    if (agenda.enabled && agenda.categoryMode === 'paired' && agenda.categoryPairs.length === 0) {
      problems.push(
        `agendas.${name}.categoryPairs is empty while agendas.${name}.categoryMode is "paired", so nothing would be synchronised: add a pair or set the mode to "all".`,
      );
    }
  }
  if (
    tasks.enabled &&
    tasks.direction !== 'import' &&
    tasks.exportGroups.mode === 'selected' &&
    tasks.exportGroups.groups.length === 0
  ) {
    problems.push(
      'agendas.tasks.exportGroups.groups is empty while agendas.tasks.exportGroups.mode is "selected", so no task would be exported: list the CRM activity groups or set the mode to "all".',
    );
  }
  if (mail.enabled) {
    if (settings.connection.kind === 'dav') {
      problems.push(
        'agendas.mail.enabled is on, but CalDAV/CardDAV servers carry no mail: turn it off, or connect to Exchange or Microsoft 365.',
      );
    }
    if (mail.folders.length === 0) {
      problems.push('agendas.mail.folders is empty: list the mail folders to import, e.g. Inbox.');
    }
    if (mail.attachments.save && mail.attachments.directory === '') {
      problems.push(
        'agendas.mail.attachments.directory is empty while agendas.mail.attachments.save is on: set the folder to save attachments in.',
      );
    }
  }
  return problems;
}

/** Each problem is one sentence naming the setting key and what to do; empty = ready. */
export function readinessProblems(settings: Settings): string[] {
  const problems: string[] = [];
  if (settings.crm.databasePath === '') {
    problems.push('crm.databasePath is empty: set the path of the CRM database file.');
  }
  if (settings.crm.user === '') {
    problems.push('crm.user is empty: set the CRM login whose data is synchronised.');
  }
  return [...problems, ...connectionProblems(settings), ...agendaProblems(settings)];
}
