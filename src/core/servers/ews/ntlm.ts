/**
 * Typed access to @ewsjs/ntlm-client (CommonJS, no type declarations): the three NTLM
 * messages of the handshake. Each returns or takes the header value ("NTLM <base64>").
 */
import { createRequire } from 'node:module';

interface NtlmClient {
  createType1Message(workstation: string, target: string): string;
  decodeType2Message(header: string): unknown;
  createType3Message(
    type2: unknown,
    user: string,
    password: string,
    workstation: string,
    target: string,
  ): string;
}

const require = createRequire(import.meta.url);
// Resolved from ews-javascript-api's own dependency tree (@ewsjs/xhr depends on it).
const client = require('@ewsjs/ntlm-client') as NtlmClient;

/** The workstation name the handshake sends; the same one @ewsjs/xhr sends. */
const WORKSTATION = '.';

export interface NtlmIdentity {
  user: string;
  /** NetBIOS domain, upper-case; '' when the user is given as user@domain. */
  domain: string;
  password: string;
}

/**
 * Splits what the user typed: "CORP\\pbartos", "pbartos@corp.example" (sent whole, no
 * domain: Windows accepts the UPN form) or "pbartos" with a separate domain.
 */
export function ntlmIdentity(
  user: string,
  domain: string | undefined,
  password: string,
): NtlmIdentity {
  const slash = user.indexOf('\\');
  if (slash > 0) {
    return { user: user.slice(slash + 1), domain: user.slice(0, slash).toUpperCase(), password };
  }
  if (user.includes('@')) return { user, domain: '', password };
  return { user, domain: (domain ?? '').toUpperCase(), password };
}

export function ntlmNegotiate(identity: NtlmIdentity): string {
  return client.createType1Message(WORKSTATION, identity.domain);
}

/** The NTLM challenge among WWW-Authenticate values ("NTLM <base64>"), if any. */
export function ntlmChallenge(authenticate: string[]): string | undefined {
  for (const value of authenticate) {
    for (const part of value.split(',')) {
      const trimmed = part.trim();
      if (/^NTLM\s+\S+/i.test(trimmed)) return trimmed;
    }
  }
  return undefined;
}

export function offersNtlm(authenticate: string[]): boolean {
  return authenticate.some((v) => v.split(',').some((p) => /^NTLM\b/i.test(p.trim())));
}

export function ntlmAuthenticate(identity: NtlmIdentity, challenge: string): string {
  const type2 = client.decodeType2Message(challenge);
  return client.createType3Message(
    type2,
    identity.user,
    identity.password,
    WORKSTATION,
    identity.domain,
  );
}
