/**
 * Crash safety, end to end, on every server whose fixture can kill a run (fault-fixtures.ts):
 * the real `crm-sync sync` runs in a child process and is SIGKILLed at random points of its
 * runs (as a call arrives, once the server carried out a write but before it answered, after
 * a delay, between the run's CRM writes), while the CRM and a "phone" edit both sides between
 * rounds: inserts, edits and deletions of events and contacts (and, where the phone writes
 * one, a recurring series with a moved occurrence). After every round, a run to completion
 * must leave both sides equal: every item exactly once on each side, every edit on both,
 * every deletion on neither, the database sound, and the next run with nothing to do.
 *
 * Random but reproducible: the seed is printed; CRASH_SEED=<n> replays it (wall-clock kill
 * delays aside). How kill points are chosen: chooseTrigger(); where they landed is printed.
 */
import { expect, it } from 'vitest';
import type { CrmDatabase } from '../../src/core/crm/database.ts';
import { deleteEvent, insertEvent, listEvents, updateEvent } from '../../src/core/crm/events.ts';
import {
  deletePerson,
  insertPerson,
  listPersons,
  updatePerson,
} from '../../src/core/crm/persons.ts';
import { Dice } from '../support/dice.ts';
import { runAndKill } from '../support/kill-switch.ts';
import type { CrashRunResult, KillTrigger } from '../support/kill-switch.ts';
import { daysFromNow } from '../support/times.ts';
import { forEachKillFixture } from './fault-fixtures.ts';
import type { CliInstallation, CrashAgenda as Agenda } from './fault-fixtures.ts';

const SEED = Number(process.env['CRASH_SEED'] ?? Math.floor(Math.random() * 2 ** 31));

/** One item on either side: `a` is the subject / last name, `b` the location / job title. */
interface Seen {
  a: string;
  b: string;
}

/**
 * What the test expects: every item ever made, by where it was born. Every value is unique,
 * so content identifies an item on both sides; items born in the CRM also by their stamp.
 */
interface Expected extends Seen {
  agenda: Agenda;
  origin: 'crm' | 'server';
  /** For items born in the CRM. */
  crmId: number | null;
  /** For items born on the server: the phone's handle. */
  ref: string | null;
  alive: boolean;
  /** Recurring series: the subject of its one moved occurrence. */
  exception?: string;
}

const ENTITY: Record<Agenda, string> = { events: 'event', contacts: 'person' };

interface KillRecord {
  round: number;
  trigger: KillTrigger;
  result: CrashRunResult;
  phase: string;
  /** What the CRM user did to the item whose write was cut off, before the next run. */
  followUp?: string;
}

const LOST_ANSWER = 'during writes: the server wrote, the answer was lost';

function describeTrigger(t: KillTrigger): string {
  switch (t.at) {
    case 'delay':
      return `${t.ms} ms after start`;
    case 'journal':
      return `at journal entry ${t.n}`;
    case 'arrived':
      return `as ${t.kind} call #${t.n} arrives`;
    case 'answer-lost':
      return `after the server carried out ${t.creates ? 'creation' : `${t.kind} call`} #${t.n}, answer lost`;
  }
}

forEachKillFixture((fixture) => {
  it('survives SIGKILL anywhere in a run: no duplicate, no lost change, both sides converge', async () => {
    const { name, scale } = fixture();
    const seed = (SEED + scale.seedOffset) >>> 0;
    const dice = new Dice(seed);
    console.log(`crash safety on ${name}: seed ${seed} (replay with CRASH_SEED=${SEED})`);
    const started = Date.now();
    const inst: CliInstallation = await fixture().installCli('random');
    const { phone, withCrm: withDb } = inst;
    const dbId = withDb((_db, _o, id) => id);
    const stampOf = (agenda: Agenda, id: number): string => `crm:${ENTITY[agenda]}:${id}@${dbId}`;

    const expected: Expected[] = [];
    let marker = 0;
    const mark = (round: number): string => `M${round}.${++marker}`;

    // ---- both sides as the checks see them ----

    const crmItems = (agenda: Agenda) =>
      withDb((db, ownerId) =>
        agenda === 'events'
          ? listEvents(db, { ownerId }).map((e) => ({
              id: e.id,
              a: e.subject,
              b: e.location ?? '',
              rrule: e.rrule,
              overrides: e.overrides.map((o) => o.subject ?? ''),
            }))
          : listPersons(db).map((p) => ({
              id: p.id,
              a: p.lastName ?? '',
              b: p.jobTitle ?? '',
              rrule: null,
              overrides: [] as string[],
            })),
      );

    /** Everything that is wrong about the two sides, in words (empty when all is well). */
    const problemsOf = async (): Promise<string[]> => {
      const problems: string[] = [];
      const key = (i: Seen): string => `${i.a} / ${i.b}`;
      const dupes = (what: string, values: (string | null | undefined)[]): void => {
        const seen = new Set<string>();
        for (const v of values) {
          if (v === null || v === undefined || v === '') continue;
          if (seen.has(v)) problems.push(`${what} ${v} occurs twice`);
          seen.add(v);
        }
      };
      for (const agenda of ['events', 'contacts'] as const) {
        const live = expected.filter((x) => x.agenda === agenda && x.alive);
        const want = live.map(key).sort();
        const crm = crmItems(agenda);
        const server = await phone.items(agenda);
        dupes(
          `${agenda}: CRM`,
          crm.map((i) => i.a),
        );
        dupes(
          `${agenda}: server`,
          server.map((i) => i.a),
        );
        dupes(
          `${agenda}: server UID`,
          server.map((i) => i.uid),
        );
        dupes(
          `${agenda}: server X-CRM-SYNC-ID`,
          server.map((i) => i.stamp),
        );
        for (const [side, items] of [
          ['CRM', crm],
          ['server', server],
        ] as const) {
          const have = items.map(key).sort();
          const missing = want.filter((k) => !have.includes(k));
          const extra = have.filter((k) => !want.includes(k));
          if (missing.length)
            problems.push(`${agenda}: missing in the ${side}: ${missing.join('; ')}`);
          if (extra.length)
            problems.push(`${agenda}: unexpected in the ${side}: ${extra.join('; ')}`);
        }
        // The CRM's own items are paired by their stamp: exactly one copy, the same content.
        for (const x of live.filter((e) => e.origin === 'crm')) {
          const copies = server.filter((o) => o.stamp === stampOf(agenda, x.crmId ?? 0));
          if (copies.length !== 1)
            problems.push(
              `${agenda}: CRM-born #${x.crmId} "${x.a}" is ${copies.length}x stamped on the server`,
            );
          else if (key(copies[0]!) !== key(x))
            problems.push(
              `${agenda}: CRM-born #${x.crmId} is "${key(copies[0]!)}" on the server, expected "${key(x)}"`,
            );
        }
        for (const x of live.filter((e) => e.exception !== undefined)) {
          const master = server.find((o) => o.a === x.a);
          const onServer = master?.exceptions ?? [];
          if (JSON.stringify(onServer) !== JSON.stringify([x.exception]))
            problems.push(`series "${x.a}": server exceptions ${JSON.stringify(onServer)}`);
          const inCrm = crm.find((e) => e.a === x.a);
          if (!inCrm?.rrule || JSON.stringify(inCrm.overrides) !== JSON.stringify([x.exception]))
            problems.push(
              `series "${x.a}": CRM rrule ${inCrm?.rrule ?? 'none'}, overrides ${JSON.stringify(inCrm?.overrides ?? [])}`,
            );
        }
      }
      return problems;
    };

    /** The phone's handle on an item, found by its content (unique) or the CRM's stamp. */
    const serverRefOf = async (x: Expected): Promise<string | undefined> => {
      if (x.origin === 'server' && x.ref !== null) return x.ref;
      const items = await phone.items(x.agenda);
      return items.find((o) => o.stamp === stampOf(x.agenda, x.crmId ?? 0) || o.a === x.a)?.ref;
    };
    const crmRowId = (x: Expected): number => {
      if (x.origin === 'crm' && x.crmId !== null) return x.crmId;
      const row = crmItems(x.agenda).find((r) => r.a === x.a);
      if (row === undefined) throw new Error(`"${x.a}" is not in the CRM`);
      return row.id;
    };

    // ---- edits, as the CRM program and a phone make them ----

    /** Who touched an item this round: an item is edited on one side only per round. */
    let touched = new Map<Expected, 'crm' | 'server'>();
    /** Server writes the pending CRM changes need, creations among them: kill guides. */
    let pendingWrites = 0;
    let pendingCreates = 0;
    let pendingActions = 0;
    const free = (agenda: Agenda, side: 'crm' | 'server'): Expected[] =>
      expected.filter((x) => x.agenda === agenda && x.alive && (touched.get(x) ?? side) === side);
    const deletesBy = (side: 'crm' | 'server'): number =>
      [...touched].filter(([e, s]) => s === side && !e.alive).length;

    const crmNewEvent = (
      db: CrmDatabase,
      ownerId: number,
      a: string,
      b: string,
      day: number,
      allDay = false,
    ) => {
      const start = daysFromNow(day, dice.int(6, 15));
      const crmId = insertEvent(db, {
        subject: a,
        location: b,
        allDay,
        start: allDay ? start.toISOString().slice(0, 10) : start,
        end: allDay
          ? daysFromNow(day + 1, 0)
              .toISOString()
              .slice(0, 10)
          : new Date(start.getTime() + 3_600_000),
        timeZone: 'Europe/Prague',
        ownerId,
      });
      const x: Expected = { agenda: 'events', origin: 'crm', crmId, ref: null, a, b, alive: true };
      expected.push(x);
      return x;
    };
    const crmNewPerson = (db: CrmDatabase, ownerId: number, a: string, b: string) => {
      const crmId = insertPerson(db, { firstName: 'Jan', lastName: a, jobTitle: b, ownerId });
      const x: Expected = {
        agenda: 'contacts',
        origin: 'crm',
        crmId,
        ref: null,
        a,
        b,
        alive: true,
      };
      expected.push(x);
      return x;
    };
    const phoneNew = async (agenda: Agenda, a: string, b: string, day: number) => {
      let ref: string;
      if (agenda === 'events') {
        const start = daysFromNow(day, dice.int(6, 15));
        ref = await phone.createEvent(a, b, start, new Date(start.getTime() + 3_600_000));
      } else ref = await phone.createContact(a, b);
      const x: Expected = { agenda, origin: 'server', crmId: null, ref, a, b, alive: true };
      expected.push(x);
      return x;
    };
    const phoneNewSeries = async (a: string, b: string, exception: string) => {
      const first = daysFromNow(dice.int(1, 4), dice.int(7, 12));
      const ref = await phone.createSeries!(a, b, first, exception);
      const x: Expected = {
        agenda: 'events',
        origin: 'server',
        crmId: null,
        ref,
        a,
        b,
        alive: true,
        exception,
      };
      expected.push(x);
      return x;
    };

    const editCrm = (round: number, amount: number): void =>
      withDb((db, ownerId) => {
        for (let n = 0; n < amount; n++) {
          const agenda: Agenda = dice.chance(0.75) ? 'events' : 'contacts';
          const what = dice.int(0, 9);
          const value = mark(round);
          if (what < 6) {
            const x = dice.pick(free(agenda, 'crm'));
            if (!x) continue;
            // Found by its content, so before the content changes.
            const id = crmRowId(x);
            if (agenda === 'events') {
              if (what < 4) x.a = `Porada ${value}`;
              else x.b = `Sál ${value}`;
              updateEvent(db, id, { subject: x.a, location: x.b });
            } else {
              x.b = `role ${value}`;
              updatePerson(db, id, { jobTitle: x.b });
            }
            touched.set(x, 'crm');
          } else if (what < 8) {
            const x =
              agenda === 'events'
                ? crmNewEvent(db, ownerId, `Nová ${value}`, `Plzeň ${value}`, dice.int(-5, 20))
                : crmNewPerson(db, ownerId, `Nový ${value}`, `asistent ${value}`);
            touched.set(x, 'crm');
            pendingCreates++;
          } else {
            if (deletesBy('crm') >= 2) continue;
            const x = dice.pick(free(agenda, 'crm'));
            if (!x) continue;
            if (agenda === 'events') deleteEvent(db, crmRowId(x));
            else deletePerson(db, crmRowId(x));
            x.alive = false;
            touched.set(x, 'crm');
          }
          pendingWrites++;
          pendingActions++;
        }
      });

    const editServer = async (round: number, amount: number): Promise<void> => {
      for (let n = 0; n < amount; n++) {
        const agenda: Agenda = dice.chance(0.75) ? 'events' : 'contacts';
        const what = dice.int(0, 9);
        const value = mark(round);
        if (what < 6) {
          const x = dice.pick(free(agenda, 'server'));
          const ref = x && (await serverRefOf(x));
          if (!x || !ref) continue;
          if (agenda === 'events' && what < 4) {
            x.a = `Hovor ${value}`;
            await phone.setA(agenda, ref, x.a);
          } else {
            x.b = agenda === 'events' ? `Kavárna ${value}` : `vedoucí ${value}`;
            await phone.setB(agenda, ref, x.b);
          }
          touched.set(x, 'server');
        } else if (what < 8) {
          const x =
            agenda === 'contacts'
              ? await phoneNew(agenda, `Telefon ${value}`, `technik ${value}`, 0)
              : what === 7 && phone.createSeries && dice.chance(0.5)
                ? await phoneNewSeries(`Série ${value}`, `Online ${value}`, `Výjimka ${value}`)
                : await phoneNew(agenda, `Hovor ${value}`, `Ostrava ${value}`, dice.int(-5, 20));
          touched.set(x, 'server');
        } else {
          if (deletesBy('server') >= 2) continue;
          const x = dice.pick(free(agenda, 'server'));
          const ref = x && (await serverRefOf(x));
          if (!x || !ref) continue;
          await phone.remove(ref);
          x.alive = false;
          touched.set(x, 'server');
        }
        pendingActions++;
      }
    };

    // ---- kill points ----

    /** Observed on the last run that went to completion: guides for the next kill point. */
    let lastReads = 10;
    let lastDurationMs = 3000;

    const chooseTrigger = (): KillTrigger => {
      const writes = Math.max(1, pendingWrites);
      const roll = dice.next();
      if (roll < 0.13) return { at: 'delay', ms: dice.int(0, Math.round(lastDurationMs * 1.1)) };
      if (roll < 0.28 || pendingWrites === 0) {
        if (pendingActions > 0 && dice.chance(0.5))
          return { at: 'journal', n: dice.int(1, pendingActions) };
        return { at: 'arrived', kind: 'read', n: dice.int(1, lastReads) };
      }
      if (roll < 0.45) return { at: 'journal', n: dice.int(1, Math.max(1, pendingActions)) };
      if (roll < 0.62) return { at: 'arrived', kind: 'write', n: dice.int(1, writes) };
      if (roll < 0.82 || pendingCreates === 0)
        return { at: 'answer-lost', kind: 'write', n: dice.int(1, writes) };
      return { at: 'answer-lost', kind: 'write', creates: true, n: dice.int(1, pendingCreates) };
    };

    const kills: KillRecord[] = [];
    const run = (trigger: KillTrigger | null) => runAndKill({ ...inst, trigger });
    /** A run left to finish; the one after the kills also guides the next kill points. */
    const complete = async (what: string, guide = false): Promise<CrashRunResult> => {
      const t0 = Date.now();
      const res = await run(null);
      expect(res.exitCode, `${what}: ${res.stdout}${res.stderr}`).toBe(0);
      if (guide) {
        lastDurationMs = Date.now() - t0;
        lastReads = Math.max(4, res.calls.filter((c) => c.kind === 'read').length);
      }
      return res;
    };
    /** Where the kills landed: printed at the end, also when a check failed. */
    const report = (): string => {
      const byPhase = new Map<string, number>();
      for (const k of kills) byPhase.set(k.phase, (byPhase.get(k.phase) ?? 0) + 1);
      const secs = Math.round((Date.now() - started) / 1000);
      return [
        `${name}: ${kills.filter((k) => k.result.killed).length} kills of ${kills.length} tries in ${scale.rounds} rounds, ${secs} s (seed ${seed})`,
        ...[...byPhase].map(([phase, n]) => `  ${n} ${phase}`),
        ...kills.map(
          (k) =>
            `  round ${k.round}: ${describeTrigger(k.trigger)} -> ${k.phase}; ` +
            `${k.result.calls.length} calls (${k.result.calls.map((c) => c.name).join(' ')}), ` +
            `${k.result.journal.length} journaled` +
            (k.followUp ? `; then that item ${k.followUp}` : ''),
        ),
      ].join('\n');
    };
    const counts = (res: CrashRunResult): number[] => {
      const summary = JSON.parse(res.stdout) as {
        agendas: {
          crm: Record<string, number>;
          server: Record<string, number>;
          failed: unknown[];
        }[];
      };
      return summary.agendas.flatMap((a) => [
        ...Object.values(a.crm),
        ...Object.values(a.server),
        a.failed.length,
      ]);
    };
    const integrity = (): string =>
      withDb((db) => db.prepare<[], string>('PRAGMA integrity_check').pluck().get() ?? '');

    /** The item whose write the server carried out while the command never heard back. */
    const lostWrite = async (result: CrashRunResult): Promise<Expected | undefined> => {
      const last = result.calls.at(-1);
      if (!last || last.kind !== 'write' || last.outcome !== 'answer lost') return undefined;
      const ref = await phone.itemOf?.(last);
      if (!ref) return undefined;
      for (const agenda of ['events', 'contacts'] as const) {
        const item = (await phone.items(agenda)).find((o) => o.ref === ref);
        if (!item) continue;
        return expected.find(
          (x) =>
            x.agenda === agenda &&
            x.alive &&
            (x.origin === 'crm' ? item.stamp === stampOf(agenda, x.crmId ?? 0) : x.ref === ref),
        );
      }
      return undefined;
    };

    /** The CRM user deletes or edits the item whose write was cut off, before the next run. */
    const followUp = (round: number, x: Expected): string =>
      withDb((db) => {
        const row = crmItems(x.agenda).find((r) =>
          x.origin === 'crm' ? r.id === x.crmId : r.a === x.a,
        );
        if (row === undefined) return 'none (not in the CRM yet)';
        touched.set(x, 'crm');
        pendingWrites++;
        pendingActions++;
        if (deletesBy('crm') < 2 && dice.chance(0.5)) {
          if (x.agenda === 'events') deleteEvent(db, row.id);
          else deletePerson(db, row.id);
          x.alive = false;
          return 'deleted in the CRM';
        }
        if (x.agenda === 'events') {
          x.a = `Změna ${mark(round)}`;
          updateEvent(db, row.id, { subject: x.a });
        } else {
          x.b = `změna ${mark(round)}`;
          updatePerson(db, row.id, { jobTitle: x.b });
        }
        return 'edited in the CRM';
      });

    // ---- the starting point: both sides have items of their own ----

    withDb((db, ownerId) => {
      for (let i = 0; i < scale.crmEvents; i++)
        crmNewEvent(db, ownerId, `Schůzka C${i}`, `Praha ${i}`, dice.int(-10, 25), i % 9 === 0);
      for (let i = 0; i < scale.crmPersons; i++)
        crmNewPerson(db, ownerId, `Kontakt C${i}`, `obchodník ${i}`);
    });
    for (let i = 0; i < scale.serverEvents; i++)
      await phoneNew('events', `Telefon S${i}`, `Brno ${i}`, dice.int(-10, 25));
    for (let i = 0; i < scale.serverCards; i++)
      await phoneNew('contacts', `Kontakt S${i}`, `technik ${i}`, 0);
    if (phone.createSeries)
      await phoneNewSeries('Týdenní porada', 'Zasedačka', 'Týdenní porada (přesunuto)');

    // ---- the rounds ----

    try {
      for (let round = 0; round < scale.rounds; round++) {
        touched = new Map();
        if (round === 0) {
          pendingWrites = scale.crmEvents + scale.crmPersons;
          pendingCreates = pendingWrites;
          pendingActions = expected.length;
        } else {
          pendingWrites = 0;
          pendingCreates = 0;
          pendingActions = 0;
          editCrm(round, dice.int(2, 5));
          await editServer(round, dice.int(1, 4));
          // A series is edited on the phone once and in the CRM once in every run of the suite.
          const series = expected.find((x) => x.alive && x.exception !== undefined);
          if (series && !touched.has(series) && (round === 2 || round === 4)) {
            const value = mark(round);
            if (round === 2) {
              const id = crmRowId(series);
              series.b = `Sál ${value}`;
              withDb((db) => updateEvent(db, id, { location: series.b }));
              touched.set(series, 'crm');
              pendingWrites++;
            } else {
              const ref = await serverRefOf(series);
              series.a = `Série ${value}`;
              await phone.setA('events', ref!, series.a);
              touched.set(series, 'server');
            }
            pendingActions++;
          }
        }
        const killCount = round === 0 ? 2 : dice.chance(0.3) ? 2 : 1;
        for (let k = 0; k < killCount; k++) {
          if (k > 0 && round > 0 && dice.chance(0.5)) {
            // More edits on top of the half-done state the kill left.
            editCrm(round, 1);
            await editServer(round, 1);
          }
          // The first kill of every run of the suite: a creation stored, its answer lost.
          const trigger: KillTrigger =
            round === 0 && k === 0
              ? { at: 'answer-lost', kind: 'write', creates: true, n: dice.int(1, 6) }
              : chooseTrigger();
          const result = await run(trigger);
          const writes = result.calls.filter((c) => c.kind === 'write');
          const last = result.calls.at(-1);
          const answerLost =
            result.killed && last?.kind === 'write' && last.outcome === 'answer lost';
          const record: KillRecord = {
            round,
            trigger,
            result,
            phase: !result.killed
              ? 'completed before the kill'
              : result.runStatus !== null && result.runStatus !== 'running'
                ? 'after the run was recorded as finished'
                : result.calls.length === 0
                  ? 'before the first call'
                  : writes.length + result.journal.length === 0
                    ? 'while reading, before any write'
                    : answerLost
                      ? LOST_ANSWER
                      : 'during writes',
          };
          kills.push(record);
          if (!result.killed) expect(result.exitCode, result.stdout + result.stderr).toBe(0);
          const carriedOut = writes.filter((c) => c.outcome !== 'not carried out');
          pendingWrites = Math.max(0, pendingWrites - carriedOut.length);
          pendingCreates = Math.max(0, pendingCreates - carriedOut.filter((c) => c.creates).length);
          pendingActions = Math.max(0, pendingActions - result.journal.length);
          expect(integrity(), `round ${round}: database after the kill`).toBe('ok');
          if (answerLost && dice.chance(0.6)) {
            const x = await lostWrite(result);
            if (x && touched.get(x) !== 'server') record.followUp = followUp(round, x);
          }
        }

        const recovery = await complete(`round ${round}: the run after the kill`, true);
        const lastKill = kills.at(-1);
        if (lastKill?.phase === 'during writes' && counts(recovery).every((n) => n === 0))
          lastKill.phase = 'after the last write';
        expect(await problemsOf(), `round ${round} (seed ${seed})`).toEqual([]);
        // The idle run needs no kill: it runs in this process, on the same files and wire.
        const idle = await inst.runHere();
        expect(idle.summary.status, `round ${round}: the idle run`).toBe('ok');
        expect(idle.journal, `round ${round}: the idle run has nothing to do`).toEqual([]);
        expect(
          idle.calls.filter((c) => c.kind === 'write'),
          `round ${round}: the idle run writes nothing`,
        ).toEqual([]);
      }

      expect(integrity()).toBe('ok');
      const final = await complete('final run');
      expect(final.journal, final.stdout).toEqual([]);
      expect(await problemsOf()).toEqual([]);
    } finally {
      console.log(report());
    }
    expect(kills.filter((k) => k.result.killed).length).toBeGreaterThanOrEqual(scale.minKills);
    // At least one creation was stored by the server and its answer lost.
    expect(
      kills.some((k) => k.phase === LOST_ANSWER && k.result.calls.at(-1)?.creates === true),
    ).toBe(true);
    // A limit for a hang, not for speed: dozens of CLI processes, each starting Node, took
    // over 240 s beside two CPU hogs on this 2-core machine.
  }, 900_000);
});
