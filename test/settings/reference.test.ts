import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';
import { settingKeys } from '../../src/core/settings/keys.ts';
import { renderConfigurationReference } from '../../src/core/settings/reference.ts';

const docFile = fileURLToPath(new URL('../../docs/configuration.md', import.meta.url));

describe('docs/configuration.md', () => {
  const rendered = renderConfigurationReference();

  it('is the reference rendered from the schema (regenerate: npx --no-install node src/core/settings/reference.ts > docs/configuration.md)', () => {
    expect(readFileSync(docFile, 'utf8')).toBe(rendered);
  });

  it('names every setting key with its default', () => {
    for (const key of settingKeys()) expect(rendered).toContain(`- \`${key}\` — `);
    expect(rendered).toContain('`agendas.events.daysPast` — How many days into the past');
    expect(rendered).toMatch(/`agendas\.events\.daysPast` — .* Default: `14`\./);
  });

  it('names the environment variables of the secrets', () => {
    expect(rendered).toContain('`CRM_SYNC_SERVER_PASSWORD`');
    expect(rendered).toContain('`CRM_SYNC_SECRETS_FILE`');
  });

  it('is already formatted as Prettier would (npm test checks formatting)', async () => {
    const options = (await prettier.resolveConfig(docFile)) ?? {};
    expect(await prettier.format(rendered, { ...options, filepath: docFile })).toBe(rendered);
  });
});
