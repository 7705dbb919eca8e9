/**
 * One service account for every CRM user: where the server kind can open other users'
 * mailboxes (the OtherMailboxes capability: Exchange impersonation), each active CRM user's
 * mailbox is synchronised as that user, with the user's own pairing state (scopes start
 * with the login). A user whose mailbox cannot be named or opened is reported and skipped;
 * the others go on. Several mailboxes are synchronised at once (MAILBOXES_IN_FLIGHT); each
 * run's database steps are synchronous between its requests, so runs on the one connection
 * interleave only between whole statements and transactions.
 */
import type { CrmDatabase } from '../crm/database.ts';
import { listUsers } from '../crm/users.ts';
import { ConfigError, describeCause, UserError } from '../errors.ts';
import type { MessageCode, MessageParams } from '../../shared/message-codes.ts';
import type { OtherMailboxes, ServerConnector } from '../servers/connector.ts';
import type { Settings } from '../../shared/settings/schema.ts';
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

/** The mailbox of each active CRM user, as the server kind names it. */
export function mailboxesOfUsers(
  db: CrmDatabase,
  settings: Settings,
  otherMailboxes: OtherMailboxes,
): UserMailbox[] {
  return listUsers(db)
    .filter((u) => u.active)
    .map((u) => {
      const base = { login: u.login, displayName: u.displayName };
      const found = otherMailboxes.mailboxOf(settings, u);
      return 'mailbox' in found
        ? { ...base, mailbox: found.mailbox, problem: null }
        : { ...base, mailbox: null, problem: found.problem };
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
  /** How the settings' server kind opens other mailboxes (registry: otherMailboxesOf). */
  otherMailboxes: OtherMailboxes;
  /** Mailboxes synchronised at once (default MAILBOXES_IN_FLIGHT). */
  inFlight?: number;
}

/**
 * Exchange charges an impersonated call to the target mailbox's budget (2013 and later) or to
 * the service account's (2010), whose EWSMaxConcurrency is 10 by default ("EWS throttling in
 * Exchange", Microsoft Learn). Each mailbox's calls go one at a time, so 4 mailboxes keep the
 * service account well inside even the 2010 limit, beside its other work, while an idle pass
 * over hundreds of mailboxes is no longer one round trip after another.
 */
export const MAILBOXES_IN_FLIGHT = 4;

export async function runForAllUsers(req: AllUsersRequest): Promise<UserRunResult[]> {
  const { settings, openConnector, onUser, otherMailboxes, inFlight, ...rest } = req;
  const unavailable = otherMailboxes.unavailableReason(settings);
  if (unavailable !== null) throw new ConfigError(unavailable);
  const users = mailboxesOfUsers(req.db, settings, otherMailboxes);
  const results: UserRunResult[] = [];
  const runUser = async (user: UserMailbox): Promise<UserRunResult> => {
    if (user.mailbox === null) {
      return {
        login: user.login,
        mailbox: null,
        summary: null,
        skipped: { message: `${user.login}: ${user.problem ?? 'no mailbox'}.` },
      };
    }
    const own = otherMailboxes.settingsFor(settings, user.login, user.mailbox);
    try {
      const connector = await openConnector(own);
      try {
        const summary = await runSync({ ...rest, settings: own, connector });
        return { login: user.login, mailbox: user.mailbox, summary, skipped: null };
      } finally {
        await connector.close();
      }
    } catch (err) {
      // Only what the user can act on is skipped; a bug stops the whole run.
      if (!(err instanceof UserError)) throw err;
      return {
        login: user.login,
        mailbox: user.mailbox,
        summary: null,
        skipped: {
          message: `${user.login} (${user.mailbox}): ${describeCause(err)}`,
          ...(err.code === undefined ? {} : { code: err.code, params: err.params }),
        },
      };
    }
  };
  let next = 0;
  let bug: { error: unknown } | null = null;
  // Each worker takes the next user until none is left; results keep the users' order.
  const worker = async (): Promise<void> => {
    while (bug === null && next < users.length) {
      const index = next++;
      const user = users[index]!;
      try {
        onUser?.(user);
        results[index] = await runUser(user);
      } catch (err) {
        // A bug stops the pass: no further user starts, the runs under way end first.
        bug ??= { error: err };
      }
    }
  };
  const workers = Math.max(1, Math.min(inFlight ?? MAILBOXES_IN_FLIGHT, users.length));
  await Promise.all(Array.from({ length: workers }, worker));
  if (bug !== null) throw (bug as { error: unknown }).error;
  return results;
}
