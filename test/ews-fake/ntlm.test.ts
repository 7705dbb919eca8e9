// The fake's NTLMv1 verification against the test vectors of [MS-NLMP] sections 4.2.2-4.2.3
// (user "User", domain "Domain", password "Password", server challenge 0123456789abcdef).
// NTLMv2, what @ewsjs/xhr sends, is proven end to end in auth.test.ts.
import { describe, expect, it } from 'vitest';
import { md4 } from '../support/ews-fake/md4.ts';
import { verifyType3, type Type3 } from '../support/ews-fake/ntlm.ts';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s/g, ''), 'hex');
const CHALLENGE = hex('0123456789abcdef');

function type3(lm: Buffer, nt: Buffer): Type3 {
  return { user: 'User', domain: 'Domain', lm, nt, flags: 0 };
}

describe('NTLM responses (MS-NLMP 4.2)', () => {
  it('MD4 gives the NT hash of "Password"', () => {
    expect(md4(Buffer.from('Password', 'utf16le')).toString('hex')).toBe(
      'a4f49c406510bdcab6824ee7c30fd852',
    );
  });

  it('NTLMv1 (4.2.2): right password accepted, wrong one refused', () => {
    const t3 = type3(Buffer.alloc(24), hex('67c43011f30298a2ad35ece64f16331c44bdbed927841f94'));
    expect(verifyType3(t3, 'Password', CHALLENGE)).toBe(true);
    expect(verifyType3(t3, 'password', CHALLENGE)).toBe(false);
  });

  it('NTLMv1 with extended session security (4.2.3)', () => {
    const lm = hex('aaaaaaaaaaaaaaaa00000000000000000000000000000000');
    const t3 = type3(lm, hex('7537f803ae367128ca458204bde7caf81e97ed2683267232'));
    expect(verifyType3(t3, 'Password', CHALLENGE)).toBe(true);
    expect(verifyType3(t3, 'Passw0rd', CHALLENGE)).toBe(false);
  });
});
