/**
 * ExchangeService set up for one mailbox: our XHR layer (http.ts) does the sign-in, so
 * the library gets a credentials object that adds nothing to requests (its Basic/OAuth
 * credentials would put the secret in a header we then strip, and its OAuthCredentials
 * refuses tokens that are not JWTs). Impersonation sets ExchangeImpersonation plus the
 * X-AnchorMailbox header Exchange 2013+ routes by.
 */
// Puts back util.isNullOrUndefined (gone in Node 23), which the library calls.
import './mapping/compat.ts';
import {
  AutodiscoverService,
  ConnectingIdType,
  ExchangeCredentials,
  ExchangeService,
  ExchangeVersion,
  ImpersonatedUserId,
  Uri,
} from 'ews-javascript-api';
import type { IXHROptions } from 'ews-javascript-api';
import type { EwsHttp } from './http.ts';

export type EwsServerVersion =
  'Exchange2010_SP2' | 'Exchange2013' | 'Exchange2013_SP1' | 'Exchange2016';

/** Credentials for the library's bookkeeping only; http.ts signs requests in. */
class SignedInByTransport extends ExchangeCredentials {
  override PrepareWebRequest(_request: IXHROptions): void {
    // Nothing: the XHR layer adds Authorization (Basic, Bearer or the NTLM handshake).
  }
}

export function exchangeVersion(version: EwsServerVersion): ExchangeVersion {
  switch (version) {
    case 'Exchange2010_SP2':
      return ExchangeVersion.Exchange2010_SP2;
    case 'Exchange2013':
      return ExchangeVersion.Exchange2013;
    case 'Exchange2013_SP1':
      return ExchangeVersion.Exchange2013_SP1;
    case 'Exchange2016':
      return ExchangeVersion.Exchange2016;
  }
}

export interface ServiceOptions {
  url: string;
  version: EwsServerVersion;
  http: EwsHttp;
  /** SMTP address to open by ExchangeImpersonation. */
  impersonate?: string;
}

export function createExchangeService(options: ServiceOptions): ExchangeService {
  const service = new ExchangeService(exchangeVersion(options.version));
  service.Credentials = new SignedInByTransport();
  service.XHRApi = options.http;
  service.Url = new Uri(options.url);
  // Client latency reports are of no use to anyone here.
  service.SendClientLatencies = false;
  if (options.impersonate !== undefined) {
    service.ImpersonatedUserId = new ImpersonatedUserId(
      ConnectingIdType.SmtpAddress,
      options.impersonate,
    );
  }
  return service;
}

export function createAutodiscoverService(
  url: string,
  version: EwsServerVersion,
  http: EwsHttp,
): AutodiscoverService {
  // GetUserSettings (SOAP autodiscover) needs Exchange 2010 or later: any version we offer.
  const service = new AutodiscoverService(new Uri(url), exchangeVersion(version));
  service.Credentials = new SignedInByTransport();
  service.XHRApi = http;
  return service;
}
