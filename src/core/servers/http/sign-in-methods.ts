/**
 * What a 401 says about sign-in methods: the schemes its WWW-Authenticate challenges offer,
 * so a refusal is worded as "the server does not offer NTLM; it offers Basic" instead of
 * "wrong password" when the user's method is not among them. Shared by the connectors.
 */
import { ServerError } from '../errors.ts';
import { statusText } from './network-failures.ts';

/** Scheme names as the settings call the methods. */
const LABELS: Record<string, string> = {
  basic: 'Basic',
  digest: 'Digest',
  ntlm: 'NTLM',
  negotiate: 'Negotiate (Kerberos)',
  bearer: 'OAuth',
};

/**
 * The schemes (lower-case, in order, once each) of WWW-Authenticate values. One value may
 * hold several challenges ("Digest realm="x", nonce="y", Basic realm="x""): a part that
 * starts with a token not followed by "=" starts a challenge.
 */
export function offeredSchemes(values: readonly string[]): string[] {
  const schemes: string[] = [];
  for (const value of values) {
    for (const part of value.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)) {
      const m = /^\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)(\s*=)?/.exec(part);
      if (!m?.[1] || m[2] !== undefined) continue;
      const scheme = m[1].toLowerCase();
      if (!schemes.includes(scheme)) schemes.push(scheme);
    }
  }
  return schemes;
}

export function schemeLabel(scheme: string): string {
  return LABELS[scheme.toLowerCase()] ?? scheme;
}

/**
 * The failure for a 401 whose challenges do not offer the method used (`chosen`, a scheme
 * name), or undefined when they do or name none (then the password is what was refused).
 * `supported` are the schemes the connector can sign in with.
 */
export function signInMethodFailure(
  server: string,
  authenticate: readonly string[],
  chosen: string,
  supported: readonly string[],
): ServerError | undefined {
  const offered = offeredSchemes(authenticate);
  if (offered.length === 0 || offered.includes(chosen.toLowerCase())) return undefined;
  const usable = offered.filter((s) => supported.includes(s));
  const list = (schemes: string[]): string => schemes.map(schemeLabel).join(', ');
  if (usable.length === 0) {
    return new ServerError(
      `${server} offers only ${list(offered)} sign-in, which CRM Sync does not support (it signs in with ${list([...supported])}).`,
      {
        code: 'auth-methods-unsupported',
        params: { server, offered: list(offered), supported: list([...supported]) },
        transient: false,
      },
    );
  }
  return new ServerError(
    `${server} does not offer ${schemeLabel(chosen)} sign-in, only ${list(usable)}: choose it in the connection settings.`,
    {
      code: 'auth-method-not-offered',
      params: { server, chosen: schemeLabel(chosen), offered: list(usable) },
      transient: false,
    },
  );
}

/**
 * The password (or, for `bearer`, the access token) was refused: 401, or 403 where a
 * connector knows that means the account. `server` as the connector shows it.
 */
export function credentialsRefused(server: string, status: number, bearer: boolean): ServerError {
  const params = { server, status: statusText(status) };
  return bearer
    ? new ServerError(
        `The access token was refused by ${server} (${params.status}); sign in again.`,
        { transient: false, code: 'token-refused', params },
      )
    : new ServerError(`Wrong user name or password for ${server} (${params.status}).`, {
        transient: false,
        code: 'auth-failed',
        params,
      });
}
