/** How the app's engine makes a server connector: the registry's, or one a test wraps. */
import type { ServerConnector } from '../servers/connector.ts';
import { createConnector } from '../servers/create-connector.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import type { Settings } from '../../shared/settings/schema.ts';

export type ConnectorFactory = (
  settings: Settings,
  secrets: SecretStore,
) => Promise<ServerConnector>;

export const defaultConnectorFactory: ConnectorFactory = (settings, secrets) =>
  createConnector(settings, secrets);
