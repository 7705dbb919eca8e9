/** Which URLs main treats as its own renderer (navigation and IPC sender checks), and the CSP. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  isTrustedRendererUrl,
  rendererCsp,
  resolveRendererLocation,
} from '../../src/main/renderer-location.ts';
import { devRendererCsp, RENDERER_CSP, RENDERER_CSP_META } from '../../src/shared/csp.ts';

const indexHtml = join(import.meta.dirname, 'app', 'out', 'renderer', 'index.html');

describe('renderer location', () => {
  it('is the built index.html in a packaged app, whatever the environment says', () => {
    const location = resolveRendererLocation({
      isPackaged: true,
      devServerUrl: 'http://localhost:5173',
      rendererIndexHtml: indexHtml,
    });
    expect(location.kind).toBe('file');
    const own = pathToFileURL(indexHtml).href;
    expect(isTrustedRendererUrl(location, own)).toBe(true);
    expect(isTrustedRendererUrl(location, `${own}#/settings`)).toBe(true);
    expect(isTrustedRendererUrl(location, `${own}?x=1`)).toBe(true);
    expect(
      isTrustedRendererUrl(location, pathToFileURL(join(indexHtml, '..', 'other.html')).href),
    ).toBe(false);
    expect(isTrustedRendererUrl(location, 'file:///etc/passwd')).toBe(false);
    expect(isTrustedRendererUrl(location, 'http://localhost:5173/')).toBe(false);
    expect(isTrustedRendererUrl(location, 'https://evil.example/')).toBe(false);
    expect(isTrustedRendererUrl(location, 'not a url')).toBe(false);
    expect(rendererCsp(location)).toBe(RENDERER_CSP);
  });

  it('is the dev server origin under electron-vite dev', () => {
    const location = resolveRendererLocation({
      isPackaged: false,
      devServerUrl: 'http://localhost:5173',
      rendererIndexHtml: indexHtml,
    });
    expect(location.kind).toBe('dev-server');
    expect(isTrustedRendererUrl(location, 'http://localhost:5173/')).toBe(true);
    expect(isTrustedRendererUrl(location, 'http://localhost:5173/src/main.tsx')).toBe(true);
    expect(isTrustedRendererUrl(location, 'http://localhost:5174/')).toBe(false);
    expect(isTrustedRendererUrl(location, 'http://127.0.0.1:5173/')).toBe(false);
    expect(isTrustedRendererUrl(location, pathToFileURL(indexHtml).href)).toBe(false);
    const csp = rendererCsp(location);
    expect(csp).toContain("script-src 'self' 'unsafe-inline'");
    expect(csp).toContain("connect-src 'self' ws://localhost:5173");
    expect(csp).toContain("object-src 'none'");
  });

  it('refuses a dev server that is not on loopback', () => {
    expect(() =>
      resolveRendererLocation({
        isPackaged: false,
        devServerUrl: 'http://192.0.2.1:5173',
        rendererIndexHtml: indexHtml,
      }),
    ).toThrow(/loopback/);
  });
});

describe('renderer CSP', () => {
  it('is the one in index.html (less what a <meta> cannot carry)', () => {
    const html = readFileSync(
      join(import.meta.dirname, '..', '..', 'src', 'renderer', 'index.html'),
      'utf8',
    );
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html);
    expect(meta?.[1]).toBe(RENDERER_CSP_META);
    expect(RENDERER_CSP).toBe(`${RENDERER_CSP_META}; frame-ancestors 'none'`);
  });

  it('allows nothing but the app itself', () => {
    expect(RENDERER_CSP).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; " +
        "frame-ancestors 'none'",
    );
  });

  it('keeps header-only directives out of the dev <meta> as well', () => {
    const meta = devRendererCsp('http://localhost:5173', { forMeta: true });
    expect(meta).not.toContain('frame-ancestors');
    expect(meta).toContain('ws://localhost:5173');
  });
});
