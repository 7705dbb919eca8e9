/** The connector the settings ask for, with its secrets from the secret store. */
import type { SecretStore } from '../secrets/secret-store.ts';
import type { Settings } from '../../shared/settings/schema.ts';
import type { ServerConnector } from './connector.ts';
import { connectorKind, connectorKindOf } from './registry.ts';
import type { ConnectorOptions } from './registry-types.ts';

/**
 * The registered kind the settings select makes it; a kind this version lacks is refused
 * (exit 6). `kind` (tests) picks a registered kind no settings value names, such as the
 * in-memory reference connector.
 */
export async function createConnector(
  settings: Settings,
  secrets: SecretStore,
  options: ConnectorOptions & { kind?: string } = {},
): Promise<ServerConnector> {
  const { kind: id, ...rest } = options;
  const kind = id === undefined ? connectorKindOf(settings) : connectorKind(id);
  if (kind === undefined) throw new Error(`No connector kind "${String(id)}" is registered`);
  return kind.create(settings, secrets, rest);
}
