// One linter for the whole tree. Prettier owns formatting; ESLint owns correctness and
// the layering rules of README's architecture section.
import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const uiAndShell = ['electron', 'electron/*', 'react', 'react/*', 'react-dom', 'react-dom/*'];
const plainNode = {
  group: uiAndShell,
  message: 'src/core, src/cli and src/demo run in plain Node: no Electron or React here.',
};

// Every folder of src/core/servers is one connector, except these shared server modules:
// a new connector folder gets the layering rules below without an edit here.
const sharedServerFolders = ['http', 'time'];
const connectorKinds = readdirSync(new URL('./src/core/servers/', import.meta.url), {
  withFileTypes: true,
})
  .filter((entry) => entry.isDirectory() && !sharedServerFolders.includes(entry.name))
  .map((entry) => entry.name);

/** A relative import that climbs into one of `kinds`' folders ("../../dav/ical/text.ts"). */
function intoConnectors(kinds, message) {
  return { regex: `^(?:\\.{1,2}/)+(?:servers/)?(?:${kinds.join('|')})/`, message };
}

// Connectors and shared server code speak the item model (src/core/model), never the engine.
const intoEngine = {
  regex: '^(?:\\.{1,2}/)+(?:core/)?sync/',
  message: 'Server code sees the item model in src/core/model, never the engine (src/core/sync).',
};

// ESLint does not merge a rule's options across config objects: each layering entry
// repeats the plain-Node pattern.
const layering = [
  ...connectorKinds.map((kind) => ({
    files: [`src/core/servers/${kind}/**`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            plainNode,
            intoConnectors(
              connectorKinds.filter((other) => other !== kind),
              'A connector never imports another: shared code goes to src/core/servers/ (http/, the top-level modules) or src/core/time/.',
            ),
            intoEngine,
          ],
        },
      ],
    },
  })),
  {
    // Shared server modules serve every connector, so they import none (the registry is
    // where the kinds are listed).
    files: ['src/core/servers/*.ts', ...sharedServerFolders.map((f) => `src/core/servers/${f}/**`)],
    ignores: ['src/core/servers/registry*.ts', 'src/core/servers/create-connector.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            plainNode,
            intoConnectors(
              connectorKinds,
              'Shared server code imports no connector; the registry alone knows them.',
            ),
            intoEngine,
          ],
        },
      ],
    },
  },
  {
    // The engine sees servers only through the connector interface and its errors.
    files: ['src/core/sync/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            plainNode,
            {
              regex: '^(?:\\.{1,2}/)+servers/(?!(?:connector|errors)\\.ts$)',
              message:
                'src/core/sync imports servers/connector.ts and servers/errors.ts only, never a connector or its plumbing.',
            },
          ],
        },
      ],
    },
  },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'coverage/', 'test-artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        structuredClone: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        window: 'readonly',
        document: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    // The engine runs in plain Node (CLI, tests, Electron utilityProcess): no shell, no UI.
    files: ['src/core/**', 'src/cli/**', 'src/demo/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [plainNode],
        },
      ],
    },
  },
  {
    // The engine host is its own process: Electron's types only (its parent port), never
    // Electron, React or main's code at run time.
    files: ['src/engine-host/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: uiAndShell,
              allowTypeImports: true,
              message: 'The engine host loads no Electron or React at run time (types only).',
            },
            {
              group: ['**/main/**', '**/renderer/**', '**/preload/**'],
              message: 'The engine host talks to main only over its port (engine-protocol.ts).',
            },
          ],
        },
      ],
    },
  },
  {
    // The renderer has no Node access (sandbox + contextIsolation).
    files: ['src/renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'electron', 'better-sqlite3'],
              message: 'The renderer is sandboxed.',
            },
            {
              group: ['**/core/**', '**/main/**'],
              message: 'The renderer talks to the engine only through the preload API.',
            },
          ],
        },
      ],
    },
  },
  ...layering,
);
