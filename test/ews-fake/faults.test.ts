// Failures as the client sees them: ErrorServerBusy with its back-off, HTTP 503, dropped
// connections, impersonation (allowed, denied folders, denied user, unknown mailbox) and
// schema validation of what reaches the server.
import {
  ConnectingIdType,
  Folder,
  FolderId,
  ImpersonatedUserId,
  ItemId,
  Mailbox,
  Task,
  ServiceError,
  WellKnownFolderName,
  type ExchangeService,
} from 'ews-javascript-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeEws } from '../support/ews-fake/index.ts';
import { basicService, JN, PB, rejection, startDefault, SVC } from './helpers.ts';

let ews: FakeEws;
let service: ExchangeService;

beforeAll(async () => {
  ews = await startDefault();
  service = basicService(ews);
});
afterAll(() => ews.stop());

describe('injected failures', () => {
  it('ErrorServerBusy reaches the client as a SOAP fault with BackOffMilliseconds', async () => {
    ews.faults.serverBusy(1, 30_000, 'GetFolder');
    const err = await rejection(Folder.Bind(service, WellKnownFolderName.Calendar));
    expect(err.ResponseCode).toBe(ServiceError.ErrorServerBusy);
    expect(err.HttpStatusCode).toBe(500);
    expect((err.ErrorDetails as { get(k: string): string }).get('BackOffMilliseconds')).toBe(
      '30000',
    );
    expect(ews.calls.at(-1)).toMatchObject({
      operation: 'GetFolder',
      httpStatus: 500,
      responseCode: 'ErrorServerBusy',
    });
    const ok = await Folder.Bind(service, WellKnownFolderName.Calendar);
    expect(ok.DisplayName).toBe('Calendar');
  });

  it('serverBusy for another operation leaves this one alone', async () => {
    ews.faults.serverBusy(1, 5_000, 'SyncFolderItems');
    expect((await Folder.Bind(service, WellKnownFolderName.Tasks)).DisplayName).toBe('Tasks');
  });

  it('itemNotFound makes GetItem of that item answer ErrorItemNotFound', async () => {
    const item = ews
      .mailbox(PB.smtp)
      .folder('tasks')
      .create('<t:Task><t:Subject>Hidden</t:Subject></t:Task>');
    ews.faults.itemNotFound(item.id);
    const err = await rejection(Task.Bind(service, new ItemId(item.id)));
    expect(err.ErrorCode).toBe(ServiceError.ErrorItemNotFound);
    // By default it stays so: an item the server cannot read.
    const still = await rejection(Task.Bind(service, new ItemId(item.id)));
    expect(still.ErrorCode).toBe(ServiceError.ErrorItemNotFound);
    ews.faults.itemNotFound(item.id, 0);
    expect((await Task.Bind(service, new ItemId(item.id))).Subject).toBe('Hidden');
  });

  it('itemNotFound(id, times) fails only that many GetItems of it', async () => {
    const item = ews
      .mailbox(PB.smtp)
      .folder('tasks')
      .create('<t:Task><t:Subject>Briefly hidden</t:Subject></t:Task>');
    ews.faults.itemNotFound(item.id, 2);
    for (let n = 0; n < 2; n++) {
      const err = await rejection(Task.Bind(service, new ItemId(item.id)));
      expect(err.ErrorCode).toBe(ServiceError.ErrorItemNotFound);
    }
    expect((await Task.Bind(service, new ItemId(item.id))).Subject).toBe('Briefly hidden');
  });

  it('HTTP 503 and a dropped connection fail one request each', async () => {
    ews.faults.http503(1);
    const unavailable = await rejection(Folder.Bind(service, WellKnownFolderName.Calendar));
    expect(unavailable.HttpStatusCode ?? unavailable.status).toBe(503);
    ews.faults.dropConnection(1);
    await rejection(Folder.Bind(service, WellKnownFolderName.Calendar));
    expect((await Folder.Bind(service, WellKnownFolderName.Calendar)).DisplayName).toBe('Calendar');
  });
});

describe('impersonation', () => {
  function as(account: { user: string; password: string }, smtp: string): ExchangeService {
    const s = basicService(ews, account.user, account.password);
    s.ImpersonatedUserId = new ImpersonatedUserId(ConnectingIdType.SmtpAddress, smtp);
    return s;
  }

  it("a service account with the role opens another user's calendar", async () => {
    const folder = await Folder.Bind(as(SVC, PB.smtp), WellKnownFolderName.Calendar);
    expect(folder.Id.UniqueId).toBe(ews.mailbox(PB.smtp).folder('calendar').id);
    expect(ews.calls.at(-1)).toMatchObject({
      account: SVC.user,
      mailbox: PB.smtp,
      impersonated: true,
    });
    const room = await Folder.Bind(as(SVC, 'room@firma.test'), WellKnownFolderName.Calendar);
    expect(room.Id.UniqueId).toBe(ews.mailbox('room@firma.test').folder('calendar').id);
  });

  it("without impersonation, another mailbox's folder needs the role", async () => {
    const other = new FolderId(WellKnownFolderName.Calendar, new Mailbox(PB.smtp));
    const svc = await Folder.Bind(basicService(ews, SVC.user, SVC.password), other);
    expect(svc.Id.UniqueId).toBe(ews.mailbox(PB.smtp).folder('calendar').id);
    const err = await rejection(Folder.Bind(basicService(ews, JN.user, JN.password), other));
    expect(err.ErrorCode).toBe(ServiceError.ErrorAccessDenied);
  });

  it('folders denied to the service account answer ErrorAccessDenied', async () => {
    const err = await rejection(Folder.Bind(as(SVC, PB.smtp), WellKnownFolderName.Tasks));
    expect(err.ErrorCode).toBe(ServiceError.ErrorAccessDenied);
  });

  it('an account without the role gets ErrorImpersonateUserDenied', async () => {
    const err = await rejection(Folder.Bind(as(PB, JN.smtp), WellKnownFolderName.Calendar));
    expect(err.ResponseCode).toBe(ServiceError.ErrorImpersonateUserDenied);
    expect(err.HttpStatusCode).toBe(500);
  });

  it('an unknown mailbox gets ErrorNonExistentMailbox', async () => {
    const err = await rejection(
      Folder.Bind(as(SVC, 'nikdo@firma.test'), WellKnownFolderName.Calendar),
    );
    expect(err.ResponseCode).toBe(ServiceError.ErrorNonExistentMailbox);
    expect(ews.calls.at(-1)).toMatchObject({ mailbox: 'nikdo@firma.test', httpStatus: 500 });
  });
});

describe('schema validation', () => {
  it('every request the client sent so far is valid; a hand-made invalid one is reported', async () => {
    expect(await ews.invalidRequests()).toEqual([]);
    const res = await fetch(ews.ewsUrl, {
      method: 'POST',
      headers: {
        'Content-Type': 'text/xml',
        Authorization: `Basic ${Buffer.from(`${PB.user}:${PB.password}`).toString('base64')}`,
      },
      body:
        '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types">' +
        '<s:Body><m:GetFolder><m:FolderIds><t:DistinguishedFolderId Id="calendar"/></m:FolderIds>' +
        '<m:FolderShape><t:BaseShape>Everything</t:BaseShape></m:FolderShape></m:GetFolder></s:Body></s:Envelope>',
    });
    expect(res.status).toBe(200);
    const invalid = await ews.invalidRequests();
    expect(invalid).toHaveLength(1);
    expect(invalid[0]?.operation).toBe('GetFolder');
    expect(invalid[0]?.error).toMatch(/FolderIds|FolderShape/);
  });
});
