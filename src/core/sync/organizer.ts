/**
 * Who organises a meeting exported from the CRM: the CRM user's mailbox. RFC 5545 wants an
 * ORGANIZER in every scheduling object (one with attendees), and the CRM row has none when
 * the meeting was made in the CRM. Written, like every ORGANIZER we write, with
 * SCHEDULE-AGENT=CLIENT: no invitation is ever sent.
 */
import type { PersonRef } from '../model/items.ts';

const ADDRESS = /^[^\s@]+@[^\s@]+$/;

/**
 * The CRM user's own e-mail (users.email) first: it is the address the CRM knows the user
 * by. Else the first of the connection's own addresses (the connector's `ownAddresses`:
 * Exchange's impersonated or own mailbox, a CalDAV user name such as "pbartos@firma.cz")
 * that is an address. null = none.
 */
export function ownMailbox(
  connectionAddresses: readonly string[],
  user: { displayName: string; email: string | null },
): PersonRef | null {
  const email = [user.email ?? '', ...connectionAddresses]
    .map((e) => e.trim())
    .find((e) => ADDRESS.test(e));
  return email === undefined ? null : { email: email.toLowerCase(), name: user.displayName.trim() };
}
