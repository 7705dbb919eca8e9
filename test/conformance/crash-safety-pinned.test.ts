/**
 * Crash safety in the narrowest window, pinned, on every server whose fixture can kill a run
 * (fault-fixtures.ts): the server has carried out a write, the real `crm-sync sync` is
 * SIGKILLed before it hears back (so before it records the write), and the CRM user then
 * acts on the item. The CRM's action must win: the item was the CRM's own, not changed on
 * the server. (The random kills are in crash-safety.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import type { CrmDatabase } from '../../src/core/crm/database.ts';
import { deleteEvent, insertEvent, listEvents, updateEvent } from '../../src/core/crm/events.ts';
import { runAndKill } from '../support/kill-switch.ts';
import { forEachKillFixture } from './fault-fixtures.ts';
import type { CliInstallation, HereRun } from './fault-fixtures.ts';
import { daysFromNow } from '../support/times.ts';

forEachKillFixture((fixture) => {
  describe('a kill between a server write and its pairing row', () => {
    const subjects = async (i: CliInstallation): Promise<{ crm: string[]; server: string[] }> => ({
      crm: i.withCrm((db, ownerId) =>
        listEvents(db, { ownerId })
          .map((e) => e.subject)
          .sort(),
      ),
      server: (await i.phone.items('events')).map((o) => o.a).sort(),
    });
    /**
     * Runs no kill is aimed at (before the kill, the recovery and the idle run after it): a
     * fresh connector and engine in this process, on the same files; only the killed run is
     * the real command (the random kills in crash-safety.test.ts recover through it).
     */
    const runHere = async (i: CliInstallation): Promise<HereRun> => {
      const res = await i.runHere();
      expect(res.summary.status, JSON.stringify(res.summary)).toBe('ok');
      return res;
    };
    const addEvent = (i: CliInstallation, subject: string, day: number): number =>
      i.withCrm((db, ownerId) => {
        const start = daysFromNow(day, 9);
        return insertEvent(db, {
          subject,
          allDay: false,
          start,
          end: new Date(start.getTime() + 3_600_000),
          timeZone: 'Europe/Prague',
          ownerId,
        });
      });
    const change = (i: CliInstallation, fn: (db: CrmDatabase) => void): void =>
      i.withCrm((db) => fn(db));
    const killAfterFirstServerWrite = async (i: CliInstallation): Promise<void> => {
      const killed = await runAndKill({
        ...i,
        trigger: { at: 'answer-lost', kind: 'write', n: 1 },
      });
      expect(killed.killed, killed.stdout + killed.stderr).toBe(true);
      const writes = killed.calls.filter((c) => c.kind === 'write');
      expect(writes[0]).toMatchObject({ outcome: 'answer lost' });
    };

    it('a new CRM event the server stored before the kill, then deleted in the CRM, goes from the server', async () => {
      const i = await fixture().installCli('create-delete');
      const doomed = addEvent(i, 'Zrušená schůzka', 3);
      addEvent(i, 'Platná schůzka', 4);
      await killAfterFirstServerWrite(i);
      expect((await subjects(i)).server).toEqual(['Zrušená schůzka']);

      change(i, (db) => deleteEvent(db, doomed));
      await runHere(i);
      expect(await subjects(i)).toEqual({ crm: ['Platná schůzka'], server: ['Platná schůzka'] });
      const idle = await runHere(i);
      expect(idle.journal).toEqual([]);
    });

    it('a CRM edit the server stored before the kill, then the event deleted in the CRM, goes from the server', async () => {
      const i = await fixture().installCli('update-delete');
      const doomed = addEvent(i, 'Porada', 3);
      addEvent(i, 'Oběd', 4);
      await runHere(i);
      change(i, (db) => updateEvent(db, doomed, { subject: 'Porada přesunuta' }));
      await killAfterFirstServerWrite(i);
      expect((await subjects(i)).server).toEqual(['Oběd', 'Porada přesunuta']);

      change(i, (db) => deleteEvent(db, doomed));
      await runHere(i);
      expect(await subjects(i)).toEqual({ crm: ['Oběd'], server: ['Oběd'] });
      const idle = await runHere(i);
      expect(idle.journal).toEqual([]);
    });

    it('an event the phone deleted but the CRM changed goes back once, though the answer to it was lost', async () => {
      const i = await fixture().installCli('resend');
      const id = addEvent(i, 'Porada', 3);
      await runHere(i);
      change(i, (db) => updateEvent(db, id, { subject: 'Porada přesunuta' }));
      const [copy] = await i.phone.items('events');
      await i.phone.remove(copy!.ref);
      // A change beats a delete: the run sends it back, and dies before it hears back.
      await killAfterFirstServerWrite(i);
      expect((await subjects(i)).server).toEqual(['Porada přesunuta']);

      await runHere(i);
      expect(await subjects(i)).toEqual({
        crm: ['Porada přesunuta'],
        server: ['Porada přesunuta'],
      });
      const idle = await runHere(i);
      expect(idle.journal).toEqual([]);
    });
  });
});
