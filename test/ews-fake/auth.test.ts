// Sign-in to the fake EWS server with the real client: Basic, NTLM, Bearer, autodiscover.
import {
  AutodiscoverService,
  ExchangeVersion,
  Folder,
  OAuthCredentials,
  Uri,
  UserSettingName,
  WebCredentials,
  WellKnownFolderName,
} from 'ews-javascript-api';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ntlmAuthenticate,
  ntlmChallenge,
  ntlmIdentity,
  ntlmNegotiate,
} from '../../src/core/servers/ews/ntlm.ts';
import type { FakeEws } from '../support/ews-fake/index.ts';
import {
  basicService,
  JN,
  ntlmService,
  PB,
  rejection,
  startDefault,
  stopChecked,
} from './helpers.ts';

const TOKEN = 'eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiJqbm92YWtvdmEifQ.c2lnbmF0dXJl';
let ews: FakeEws;

beforeAll(async () => {
  ews = await startDefault({
    auth: ['basic', 'ntlm', 'bearer'],
    bearerTokens: { [TOKEN]: JN.user },
  });
});
afterAll(() => stopChecked(ews));

describe('sign-in', () => {
  it('Basic with the right password opens the own calendar', async () => {
    const folder = await Folder.Bind(basicService(ews), WellKnownFolderName.Calendar);
    expect(folder.DisplayName).toBe('Calendar');
    expect(ews.calls.at(-1)).toMatchObject({
      operation: 'GetFolder',
      account: PB.user,
      mailbox: PB.smtp,
    });
  });

  it('Basic with a wrong password gets HTTP 401', async () => {
    const err = await rejection(
      Folder.Bind(basicService(ews, PB.user, 'wrong'), WellKnownFolderName.Calendar),
    );
    expect(err.HttpStatusCode ?? err.status).toBe(401);
  });

  it('NTLM with the right password completes the handshake (also as DOMAIN\\user)', async () => {
    const folder = await Folder.Bind(
      ntlmService(ews, PB.user, PB.password),
      WellKnownFolderName.Calendar,
    );
    expect(folder.DisplayName).toBe('Calendar');
    const viaDomain = await Folder.Bind(
      ntlmService(ews, `FIRMA\\${PB.user}`, PB.password),
      WellKnownFolderName.Tasks,
    );
    expect(viaDomain.DisplayName).toBe('Tasks');
  });

  it('NTLM with a wrong password gets HTTP 401', async () => {
    const err = await rejection(
      Folder.Bind(ntlmService(ews, PB.user, 'Heslo-124'), WellKnownFolderName.Calendar),
    );
    expect(err.HttpStatusCode ?? err.status).toBe(401);
  });

  it('Bearer tokens sign in as the account they belong to; unknown tokens get 401', async () => {
    const service = basicService(ews);
    service.Credentials = new OAuthCredentials(TOKEN);
    await Folder.Bind(service, WellKnownFolderName.Calendar);
    expect(ews.calls.at(-1)).toMatchObject({ account: JN.user, mailbox: JN.smtp });
    service.Credentials = new OAuthCredentials('eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiJub2JvZHkifQ.eA');
    const err = await rejection(Folder.Bind(service, WellKnownFolderName.Calendar));
    expect(err.HttpStatusCode ?? err.status).toBe(401);
  });
});

/** One TCP connection to the fake (a keep-alive agent with a single socket). */
function connection(): { agent: http.Agent; get(authorization?: string): Promise<Answer> } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return {
    agent,
    get: (authorization) =>
      new Promise<Answer>((resolve, reject) => {
        const url = new URL(ews.ewsUrl);
        const req = http.request(
          {
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            method: 'GET',
            agent,
            headers: authorization ? { Authorization: authorization } : {},
          },
          (res) => {
            res.resume();
            res.once('end', () => {
              const h = res.headers['www-authenticate'];
              resolve({
                status: res.statusCode ?? 0,
                authenticate: Array.isArray(h) ? h : h ? [h] : [],
                socket: req.socket,
              });
            });
          },
        );
        req.once('error', reject);
        req.end();
      }),
  };
}
interface Answer {
  status: number;
  authenticate: string[];
  socket: unknown;
}

describe('NTLM is bound to the TCP connection, as on IIS', () => {
  const identity = ntlmIdentity(`FIRMA\\${PB.user}`, undefined, PB.password);
  const challengeOf = async (c: ReturnType<typeof connection>): Promise<string> => {
    const type2 = ntlmChallenge((await c.get(ntlmNegotiate(identity))).authenticate);
    if (!type2) throw new Error('no NTLM challenge');
    return type2;
  };

  it('signs in the connection that did the handshake, and only that one', async () => {
    const a = connection();
    const b = connection();
    try {
      const type2 = await challengeOf(a);
      const first = await a.get(ntlmAuthenticate(identity, type2));
      expect(first.status).toBe(200);
      // Signed in: later requests on the connection need no header; another one does.
      const again = await a.get();
      expect(again.status).toBe(200);
      expect(again.socket).toBe(first.socket);
      expect((await b.get()).status).toBe(401);
    } finally {
      a.agent.destroy();
      b.agent.destroy();
    }
  });

  it("refuses a Type 3 answering another connection's challenge, though it is correct", async () => {
    const a = connection();
    const b = connection();
    try {
      const type2 = await challengeOf(a);
      expect((await b.get(ntlmAuthenticate(identity, type2))).status).toBe(401);
      // The challenge was a's: b never had one, and a can still finish its own handshake.
      expect((await a.get(ntlmAuthenticate(identity, type2))).status).toBe(200);
    } finally {
      a.agent.destroy();
      b.agent.destroy();
    }
  });

  it('a stale challenge on the connection does not spoil a later handshake there', async () => {
    const a = connection();
    try {
      const stale = await challengeOf(a);
      const fresh = await challengeOf(a);
      expect(fresh).not.toBe(stale);
      // Answering the replaced challenge fails; the connection can start over and succeed.
      expect((await a.get(ntlmAuthenticate(identity, stale))).status).toBe(401);
      const wrong = ntlmIdentity(PB.user, 'FIRMA', 'Heslo-124');
      expect((await a.get(ntlmAuthenticate(wrong, await challengeOf(a)))).status).toBe(401);
      expect((await a.get(ntlmAuthenticate(identity, await challengeOf(a)))).status).toBe(200);
    } finally {
      a.agent.destroy();
    }
  });
});

describe('autodiscover GetUserSettings', () => {
  function autodiscover(): AutodiscoverService {
    const ad = new AutodiscoverService(ExchangeVersion.Exchange2013_SP1);
    ad.Credentials = new WebCredentials(PB.user, PB.password);
    ad.Url = new Uri(ews.autodiscoverUrl);
    return ad;
  }

  it('answers the EWS URL for a known mailbox', async () => {
    const res = await autodiscover().GetUserSettings(PB.smtp, [
      UserSettingName.InternalEwsUrl,
      UserSettingName.ExternalEwsUrl,
    ]);
    expect(res.ErrorCode).toBe(0);
    expect(res.Settings.get(UserSettingName.InternalEwsUrl)).toBe(ews.ewsUrl);
    expect(res.Settings.get(UserSettingName.ExternalEwsUrl)).toBe(ews.ewsUrl);
  });

  it('answers InvalidUser for an unknown mailbox', async () => {
    const res = await autodiscover().GetUserSettings('nobody@firma.test', [
      UserSettingName.InternalEwsUrl,
    ]);
    expect(res.ErrorCode).not.toBe(0);
    expect(res.ErrorMessage).toContain('nobody@firma.test');
  });
});
