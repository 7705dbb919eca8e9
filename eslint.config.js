// One linter for the whole tree. Prettier owns formatting; ESLint owns correctness and
// the layering rules of README's architecture section.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const uiAndShell = ['electron', 'electron/*', 'react', 'react/*', 'react-dom', 'react-dom/*'];

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
    files: ['src/core/**', 'src/cli/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: uiAndShell,
              message: 'src/core and src/cli run in plain Node: no Electron or React here.',
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
);
