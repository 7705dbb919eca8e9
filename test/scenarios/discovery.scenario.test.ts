/**
 * Finding the server's folders again when they change (src/core/sync/discovery.ts), against
 * a real Radicale: a newly configured folder, a folder gone from the server and a wrong
 * password are each noticed at once. Not in the conformance suite: each test makes or
 * deletes a collection behind the program's back, which the conformance phone does not
 * do; that the folder list is kept and an idle run only asks for changes is there
 * (test/conformance/requests.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertEvent, listEvents } from '../../src/core/crm/events.ts';
import { startRadicale } from '../support/dav-servers.ts';
import type { DavTestServer } from '../support/dav-servers.ts';
import { MemorySecretStore } from '../../src/core/secrets/memory-secret-store.ts';
import { SecretKey } from '../../src/core/secrets/secret-store.ts';
import { createConnector } from '../../src/core/servers/create-connector.ts';
import { runSync } from '../../src/core/sync/engine.ts';
import { installDav, serverObjects } from '../support/dav-installation.ts';
import type { DavInstallation } from '../support/dav-installation.ts';
import { totals } from '../support/run-totals.ts';
import { daysFromNow } from '../support/times.ts';

let server: DavTestServer;

beforeAll(async () => {
  server = await startRadicale();
});
afterAll(async () => {
  await server?.stop();
});

/** Requests by method made by `run`. */
async function requestsOf(i: DavInstallation, run: () => Promise<unknown>) {
  const before = { ...i.stats.byMethod };
  await run();
  const diff: Record<string, number> = {};
  for (const [method, n] of Object.entries(i.stats.byMethod)) {
    const d = n - (before[method] ?? 0);
    if (d > 0) diff[method] = d;
  }
  return diff;
}

function addEvent(i: DavInstallation, subject: string, day: number): void {
  insertEvent(i.db, {
    subject,
    allDay: false,
    start: daysFromNow(day),
    end: daysFromNow(day, 10),
    ownerId: i.ownerId,
  });
}

describe('folder discovery on Radicale', () => {
  it('asks the server again for a folder configured since, and syncs into it', async () => {
    const i = await installDav(server, (s) => {
      s.agendas.tasks.enabled = false;
      s.agendas.contacts.enabled = false;
    });
    await i.sync();
    const other = await server.createCalendar(`jiny-${Date.now()}`, ['VEVENT']);
    i.settings.agendas.events.folders = [other];
    addEvent(i, 'Do nového kalendáře', 2);
    const run = await requestsOf(i, async () => {
      expect(totals(await i.sync()).serverCreated).toBe(1);
    });
    expect(run['PROPFIND']).toBeGreaterThan(0);
    expect([...(await serverObjects(i, other)).values()].join()).toContain('Do nového kalendáře');
    await i.close();
  });

  it('finds the folders again after one could not be opened, and says clearly what is missing', async () => {
    const i = await installDav(server, (s) => {
      s.agendas.tasks.enabled = false;
      s.agendas.contacts.enabled = false;
    });
    addEvent(i, 'Ztracený kalendář', 1);
    await i.sync();
    // Deleted on the server (e.g. by the user in another client).
    const gone = await server.request('DELETE', i.calendarUrl);
    expect(gone.ok).toBe(true);
    const failed = await i.sync();
    expect(failed.agendas[0]!.aborted).toBeDefined();
    // The next run lists the folders again: the configured one is not among them.
    const next = await i.sync();
    expect(next.agendas[0]!.aborted).toMatch(
      /agendas\.events\.folders: the server has no events folder/,
    );
    expect(listEvents(i.db, {})).toHaveLength(1);
    await i.close();
  });

  it('ends the run at once on a wrong password, though the folders are known', async () => {
    const i = await installDav(server, (s) => {
      s.agendas.tasks.enabled = false;
    });
    await i.sync();
    addEvent(i, 'Neodeslaná', 1);
    const secrets = new MemorySecretStore({ [SecretKey.serverPassword]: 'spatne' });
    const connector = await createConnector(i.settings, secrets);
    try {
      const err = await runSync({ db: i.db, settings: i.settings, connector }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toMatchObject({ code: 'auth-failed' });
    } finally {
      await connector.close();
    }
    expect((await serverObjects(i, i.calendarUrl)).size).toBe(0);
    // With the right password again, it goes through.
    expect(totals(await i.sync()).serverCreated).toBe(1);
    await i.close();
  });
});
