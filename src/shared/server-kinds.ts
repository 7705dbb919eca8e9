/**
 * What each server kind asks of the user, as data: the settings fields it shows, how it
 * signs in and which secret that takes. The wizard, the settings pages, `crm-sync init` and
 * `status`, and the settings rules read this instead of switching on the kind. Pure: no
 * engine code, so the sandboxed renderer can use it too.
 *
 * Whether a kind can be used is the engine's connector registry's to say
 * (src/core/servers/registry.ts); `available` mirrors it here for the UI, and a test checks
 * that the two agree.
 */

/** The values of `connection.kind`, in the order the wizard offers them. */
export const SERVER_KIND_IDS = ['exchange', 'm365', 'dav'] as const;
export type ServerKindId = (typeof SERVER_KIND_IDS)[number];

/** The secret a sign-in method takes from the secret store. */
export type SignInSecret = 'password' | 'token';

export interface SignInMethod {
  /** The value of the kind's `auth` setting. */
  readonly value: string;
  readonly secret: SignInSecret;
  /** Whether the method signs in with a user name (a token names its user itself). */
  readonly needsUser: boolean;
}

/**
 * What a field is for, whatever the kind calls it: `address` is the server's URL (none for
 * Microsoft 365, found by its tenant), `user` the account signed in with.
 */
export type ServerFieldRole =
  'address' | 'email' | 'user' | 'auth' | 'domain' | 'tenant' | 'clientId';

export interface ServerKindDescriptor {
  readonly id: ServerKindId;
  /** "Exchange (EWS)": in `status` and messages. */
  readonly label: string;
  /** The short name in sentences ("Microsoft 365"). */
  readonly name: string;
  /** As one of a choice of servers ("a CalDAV/CardDAV server"). */
  readonly choice: string;
  /** A connector for it is in this version: only then is it offered. */
  readonly available: boolean;
  /** The settings section of its fields: `connection.<section>`. */
  readonly section: ServerKindId;
  /** Its fields by role: the name within the section. */
  readonly fields: Partial<Record<ServerFieldRole, string>>;
  /** How it signs in; the first is the default. Empty: in the browser (OAuth), no secret here. */
  readonly signIn: readonly SignInMethod[];
  /**
   * The settings key a server failure of this code belongs to, where the code names a field
   * of this kind (an unknown mailbox: the mailbox field).
   */
  readonly fieldOfFailure: Readonly<Record<string, string>>;
}

export const SERVER_KINDS: readonly ServerKindDescriptor[] = [
  {
    id: 'exchange',
    label: 'Exchange (EWS)',
    name: 'Exchange',
    choice: 'Exchange',
    available: true,
    section: 'exchange',
    fields: { address: 'ewsUrl', email: 'email', user: 'user', auth: 'auth', domain: 'domain' },
    signIn: [
      { value: 'ntlm', secret: 'password', needsUser: true },
      { value: 'basic', secret: 'password', needsUser: true },
      { value: 'oauth', secret: 'token', needsUser: false },
    ],
    fieldOfFailure: {
      'mailbox-not-found': 'connection.exchange.mailbox',
      'impersonation-denied': 'connection.exchange.mailbox',
      'autodiscover-failed': 'connection.exchange.email',
    },
  },
  {
    id: 'm365',
    label: 'Microsoft 365 (Graph)',
    name: 'Microsoft 365',
    choice: 'Microsoft 365',
    available: false,
    section: 'm365',
    fields: { email: 'email', tenant: 'tenantId', clientId: 'clientId' },
    signIn: [],
    fieldOfFailure: {},
  },
  {
    id: 'dav',
    label: 'CalDAV/CardDAV',
    name: 'CalDAV/CardDAV',
    choice: 'a CalDAV/CardDAV server',
    available: true,
    section: 'dav',
    fields: { address: 'url', user: 'user', auth: 'auth' },
    signIn: [
      { value: 'basic', secret: 'password', needsUser: true },
      { value: 'digest', secret: 'password', needsUser: true },
      { value: 'bearer', secret: 'token', needsUser: false },
    ],
    fieldOfFailure: {},
  },
];

export function serverKind(id: ServerKindId): ServerKindDescriptor {
  const kind = SERVER_KINDS.find((k) => k.id === id);
  if (kind === undefined) throw new Error(`Unknown server kind ${id}`);
  return kind;
}

/** The kinds this version can use, in the wizard's order. */
export function availableServerKinds(): ServerKindDescriptor[] {
  return SERVER_KINDS.filter((k) => k.available);
}

/** The dotted settings key of a kind's field ("connection.dav.url"); undefined: it has none. */
export function serverFieldKey(id: ServerKindId, role: ServerFieldRole): string | undefined {
  const kind = serverKind(id);
  const name = kind.fields[role];
  return name === undefined ? undefined : `connection.${kind.section}.${name}`;
}

/** A connection's settings as the descriptor reads them: each section a record of values. */
export interface ConnectionValues {
  readonly kind: ServerKindId;
  readonly exchange: object;
  readonly m365: object;
  readonly dav: object;
}

/** The value of a kind's field in the connection settings ('' when it has none). */
export function serverFieldValue(connection: ConnectionValues, role: ServerFieldRole): string {
  const kind = serverKind(connection.kind);
  const name = kind.fields[role];
  if (name === undefined) return '';
  const value = (connection[kind.section] as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
}

/** The sign-in method the connection uses (undefined: in the browser). */
export function signInMethodOf(connection: ConnectionValues): SignInMethod | undefined {
  const kind = serverKind(connection.kind);
  const auth = serverFieldValue(connection, 'auth');
  return kind.signIn.find((m) => m.value === auth) ?? kind.signIn[0];
}

/** Whether the connection signs in with a token (bearer, OAuth) rather than a password. */
export function signsInWithToken(connection: ConnectionValues): boolean {
  return signInMethodOf(connection)?.secret === 'token';
}
