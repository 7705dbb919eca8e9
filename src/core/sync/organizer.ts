/**
 * Who organises a meeting exported from the CRM: the CRM user's mailbox. RFC 5545 wants an
 * ORGANIZER in every scheduling object (one with attendees), and the CRM row has none when
 * the meeting was made in the CRM. Written, like every ORGANIZER we write, with
 * SCHEDULE-AGENT=CLIENT: no invitation is ever sent.
 */
import type { Settings } from '../settings/schema.ts';
import { impersonatedMailbox } from '../settings/derived.ts';
import type { PersonRef } from './model.ts';

const ADDRESS = /^[^\s@]+@[^\s@]+$/;

/**
 * The CRM user's own e-mail (users.email) first: it is the address the CRM knows the user
 * by. Else the mailbox the connection opens, when it is an address (Exchange: the mailbox
 * or the impersonated one; CalDAV: a user name such as "pbartos@firma.cz"). null = none.
 */
export function ownMailbox(
  settings: Settings,
  user: { displayName: string; email: string | null },
): PersonRef | null {
  const { connection } = settings;
  const candidates =
    connection.kind === 'exchange'
      ? [impersonatedMailbox(settings) ?? '', connection.exchange.email]
      : connection.kind === 'dav'
        ? [connection.dav.user]
        : [];
  const email = [user.email ?? '', ...candidates].map((e) => e.trim()).find((e) => ADDRESS.test(e));
  return email === undefined ? null : { email: email.toLowerCase(), name: user.displayName.trim() };
}
