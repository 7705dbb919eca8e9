/**
 * Items a filter keeps out of the sync (private, outside the days) are counted in the run
 * summary by reason, and journaled with that reason when they first appear and whenever
 * they change, not on every run: `crm-sync log --find` says why an item was not
 * synchronised. Against a real Radicale. Not in the conformance suite: it tests the
 * summary, the journal and the command, which are the same on every server; the filters
 * themselves run on every server in test/conformance/events.test.ts.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertEvent, updateEvent } from '../../src/core/crm/events.ts';
import { saveSettings } from '../../src/core/settings/file.ts';
import { readJournal } from '../../src/core/sync/journal.ts';
import type { RunSummary } from '../../src/core/sync/summary.ts';
import { renderSummary } from '../../src/cli/render-summary.ts';
import { startRadicale } from '../support/dav-servers.ts';
import type { DavTestServer } from '../support/dav-servers.ts';
import { crmSync } from '../support/cli.ts';
import { installDav } from '../support/dav-installation.ts';
import type { DavInstallation } from '../support/dav-installation.ts';
import { NOW, daysFromNow, icsUtc } from '../support/times.ts';

/** Servers, runs and a CLI process on a busy machine. */
const SLOW = 240_000;

function vevent(uid: string, lines: string[]): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Test phone//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    `DTSTAMP:${icsUtc(daysFromNow(-1))}`,
    ...lines,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

function eventsOf(summary: RunSummary) {
  const events = summary.agendas.find((a) => a.agenda === 'events');
  if (!events) throw new Error('no events agenda in the summary');
  return events;
}

function journaled(inst: DavInstallation, label: string) {
  return readJournal(inst.db, { text: label }).filter((e) => e.label === label);
}

describe('skipped items', () => {
  let server: DavTestServer;
  beforeAll(async () => {
    server = await startRadicale();
  }, SLOW);
  afterAll(async () => {
    await server?.stop();
  });

  it(
    'are counted by reason on every run, journaled when new or changed, and found by log --find',
    async () => {
      const i = await installDav(server, (s) => {
        s.agendas.events.skipPrivate = true;
        s.agendas.tasks.enabled = false;
        s.agendas.contacts.enabled = false;
      });
      try {
        const at = (days: number, hour = 9) => ({
          allDay: false,
          start: daysFromNow(days, hour),
          end: daysFromNow(days, hour + 1),
          ownerId: i.ownerId,
        });
        const secret = insertEvent(i.db, {
          subject: 'Soukromá schůzka',
          isPrivate: true,
          ...at(1),
        });
        insertEvent(i.db, { subject: 'Daleko v budoucnu', ...at(60) });
        insertEvent(i.db, { subject: 'Blízko', ...at(1) });
        for (const [uid, lines] of [
          [
            'private-1@phone',
            [`DTSTART:${icsUtc(daysFromNow(2))}`, 'SUMMARY:Soukromé na serveru', 'CLASS:PRIVATE'],
          ],
          ['old-1@phone', [`DTSTART:${icsUtc(daysFromNow(-100))}`, 'SUMMARY:Stará porada']],
        ] as const) {
          await i.phone.putObject(
            i.calendarUrl,
            null,
            vevent(uid, [
              ...lines,
              `DTEND:${icsUtc(daysFromNow(uid.startsWith('old') ? -100 : 2, 10))}`,
            ]),
            'text/calendar; charset=utf-8',
            { ifNoneMatch: '*' },
          );
        }

        const first = eventsOf(await i.sync({ now: NOW }));
        expect(first.server.created).toBe(1); // "Blízko"
        expect(first.skipped).toBe(4);
        expect(first.skippedBy).toEqual({ private: 2, 'outside-days': 2 });
        expect(
          renderSummary({ runId: 1, dryRun: false, status: 'ok', agendas: [first] }),
        ).toContain('skipped 4 (2 private, 2 outside the window)');
        for (const [label, code] of [
          ['Soukromá schůzka', 'skipped-crm-private'],
          ['Daleko v budoucnu', 'skipped-crm-outside-days'],
          ['Soukromé na serveru', 'skipped-server-private'],
          ['Stará porada', 'skipped-server-outside-days'],
        ] as const) {
          const entries = journaled(i, label);
          expect(
            entries.map((e) => [e.action, e.outcome, e.reasonCode]),
            label,
          ).toEqual([['skip', 'skipped', code]]);
          expect(entries[0]?.reason, label).toMatch(/: not synchronised$/);
        }

        // Nothing changed: counted again, not journaled again.
        const second = eventsOf(await i.sync({ now: NOW }));
        expect(second.skippedBy).toEqual({ private: 2, 'outside-days': 2 });
        for (const label of [
          'Soukromá schůzka',
          'Daleko v budoucnu',
          'Soukromé na serveru',
          'Stará porada',
        ]) {
          expect(journaled(i, label), label).toHaveLength(1);
        }

        // Changed, still private: journaled again, so the latest entry tells the current state.
        updateEvent(i.db, secret, { location: 'Kancelář' });
        await i.sync({ now: NOW });
        expect(journaled(i, 'Soukromá schůzka')).toHaveLength(2);
        expect(journaled(i, 'Daleko v budoucnu')).toHaveLength(1);

        // The user asks why: crm-sync log --find names the item and the reason.
        const config = path.join(i.dir, 'settings.json');
        saveSettings(config, i.settings);
        const log = crmSync(['log', '--find', 'Stará porada', '--config', config]);
        expect(log.stderr).toBe('');
        expect(log.code).toBe(0);
        expect(log.stdout).toContain('Stará porada');
        expect(log.stdout).toContain('is outside the synchronised days: not synchronised');
      } finally {
        await i.close();
      }
    },
    SLOW,
  );
});
