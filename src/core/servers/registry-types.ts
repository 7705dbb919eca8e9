/**
 * What a server kind registers (registry.ts lists them): the kinds' folders import these
 * types from here, so no kind imports the registry that imports it.
 */
import type { MessageCode } from '../../shared/message-codes.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import type { Settings } from '../../shared/settings/schema.ts';
import type { OtherMailboxes, ServerConnector } from './connector.ts';
import type { RequestStats } from './dav/transport/index.ts';
import type { EwsStats } from './ews/index.ts';

/**
 * For tests and tools: timeoutMs, the limit for one request (default: the transport's);
 * request counters; autodiscoverUrls, endpoints to ask instead of the e-mail domain's.
 */
export interface ConnectorOptions {
  stats?: RequestStats;
  ewsStats?: EwsStats;
  timeoutMs?: number;
  autodiscoverUrls?: string[];
  maxBackOffMs?: number;
}

/** What a connector can do besides the agendas, known before one is made. */
export interface ConnectorCapabilities {
  /** The mailbox keeps its own list of category names (`listCategories`). */
  categories: boolean;
  /** It can make a folder (`createFolder`). */
  folderCreation: boolean;
  /** One service account opens every CRM user's mailbox. */
  otherMailboxes?: OtherMailboxes;
  /** It can be a one-way e-mail source (`mailSource`). */
  mailSource: boolean;
}

/** The connection as `status` shows it. */
export interface ConnectionDescription {
  kind: string;
  address: string;
  user: string;
  auth: string;
}

export interface ConnectorKind {
  /** The `connection.kind` that selects it. */
  readonly id: string;
  /**
   * Never offered to the user (the in-memory reference connector): no settings value
   * selects it, only `createConnector(…, { kind })` in tests.
   */
  readonly hidden?: boolean;
  create(
    settings: Settings,
    secrets: SecretStore,
    options: ConnectorOptions,
  ): Promise<ServerConnector>;
  describe(settings: Settings): ConnectionDescription;
  /** The secret its sign-in takes from the secret store. */
  secretKey(settings: Settings): string;
  /** The account it signs in as ('' when not set). */
  login(settings: Settings): string;
  /** Failures that concern the whole server beyond SERVER_WIDE_CODES (connector.ts). */
  readonly serverWideCodes: readonly MessageCode[];
  readonly capabilities: ConnectorCapabilities;
}
