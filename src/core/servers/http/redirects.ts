/**
 * Where credentials may go and which redirects are followed, for every connector that
 * follows redirects itself: credentials only to the origins the user configured (a redirect
 * elsewhere is followed without them, as browsers do), never from https to http, at most
 * MAX_REDIRECTS hops, 303 turns the request into a GET.
 */

export const MAX_REDIRECTS = 5;

/** The origins the user configured: the only ones that get credentials. */
export class CredentialOrigins {
  readonly #origins = new Set<string>();

  constructor(configured: readonly string[]) {
    for (const url of configured) this.#origins.add(new URL(url).origin);
  }

  has(url: URL): boolean {
    return this.#origins.has(url.origin);
  }
}

export type RedirectStep =
  /** Send the request again to `url` (as GET without a body when `asGet`). */
  | { kind: 'follow'; url: URL; asGet: boolean }
  /** Hand the 3xx answer back to the caller as it is. */
  | { kind: 'answer' }
  /** A redirect from https to http: refused, what follows would travel in clear. */
  | { kind: 'insecure'; url: URL }
  /** A looked-up redirect to another origin: the user's choice to make, not ours. */
  | { kind: 'other-origin'; url: URL };

/**
 * What to do with a 3xx answer carrying `location`. `manual` is a lookup that wants the
 * answer itself (RFC 6764's .well-known): it is never followed, and a redirect to another
 * origin or to http is refused rather than handed back.
 */
export function redirectStep(
  from: URL,
  status: number,
  location: string,
  hop: number,
  manual: boolean,
): RedirectStep {
  const next = new URL(location, from);
  const downgrade = from.protocol === 'https:' && next.protocol !== 'https:';
  if (manual) {
    if (downgrade) return { kind: 'insecure', url: next };
    if (next.origin !== from.origin) return { kind: 'other-origin', url: next };
    return { kind: 'answer' };
  }
  if (hop >= MAX_REDIRECTS || status === 304 || downgrade) return { kind: 'answer' };
  return { kind: 'follow', url: next, asGet: status === 303 };
}
