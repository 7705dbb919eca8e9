/**
 * Where the renderer is loaded from, and which URLs count as "our renderer" for navigation
 * and IPC sender checks. Plain Node (no Electron import), so tests can run it.
 */
import { pathToFileURL } from 'node:url';
import { devRendererCsp, RENDERER_CSP } from '../shared/csp.ts';

export type RendererLocation =
  /** `electron-vite dev`: Vite's dev server on loopback (never in a packaged app). */
  | { readonly kind: 'dev-server'; readonly url: URL }
  /** Built app: out/renderer/index.html. */
  | { readonly kind: 'file'; readonly url: URL };

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

export function resolveRendererLocation(options: {
  isPackaged: boolean;
  /** `ELECTRON_RENDERER_URL`, set by `electron-vite dev`. */
  devServerUrl: string | undefined;
  rendererIndexHtml: string;
}): RendererLocation {
  if (!options.isPackaged && options.devServerUrl) {
    const url = new URL(options.devServerUrl);
    if (
      (url.protocol !== 'http:' && url.protocol !== 'https:') ||
      !loopbackHosts.has(url.hostname)
    ) {
      throw new Error(
        `ELECTRON_RENDERER_URL must be an http(s) URL on loopback, not ${options.devServerUrl}.`,
      );
    }
    return { kind: 'dev-server', url };
  }
  return { kind: 'file', url: pathToFileURL(options.rendererIndexHtml) };
}

/**
 * Whether `candidate` is our renderer: the dev server's origin, or exactly the built
 * index.html (any query or fragment). Anything unparsable is not.
 */
export function isTrustedRendererUrl(location: RendererLocation, candidate: string): boolean {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return false;
  }
  if (location.kind === 'dev-server') return url.origin === location.url.origin;
  if (url.protocol !== 'file:') return false;
  url.search = '';
  url.hash = '';
  return url.href === location.url.href;
}

/** The Content-Security-Policy main adds to the renderer's responses. */
export function rendererCsp(location: RendererLocation): string {
  return location.kind === 'dev-server'
    ? devRendererCsp(location.url.href, { forMeta: false })
    : RENDERER_CSP;
}
