/**
 * Finds the EWS address from an e-mail address: SOAP Autodiscover (GetUserSettings) at
 * each candidate endpoint in turn, as Outlook does (https://<domain>/autodiscover/… then
 * https://autodiscover.<domain>/…). Wrong credentials stop the search (every endpoint would
 * refuse them); any other failure moves on, and the last one is named if none answers.
 */
import { AutodiscoverErrorCode, UserSettingName } from 'ews-javascript-api';
import type { GetUserSettingsResponse } from 'ews-javascript-api';
import { ServerError } from '../errors.ts';
import type { EwsHttp } from './http.ts';
import { createAutodiscoverService } from './service.ts';
import type { EwsServerVersion } from './service.ts';
import { EwsCaller } from './throttle.ts';

export function autodiscoverCandidates(email: string): string[] {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  return [
    `https://${domain}/autodiscover/autodiscover.svc`,
    `https://autodiscover.${domain}/autodiscover/autodiscover.svc`,
  ];
}

export interface AutodiscoverOptions {
  email: string;
  account: string;
  candidates: string[];
  version: EwsServerVersion;
  http: EwsHttp;
  maxBackOffMs: number;
}

export async function discoverEwsUrl(options: AutodiscoverOptions): Promise<string> {
  const { email } = options;
  let detail = 'no autodiscover address to try';
  for (const candidate of options.candidates) {
    const server = origin(candidate);
    const caller = new EwsCaller({
      http: options.http,
      maxBackOffMs: options.maxBackOffMs,
      context: { server, account: options.account, mailbox: email },
    });
    const service = createAutodiscoverService(candidate, options.version, options.http);
    let response: GetUserSettingsResponse;
    try {
      response = await caller.run('GetUserSettings', () =>
        service.GetUserSettings(email, [
          UserSettingName.ExternalEwsUrl,
          UserSettingName.InternalEwsUrl,
        ]),
      );
    } catch (err) {
      if (
        err instanceof ServerError &&
        (err.code === 'auth-failed' ||
          err.code === 'token-refused' ||
          err.code === 'auth-method-not-offered' ||
          err.code === 'auth-methods-unsupported')
      ) {
        throw err;
      }
      detail = err instanceof Error ? err.message : String(err);
      continue;
    }
    if (response.ErrorCode !== AutodiscoverErrorCode.NoError) {
      const code = AutodiscoverErrorCode[response.ErrorCode] ?? String(response.ErrorCode);
      detail = `${server} answered ${code}${response.ErrorMessage ? `: ${response.ErrorMessage}` : ''}`;
      continue;
    }
    const url =
      settingUrl(response, UserSettingName.ExternalEwsUrl) ??
      settingUrl(response, UserSettingName.InternalEwsUrl);
    // Never from https to http: the password would then travel in clear.
    if (url !== undefined && candidate.startsWith('https:') && !url.startsWith('https:')) {
      detail = `${server} named an unencrypted EWS address (${url}), which is never used`;
      continue;
    }
    if (url !== undefined) return url;
    detail = `${server} named no EWS address for ${email}`;
  }
  throw new ServerError(
    `Cannot find the Exchange server of ${email} by autodiscover (${detail}); enter the EWS address instead.`,
    {
      code: 'autodiscover-failed',
      params: { email, detail },
      transient: false,
    },
  );
}

function settingUrl(response: GetUserSettingsResponse, name: UserSettingName): string | undefined {
  const settings = response.Settings;
  if (!settings.containsKey(name)) return undefined;
  const value: unknown = settings.get(name);
  return typeof value === 'string' && /^https?:\/\//i.test(value) ? value : undefined;
}

function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}
