/**
 * A server write whose answer never came: the run died after the server carried it out but
 * before its pairing row was written (or the write never got there). The next run must take
 * the server copy for that write, not for a change made on the server: no duplicate, and a
 * CRM deletion meanwhile deletes it instead of bringing it back.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentHash } from '../../src/core/model/content-hash.ts';
import type { EventData } from '../../src/core/model/items.ts';
import type { AgendaRules } from '../../src/core/sync/rules.ts';
import { dayWindow } from '../../src/core/model/day-window.ts';
import { World } from './simulated-world.ts';
import type { ServerFault } from './simulated-world.ts';

const NOW = new Date('2026-01-10T08:00:00Z');

const rules: AgendaRules = {
  agenda: 'events',
  direction: 'two-way',
  createOnServer: true,
  conflictPolicy: 'newer-wins',
  window: dayWindow(NOW, 14, 31),
  skipPrivate: false,
  categories: { mode: 'all', defaultCategory: '', pairs: [] },
  contactCategories: [],
  branchNodeIds: null,
  branchRootNodeId: null,
  exportGroups: null,
  importFrom: null,
  ownerOnly: null,
  importedStatus: '',
  linkByEmail: { persons: false, companies: false },
};

function event(subject: string, day = 2): EventData {
  const start = new Date(NOW.getTime() + day * 86_400_000);
  return {
    kind: 'event',
    subject,
    location: '',
    description: '',
    start: { utc: start.toISOString(), tz: 'Europe/Prague' },
    end: { utc: new Date(start.getTime() + 3_600_000).toISOString(), tz: 'Europe/Prague' },
    rrule: null,
    exdates: [],
    overrides: [],
    isPrivate: false,
    categories: [],
    reminderMinutes: null,
    organizer: null,
    attendees: [],
  };
}

/** The first write of this kind suffers the fault; the rest go through. */
function once(op: 'create' | 'update' | 'remove', fault: ServerFault) {
  let spent = false;
  return (o: 'create' | 'update' | 'remove'): ServerFault => {
    if (o !== op || spent) return null;
    spent = true;
    return fault;
  };
}

const kinds = async (world: World): Promise<string[]> => (await world.sync()).map((a) => a.kind);

/** A world with one event on both sides, paired. */
async function synced(subject = 'Porada'): Promise<{ world: World; id: number }> {
  const world = new World(rules);
  const id = world.crmCreate(event(subject));
  await world.sync();
  expect(world.pairings.size).toBe(1);
  return { world, id };
}

describe('a server create whose answer never came', () => {
  it('got there, then the CRM item was deleted: deleted on the server, not brought back', async () => {
    const world = new World(rules);
    const id = world.crmCreate(event('Zrušeno'));
    world.serverFault = once('create', 'lose-reply');
    await world.sync();
    world.serverFault = null;
    expect(world.server.size).toBe(1);

    world.crm.delete(id);
    expect(await kinds(world)).toEqual(['delete-server']);
    expect([world.crm.size, world.server.size, world.pairings.size]).toEqual([0, 0, 0]);
    expect(await kinds(world)).toEqual([]);
  });

  it('got there, nothing else changed: paired with that copy, not sent again', async () => {
    const world = new World(rules);
    world.crmCreate(event('Porada'));
    world.serverFault = once('create', 'lose-reply');
    await world.sync();
    world.serverFault = null;

    expect(await kinds(world)).toEqual(['link']);
    expect(world.server.size).toBe(1);
    expect(await kinds(world)).toEqual([]);
  });

  it('got there, then changed on the server: the change comes to the CRM, no conflict', async () => {
    const world = new World(rules);
    const id = world.crmCreate(event('Porada'));
    world.serverFault = once('create', 'lose-reply');
    await world.sync();
    world.serverFault = null;
    const [serverId] = [...world.server.keys()];
    world.serverEdit(serverId!, event('Porada v 10:00'));

    const plan = await world.sync();
    expect(plan.map((a) => [a.kind, a.conflict ?? false])).toEqual([['update-crm', false]]);
    expect(world.crm.get(id)?.data.subject).toBe('Porada v 10:00');
    expect(await kinds(world)).toEqual([]);
  });

  it('did not get there, then the CRM item was deleted: nothing is sent, nothing is kept', async () => {
    const world = new World(rules);
    const id = world.crmCreate(event('Zrušeno'));
    world.serverFault = once('create', 'refuse');
    await world.sync();
    world.serverFault = null;
    expect(world.server.size).toBe(0);

    world.crm.delete(id);
    expect((await kinds(world)).filter((k) => k.endsWith('-server'))).toEqual([]);
    expect([world.server.size, world.pairings.size]).toEqual([0, 0]);
  });

  it('did not get there: sent again, once', async () => {
    const world = new World(rules);
    world.crmCreate(event('Porada'));
    world.serverFault = once('create', 'refuse');
    await world.sync();
    world.serverFault = null;

    expect(await kinds(world)).toEqual(['untrack', 'create-server']);
    expect(world.server.size).toBe(1);
    expect(await kinds(world)).toEqual([]);
  });

  it('re-sent after a deletion on the server (a change beats a delete), got there: not sent twice', async () => {
    const { world, id } = await synced('Porada');
    world.crmEdit(id, event('Porada přesunuta'));
    world.server.clear();
    world.serverFault = once('create', 'lose-reply');
    expect(await kinds(world)).toEqual(['create-server']);
    world.serverFault = null;
    expect(world.server.size).toBe(1);

    expect(await kinds(world)).toEqual(['link']);
    expect([...world.server.values()].map((r) => r.data.subject)).toEqual(['Porada přesunuta']);
    expect(await kinds(world)).toEqual([]);
  });
});

describe('a server update whose answer never came', () => {
  it('got there, then the CRM item was deleted: deleted on the server, not brought back', async () => {
    const { world, id } = await synced();
    world.crmEdit(id, event('Porada přesunuta', 3));
    world.serverFault = once('update', 'lose-reply');
    await world.sync();
    world.serverFault = null;

    world.crm.delete(id);
    expect(await kinds(world)).toEqual(['delete-server']);
    expect([world.crm.size, world.server.size, world.pairings.size]).toEqual([0, 0, 0]);
  });

  it('got there, then the CRM edit was undone: the server gets the CRM version back', async () => {
    const { world, id } = await synced('Porada');
    world.crmEdit(id, event('Porada přesunuta'));
    world.serverFault = once('update', 'lose-reply');
    await world.sync();
    world.serverFault = null;

    world.crmEdit(id, event('Porada'));
    expect(await kinds(world)).toEqual(['update-server']);
    expect([...world.server.values()].map((r) => r.data.subject)).toEqual(['Porada']);
    expect(await kinds(world)).toEqual([]);
  });

  it('got there, nothing else changed: paired with the server copy, not sent again', async () => {
    const { world, id } = await synced();
    world.crmEdit(id, event('Porada přesunuta'));
    world.serverFault = once('update', 'lose-reply');
    await world.sync();
    world.serverFault = null;

    expect(await kinds(world)).toEqual(['link']);
    expect(await kinds(world)).toEqual([]);
  });

  it('refused because another client touched the item but not what is synced: sent on the next run', async () => {
    const { world, id } = await synced();
    world.crmEdit(id, event('Porada přesunuta'));
    world.serverFault = (op, serverId) => {
      const row = serverId === null ? undefined : world.server.get(serverId);
      if (op === 'update' && row) world.server.set(serverId!, { ...row, version: 'touched' });
      return null;
    };
    expect((await world.sync()).map((a) => a.kind)).toEqual(['update-server']);
    world.serverFault = null;
    expect([...world.server.values()].map((r) => r.data.subject)).toEqual(['Porada']);

    expect(await kinds(world)).toEqual(['update-server']);
    expect([...world.server.values()].map((r) => r.data.subject)).toEqual(['Porada přesunuta']);
  });
});

describe('random histories in which server answers get lost', () => {
  const eventArb = fc
    .record({
      subject: fc.constantFrom('Schůzka', 'Hotline', 'Review', 'Oběd'),
      day: fc.integer({ min: -5, max: 20 }),
    })
    .map((e) => event(e.subject, e.day));
  const editArb = fc.record({
    side: fc.constantFrom('crm' as const, 'server' as const),
    op: fc.constantFrom('create' as const, 'edit' as const, 'delete' as const),
    pick: fc.nat(),
    data: eventArb,
  });
  type Edit = typeof editArb extends fc.Arbitrary<infer T> ? T : never;

  function apply(world: World, e: Edit): void {
    if (e.op === 'create') {
      if (e.side === 'crm') world.crmCreate(e.data);
      else world.serverCreate(e.data);
      return;
    }
    if (e.side === 'crm') {
      const keys = [...world.crm.keys()];
      const id = keys[e.pick % Math.max(1, keys.length)];
      if (id === undefined) return;
      if (e.op === 'edit') world.crmEdit(id, e.data);
      else world.crm.delete(id);
    } else {
      const keys = [...world.server.keys()];
      const id = keys[e.pick % Math.max(1, keys.length)];
      if (id === undefined) return;
      if (e.op === 'edit') world.serverEdit(id, e.data);
      else world.server.delete(id);
    }
  }

  it('converge once the answers come again: every pairing joins equal copies, no duplicates', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventArb, { maxLength: 5 }),
        fc.array(eventArb, { maxLength: 5 }),
        fc.array(editArb, { maxLength: 8 }),
        fc.array(editArb, { maxLength: 8 }),
        fc.array(fc.constantFrom<ServerFault>(null, 'lose-reply', 'refuse'), { minLength: 1 }),
        async (crmStart, serverStart, edits, moreEdits, faults) => {
          const world = new World(rules);
          for (const d of crmStart) world.crmCreate(d);
          for (const d of serverStart) world.serverCreate(d);
          let n = 0;
          world.serverFault = () => faults[n++ % faults.length] ?? null;
          await world.sync();
          for (const e of edits) apply(world, e);
          await world.sync();
          for (const e of moreEdits) apply(world, e);
          world.serverFault = null;
          await world.sync();
          await world.sync();

          for (const p of world.pairings.values()) {
            const c = world.crm.get(p.crmId);
            const s = world.server.get(p.serverId);
            expect(c, `paired CRM item ${p.crmId}`).toBeDefined();
            expect(s, `paired server item ${p.serverId}`).toBeDefined();
            expect(contentHash(c!.data)).toBe(contentHash(s!.data));
          }
          const stamps = [...world.server.values()].map((r) => r.identity.crmStamp).filter(Boolean);
          expect(new Set(stamps).size).toBe(stamps.length);
          expect(world.pairings.size).toBe(world.crm.size);
          expect(world.pairings.size).toBe(world.server.size);
          expect(await kinds(world)).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
