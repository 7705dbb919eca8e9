/**
 * The server kinds this version can connect to, each registered once with everything the
 * rest of the program asks of it: make a connector from settings and secrets, describe the
 * connection, which secret and login it signs in with, which failures concern the whole
 * server, and what it can do beyond the agendas. A kind the registry lacks is offered
 * nowhere: creating its connector says it is not supported (exit 6).
 *
 * Each kind's entry lives in its own folder (`servers/<kind>/kind.ts`); this file lists them.
 */
import { ExitCode, UserError } from '../errors.ts';
import { SecretKey } from '../secrets/secret-store.ts';
import type { Settings } from '../../shared/settings/schema.ts';
import { SERVER_KINDS, serverFieldValue, serverKind } from '../../shared/server-kinds.ts';
import type { ServerKindId } from '../../shared/server-kinds.ts';
import type { OtherMailboxes } from './connector.ts';
import type { ConnectorKind } from './registry-types.ts';
import { davKind } from './dav/kind.ts';
import { ewsKind } from './ews/kind.ts';

const kinds = new Map<string, ConnectorKind>([
  [davKind.id, davKind],
  [ewsKind.id, ewsKind],
]);

/**
 * Adds a kind (tests: the in-memory reference connector); returns the function that takes
 * it away again. A hidden kind is never offered, whatever its id.
 */
export function registerConnectorKind(kind: ConnectorKind): () => void {
  const before = kinds.get(kind.id);
  kinds.set(kind.id, kind);
  return () => {
    if (before === undefined) kinds.delete(kind.id);
    else kinds.set(kind.id, before);
  };
}

/** The registered kind of that id, or undefined. */
export function connectorKind(id: string): ConnectorKind | undefined {
  return kinds.get(id);
}

/** The kinds a user may choose, in the wizard's order. */
export function offeredConnectorKinds(): ConnectorKind[] {
  return SERVER_KINDS.map((k) => kinds.get(k.id)).filter(
    (k): k is ConnectorKind => k !== undefined && k.hidden !== true,
  );
}

/** "Exchange (connection.kind exchange) or a CalDAV/CardDAV server (connection.kind dav)". */
function offeredChoices(): string {
  const names = offeredConnectorKinds().map((k) => {
    const d = serverKind(k.id as ServerKindId);
    return `${d.choice} (connection.kind ${d.id})`;
  });
  const last = names.at(-1) ?? '';
  return names.length <= 1 ? last : `${names.slice(0, -1).join(', ')} or ${last}`;
}

/** The kind the settings select; a kind this version lacks is refused (exit 6). */
export function connectorKindOf(settings: Settings): ConnectorKind {
  const kind = kinds.get(settings.connection.kind);
  if (kind !== undefined && kind.hidden !== true) return kind;
  const name = serverKind(settings.connection.kind).name;
  throw new UserError(
    `${name} is not supported by this version yet; choose ${offeredChoices()}.`,
    ExitCode.notImplemented,
    { code: 'server-kind-unsupported', params: { kind: name } },
  );
}

/** The secret the connection's sign-in uses: a token (bearer, OAuth) or the password. */
export function secretKeyOf(settings: Settings): string {
  return kinds.get(settings.connection.kind)?.secretKey(settings) ?? SecretKey.serverPassword;
}

/** The account the connection signs in as: the kind's user (or its e-mail) field. */
export function loginOf(settings: Settings): string {
  const registered = kinds.get(settings.connection.kind);
  if (registered !== undefined) return registered.login(settings);
  const c = settings.connection;
  return serverFieldValue(c, 'user') || serverFieldValue(c, 'email');
}

/** When no kind of this version opens other mailboxes. */
const NO_OTHER_MAILBOXES: OtherMailboxes = {
  unavailableReason: () => 'No server kind of this version can synchronise all users.',
  mailboxOf: () => ({ problem: 'no server kind of this version opens other mailboxes' }),
  settingsFor: (settings) => settings,
};

/**
 * How these settings open other users' mailboxes: their kind's capability; for a kind
 * without one, a kind's that has it, whose `unavailableReason` then says what to set.
 */
export function otherMailboxesOf(settings: Settings): OtherMailboxes {
  return (
    kinds.get(settings.connection.kind)?.capabilities.otherMailboxes ??
    offeredConnectorKinds().find((k) => k.capabilities.otherMailboxes !== undefined)?.capabilities
      .otherMailboxes ??
    NO_OTHER_MAILBOXES
  );
}
