/**
 * One service account for every CRM user: where the server kind can open other users'
 * mailboxes (the OtherMailboxes capability: Exchange impersonation), each active CRM user's
 * mailbox is synchronised as that user, with the user's own pairing state (scopes start
 * with the login). A user whose mailbox cannot be named or opened is reported and skipped;
 * the others go on.
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
}

export async function runForAllUsers(req: AllUsersRequest): Promise<UserRunResult[]> {
  const { settings, openConnector, onUser, otherMailboxes, ...rest } = req;
  const unavailable = otherMailboxes.unavailableReason(settings);
  if (unavailable !== null) throw new ConfigError(unavailable);
  const results: UserRunResult[] = [];
  for (const user of mailboxesOfUsers(req.db, settings, otherMailboxes)) {
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
    const own = otherMailboxes.settingsFor(settings, user.login, user.mailbox);
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
