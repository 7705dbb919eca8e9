/** The proxy the settings name, with its password from the secret store: every kind's. */
import { SecretKey } from '../secrets/secret-store.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import type { Settings } from '../../shared/settings/schema.ts';

export async function proxyOf(
  settings: Settings,
  secrets: SecretStore,
): Promise<{ proxy?: { url: string; user: string; password: string | undefined } }> {
  const { proxy } = settings.connection;
  if (!proxy.url) return {};
  return {
    proxy: {
      url: proxy.url,
      user: proxy.user,
      password: await secrets.get(SecretKey.proxyPassword),
    },
  };
}
