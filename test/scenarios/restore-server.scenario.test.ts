/**
 * A server that was emptied (or replaced) after a sync, with the real `crm-sync` against a
 * real Radicale: the guard refuses and names both ways out; --restore-server puts the
 * CRM's items back on the server, paired anew, and deletes nothing in the CRM. Not in the
 * conformance suite: it tests the command's choices and wording; the guard itself runs on
 * every server in test/conformance/events.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crmSync, expectIdleSync, initDemoOnDav, tempDir } from '../support/cli.ts';
import { startRadicale } from '../support/dav-servers.ts';
import type { DavTestServer } from '../support/dav-servers.ts';

let server: DavTestServer;
let dir: string;
let config: string;
let calendarUrl: string;

beforeAll(async () => {
  server = await startRadicale();
  calendarUrl = await server.createCalendar('kalendar', ['VEVENT']);
  dir = tempDir();
  config = path.join(dir, 'demo.json');
}, 120_000);

afterAll(async () => {
  await server?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** The hrefs of the calendar's objects, as the server lists them. */
async function objectHrefs(): Promise<string[]> {
  const res = await server.request(
    'PROPFIND',
    calendarUrl,
    '<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>',
    { Depth: '1', 'Content-Type': 'application/xml' },
  );
  const body = await res.text();
  const hrefs = [...body.matchAll(/<(?:\w+:)?href>([^<]+)<\/(?:\w+:)?href>/g)].map((m) => m[1]!);
  return hrefs.filter((h) => h.endsWith('.ics'));
}

function crmCounts(): { events: number; trash: number } {
  const db = new Database(path.join(dir, 'crm.sqlite'), { readonly: true });
  try {
    const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return {
      events: n('SELECT count(*) AS n FROM events'),
      trash: n('SELECT count(*) AS n FROM sync_trash'),
    };
  } finally {
    db.close();
  }
}

describe('the server was emptied or replaced after a sync (Radicale)', () => {
  it('refuses naming both choices; --restore-server puts the CRM items back, deleting nothing', async () => {
    const init = initDemoOnDav(config, server, 'events');
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(crmSync(['sync', '--config', config]).code).toBe(0);
    const synced = await objectHrefs();
    expect(synced.length).toBeGreaterThan(5);
    const before = crmCounts();

    // Someone empties the calendar on the server.
    for (const href of synced) {
      const res = await server.request('DELETE', new URL(href, calendarUrl).href);
      expect(res.ok).toBe(true);
    }
    expect(await objectHrefs()).toEqual([]);

    const refused = crmSync(['sync', '--config', config]);
    expect(refused.code, refused.stdout + refused.stderr).toBe(7);
    expect(refused.stdout + refused.stderr).toContain('--restore-server');
    expect(refused.stdout + refused.stderr).toContain('--force-deletes');
    expect(crmCounts()).toEqual(before);

    const restored = crmSync(['sync', '--restore-server', '--config', config]);
    expect(restored.stderr).toBe('');
    expect(restored.code, restored.stdout).toBe(0);
    expect((await objectHrefs()).length).toBe(synced.length);
    // Nothing was deleted in the CRM, nothing went to the trash.
    expect(crmCounts()).toEqual(before);

    const journal = crmSync(['log', '--run', '3', '--config', config]);
    expect(journal.stdout).toMatch(/events create-server ".+" done: gone from the server/);

    // Paired anew: the next run has nothing to do.
    expectIdleSync(config);
  }, 300_000);

  it('a calendar replaced by a new, empty one at the same address: the same two choices', async () => {
    // Runs after the test above: the CRM and the calendar are in step.
    const before = crmCounts();
    const count = (await objectHrefs()).length;
    expect(count).toBeGreaterThan(5);
    expect((await server.request('DELETE', calendarUrl)).ok).toBe(true);
    expect(await server.createCalendar('kalendar', ['VEVENT'])).toBe(calendarUrl);
    expect(await objectHrefs()).toEqual([]);

    const refused = crmSync(['sync', '--config', config]);
    expect(refused.code, refused.stdout + refused.stderr).toBe(7);
    expect(refused.stdout + refused.stderr).toContain('--restore-server');
    expect(refused.stdout + refused.stderr).toContain('--force-deletes');
    expect(crmCounts()).toEqual(before);

    const restored = crmSync(['sync', '--restore-server', '--config', config]);
    expect(restored.code, restored.stdout + restored.stderr).toBe(0);
    expect((await objectHrefs()).length).toBe(count);
    expect(crmCounts()).toEqual(before);
  }, 300_000);
});
