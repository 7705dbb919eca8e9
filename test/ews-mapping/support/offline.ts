/**
 * ews-javascript-api without a network: an ExchangeService whose transport records each
 * SOAP request and answers with canned XML, so tests bind real library objects from
 * server-shaped responses (the library's own reader fills the property bags) and see the
 * SOAP a save or update would send.
 */
import { ExchangeService, ExchangeVersion, Uri, WebCredentials } from 'ews-javascript-api';
import type { IXHRApi, IXHROptions } from 'ews-javascript-api';

/** What the library's transport returns (XMLHttpRequest in its types; Node has none). */
type XhrResponse = Awaited<ReturnType<IXHRApi['xhr']>>;

export interface OfflineService {
  service: ExchangeService;
  /** SOAP bodies sent, in order. */
  requests: string[];
  /** Answers the next requests with these SOAP envelopes (then an empty success). */
  answer(...responses: string[]): void;
}

const NS =
  'xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"';

function envelope(body: string): string {
  return `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header><h:ServerVersionInfo MajorVersion="15" MinorVersion="1" MajorBuildNumber="2507" MinorBuildNumber="6" Version="V2017_07_11" xmlns:h="http://schemas.microsoft.com/exchange/services/2006/types"/></s:Header><s:Body>${body}</s:Body></s:Envelope>`;
}

/** A GetItem response holding the given <t:CalendarItem>/<t:Task>/<t:Contact> elements. */
export function getItemResponse(...items: string[]): string {
  const messages = items
    .map(
      (item) =>
        `<m:GetItemResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode><m:Items>${item}</m:Items></m:GetItemResponseMessage>`,
    )
    .join('');
  return envelope(
    `<m:GetItemResponse ${NS}><m:ResponseMessages>${messages}</m:ResponseMessages></m:GetItemResponse>`,
  );
}

export function updateItemResponse(): string {
  return envelope(
    `<m:UpdateItemResponse ${NS}><m:ResponseMessages><m:UpdateItemResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode><m:Items><t:CalendarItem><t:ItemId Id="AAA" ChangeKey="CK2"/></t:CalendarItem></m:Items><m:ConflictResults><t:Count>0</t:Count></m:ConflictResults></m:UpdateItemResponseMessage></m:ResponseMessages></m:UpdateItemResponse>`,
  );
}

export function createItemResponse(element: 'CalendarItem' | 'Task' | 'Contact'): string {
  return envelope(
    `<m:CreateItemResponse ${NS}><m:ResponseMessages><m:CreateItemResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode><m:Items><t:${element}><t:ItemId Id="NEW" ChangeKey="CK1"/></t:${element}></m:Items></m:CreateItemResponseMessage></m:ResponseMessages></m:CreateItemResponse>`,
  );
}

/** A Windows time zone definition as Exchange sends it (the library needs a period). */
export function zoneXml(element: 'StartTimeZone' | 'EndTimeZone', id: string): string {
  return `<t:${element} Id="${id}" Name="${id}"><t:Periods><t:Period Bias="PT0H" Name="Standard" Id="std"/></t:Periods><t:TransitionsGroups><t:TransitionsGroup Id="0"><t:Transition><t:To Kind="Period">std</t:To></t:Transition></t:TransitionsGroup></t:TransitionsGroups><t:Transitions><t:Transition><t:To Kind="Group">0</t:To></t:Transition></t:Transitions></t:${element}>`;
}

export function offlineService(): OfflineService {
  const service = new ExchangeService(ExchangeVersion.Exchange2013_SP1);
  service.Url = new Uri('http://127.0.0.1:9/EWS/Exchange.asmx');
  service.Credentials = new WebCredentials('user', 'password');
  const requests: string[] = [];
  const queue: string[] = [];
  const transport: IXHRApi = {
    xhr(options: IXHROptions): Promise<XhrResponse> {
      requests.push(String(options.data ?? ''));
      const responseText = queue.shift() ?? envelope('');
      return Promise.resolve({
        status: 200,
        responseText,
        response: responseText,
        getAllResponseHeaders: () => '',
        getResponseHeader: () => null,
      } as unknown as XhrResponse);
    },
    xhrStream(): Promise<XhrResponse> {
      return Promise.reject(new Error('no streaming offline'));
    },
    disconnect(): void {},
  };
  service.XHRApi = transport;
  return { service, requests, answer: (...responses) => queue.push(...responses) };
}
