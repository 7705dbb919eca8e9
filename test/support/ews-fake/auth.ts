// HTTP authentication: Basic, Bearer and connection-oriented NTLM.
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { newChallenge, ntlmMessageType, parseType3, type2Message, verifyType3 } from './ntlm.ts';
import type { FakeAccount } from './types.ts';

export type AuthResult =
  { ok: true; account: FakeAccount } | { ok: false; status: 401; wwwAuthenticate: string[] };

interface Pending {
  challenge: Buffer;
}

export class Authenticator {
  private readonly accounts: FakeAccount[];
  private readonly schemes: Set<string>;
  private readonly bearer: Record<string, string>;
  private readonly challenges = new WeakMap<Socket, Pending>();
  private readonly signedIn = new WeakMap<Socket, FakeAccount>();

  constructor(accounts: FakeAccount[], schemes: string[], bearer: Record<string, string>) {
    this.accounts = accounts;
    this.schemes = new Set(schemes);
    this.bearer = bearer;
  }

  findAccount(user: string): FakeAccount | undefined {
    const u = user.toLowerCase();
    const bare = u.includes('\\') ? u.slice(u.indexOf('\\') + 1) : u;
    return this.accounts.find(
      (a) =>
        a.user.toLowerCase() === bare ||
        a.smtp.toLowerCase() === bare ||
        a.user.toLowerCase() === u,
    );
  }

  private challengeHeaders(): string[] {
    const h: string[] = [];
    if (this.schemes.has('ntlm')) h.push('NTLM');
    if (this.schemes.has('basic')) h.push('Basic realm="127.0.0.1"');
    if (this.schemes.has('bearer')) h.push('Bearer');
    return h;
  }

  private deny(extra?: string): AuthResult {
    return { ok: false, status: 401, wwwAuthenticate: extra ? [extra] : this.challengeHeaders() };
  }

  authenticate(req: IncomingMessage): AuthResult {
    const header = req.headers.authorization ?? '';
    const space = header.indexOf(' ');
    const scheme = (space > 0 ? header.slice(0, space) : header).toLowerCase();
    const value = space > 0 ? header.slice(space + 1).trim() : '';
    if (!header) {
      const known = this.signedIn.get(req.socket);
      return known ? { ok: true, account: known } : this.deny();
    }
    if (scheme === 'basic' && this.schemes.has('basic')) {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const account = this.findAccount(decoded.slice(0, colon));
      if (account && colon > 0 && decoded.slice(colon + 1) === account.password)
        return { ok: true, account };
      return this.deny();
    }
    if (scheme === 'bearer' && this.schemes.has('bearer')) {
      const user = this.bearer[value];
      const account = user ? this.findAccount(user) : undefined;
      return account ? { ok: true, account } : this.deny('Bearer error="invalid_token"');
    }
    if ((scheme === 'ntlm' || scheme === 'negotiate') && this.schemes.has('ntlm')) {
      return this.ntlm(req.socket, Buffer.from(value, 'base64'));
    }
    return this.deny();
  }

  /**
   * Connection-bound, as IIS: a Type 1 issues a challenge for this TCP connection (replacing
   * any earlier one there, so a stale challenge never spoils a later handshake); a Type 3 is
   * checked only against the challenge of its own connection, which it uses up either way.
   * A Type 3 on a connection without a challenge (e.g. sent on another socket than its
   * Type 1) is refused. A new handshake on a signed-in connection signs it out first.
   */
  private ntlm(socket: Socket, msg: Buffer): AuthResult {
    const type = ntlmMessageType(msg);
    if (type === 1) {
      this.signedIn.delete(socket);
      const challenge = newChallenge();
      this.challenges.set(socket, { challenge });
      return this.deny(`NTLM ${type2Message(challenge).toString('base64')}`);
    }
    const own = this.challenges.get(socket);
    this.challenges.delete(socket);
    const t3 = type === 3 ? parseType3(msg) : undefined;
    if (!t3 || !own) return this.deny();
    const account = this.findAccount(t3.user);
    if (!account || !verifyType3(t3, account.password, own.challenge)) return this.deny();
    this.signedIn.set(socket, account);
    return { ok: true, account };
  }
}
