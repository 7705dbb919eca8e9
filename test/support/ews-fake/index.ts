// A stateful fake Exchange EWS server for tests: see README.md.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Authenticator } from './auth.ts';
import { mailboxView } from './facade.ts';
import { FaultState } from './faults.ts';
import { handle } from './server.ts';
import { Store } from './store.ts';
import type { FakeCall, FakeEws, FakeEwsOptions } from './types.ts';
import { RequestValidator } from './validation.ts';

export type * from './types.ts';

export async function startFakeEws(options: FakeEwsOptions): Promise<FakeEws> {
  const store = new Store();
  for (const a of options.accounts) store.addMailbox(a.smtp);
  for (const m of options.mailboxes ?? []) store.addMailbox(m);
  const auth = new Authenticator(
    options.accounts,
    options.auth ?? ['basic', 'ntlm'],
    options.bearerTokens ?? {},
  );
  const faults = new FaultState();
  const validator = options.validate === false ? undefined : new RequestValidator();
  const calls: FakeCall[] = [];
  let ewsUrl = '';
  const parts = { store, auth, faults, validator, calls, ewsUrl: () => ewsUrl };
  const server = createServer((req, res) => {
    handle(parts, req, res).catch((e: unknown) => {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(String(e));
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  ewsUrl = `http://127.0.0.1:${port}/EWS/Exchange.asmx`;
  return {
    ewsUrl,
    autodiscoverUrl: `http://127.0.0.1:${port}/autodiscover/autodiscover.svc`,
    mailbox(smtp) {
      const mb = store.mailbox(smtp);
      if (!mb) throw new Error(`no mailbox ${smtp}`);
      return mailboxView(store, mb);
    },
    faults,
    calls,
    invalidRequests: () => validator?.results() ?? Promise.resolve([]),
    async stop() {
      await validator?.flush();
      validator?.dispose();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
