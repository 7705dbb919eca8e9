/**
 * The sign-in methods a 401's WWW-Authenticate challenges offer, as Exchange and DAV
 * servers write them (several challenges in one header, quoted commas, token68 values).
 */
import { describe, expect, it } from 'vitest';
import {
  offeredSchemes,
  signInMethodFailure,
} from '../../src/core/servers/http/sign-in-methods.ts';

describe('offeredSchemes', () => {
  it('reads every challenge of Exchange 2016 headers, quoted commas and parameters skipped', () => {
    expect(
      offeredSchemes([
        'Bearer client_id="00000002-0000-0ff1-ce00-000000000000", trusted_issuers="00000001-0000-0000-c000-000000000000@*,x@y", token_types="app_asserted_user_v1 service_asserted_app_v1", authorization_uri="https://login.example/common/oauth2/authorize", error="invalid_token"',
        'Basic Realm=""',
        'Negotiate',
        'NTLM',
      ]),
    ).toEqual(['bearer', 'basic', 'negotiate', 'ntlm']);
  });

  it('reads several challenges in one value, and an NTLM challenge with its token', () => {
    expect(offeredSchemes(['Digest realm="a, b", nonce="n", qop="auth", Basic realm="a"'])).toEqual(
      ['digest', 'basic'],
    );
    expect(offeredSchemes(['NTLM TlRMTVNTUAACAAAAAAAAACgAAAABggAA=='])).toEqual(['ntlm']);
    expect(offeredSchemes([])).toEqual([]);
  });
});

describe('signInMethodFailure', () => {
  it('is nothing when the method is offered or no challenge names one', () => {
    expect(signInMethodFailure('https://x', ['NTLM', 'Basic'], 'ntlm', ['basic', 'ntlm'])).toBe(
      undefined,
    );
    expect(signInMethodFailure('https://x', [], 'ntlm', ['basic', 'ntlm'])).toBe(undefined);
  });
});
