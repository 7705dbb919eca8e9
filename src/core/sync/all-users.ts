/**
 * One service account for every CRM user (source document 000): each active CRM user's
 * mailbox is opened by Exchange impersonation and synchronised as that user, with the
 * user's own pairing state (scopes start with the login). A user whose mailbox cannot be
 * named or opened is reported and skipped; the others go on.
 */
import type { CrmDatabase } from '../crm/database.ts';
import { listUsers } from '../crm/users.ts';
import { ConfigError, describeCause, UserError } from '../errors.ts';
import type { MessageCode, MessageParams } from '../message-codes.ts';
import type { ServerConnector } from '../servers/connector.ts';
import type { Settings } from '../settings/schema.ts';
import { runSync } from './engine.ts';
import type { SyncRequest } from './engine.ts';
import type { RunSummary } from './summary.ts';

export interface UserMailbox {
  login: string;
  displayName: string;
  /** The SMTP address to impersonate; null when none can be named (see `problem`). */
  mailbox: string | null;
  problem: string | null;
}

/**
 * The mailbox of each active CRM user: the login plus the template when
 * connection.exchange.loginAsMailboxName is on, else the user's e-mail in the CRM (the
 * per-user "Exchange mailbox" field of the products we replace).
 */
export function mailboxesOfUsers(db: CrmDatabase, settings: Settings): UserMailbox[] {
  const ex = settings.connection.exchange;
  return listUsers(db)
    .filter((u) => u.active)
    .map((u) => {
      const base = { login: u.login, displayName: u.displayName };
      if (ex.loginAsMailboxName) {
        if (ex.mailboxTemplate === '') {
          return {
            ...base,
            mailbox: null,
            problem:
              'connection.exchange.mailboxTemplate is empty, so no mailbox address can be made from the login',
          };
        }
        return { ...base, mailbox: `${u.login}${ex.mailboxTemplate}`, problem: null };
      }
      const email = u.email?.trim() ?? '';
      if (email === '') {
        return {
          ...base,
          mailbox: null,
          problem:
            'the CRM user has no e-mail address to use as the Exchange mailbox (or turn on connection.exchange.loginAsMailboxName)',
        };
      }
      return { ...base, mailbox: email.toLowerCase(), problem: null };
    });
}

export interface UserRunResult {
  login: string;
  mailbox: string | null;
  /** The run, when the mailbox could be opened at all. */
  summary: RunSummary | null;
  /** Why the user was skipped (no mailbox address, mailbox not found, no right to open it). */
  skipped: { message: string; code?: MessageCode; params?: MessageParams } | null;
}

export interface AllUsersRequest extends Omit<SyncRequest, 'settings' | 'connector'> {
  settings: Settings;
  /** A connector for settings that name one user's mailbox (created and closed per user). */
  openConnector: (settings: Settings) => Promise<ServerConnector>;
  /** Told before each user's run starts. */
  onUser?: (user: UserMailbox) => void;
}

/** The settings one user's run uses: that user, that mailbox, by impersonation. */
export function settingsForUser(settings: Settings, login: string, mailbox: string): Settings {
  const own = structuredClone(settings);
  own.crm.user = login;
  own.connection.exchange.mailboxMode = 'impersonation';
  own.connection.exchange.mailbox = mailbox;
  return own;
}

export async function runForAllUsers(req: AllUsersRequest): Promise<UserRunResult[]> {
  const { settings, openConnector, onUser, ...rest } = req;
  if (
    settings.connection.kind !== 'exchange' ||
    settings.connection.exchange.mailboxMode !== 'impersonation'
  ) {
    throw new ConfigError(
      'Synchronising all users needs an Exchange service account: set connection.kind to "exchange" and connection.exchange.mailboxMode to "impersonation".',
    );
  }
  const results: UserRunResult[] = [];
  for (const user of mailboxesOfUsers(req.db, settings)) {
    onUser?.(user);
    if (user.mailbox === null) {
      results.push({
        login: user.login,
        mailbox: null,
        summary: null,
        skipped: { message: `${user.login}: ${user.problem ?? 'no mailbox'}.` },
      });
      continue;
    }
    const own = settingsForUser(settings, user.login, user.mailbox);
    try {
      const connector = await openConnector(own);
      try {
        const summary = await runSync({ ...rest, settings: own, connector });
        results.push({ login: user.login, mailbox: user.mailbox, summary, skipped: null });
      } finally {
        await connector.close();
      }
    } catch (err) {
      // Only what the user can act on is skipped; a bug stops the whole run.
      if (!(err instanceof UserError)) throw err;
      results.push({
        login: user.login,
        mailbox: user.mailbox,
        summary: null,
        skipped: {
          message: `${user.login} (${user.mailbox}): ${describeCause(err)}`,
          ...(err.code === undefined ? {} : { code: err.code, params: err.params }),
        },
      });
    }
  }
  return results;
}
