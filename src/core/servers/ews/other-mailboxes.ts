/**
 * One service account for every CRM user (source document 000): each active CRM user's
 * mailbox is opened by Exchange impersonation. The mailbox is the login plus the template
 * when connection.exchange.loginAsMailboxName is on, else the user's e-mail in the CRM (the
 * per-user "Exchange mailbox" field of the products we replace).
 */
import type { Settings } from '../../../shared/settings/schema.ts';
import type { OtherMailboxes } from '../connector.ts';

export const exchangeOtherMailboxes: OtherMailboxes = {
  unavailableReason(settings) {
    return settings.connection.kind === 'exchange' &&
      settings.connection.exchange.mailboxMode === 'impersonation'
      ? null
      : 'Synchronising all users needs an Exchange service account: set connection.kind to "exchange" and connection.exchange.mailboxMode to "impersonation".';
  },

  mailboxOf(settings, user) {
    const ex = settings.connection.exchange;
    if (ex.loginAsMailboxName) {
      if (ex.mailboxTemplate === '') {
        return {
          problem:
            'connection.exchange.mailboxTemplate is empty, so no mailbox address can be made from the login',
        };
      }
      return { mailbox: `${user.login}${ex.mailboxTemplate}` };
    }
    const email = user.email?.trim() ?? '';
    if (email === '') {
      return {
        problem:
          'the CRM user has no e-mail address to use as the Exchange mailbox (or turn on connection.exchange.loginAsMailboxName)',
      };
    }
    return { mailbox: email.toLowerCase() };
  },

  settingsFor(settings: Settings, login: string, mailbox: string): Settings {
    const own = structuredClone(settings);
    own.crm.user = login;
    own.connection.exchange.mailboxMode = 'impersonation';
    own.connection.exchange.mailbox = mailbox;
    return own;
  },
};
