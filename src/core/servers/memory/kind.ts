/**
 * The in-memory reference connector in the connector registry. Hidden: no settings value
 * selects it and nothing offers it to the user. A test registers it for one server and asks
 * for it by id:
 *
 *   const server = createMemoryServer();
 *   const unregister = registerConnectorKind(memoryKind(server));
 *   const connector = await createConnector(settings, secrets, { kind: MEMORY_KIND });
 */
import { SecretKey } from '../../secrets/secret-store.ts';
import type { ConnectorKind } from '../registry-types.ts';
import type { MemoryServer } from './memory-server.ts';

export const MEMORY_KIND = 'memory';

export function memoryKind(server: MemoryServer): ConnectorKind {
  return {
    id: MEMORY_KIND,
    hidden: true,
    create: async () => server.connector(),
    describe: () => ({ kind: 'In-memory server', address: '', user: '', auth: '' }),
    secretKey: () => SecretKey.serverPassword,
    login: () => '',
    serverWideCodes: [],
    capabilities: { categories: false, folderCreation: true, mailSource: false },
  };
}
