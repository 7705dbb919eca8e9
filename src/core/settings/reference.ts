/**
 * Renders docs/configuration.md from the settings schema, so the reference cannot drift
 * from the code (a test compares the two). Regenerate after changing the schema:
 *
 *   npx --no-install node src/core/settings/reference.ts > docs/configuration.md
 */
import { SecretKey } from '../secrets/secret-store.ts';
import { SECRETS_FILE_ENV } from '../secrets/cli-secret-store.ts';
import { secretEnvVar } from '../secrets/env-secret-store.ts';
import { catalogue } from './catalogue.ts';
import type { FieldEntry } from './catalogue.ts';
import { defaultSettings } from '../../shared/settings/schema.ts';

const REGENERATE = 'npx --no-install node src/core/settings/reference.ts > docs/configuration.md';

function code(value: unknown): string {
  return `\`${JSON.stringify(value)}\``;
}

function allowed(field: FieldEntry): string {
  const { meta } = field;
  if (meta.kind === 'choice' && meta.choices !== undefined) {
    return `one of ${meta.choices.map((c) => `\`${c}\``).join(', ')}`;
  }
  return meta.expectation;
}

function fieldLine(field: FieldEntry): string {
  return `- \`${field.key}\` — ${field.description} Allowed: ${allowed(field)}. Default: ${code(field.defaultValue)}.`;
}

const intro = `# Configuration reference

<!-- Generated from the settings schema by src/core/settings/reference.ts; do not edit by hand.
Regenerate with: ${REGENERATE} -->

CRM Sync keeps its settings in one JSON file. \`crm-sync init --config FILE\` creates it;
the tray app's wizard and agenda dialogs write the same file. To read or change one
value from the command line:

\`\`\`sh
crm-sync config get agendas.events.daysPast
crm-sync config set agendas.events.daysPast 30
crm-sync config set agendas.mail.attachments.allowedExtensions "doc;docx;.PDF"
crm-sync config keys
\`\`\`

\`config set\` reads numbers, booleans (\`true\`/\`false\`, \`yes\`/\`no\`, \`on\`/\`off\`,
\`1\`/\`0\`), choices in any case, lists as JSON or as text separated by \`;\` or \`,\`,
category pairs also as \`HOTLINE=Hotline;INSTALACE=Instalace\`, and a whole group (such
as \`agendas.tasks.exportGroups\`) as a JSON object. Every change is checked against the
whole schema before it is saved.

Rules of the file:

- Settings left out take their defaults, so a file may hold only what differs.
- Unknown keys are refused, so a typo cannot silently leave a setting at its default.
- Relative paths (\`crm.databasePath\`, \`agendas.mail.attachments.directory\`) are
  resolved against the folder of the settings file.
- Files written by an older CRM Sync are upgraded when loaded (\`version\`); a file of a
  newer version is refused.
- CRM Sync saves the file atomically, readable by its owner only, and keeps the previous
  contents as \`FILE.bak\`.
`;

function secretsSection(): string {
  const rows = Object.values(SecretKey).map(
    (key) => `- \`${key}\`: environment variable \`${secretEnvVar(key)}\``,
  );
  return `## Passwords and tokens

Passwords and tokens never go in the settings file, which has no field for them; a key
such as \`password\` is refused. The tray app keeps them in the operating system's secret
storage. The command-line program reads each secret from an environment variable first,
then from a secrets file next to the settings file (\`crm-sync.json\` ->
\`crm-sync.secrets.json\`, or the file named by \`${SECRETS_FILE_ENV}\`), and stores
secrets in that file. The file must be readable by its owner only (\`chmod 600\`); a file
that other users can read is refused.

${rows.join('\n')}
`;
}

function settingsSection(): string {
  const parts: string[] = ['## Settings'];
  const entries = catalogue();
  const topFields = entries.filter(
    (e): e is FieldEntry => e.type === 'field' && e.path.length === 1,
  );
  parts.push(`### Top level\n\n${topFields.map(fieldLine).join('\n')}`);
  for (const group of entries) {
    if (group.type !== 'group') continue;
    const fields = entries.filter(
      (e): e is FieldEntry =>
        e.type === 'field' &&
        e.path.length === group.path.length + 1 &&
        e.key.startsWith(`${group.key}.`),
    );
    const lines = [`### \`${group.key}\``, '', group.description];
    if (fields.length > 0) lines.push('', fields.map(fieldLine).join('\n'));
    parts.push(lines.join('\n'));
  }
  return `${parts.join('\n\n')}\n`;
}

/** JSON laid out as Prettier lays it out: objects open, short lists of plain values on one line. */
function prettyJson(value: unknown, indent = ''): string {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== 'object' || v === null)) {
      return `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
    }
    return `[\n${value.map((v) => inner + prettyJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const lines = entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${prettyJson(v, inner)}`);
    return `{\n${lines.join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

function defaultsSection(): string {
  return `## The file with every default

\`\`\`json
${prettyJson(defaultSettings())}
\`\`\`
`;
}

/** The whole of docs/configuration.md. */
export function renderConfigurationReference(): string {
  return [intro, secretsSection(), settingsSection(), defaultsSection()].join('\n');
}

if (import.meta.main) process.stdout.write(renderConfigurationReference());
