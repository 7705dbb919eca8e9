/**
 * The renderer's Content Security Policy, in one place: main sends it as a response header
 * (RENDERER_CSP), src/renderer/index.html carries it in a <meta> tag (RENDERER_CSP_META; the
 * renderer build fails when the tag differs, see electron.vite.config.ts).
 */
type Directives = Readonly<Record<string, readonly string[]>>;

const production: Directives = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/**
 * Directives a <meta> policy cannot carry: browsers ignore them there and log an error on
 * every page load ("...is ignored when delivered via a <meta> element").
 */
const headerOnly = new Set(['frame-ancestors', 'report-uri', 'sandbox']);

function serialize(directives: Directives, forMeta: boolean): string {
  return Object.entries(directives)
    .filter(([name]) => !(forMeta && headerOnly.has(name)))
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/** The policy main sends as the `Content-Security-Policy` header. */
export const RENDERER_CSP = serialize(production, false);

/** The same policy as index.html's <meta> tag carries it. */
export const RENDERER_CSP_META = serialize(production, true);

/**
 * The policy while the renderer is served by Vite's dev server (`electron-vite dev`) only:
 * React Fast Refresh needs an inline module script (its preamble), and HMR talks to the dev
 * server over a WebSocket. Never used by a packaged app.
 */
export function devRendererCsp(devServerUrl: string, options: { forMeta: boolean }): string {
  const url = new URL(devServerUrl);
  const ws = `${url.protocol === 'https:' ? 'wss' : 'ws'}://${url.host}`;
  return serialize(
    {
      ...production,
      'script-src': [...(production['script-src'] ?? []), "'unsafe-inline'"],
      'connect-src': [...(production['connect-src'] ?? []), ws],
    },
    options.forMeta,
  );
}
