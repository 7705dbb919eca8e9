// Autodiscover: SOAP GetUserSettings (Exchange 2010+) and the POX autodiscover.xml.
import type { Store } from './store.ts';
import { child, children, esc, NS, parseXml } from './xml.ts';

const A = NS.autodiscover;

function envelope(action: string, body: string): string {
  return (
    `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="${NS.soap}" xmlns:a="http://www.w3.org/2005/08/addressing">` +
    `<s:Header><a:Action s:mustUnderstand="1">${A}/Autodiscover/${action}</a:Action>` +
    `<h:ServerVersionInfo xmlns:h="${A}" xmlns:i="${NS.xsi}"><h:MajorVersion>15</h:MajorVersion><h:MinorVersion>1</h:MinorVersion>` +
    `<h:MajorBuildNumber>2507</h:MajorBuildNumber><h:MinorBuildNumber>6</h:MinorBuildNumber><h:Version>Exchange2015</h:Version></h:ServerVersionInfo>` +
    `</s:Header><s:Body>${body}</s:Body></s:Envelope>`
  );
}

function settingValue(name: string, smtp: string, ewsUrl: string): string | undefined {
  switch (name) {
    case 'InternalEwsUrl':
    case 'ExternalEwsUrl':
      return ewsUrl;
    case 'UserDisplayName':
      return smtp.split('@')[0];
    case 'UserDN':
      return `/o=FakeEws/ou=Exchange Administrative Group/cn=Recipients/cn=${smtp.split('@')[0]}`;
    case 'CasVersion':
      return '15.01.2507.006';
    case 'EwsSupportedSchemas':
      return 'Exchange2007, Exchange2007_SP1, Exchange2010, Exchange2010_SP1, Exchange2010_SP2, Exchange2013, Exchange2013_SP1, Exchange2016';
    default:
      return undefined;
  }
}

/** Answers a GetUserSettings request; returns the envelope and the first error code. */
export function getUserSettings(
  xml: string,
  store: Store,
  ewsUrl: string,
): { body: string; code: string } {
  const env = parseXml(xml);
  const req = child(children(child(env, 'Body') ?? env)[0], 'Request');
  const users = children(child(req, 'Users') ?? env, 'User').map(
    (u) => child(u, 'Mailbox')?.textContent?.trim() ?? '',
  );
  const wanted = children(child(req, 'RequestedSettings') ?? env, 'Setting').map(
    (s) => s.textContent?.trim() ?? '',
  );
  let firstCode = 'NoError';
  const responses = users.map((smtp) => {
    if (!store.mailbox(smtp)) {
      if (firstCode === 'NoError') firstCode = 'InvalidUser';
      return (
        `<UserResponse><ErrorCode>InvalidUser</ErrorCode><ErrorMessage>Invalid user: '${esc(smtp)}'</ErrorMessage>` +
        `<RedirectTarget i:nil="true"/><UserSettingErrors/><UserSettings/></UserResponse>`
      );
    }
    const settings: string[] = [];
    const errors: string[] = [];
    for (const name of wanted) {
      const value = settingValue(name, smtp, ewsUrl);
      if (value === undefined) {
        errors.push(
          `<UserSettingError><ErrorCode>SettingIsNotAvailable</ErrorCode><ErrorMessage>User setting '${esc(name)}' is not available.</ErrorMessage><SettingName>${esc(name)}</SettingName></UserSettingError>`,
        );
      } else {
        settings.push(
          `<UserSetting i:type="StringSetting"><Name>${esc(name)}</Name><Value>${esc(value)}</Value></UserSetting>`,
        );
      }
    }
    return (
      `<UserResponse><ErrorCode>NoError</ErrorCode><ErrorMessage>No error.</ErrorMessage><RedirectTarget i:nil="true"/>` +
      `<UserSettingErrors>${errors.join('')}</UserSettingErrors><UserSettings>${settings.join('')}</UserSettings></UserResponse>`
    );
  });
  const body =
    `<GetUserSettingsResponseMessage xmlns="${A}"><Response xmlns:i="${NS.xsi}"><ErrorCode>NoError</ErrorCode><ErrorMessage/>` +
    `<UserResponses>${responses.join('')}</UserResponses></Response></GetUserSettingsResponseMessage>`;
  return { body: envelope('GetUserSettingsResponse', body), code: firstCode };
}

/** POX autodiscover (Outlook provider schema), for clients that ask autodiscover.xml. */
export function poxAutodiscover(
  xml: string,
  store: Store,
  ewsUrl: string,
): { body: string; code: string } {
  const smtp = /<EMailAddress>([^<]*)<\/EMailAddress>/i.exec(xml)?.[1]?.trim() ?? '';
  const ns = 'http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006';
  if (!store.mailbox(smtp)) {
    return {
      code: 'InvalidUser',
      body: `<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="${ns}"><Response><Error><ErrorCode>500</ErrorCode><Message>The email address can't be found.</Message></Error></Response></Autodiscover>`,
    };
  }
  return {
    code: 'NoError',
    body:
      `<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="${ns}"><Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">` +
      `<User><AutoDiscoverSMTPAddress>${esc(smtp)}</AutoDiscoverSMTPAddress></User><Account><AccountType>email</AccountType><Action>settings</Action>` +
      `<Protocol><Type>EXCH</Type><EwsUrl>${esc(ewsUrl)}</EwsUrl></Protocol><Protocol><Type>EXPR</Type><EwsUrl>${esc(ewsUrl)}</EwsUrl></Protocol>` +
      `</Account></Response></Autodiscover>`,
  };
}
