/**
 * Many mailboxes through one service account, a few at a time, against the fake Exchange:
 * the number of mailboxes in flight is bounded, results come in the users' order, each
 * user's run is a journal run of its own (never taken for a dead one while it goes on), an
 * idle pass costs one SyncFolderItems per folder per mailbox, and a bug stops the pass only
 * once the runs under way have ended.
 */
import { describe, expect, it } from 'vitest';
import { insertEvent } from '../../src/core/crm/events.ts';
import { findUserByLogin } from '../../src/core/crm/users.ts';
import { createConnector } from '../../src/core/servers/create-connector.ts';
import type { ServerConnector } from '../../src/core/servers/connector.ts';
import { otherMailboxesOf } from '../../src/core/servers/registry.ts';
import { runForAllUsers } from '../../src/core/sync/all-users.ts';
import type { AllUsersRequest } from '../../src/core/sync/all-users.ts';
import { listRuns, readJournal } from '../../src/core/sync/journal.ts';
import type { Settings } from '../../src/shared/settings/schema.ts';
import { USER, perTestInstallation, useServiceAccount } from '../support/ews-installation.ts';
import type { EwsInstallation } from '../support/ews-installation.ts';
import { daysFromNow } from '../support/times.ts';

const OTHERS = ['adamek', 'bilkova', 'cerny', 'dolezal'].map((login) => ({
  login,
  email: `${login}@firma.test`,
}));
/** In login order, as the users are listed. */
const LOGINS = [...OTHERS.map((u) => u.login), USER.login].sort();

const install = perTestInstallation(
  (s) => {
    // Tasks as tasks: every folder is read once per run.
    s.agendas.tasks.showInCalendarAsEvent = false;
  },
  { users: OTHERS, mailboxes: OTHERS.map((u) => u.email) },
);

async function fresh(): Promise<EwsInstallation> {
  const inst = await install();
  useServiceAccount(inst);
  for (const login of LOGINS) {
    insertEvent(inst.db, {
      subject: `Porada ${login}`,
      allDay: false,
      start: daysFromNow(1),
      end: daysFromNow(1, 10),
      ownerId: findUserByLogin(inst.db, login)!.id,
    });
  }
  return inst;
}

/** Connectors that count how many are open at once. */
function countingConnectors(i: EwsInstallation) {
  const counts = { open: 0, most: 0 };
  const open = async (settings: Settings): Promise<ServerConnector> => {
    counts.open++;
    counts.most = Math.max(counts.most, counts.open);
    try {
      const connector = await createConnector(settings, i.secrets, { timeoutMs: 10_000 });
      const close = connector.close.bind(connector);
      connector.close = async () => {
        counts.open--;
        await close();
      };
      return connector;
    } catch (err) {
      counts.open--;
      throw err;
    }
  };
  return { counts, open };
}

function pass(i: EwsInstallation, extra: Partial<AllUsersRequest> = {}) {
  return runForAllUsers({
    db: i.db,
    settings: i.settings,
    openConnector: (s) => createConnector(s, i.secrets, { timeoutMs: 10_000 }),
    otherMailboxes: otherMailboxesOf(i.settings),
    ...extra,
  });
}

describe('many mailboxes at once on the fake Exchange', () => {
  it('keeps a bounded number in flight, the users in order, and one journal run per user', async () => {
    const i = await fresh();
    const { counts, open } = countingConnectors(i);
    let interruptedSeen = 0;
    const results = await pass(i, {
      openConnector: open,
      inFlight: 2,
      // While the runs overlap, none of them is taken for a run whose process died.
      onProgress: () => {
        interruptedSeen += listRuns(i.db).filter((r) => r.status === 'interrupted').length;
      },
    });

    expect(counts.most).toBe(2);
    expect(counts.open).toBe(0);
    expect(interruptedSeen).toBe(0);
    expect(results.map((r) => r.login)).toEqual(LOGINS);
    for (const r of results) {
      expect(r.skipped).toBeNull();
      expect(r.summary!.status).toBe('ok');
      const items = i.fake.mailbox(r.mailbox!).folder('calendar').items();
      expect(items.map((x) => x.field('Subject'))).toEqual([`Porada ${r.login}`]);
      // The run's journal holds this user's actions and no one else's.
      const entries = readJournal(i.db, { runId: r.summary!.runId });
      expect(entries.map((e) => e.label)).toEqual([`Porada ${r.login}`]);
      expect(entries.every((e) => e.scope.startsWith(`${r.login}|`))).toBe(true);
    }
    const runs = listRuns(i.db);
    expect(runs).toHaveLength(LOGINS.length);
    expect(new Set(runs.map((r) => r.status))).toEqual(new Set(['ok']));
    expect(new Set(results.map((r) => r.summary!.runId))).toEqual(new Set(runs.map((r) => r.id)));
  });

  it('an idle pass costs one SyncFolderItems per folder per mailbox and nothing else', async () => {
    const i = await fresh();
    await pass(i); // finds the folders, writes each user's event
    const from = i.fake.calls.length;
    const results = await pass(i);

    const calls = i.fake.calls.slice(from);
    expect(new Set(calls.map((c) => c.operation))).toEqual(new Set(['SyncFolderItems']));
    // events, tasks and contacts in each of the 5 mailboxes
    expect(calls).toHaveLength(3 * LOGINS.length);
    for (const r of results) {
      expect(calls.filter((c) => c.mailbox === r.mailbox)).toHaveLength(3);
      expect(r.summary!.status).toBe('ok');
      for (const a of r.summary!.agendas) {
        expect([a.crm.created, a.crm.updated, a.crm.deleted]).toEqual([0, 0, 0]);
        expect([a.server.created, a.server.updated, a.server.deleted]).toEqual([0, 0, 0]);
      }
    }
  });

  it('a bug stops the pass after the runs under way have ended', async () => {
    const i = await fresh();
    const { counts, open } = countingConnectors(i);
    const started: string[] = [];
    const failing = async (settings: Settings): Promise<ServerConnector> => {
      if (settings.crm.user === 'bilkova') throw new Error('a bug');
      return open(settings);
    };
    await expect(
      pass(i, { openConnector: failing, inFlight: 2, onUser: (u) => started.push(u.login) }),
    ).rejects.toThrow('a bug');
    expect(counts.open).toBe(0);
    // The users after the failing one that had not started yet are not started.
    expect(started.length).toBeLessThan(LOGINS.length);
    expect(listRuns(i.db).filter((r) => r.status === 'running')).toEqual([]);
  });
});
