/**
 * The credential and redirect rules every connector that follows redirects shares: the
 * password goes only where the user said, nothing is followed into clear text.
 */
import { describe, expect, it } from 'vitest';
import {
  CredentialOrigins,
  MAX_REDIRECTS,
  redirectStep,
} from '../../src/core/servers/http/redirects.ts';

const from = new URL('https://dav.example.test/cal/');

describe('credential origins', () => {
  it('are the configured origins only, whatever the path, never another port or scheme', () => {
    const origins = new CredentialOrigins([
      'https://dav.example.test/dav/',
      'https://home.example.test',
    ]);
    expect(origins.has(new URL('https://dav.example.test/other/path'))).toBe(true);
    expect(origins.has(new URL('https://home.example.test/x'))).toBe(true);
    expect(origins.has(new URL('http://dav.example.test/dav/'))).toBe(false);
    expect(origins.has(new URL('https://dav.example.test:8443/dav/'))).toBe(false);
    expect(origins.has(new URL('https://evil.example.test/dav/'))).toBe(false);
  });
});

describe('redirect steps', () => {
  it('follows a redirect, relative or to another origin, keeping the method except after 303', () => {
    expect(redirectStep(from, 301, '/moved/', 0, false)).toEqual({
      kind: 'follow',
      url: new URL('https://dav.example.test/moved/'),
      asGet: false,
    });
    expect(redirectStep(from, 303, 'https://other.example.test/x', 0, false)).toEqual({
      kind: 'follow',
      url: new URL('https://other.example.test/x'),
      asGet: true,
    });
  });

  it('never follows from https to http, nor beyond the hop limit, nor a 304', () => {
    expect(redirectStep(from, 302, 'http://dav.example.test/cal/', 0, false)).toEqual({
      kind: 'answer',
    });
    expect(redirectStep(from, 302, '/next/', MAX_REDIRECTS, false)).toEqual({ kind: 'answer' });
    expect(redirectStep(from, 304, '/cal/', 0, false)).toEqual({ kind: 'answer' });
  });

  it('hands a looked-up redirect back on the same origin, refuses another origin or http', () => {
    expect(redirectStep(from, 301, '/dav/', 0, true)).toEqual({ kind: 'answer' });
    expect(redirectStep(from, 301, 'https://provider.example.test/dav/', 0, true)).toEqual({
      kind: 'other-origin',
      url: new URL('https://provider.example.test/dav/'),
    });
    expect(redirectStep(from, 301, 'http://dav.example.test/dav/', 0, true)).toEqual({
      kind: 'insecure',
      url: new URL('http://dav.example.test/dav/'),
    });
  });
});
