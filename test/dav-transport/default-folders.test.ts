/**
 * Which calendars are used when none is configured. Neither Radicale nor Xandikos names a
 * default calendar (RFC 6638 schedule-default-calendar-URL), so a small fake server that
 * does plays the server: it lists calendars in an order where the first is not the default,
 * and keeps a real task list beside calendars that also accept tasks.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createDavConnector } from '../../src/core/servers/dav/dav-connector.ts';
import { isDefaultFor } from '../../src/core/servers/connector.ts';
import type { ServerFolder } from '../../src/core/servers/connector.ts';
import { foldersFor } from '../../src/core/sync/engine.ts';
import { defaultSettings } from '../../src/shared/settings/schema.ts';
import { startFakeServer } from './fake-servers.ts';
import type { FakeServer } from './fake-servers.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

const NS =
  'xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:card="urn:ietf:params:xml:ns:carddav"';

function response(href: string, props: string): string {
  return (
    `<d:response><d:href>${href}</d:href><d:propstat><d:prop>${props}</d:prop>` +
    `<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`
  );
}

function calendar(href: string, name: string, components: string[]): string {
  const comps = components.map((c) => `<c:comp name="${c}"/>`).join('');
  return response(
    href,
    `<d:resourcetype><d:collection/><c:calendar/></d:resourcetype><d:displayname>${name}</d:displayname>` +
      `<c:supported-calendar-component-set>${comps}</c:supported-calendar-component-set>`,
  );
}

interface FakeOptions {
  /** What the scheduling inbox names as the default calendar (none: no scheduling). */
  defaultCalendar?: string;
  calendars: string[];
}

/** A CalDAV/CardDAV server with one principal, its homes, its inbox and the given calendars. */
async function fakeServer(options: FakeOptions): Promise<FakeServer> {
  const server = await startFakeServer(
    (req: IncomingMessage, res: ServerResponse, body: string) => {
      const path = req.url ?? '/';
      const reply = (inner: string) => {
        res.writeHead(207, { 'content-type': 'application/xml; charset=utf-8' });
        res.end(`<?xml version="1.0"?><d:multistatus ${NS}>${inner}</d:multistatus>`);
      };
      if (req.method !== 'PROPFIND' || path.startsWith('/.well-known/')) {
        res.writeHead(404).end();
      } else if (path === '/cal/' && req.headers['depth'] === '1') {
        reply(
          response('/cal/', '<d:resourcetype><d:collection/></d:resourcetype>') +
            options.calendars.join(''),
        );
      } else if (path === '/card/' && req.headers['depth'] === '1') {
        reply(
          response('/card/', '<d:resourcetype><d:collection/></d:resourcetype>') +
            response(
              '/card/kontakty/',
              '<d:resourcetype><d:collection/><card:addressbook/></d:resourcetype><d:displayname>Kontakty</d:displayname>',
            ),
        );
      } else if (body.includes('schedule-default-calendar-URL')) {
        reply(
          options.defaultCalendar === undefined
            ? response(path, '')
            : response(
                path,
                `<c:schedule-default-calendar-URL><d:href>${options.defaultCalendar}</d:href></c:schedule-default-calendar-URL>`,
              ),
        );
      } else if (body.includes('schedule-inbox-URL')) {
        reply(
          response(path, '<c:schedule-inbox-URL><d:href>/inbox/</d:href></c:schedule-inbox-URL>'),
        );
      } else if (body.includes('calendar-home-set')) {
        reply(response(path, '<c:calendar-home-set><d:href>/cal/</d:href></c:calendar-home-set>'));
      } else if (body.includes('addressbook-home-set')) {
        reply(
          response(
            path,
            '<card:addressbook-home-set><d:href>/card/</d:href></card:addressbook-home-set>',
          ),
        );
      } else if (body.includes('current-user-principal')) {
        reply(
          response(
            path,
            '<d:current-user-principal><d:href>/principals/alice/</d:href></d:current-user-principal>',
          ),
        );
      } else {
        reply(response(path, ''));
      }
    },
  );
  cleanups.push(() => server.close());
  return server;
}

async function listFolders(server: FakeServer): Promise<ServerFolder[]> {
  const connector = createDavConnector({
    url: `${server.url}dav/`,
    user: 'alice',
    password: 'secret',
    auth: 'basic',
    timeoutMs: 5000,
  });
  try {
    return await connector.listFolders();
  } finally {
    await connector.close();
  }
}

/** The folder paths a sync uses for each agenda with no folders configured. */
function used(folders: ServerFolder[]): Record<string, string[]> {
  const settings = defaultSettings();
  const out: Record<string, string[]> = {};
  for (const agenda of ['events', 'tasks', 'contacts'] as const) {
    out[agenda] = foldersFor(settings, agenda, folders).map((f) => f.path);
  }
  return out;
}

describe('default folders when none is configured', () => {
  it("events go to the server's default calendar (schedule-default-calendar-URL), not the first listed; tasks to the real task list", async () => {
    const server = await fakeServer({
      defaultCalendar: '/cal/work/',
      calendars: [
        calendar('/cal/personal/', 'Osobní', ['VEVENT', 'VTODO']),
        calendar('/cal/work/', 'Práce', ['VEVENT', 'VTODO']),
        calendar('/cal/todo/', 'Úkoly', ['VTODO']),
      ],
    });
    const folders = await listFolders(server);

    expect(used(folders)).toEqual({ events: ['Práce'], tasks: ['Úkoly'], contacts: ['Kontakty'] });
    const work = folders.find((f) => f.path === 'Práce')!;
    expect(isDefaultFor(work, 'events')).toBe(true);
    // It accepts tasks too, but the task list is the tasks default.
    expect(isDefaultFor(work, 'tasks')).toBe(false);
    expect(folders.find((f) => f.path === 'Osobní')!.isDefault).toBe(false);
  });

  it('without a named default: the first calendar for events, still the task list for tasks', async () => {
    const server = await fakeServer({
      calendars: [
        calendar('/cal/personal/', 'Osobní', ['VEVENT', 'VTODO']),
        calendar('/cal/todo/', 'Úkoly', ['VTODO']),
      ],
    });
    expect(used(await listFolders(server))).toEqual({
      events: ['Osobní'],
      tasks: ['Úkoly'],
      contacts: ['Kontakty'],
    });
  });

  it('without a task list, tasks stay in the default calendar', async () => {
    const server = await fakeServer({
      defaultCalendar: '/cal/work/',
      calendars: [
        calendar('/cal/personal/', 'Osobní', ['VEVENT', 'VTODO']),
        calendar('/cal/work/', 'Práce', ['VEVENT', 'VTODO']),
      ],
    });
    expect(used(await listFolders(server))).toMatchObject({ events: ['Práce'], tasks: ['Práce'] });
  });
});
