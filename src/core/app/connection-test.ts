/**
 * What the wizard and the settings pages ask of the server: does this connection work and
 * which folders does it offer (with the password typed in the wizard, used in memory
 * only), make the folder the account lacks, the folders and category names of the
 * connection in use. Each question opens its own connection and closes it.
 */
import type { ServerConnector, ServerFolder } from '../servers/connector.ts';
import { loginOf, secretKeyOf } from '../servers/registry.ts';
import { SecretKey } from '../secrets/secret-store.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { defaultSettings } from '../../shared/settings/schema.ts';
import type { Settings } from '../../shared/settings/schema.ts';
import type {
  AgendaKind,
  ConnectionTest,
  Outcome,
  ServerFolderInfo,
} from '../../shared/app-api.ts';
import type { ConnectorFactory } from './connector-factory.ts';
import { SERVER_PASSWORD_FIELD, readinessFieldProblems, serverProblem } from './field-problems.ts';
import { OverlaySecretStore } from './overlay-secret-store.ts';
import { failed, problemOf } from './outcomes.ts';
import type { Failed } from './outcomes.ts';

export class ConnectionTests {
  readonly #secrets: SecretStore;
  readonly #createConnector: ConnectorFactory;
  readonly #settings: () => Settings | null;

  /** `settings`: the settings in use (null when there are none), tested connections' base. */
  constructor(
    secrets: SecretStore,
    createConnector: ConnectorFactory,
    settings: () => Settings | null,
  ) {
    this.#secrets = secrets;
    this.#createConnector = createConnector;
    this.#settings = settings;
  }

  async test(input: ConnectionTest): Promise<Outcome<ServerFolderInfo[]>> {
    const testing = await this.#connectionUnderTest(input);
    if (!testing.ok) return testing;
    return this.#checkedFolders(testing.candidate, testing.secrets);
  }

  async createFolder(
    input: ConnectionTest,
    kind: AgendaKind,
    name: string,
  ): Promise<Outcome<ServerFolderInfo[]>> {
    const testing = await this.#connectionUnderTest(input);
    if (!testing.ok) return testing;
    const { candidate, secrets } = testing;
    let connector: ServerConnector | undefined;
    try {
      connector = await this.#createConnector(candidate, secrets);
      if (!connector.createFolder) {
        return failed([
          serverProblem(
            `${connector.description} cannot create folders from here; create it in the server's own interface.`,
            candidate.connection.kind,
            { code: 'folder-create-unsupported', params: {} },
          ),
        ]);
      }
      await connector.createFolder(kind, name.trim() === '' ? kind : name.trim());
    } catch (err) {
      return failed([problemOf(err, candidate)]);
    } finally {
      await connector?.close();
    }
    // What the wizard shows next is what a test of the connection now finds.
    return this.#checkedFolders(candidate, secrets);
  }

  /** The folders of the connection in use. */
  async listFolders(settings: Settings): Promise<Outcome<ServerFolderInfo[]>> {
    return this.#folders(settings, this.#secrets);
  }

  /** The category names the server keeps, sorted, each once. */
  async listCategories(settings: Settings): Promise<Outcome<string[]>> {
    let connector: ServerConnector | undefined;
    try {
      connector = await this.#createConnector(settings, this.#secrets);
      // A server without a category list (CalDAV) offers none: the user types the names.
      const names = connector.listCategories ? await connector.listCategories() : [];
      const unique = [...new Set(names.map((n) => n.trim()).filter((n) => n !== ''))];
      return { ok: true, value: unique.sort((a, b) => a.localeCompare(b)) };
    } catch (err) {
      return failed([problemOf(err, settings)]);
    } finally {
      await connector?.close();
    }
  }

  /**
   * The settings with the connection being tested, and the secrets it signs in with: the
   * password typed in the wizard is used in memory only, over the stored secrets.
   */
  async #connectionUnderTest(
    input: ConnectionTest,
  ): Promise<{ ok: true; candidate: Settings; secrets: SecretStore } | Failed> {
    const base = this.#settings() ?? defaultSettings();
    const candidate: Settings = { ...base, connection: input.connection };
    const missing = readinessFieldProblems(candidate).filter((p) =>
      p.field.startsWith('connection.'),
    );
    if (missing.length) return failed(missing);
    const key = secretKeyOf(candidate);
    const stored = await this.#secrets.get(key);
    if (input.password === '' && !stored) {
      const token = key === SecretKey.serverToken;
      const what = token ? 'access token' : 'password';
      const code = token ? 'server-token-empty' : 'server-password-empty';
      return failed([
        { field: SERVER_PASSWORD_FIELD, message: `Enter the ${what}.`, code, params: {} },
      ]);
    }
    const testing: Record<string, string> = {};
    if (input.password !== '') testing[key] = input.password;
    if ((input.proxyPassword ?? '') !== '') {
      testing[SecretKey.proxyPassword] = input.proxyPassword ?? '';
    }
    const secrets =
      Object.keys(testing).length === 0
        ? this.#secrets
        : new OverlaySecretStore(this.#secrets, testing);
    return { ok: true, candidate, secrets };
  }

  /** The server's folders, refused when the account has none of the kinds the agendas need. */
  async #checkedFolders(
    candidate: Settings,
    secrets: SecretStore,
  ): Promise<Outcome<ServerFolderInfo[]>> {
    const listed = await this.#folders(candidate, secrets);
    if (!listed.ok) return listed;
    const folders = listed.value;
    const kind = candidate.connection.kind;
    const user = userOf(candidate);
    if (folders.length === 0) {
      return failed([
        serverProblem(
          `The server has no calendars or address books for ${user}; create one on the server (or check the address).`,
          kind,
          { code: 'no-folders', params: { user: loginOf(candidate) } },
        ),
      ]);
    }
    const calendarsWanted = candidate.agendas.events.enabled || candidate.agendas.tasks.enabled;
    if (
      calendarsWanted &&
      !folders.some((f) => f.kinds.includes('events') || f.kinds.includes('tasks'))
    ) {
      return failed([
        serverProblem(
          `The server has no calendars for ${user}; create one on the server (or check the address).`,
          kind,
          { code: 'no-calendars', params: { user: loginOf(candidate) } },
        ),
      ]);
    }
    return { ok: true, value: folders };
  }

  async #folders(
    settings: Settings,
    secrets: SecretStore,
  ): Promise<{ ok: true; value: ServerFolderInfo[] } | Failed> {
    let connector: ServerConnector | undefined;
    try {
      connector = await this.#createConnector(settings, secrets);
      const folders = await connector.listFolders();
      return { ok: true, value: folders.map(folderInfo) };
    } catch (err) {
      return failed([problemOf(err, settings)]);
    } finally {
      await connector?.close();
    }
  }
}

function userOf(settings: Settings): string {
  const user = loginOf(settings);
  return user === '' ? 'this account' : `"${user}"`;
}

function folderInfo(f: ServerFolder): ServerFolderInfo {
  return {
    id: f.id,
    displayName: f.displayName,
    path: f.path,
    kinds: [...f.kinds],
    isDefault: f.isDefault,
    ...(f.defaultFor === undefined ? {} : { defaultFor: [...f.defaultFor] }),
  };
}
