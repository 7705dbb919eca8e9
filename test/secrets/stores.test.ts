import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.ts';
import { ChainedSecretStore } from '../../src/core/secrets/chained-secret-store.ts';
import { EnvSecretStore, secretEnvVar } from '../../src/core/secrets/env-secret-store.ts';
import { MemorySecretStore } from '../../src/core/secrets/memory-secret-store.ts';
import { SecretKey } from '../../src/core/secrets/secret-store.ts';

describe('MemorySecretStore', () => {
  it('keeps, replaces and forgets secrets', async () => {
    const store = new MemorySecretStore({ [SecretKey.proxyPassword]: 'p' });
    expect(await store.get(SecretKey.proxyPassword)).toBe('p');
    await store.set(SecretKey.serverPassword, 'one');
    await store.set(SecretKey.serverPassword, 'two');
    expect(await store.get(SecretKey.serverPassword)).toBe('two');
    await store.delete(SecretKey.serverPassword);
    expect(await store.get(SecretKey.serverPassword)).toBeUndefined();
    await store.delete('never.set');
  });
});

describe('EnvSecretStore', () => {
  it('maps each secret key to a CRM_SYNC_ variable', () => {
    expect(secretEnvVar(SecretKey.serverPassword)).toBe('CRM_SYNC_SERVER_PASSWORD');
    expect(secretEnvVar(SecretKey.serverToken)).toBe('CRM_SYNC_SERVER_TOKEN');
    expect(secretEnvVar(SecretKey.proxyPassword)).toBe('CRM_SYNC_PROXY_PASSWORD');
    expect(secretEnvVar(SecretKey.msalCache)).toBe('CRM_SYNC_M365_MSAL_CACHE');
  });

  it('reads the variable, treating an empty one as unset', async () => {
    const store = new EnvSecretStore({
      CRM_SYNC_SERVER_PASSWORD: 's3cret',
      CRM_SYNC_SERVER_TOKEN: '',
    });
    expect(await store.get(SecretKey.serverPassword)).toBe('s3cret');
    expect(await store.get(SecretKey.serverToken)).toBeUndefined();
    expect(await store.get(SecretKey.proxyPassword)).toBeUndefined();
  });

  it('refuses to store or delete, saying which variable to set', async () => {
    const store = new EnvSecretStore({});
    await expect(store.set(SecretKey.serverPassword, 'x')).rejects.toThrow(ConfigError);
    await expect(store.set(SecretKey.serverPassword, 'x')).rejects.toThrow(
      'Secret server.password cannot be stored in environment variables: set CRM_SYNC_SERVER_PASSWORD in the environment that starts crm-sync instead.',
    );
    await expect(store.delete(SecretKey.serverPassword)).rejects.toThrow(
      'unset CRM_SYNC_SERVER_PASSWORD',
    );
  });

  it('describes itself without revealing a secret', () => {
    const store = new EnvSecretStore({ CRM_SYNC_SERVER_PASSWORD: 's3cret' });
    expect(store.description).not.toContain('s3cret');
  });
});

describe('ChainedSecretStore', () => {
  it('takes the first store that has the secret and writes to the writable one', async () => {
    const env = new EnvSecretStore({ CRM_SYNC_SERVER_PASSWORD: 'from-env' });
    const file = new MemorySecretStore({
      [SecretKey.serverPassword]: 'from-file',
      [SecretKey.proxyPassword]: 'p',
    });
    const chain = new ChainedSecretStore([env, file], file);
    expect(await chain.get(SecretKey.serverPassword)).toBe('from-env');
    expect(await chain.get(SecretKey.proxyPassword)).toBe('p');
    expect(await chain.get(SecretKey.serverToken)).toBeUndefined();
    await chain.set(SecretKey.serverToken, 't');
    expect(await file.get(SecretKey.serverToken)).toBe('t');
    await chain.delete(SecretKey.serverPassword);
    expect(await file.get(SecretKey.serverPassword)).toBeUndefined();
    // The environment still provides it: it wins over the file by design.
    expect(await chain.get(SecretKey.serverPassword)).toBe('from-env');
    expect(chain.description).toBe(`${env.description}, then ${file.description}`);
  });
});
