/**
 * Exchange on-premises (EWS) connector, on ews-javascript-api 0.15.3; registered with the
 * connector registry by kind.ts.
 *
 * - HTTP: our own IXHRApi (http.ts) over the project's undici stack rather than
 *   @ewsjs/xhr: the shared dispatcher (../http/) gives TLS verification with the user's
 *   pinned certificate and the proxy, the shared network failure sentences and codes come
 *   along, and faults sent with HTTP 200 (which the library cannot parse) are read here.
 *   @ewsjs/xhr 3 refuses
 *   NTLM with a proxy ("NtlmProvider does not work with proxy (yet!)") and its NTLM
 *   handshake uses its own https.Agent, which would skip a pinned certificate.
 * - NTLM (with @ewsjs/ntlm-client's messages) runs on one connection per origin
 *   (createDispatcher with connections: 1); through an HTTP proxy that is one CONNECT tunnel, so NTLM and a
 *   proxy combine (tested: test/ews/transport.test.ts). Basic and OAuth bearer tokens go
 *   in the Authorization header; the library's credential objects add nothing.
 * - Every call goes through one EwsCaller (throttle.ts): one at a time, throttling and
 *   dropped connections retried, failures coded (failures.ts).
 */
import type { ServerConnector } from '../connector.ts';
import { EwsConnector } from './ews-connector.ts';
import type { EwsConnectorOptions } from './ews-connector.ts';

export type { EwsConnectorOptions } from './ews-connector.ts';
export type { EwsServerVersion } from './service.ts';
export type { EwsStats } from './stats.ts';
export { createEwsStats } from './stats.ts';

export function createEwsConnector(
  options: EwsConnectorOptions,
): ServerConnector & { listCategories(): Promise<string[]> } {
  return new EwsConnector(options);
}
