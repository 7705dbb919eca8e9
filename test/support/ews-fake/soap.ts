// SOAP 1.1 envelopes: reading requests, writing responses and faults as Exchange does.
import { child, children, childText, esc, NS, parseXml, type XElement } from './xml.ts';

export interface SoapRequest {
  operation: string;
  body: XElement;
  header: XElement | undefined;
  requestedVersion: string | undefined;
  /** SMTP address (or principal name / SID) from ExchangeImpersonation. */
  impersonate: string | undefined;
  /** TimeZoneContext's TimeZoneDefinition (Id, Name): the zone new calendar items get. */
  timeZone: { id: string; name: string } | undefined;
}

/** A request-wide error: SOAP fault with HTTP 500. */
export class SoapFault extends Error {
  readonly code: string;
  readonly messageXml: string;
  readonly faultCode: string;
  constructor(code: string, message: string, messageXml = '', faultCode?: string) {
    super(message);
    this.code = code;
    this.messageXml = messageXml;
    this.faultCode = faultCode ?? `a:${code}`;
  }
}

/** A per-item error, answered as a ResponseMessage with ResponseClass="Error". */
export class ItemError extends Error {
  readonly code: string;
  constructor(code: string, message?: string) {
    super(message ?? ERROR_TEXT[code] ?? code);
    this.code = code;
  }
}

export const ERROR_TEXT: Record<string, string> = {
  ErrorItemNotFound: 'The specified object was not found in the store.',
  ErrorFolderNotFound: 'The specified folder could not be found in the store.',
  ErrorFolderExists: 'A folder with the specified name already exists.',
  ErrorIrresolvableConflict:
    'The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.',
  ErrorInvalidSyncStateData: 'Synchronization state data is corrupt or otherwise invalid.',
  ErrorAccessDenied: 'Access is denied. Check credentials and try again.',
  ErrorNonExistentMailbox: 'The SMTP address has no mailbox associated with it.',
  ErrorImpersonateUserDenied:
    'The account does not have permission to impersonate the requested user.',
  ErrorServerBusy: 'The server cannot service this request right now. Try again later.',
  ErrorCalendarOccurrenceIndexIsOutOfRecurrenceRange:
    'The occurrence index is out of the recurrence range.',
  ErrorCalendarOccurrenceIsDeletedFromRecurrence:
    'Occurrence with this index was previously deleted from the recurrence.',
  ErrorInvalidPropertyRequest: 'The property request is invalid.',
  ErrorInvalidRequest: 'The request is invalid.',
  ErrorItemCorrupt: 'The item is corrupt.',
  ErrorObjectTypeChanged: 'The object type cannot be changed.',
  ErrorInvalidIdMalformed: 'Id is malformed.',
  ErrorItemSave: 'The item could not be saved.',
  ErrorSchemaValidation: 'The request failed schema validation.',
  ErrorNotDelegate: 'The user is not a delegate for the mailbox.',
  ErrorInvalidOperation: 'The operation is not valid.',
};

export function parseEnvelope(xml: string): SoapRequest {
  const env = parseXml(xml);
  if (env.localName !== 'Envelope' || env.namespaceURI !== NS.soap) {
    throw new SoapFault(
      'ErrorInvalidRequest',
      'The request is not a SOAP 1.1 envelope.',
      '',
      'a:ErrorInvalidRequest',
    );
  }
  const header = child(env, 'Header');
  const bodyEl = child(env, 'Body');
  const body = bodyEl ? children(bodyEl)[0] : undefined;
  if (!body) throw new SoapFault('ErrorInvalidRequest', 'The SOAP body is empty.');
  const version = child(header, 'RequestServerVersion')?.getAttribute('Version') ?? undefined;
  const sid = child(child(header, 'ExchangeImpersonation'), 'ConnectingSID');
  const impersonate =
    childText(sid, 'PrimarySmtpAddress') ??
    childText(sid, 'SmtpAddress') ??
    childText(sid, 'PrincipalName') ??
    childText(sid, 'SID');
  const operation = (body.localName ?? '').replace(/(Request)?$/, '');
  const tz = child(child(header, 'TimeZoneContext'), 'TimeZoneDefinition');
  const timeZone = tz
    ? { id: tz.getAttribute('Id') ?? 'UTC', name: tz.getAttribute('Name') ?? '' }
    : undefined;
  return {
    operation,
    body,
    header,
    requestedVersion: version,
    impersonate: impersonate?.trim(),
    timeZone,
  };
}

const SERVER_VERSION =
  '<h:ServerVersionInfo MajorVersion="15" MinorVersion="1" MajorBuildNumber="2507" MinorBuildNumber="6" Version="V2017_07_11" ' +
  `xmlns:h="${NS.t}" xmlns="${NS.t}" xmlns:xsd="${NS.xs}" xmlns:xsi="${NS.xsi}"/>`;

export function envelope(body: string): string {
  return (
    `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="${NS.soap}"><s:Header>${SERVER_VERSION}</s:Header>` +
    `<s:Body xmlns:xsi="${NS.xsi}" xmlns:xsd="${NS.xs}">${body}</s:Body></s:Envelope>`
  );
}

export function faultEnvelope(f: SoapFault): string {
  const messageXml = f.messageXml
    ? `<t:MessageXml xmlns:t="${NS.t}">${f.messageXml}</t:MessageXml>`
    : '';
  return (
    `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="${NS.soap}"><s:Body><s:Fault>` +
    `<faultcode xmlns:a="${NS.t}">${esc(f.faultCode)}</faultcode>` +
    `<faultstring xml:lang="en-US">${esc(f.message)}</faultstring><detail>` +
    `<e:ResponseCode xmlns:e="${NS.e}">${esc(f.code)}</e:ResponseCode>` +
    `<e:Message xmlns:e="${NS.e}">${esc(f.message)}</e:Message>${messageXml}` +
    `</detail></s:Fault></s:Body></s:Envelope>`
  );
}

/** Collects the ResponseMessages of one operation; remembers the first error code. */
export class ResponseMessages {
  private readonly parts: string[] = [];
  firstCode = 'NoError';
  private readonly op: string;
  constructor(op: string) {
    this.op = op;
  }

  ok(inner: string, attrs = ''): void {
    this.parts.push(
      `<m:${this.op}ResponseMessage ResponseClass="Success"${attrs}><m:ResponseCode>NoError</m:ResponseCode>${inner}</m:${this.op}ResponseMessage>`,
    );
  }

  error(err: ItemError, emptyInner = ''): void {
    if (this.firstCode === 'NoError') this.firstCode = err.code;
    this.parts.push(
      `<m:${this.op}ResponseMessage ResponseClass="Error"><m:MessageText>${esc(err.message)}</m:MessageText>` +
        `<m:ResponseCode>${err.code}</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>${emptyInner}</m:${this.op}ResponseMessage>`,
    );
  }

  /** Runs `fn` for one item; an ItemError becomes that item's error message. */
  each(fn: () => void, emptyInner = ''): void {
    try {
      fn();
    } catch (e) {
      if (e instanceof ItemError) this.error(e, emptyInner);
      else throw e;
    }
  }

  body(): string {
    return `<m:${this.op}Response xmlns:m="${NS.m}" xmlns:t="${NS.t}"><m:ResponseMessages>${this.parts.join('')}</m:ResponseMessages></m:${this.op}Response>`;
  }
}
