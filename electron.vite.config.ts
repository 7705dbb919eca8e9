/**
 * electron-vite build of the three Electron targets:
 *
 *   out/main/index.js         main process (ESM)                  <- src/main/index.ts
 *   out/main/engine-host.js   engine host, a utilityProcess (ESM) <- src/engine-host/index.ts
 *   out/preload/index.cjs     sandboxed preload (CommonJS)        <- src/preload/index.ts
 *   out/renderer/             the window (React)                  <- src/renderer/index.html
 *
 * Main and the engine host keep package.json `dependencies` external (better-sqlite3 is a
 * native module; electron-builder ships them in node_modules). The preload is a single
 * self-contained CommonJS file: a sandboxed preload cannot load ES modules and can
 * require() only `electron` and a few Node built-ins. Renderer libraries are bundled
 * (they are devDependencies, see STACK.md).
 */
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { devRendererCsp, RENDERER_CSP_META } from './src/shared/csp.ts';
import { API_CHANNELS } from './src/shared/ipc-contract.ts';

const root = import.meta.dirname;
const src = (path: string): string => resolve(root, 'src', path);

const cspMetaPattern = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"\s*\/?>/gi;

/**
 * Keeps the CSP <meta> of index.html equal to src/shared/csp.ts (main sends the same policy
 * as a header): the build fails when they differ. Under the dev server the meta is swapped for
 * the dev policy (inline React Refresh preamble, HMR WebSocket), as main does for the header.
 */
function rendererCspPlugin(): Plugin {
  return {
    name: 'crm-sync:renderer-csp',
    transformIndexHtml: {
      order: 'pre',
      handler(html, context) {
        const metas = [...html.matchAll(cspMetaPattern)];
        if (metas.length !== 1) {
          throw new Error(`index.html must have exactly one CSP <meta>, found ${metas.length}.`);
        }
        const meta = metas[0];
        if (meta?.[1] !== RENDERER_CSP_META) {
          throw new Error(
            `index.html's CSP <meta> differs from src/shared/csp.ts.\n` +
              `  index.html: ${meta?.[1]}\n  csp.ts:     ${RENDERER_CSP_META}`,
          );
        }
        const server = context.server;
        if (!server) return html;
        const devUrl = process.env.ELECTRON_RENDERER_URL ?? server.resolvedUrls?.local[0];
        if (!devUrl) return html;
        return html.replace(
          meta[0],
          `<meta http-equiv="Content-Security-Policy" content="${devRendererCsp(devUrl, { forMeta: true })}" />`,
        );
      },
    },
  };
}

export default defineConfig({
  main: {
    build: {
      // package.json `dependencies` stay external (the default, spelled out).
      externalizeDeps: true,
      rolldownOptions: {
        input: {
          index: src('main/index.ts'),
          'engine-host': src('engine-host/index.ts'),
        },
        output: { entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    // The IPC contract's method -> channel table, as a literal: the preload builds
    // window.crmSync from it without bundling the contract's zod schemas.
    define: { __CRM_SYNC_API_CHANNELS__: JSON.stringify(API_CHANNELS) },
    build: {
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: src('preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: src('renderer'),
    build: {
      outDir: resolve(root, 'out/renderer'),
      rolldownOptions: { input: src('renderer/index.html') },
    },
    plugins: [react(), rendererCspPlugin()],
  },
});
