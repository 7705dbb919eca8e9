/**
 * The benchmark's floor (bench/minimal-client.ts) must read every item with its data, on
 * each server, or `--compare` would compare crm-sync with a client that skips the work.
 * Xandikos leaves calendar-data out of sync-collection answers: the floor then needs one
 * more REPORT, and only one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startCountingProxy } from '../../bench/counting-proxy.ts';
import type { CountingProxy } from '../../bench/counting-proxy.ts';
import { closeMinimalClient, syncCollection } from '../../bench/minimal-client.ts';
import type { MinimalState } from '../../bench/minimal-client.ts';
import { forEachDavServer } from '../support/dav-servers.ts';

function event(i: number, summary = `Schůzka ${i}`): { name: string; data: string } {
  return {
    name: `e${i}.ics`,
    data: [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//CRM Sync test//EN',
      'BEGIN:VEVENT',
      `UID:bench-floor-${i}`,
      'DTSTAMP:20260101T000000Z',
      'DTSTART:20260105T090000Z',
      'DTEND:20260105T100000Z',
      `SUMMARY:${summary}`,
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n'),
  };
}

describe('the benchmark floor (bench/minimal-client.ts)', () => {
  let proxy: CountingProxy | undefined;
  afterEach(async () => {
    closeMinimalClient();
    await proxy?.stop();
    proxy = undefined;
  });

  forEachDavServer((server) => {
    it('reads every item with its data, then only what changed, in the fewest REPORTs', async () => {
      const s = server();
      const url = await s.createCalendar('floor', ['VEVENT']);
      // More than the count from which a query for everything replaces a multiget.
      await s.seedObjects(
        url,
        Array.from({ length: 30 }, (_, i) => event(i)),
      );
      proxy = await startCountingProxy(s.url);
      const conn = { user: s.user, password: s.password };
      const state: MinimalState = { token: '', items: {} };
      // Xandikos answers sync-collection without the data: one query for it follows.
      const extra = s.kind === 'xandikos' ? 1 : 0;

      const first = await syncCollection(conn, proxy.via(url), 'calendar', state);
      expect(first.received).toBe(30);
      expect(
        Object.values(state.items)
          .map(([, uid]) => uid)
          .sort(),
      ).toEqual(Array.from({ length: 30 }, (_, i) => `bench-floor-${i}`).sort());
      expect(proxy.take().byMethod).toEqual({ REPORT: 1 + extra });

      const edited = event(7, 'Upraveno');
      const res = await s.request('PUT', `${url}${edited.name}`, edited.data, {
        'content-type': 'text/calendar; charset=utf-8',
      });
      await res.arrayBuffer();
      expect(res.status).toBeLessThan(300);
      proxy.take();

      const next = await syncCollection(conn, proxy.via(url), 'calendar', state);
      expect(next).toEqual({ received: 1, removed: 0, written: 0 });
      expect(proxy.take().byMethod).toEqual({ REPORT: 1 + extra });
    });
  });
});
