// HTTP front: routing, injected HTTP failures, authentication, SOAP dispatch, call log.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout } from 'node:timers/promises';
import { getUserSettings, poxAutodiscover } from './autodiscover.ts';
import type { Authenticator } from './auth.ts';
import type { OpContext } from './context.ts';
import type { FaultState } from './faults.ts';
import { OPERATIONS } from './operations/index.ts';
import { envelope, faultEnvelope, parseEnvelope, SoapFault, type SoapRequest } from './soap.ts';
import type { Store } from './store.ts';
import type { FakeAccount, FakeCall } from './types.ts';
import type { RequestValidator } from './validation.ts';
import { esc, XmlParseError } from './xml.ts';

export interface ServerParts {
  store: Store;
  auth: Authenticator;
  faults: FaultState;
  validator: RequestValidator | undefined;
  calls: FakeCall[];
  ewsUrl: () => string;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** EWS_FAKE_TRACE=1 prints every request and answer (for debugging a client). */
const TRACE = process.env.EWS_FAKE_TRACE === '1';

function send(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string | string[]> = {},
): void {
  if (TRACE && body) console.log(`<<< ${status}\n${body}`);
  res.writeHead(status, { 'Content-Type': 'text/xml; charset=utf-8', ...headers });
  res.end(body);
}

function attributesOf(req: SoapRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < req.body.attributes.length; i++) {
    const a = req.body.attributes.item(i);
    if (a && !a.name.startsWith('xmlns')) out[a.localName] = a.value;
  }
  return out;
}

export async function handle(
  parts: ServerParts,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { faults } = parts;
  if (faults.dropLeft > 0) {
    faults.dropLeft--;
    req.socket.destroy();
    return;
  }
  const body = await readBody(req);
  if (TRACE) console.log(`>>> ${req.method} ${req.url}\n${body}`);
  if (faults.http503Left > 0) {
    faults.http503Left--;
    send(res, 503, '', { 'Content-Type': 'text/html', 'Retry-After': '1' });
    return;
  }
  const path = (req.url ?? '/').split('?')[0]!.toLowerCase();
  const route =
    path === '/ews/exchange.asmx'
      ? 'ews'
      : path === '/autodiscover/autodiscover.svc'
        ? 'autodiscover'
        : path === '/autodiscover/autodiscover.xml'
          ? 'pox'
          : undefined;
  if (!route) {
    send(res, 404, '', { 'Content-Type': 'text/html' });
    return;
  }
  const auth = parts.auth.authenticate(req);
  if (!auth.ok) {
    send(res, 401, '', { 'WWW-Authenticate': auth.wwwAuthenticate, 'Content-Type': 'text/html' });
    return;
  }
  if (req.method !== 'POST') {
    send(res, 200, '<html><body>Exchange Web Services (fake)</body></html>', {
      'Content-Type': 'text/html',
    });
    return;
  }
  const account = auth.account;
  if (route !== 'ews') {
    const answer =
      route === 'autodiscover'
        ? getUserSettings(body, parts.store, parts.ewsUrl())
        : poxAutodiscover(body, parts.store, parts.ewsUrl());
    parts.calls.push({
      operation: route === 'autodiscover' ? 'GetUserSettings' : 'Autodiscover',
      account: account.user,
      mailbox: account.smtp,
      impersonated: false,
      httpStatus: 200,
      responseCode: answer.code,
      attributes: {},
    });
    send(res, 200, answer.body);
    return;
  }
  const call: FakeCall = {
    operation: 'Unknown',
    account: account.user,
    mailbox: account.smtp,
    impersonated: false,
    httpStatus: 200,
    responseCode: 'NoError',
    attributes: {},
  };
  let unanswered: 'not carried out' | 'carried out' | undefined;
  try {
    const soap = parseEnvelope(body);
    call.operation = soap.operation;
    call.attributes = attributesOf(soap);
    if (/<(\w+:)?CalendarItem[\s>]/.test(body)) call.calendarItem = true;
    parts.validator?.add(soap.operation, soap.body, soap.header);
    if (soap.impersonate) {
      call.mailbox = soap.impersonate;
      call.impersonated = true;
    }
    const ctx = context(parts, account, soap);
    call.mailbox = ctx.mailbox.smtp;
    call.impersonated = ctx.impersonated;
    if (faults.hangsUp({ operation: soap.operation, stage: 'arrived', mailbox: call.mailbox })) {
      unanswered = 'not carried out';
      req.socket.destroy();
      return;
    }
    const backOff = faults.takeBusy(soap.operation);
    if (backOff !== undefined) {
      throw new SoapFault(
        'ErrorServerBusy',
        'The server cannot service this request right now. Try again later.',
        `<t:Value Name="BackOffMilliseconds">${backOff}</t:Value>`,
      );
    }
    const op = OPERATIONS[soap.operation];
    if (!op)
      throw new SoapFault(
        'ErrorInvalidRequest',
        `The operation ${soap.operation} is not supported by this fake.`,
      );
    const out = op(soap.body, ctx);
    call.responseCode = out.firstCode;
    const event = {
      operation: soap.operation,
      stage: 'done',
      mailbox: call.mailbox,
      responseCode: out.firstCode,
    } as const;
    if (faults.hangsUp(event)) {
      unanswered = 'carried out';
      req.socket.destroy();
      return;
    }
    const answer = envelope(out.body());
    if (faults.answerDelayMs > 0) await setTimeout(faults.answerDelayMs);
    send(res, 200, answer);
  } catch (e) {
    const fault =
      e instanceof SoapFault
        ? e
        : e instanceof XmlParseError
          ? new SoapFault('ErrorInvalidRequest', `The request is not well-formed XML: ${e.message}`)
          : new SoapFault('ErrorInternalServerError', e instanceof Error ? e.message : String(e));
    if (e instanceof XmlParseError) parts.validator?.addFailure('Unknown', fault.message);
    call.httpStatus = 500;
    call.responseCode = fault.code;
    send(res, 500, faultEnvelope(fault));
  } finally {
    if (unanswered === 'carried out') call.unanswered = true;
    if (unanswered !== 'not carried out') parts.calls.push(call);
  }
}

function context(parts: ServerParts, account: FakeAccount, soap: SoapRequest): OpContext {
  const own = parts.store.mailbox(account.smtp);
  if (!own) throw new SoapFault('ErrorNonExistentMailbox', `No mailbox for ${esc(account.smtp)}.`);
  const base = { store: parts.store, account, faults: parts.faults, timeZone: soap.timeZone };
  if (!soap.impersonate || soap.impersonate.toLowerCase() === account.smtp.toLowerCase()) {
    return { ...base, mailbox: own, impersonated: false };
  }
  if (!account.canImpersonate) {
    throw new SoapFault(
      'ErrorImpersonateUserDenied',
      'The account does not have permission to impersonate the requested user.',
    );
  }
  // SmtpAddress / PrimarySmtpAddress; a PrincipalName may also name an account's user.
  const target =
    parts.store.mailbox(soap.impersonate) ??
    parts.store.mailbox(parts.auth.findAccount(soap.impersonate)?.smtp ?? '');
  if (!target) {
    throw new SoapFault(
      parts.faults.unknownMailboxCode,
      parts.faults.unknownMailboxCode === 'ErrorCannotFindUser'
        ? 'The user could not be found.'
        : 'The SMTP address has no mailbox associated with it.',
      `<t:Value Name="SmtpAddress">${esc(soap.impersonate)}</t:Value>`,
    );
  }
  return { ...base, mailbox: target, impersonated: true };
}
