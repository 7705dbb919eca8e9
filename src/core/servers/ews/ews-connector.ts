/**
 * The Exchange on-premises connector: ExchangeService over our XHR layer, the EWS address
 * from settings or autodiscover, and the engine's one connector interface on top of
 * folders.ts, changes.ts and writes.ts. Every call goes through one EwsCaller, so calls
 * run one at a time (NTLM signs in a connection) with throttling handled in one place.
 */
import { checkedUrl } from '../checked-url.ts';
import { FolderId } from 'ews-javascript-api';
import type { ExchangeService } from 'ews-javascript-api';
import type { AgendaKind } from '../../model/items.ts';
import type { ServerConnector, ServerFolder, ServerFolderSession } from '../connector.ts';
import { ServerError } from '../errors.ts';
import { createDispatcher, normalizeSha256 } from '../http/dispatcher.ts';
import { autodiscoverCandidates, discoverEwsUrl } from './autodiscover.ts';
import { readMasterCategories } from './categories.ts';
import { EwsFolderSession } from './folder-session.ts';
import {
  DENIED_FOLDER_PREFIX,
  createMailboxFolder,
  listMailboxFolders,
  openMailboxRoot,
} from './folders.ts';
import { EwsHttp } from './http.ts';
import type { EwsSignIn } from './http.ts';
import { ntlmIdentity } from './ntlm.ts';
import { createExchangeService } from './service.ts';
import type { EwsServerVersion } from './service.ts';
import type { EwsStats } from './stats.ts';
import { EwsCaller } from './throttle.ts';
import { EWS_SERVER_WIDE_CODES } from './server-wide-codes.ts';
import type { Dispatcher } from 'undici';

export interface EwsConnectorOptions {
  /** Explicit EWS endpoint; when absent, autodiscover from `email`. */
  ewsUrl?: string;
  email?: string;
  /** Tests only: autodiscover endpoints to try instead of the e-mail domain's. */
  autodiscoverUrls?: string[];
  user: string;
  domain?: string;
  auth: 'ntlm' | 'basic' | 'oauth';
  password?: string;
  token?: string;
  /** SMTP address of the mailbox to open by ExchangeImpersonation (service account mode). */
  impersonate?: string;
  serverVersion: EwsServerVersion;
  proxy?: { url: string; user?: string; password?: string };
  /** Lowercase hex SHA-256 of a certificate the user chose to trust. */
  trustedSha256Fingerprint?: string;
  timeoutMs?: number;
  /** Counts SOAP calls per operation (the benchmark reports them). */
  stats?: EwsStats;
  /** Longest total wait for throttling back-offs in one call before giving up (default 5 min). */
  maxBackOffMs?: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_BACKOFF_MS = 5 * 60_000;

interface Connected {
  service: ExchangeService;
  caller: EwsCaller;
}

export class EwsConnector implements ServerConnector {
  readonly description: string;
  readonly serverWideCodes = EWS_SERVER_WIDE_CODES;
  /** The impersonated mailbox first, then the own mailbox's address. */
  readonly ownAddresses: readonly string[];
  readonly #options: EwsConnectorOptions;
  readonly #dispatcher: Dispatcher;
  readonly #http: EwsHttp;
  readonly #account: string;
  readonly #mailbox: string;
  readonly #ewsUrl: string | undefined;
  #connected: Promise<Connected> | undefined;
  /** Default folders the account may not open, from the last listFolders. */
  #denied = new Map<string, ServerError>();

  constructor(options: EwsConnectorOptions) {
    this.#options = options;
    this.#account = options.user;
    this.#mailbox = options.impersonate ?? options.email ?? options.user;
    this.ownAddresses = [options.impersonate ?? '', options.email ?? ''];
    const proxy =
      options.proxy === undefined || options.proxy.url === ''
        ? undefined
        : { ...options.proxy, url: checkedUrl(options.proxy.url, 'proxy') };
    this.#ewsUrl =
      options.ewsUrl === undefined || options.ewsUrl === ''
        ? undefined
        : checkedUrl(options.ewsUrl, 'server');
    this.description = `Exchange (EWS) at ${this.#ewsUrl ?? `the server of ${this.#mailbox}`}`;
    const dispatcherOptions = {
      ...(proxy === undefined ? {} : { proxy }),
      ...(options.trustedSha256Fingerprint === undefined || options.trustedSha256Fingerprint === ''
        ? {}
        : { pinnedSha256: normalizeSha256(options.trustedSha256Fingerprint) }),
      connectTimeoutMs: Math.min(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, 30_000),
      // NTLM signs in a connection: keep to one (calls are serialised anyway).
      ...(options.auth === 'ntlm' ? { connections: 1 } : {}),
    };
    this.#dispatcher = createDispatcher(dispatcherOptions);
    this.#http = new EwsHttp({
      signIn: signIn(options),
      dispatcher: this.#dispatcher,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      ...(proxy === undefined ? {} : { proxyUrl: proxy.url }),
      ...(options.stats === undefined ? {} : { stats: options.stats }),
      // Exchange 2013+ routes an impersonated call by this header (Microsoft's guidance).
      ...(options.impersonate === undefined
        ? {}
        : { headers: { 'X-AnchorMailbox': options.impersonate } }),
    });
  }

  /** The service for the mailbox, after finding the EWS address once. */
  #connect(): Promise<Connected> {
    this.#connected ??= this.#resolveUrl().then((url) => {
      const service = createExchangeService({
        url,
        version: this.#options.serverVersion,
        http: this.#http,
        ...(this.#options.impersonate === undefined
          ? {}
          : { impersonate: this.#options.impersonate }),
      });
      const caller = new EwsCaller({
        http: this.#http,
        maxBackOffMs: this.#options.maxBackOffMs ?? DEFAULT_MAX_BACKOFF_MS,
        context: { server: origin(url), account: this.#account, mailbox: this.#mailbox },
      });
      return { service, caller };
    });
    // A failed lookup (network down) is tried again on the next call.
    this.#connected.catch(() => (this.#connected = undefined));
    return this.#connected;
  }

  async #resolveUrl(): Promise<string> {
    const { email } = this.#options;
    if (this.#ewsUrl !== undefined) return this.#ewsUrl;
    if (email === undefined || email === '' || !email.includes('@')) {
      throw new ServerError(
        'Neither an EWS address nor an e-mail address to find it by is set; enter one of them.',
        {
          code: 'autodiscover-failed',
          params: { email: email ?? '', detail: 'no e-mail address' },
        },
      );
    }
    return discoverEwsUrl({
      email,
      account: this.#account,
      candidates: this.#options.autodiscoverUrls ?? autodiscoverCandidates(email),
      version: this.#options.serverVersion,
      http: this.#http,
      maxBackOffMs: this.#options.maxBackOffMs ?? DEFAULT_MAX_BACKOFF_MS,
    });
  }

  async testConnection(): Promise<void> {
    const { service, caller } = await this.#connect();
    await openMailboxRoot(service, caller);
  }

  async listFolders(): Promise<ServerFolder[]> {
    const { service, caller } = await this.#connect();
    const { folders, denied } = await listMailboxFolders(service, caller);
    this.#denied = denied;
    return folders;
  }

  async listCategories(): Promise<string[]> {
    const { service, caller } = await this.#connect();
    return readMasterCategories(service, caller);
  }

  async createFolder(kind: AgendaKind, name: string): Promise<ServerFolder> {
    const { service, caller } = await this.#connect();
    const id = await createMailboxFolder(service, caller, kind, name);
    const created = (await this.listFolders()).find((f) => f.id === id);
    if (created === undefined) {
      throw new ServerError(
        `Exchange answered that it created "${name}", but does not list it among the mailbox's folders.`,
      );
    }
    return created;
  }

  async openFolder(folder: ServerFolder, kind: AgendaKind): Promise<ServerFolderSession> {
    // A stand-in for a denied default folder, from a folder list kept since an earlier run:
    // ask again whether it is still denied.
    if (folder.id.startsWith(DENIED_FOLDER_PREFIX) && !this.#denied.has(folder.id)) {
      await this.listFolders();
      if (!this.#denied.has(folder.id)) {
        throw new ServerError(
          `The ${folder.displayName} folder can be opened now; it is synchronised from the next run.`,
        );
      }
    }
    const refusal = this.#denied.get(folder.id);
    if (refusal !== undefined) throw refusal;
    const { service, caller } = await this.#connect();
    return new EwsFolderSession({
      service,
      caller,
      folder,
      folderId: new FolderId(folder.id),
      kind,
    });
  }

  async close(): Promise<void> {
    await this.#dispatcher.close();
  }
}

function signIn(options: EwsConnectorOptions): EwsSignIn {
  switch (options.auth) {
    case 'oauth':
      return { kind: 'oauth', token: options.token ?? '' };
    case 'basic':
      return { kind: 'basic', user: basicUser(options), password: options.password ?? '' };
    case 'ntlm':
      return {
        kind: 'ntlm',
        identity: ntlmIdentity(options.user, options.domain, options.password ?? ''),
      };
  }
}

/** Basic sends "DOMAIN\user" when a domain is set separately, as Windows does. */
function basicUser(options: EwsConnectorOptions): string {
  const { user, domain } = options;
  if (domain === undefined || domain === '' || user.includes('\\') || user.includes('@'))
    return user;
  return `${domain}\\${user}`;
}

function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}
