/**
 * The connector registry: the kinds it holds are the kinds the UI and CLI offer, a kind it
 * lacks is refused with the same sentence and exit code everywhere, and each kind says
 * which secret and login its sign-in takes.
 */
import { describe, expect, it } from 'vitest';
import { ExitCode, UserError } from '../../src/core/errors.ts';
import { MemorySecretStore } from '../../src/core/secrets/memory-secret-store.ts';
import { SecretKey } from '../../src/core/secrets/secret-store.ts';
import { createConnector } from '../../src/core/servers/create-connector.ts';
import {
  connectorKind,
  loginOf,
  offeredConnectorKinds,
  secretKeyOf,
} from '../../src/core/servers/registry.ts';
import { defaultSettings } from '../../src/shared/settings/schema.ts';
import { SERVER_KINDS, availableServerKinds } from '../../src/shared/server-kinds.ts';

describe('the connector registry', () => {
  it('offers exactly the kinds the UI descriptor marks available, in its order', () => {
    expect(offeredConnectorKinds().map((k) => k.id)).toEqual(
      availableServerKinds().map((k) => k.id),
    );
    for (const kind of SERVER_KINDS) {
      expect(connectorKind(kind.id) !== undefined, kind.id).toBe(kind.available);
    }
  });

  it('refuses Microsoft 365, which it lacks, naming the kinds it has (exit 6)', async () => {
    const settings = defaultSettings();
    settings.connection.kind = 'm365';
    const refused = await createConnector(settings, new MemorySecretStore()).catch(
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(UserError);
    expect(refused).toMatchObject({
      message:
        'Microsoft 365 is not supported by this version yet; choose Exchange (connection.kind exchange) or a CalDAV/CardDAV server (connection.kind dav).',
      exitCode: ExitCode.notImplemented,
      code: 'server-kind-unsupported',
      params: { kind: 'Microsoft 365' },
    });
  });

  it('names the secret and the login of each way of signing in', () => {
    const s = defaultSettings();
    s.connection.kind = 'dav';
    s.connection.dav.user = 'pavel';
    expect([secretKeyOf(s), loginOf(s)]).toEqual([SecretKey.serverPassword, 'pavel']);
    s.connection.dav.auth = 'bearer';
    expect(secretKeyOf(s)).toBe(SecretKey.serverToken);
    s.connection.kind = 'exchange';
    s.connection.exchange.user = 'FIRMA\\pavel';
    expect([secretKeyOf(s), loginOf(s)]).toEqual([SecretKey.serverPassword, 'FIRMA\\pavel']);
    s.connection.exchange.auth = 'oauth';
    expect(secretKeyOf(s)).toBe(SecretKey.serverToken);
    s.connection.kind = 'm365';
    s.connection.m365.email = 'pavel@firma.cz';
    expect([secretKeyOf(s), loginOf(s)]).toEqual([SecretKey.serverPassword, 'pavel@firma.cz']);
  });

  it('knows what each kind can do besides the agendas', () => {
    const exchange = connectorKind('exchange')?.capabilities;
    const dav = connectorKind('dav')?.capabilities;
    expect(exchange).toMatchObject({ categories: true, folderCreation: true, mailSource: false });
    expect(exchange?.otherMailboxes).toBeDefined();
    expect(dav).toMatchObject({ categories: false, folderCreation: true, mailSource: false });
    expect(dav?.otherMailboxes).toBeUndefined();
  });

  it('makes connectors that have the methods their capabilities promise', async () => {
    const s = defaultSettings();
    s.connection.dav.url = 'https://dav.example.com/';
    s.connection.exchange.ewsUrl = 'https://mail.example.com/EWS/Exchange.asmx';
    for (const kind of offeredConnectorKinds()) {
      s.connection.kind = kind.id as typeof s.connection.kind;
      const connector = await createConnector(s, new MemorySecretStore());
      try {
        expect(typeof connector.listCategories === 'function', kind.id).toBe(
          kind.capabilities.categories,
        );
        expect(typeof connector.createFolder === 'function', kind.id).toBe(
          kind.capabilities.folderCreation,
        );
        expect(connector.mailSource !== undefined, kind.id).toBe(kind.capabilities.mailSource);
        expect(connector.serverWideCodes ?? [], kind.id).toEqual(kind.serverWideCodes);
      } finally {
        await connector.close();
      }
    }
  });
});
