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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
