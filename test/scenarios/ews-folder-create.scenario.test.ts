/**
 * `crm-sync folders create` on Exchange, by the real command against the fake Exchange:
 * a calendar of its own for the CRM is made in the mailbox (CreateFolder), chosen in the
 * settings, and the next `crm-sync sync` writes the CRM's events there, not into the
 * default calendar. Not in the conformance suite: the command end to end, with
 * Exchange's own folder request; a DAV server's is in folder-setup.scenario.test.ts.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { crmSyncAsync } from '../support/cli.ts';
import { insertEvent } from '../../src/core/crm/events.ts';
import { createConnector } from '../../src/core/servers/create-connector.ts';
import { saveSettings } from '../../src/core/settings/index.ts';
import { USER, perTestInstallation } from '../support/ews-installation.ts';
import { daysFromNow } from '../support/times.ts';

const fresh = perTestInstallation((s) => {
  s.agendas.tasks.enabled = false;
  s.agendas.contacts.enabled = false;
});

describe('a calendar for the CRM on Exchange', () => {
  it('crm-sync folders create makes it, uses it, and the next sync writes into it', async () => {
    const i = await fresh();
    insertEvent(i.db, {
      subject: 'Schůzka do nového kalendáře',
      allDay: false,
      start: daysFromNow(1),
      end: daysFromNow(1, 10),
      ownerId: i.ownerId,
    });
    const config = path.join(i.dir, 'crm-sync.json');
    i.settings.crm.databasePath = path.join(i.dir, 'crm.sqlite');
    saveSettings(config, i.settings);
    const env = { CRM_SYNC_SERVER_PASSWORD: USER.password };

    const created = await crmSyncAsync(
      ['folders', 'create', '--agenda', 'events', '--name', 'CRM', '--json', '--config', config],
      env,
    );
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const out = JSON.parse(created.stdout);
    expect(out.created).toMatchObject({ path: 'CRM', kinds: ['events'], isDefault: false });
    expect(out.used).toBe(true);

    const sync = await crmSyncAsync(['sync', '--config', config], env);
    expect(sync.stderr).toBe('');
    expect(sync.code).toBe(0);
    expect(sync.stdout).toMatch(/events \(CRM\): CRM \+0 ~0 -0; server \+1/);
    // The event is in the new calendar, as another client reading that folder sees it.
    expect(i.calendar.items()).toHaveLength(0);
    const connector = await createConnector(i.settings, i.secrets);
    try {
      const session = await connector.openFolder(out.created, 'events');
      const listed = await session.readChanges(null, new Map());
      expect(listed.records.map((r) => r.data.kind === 'event' && r.data.subject)).toEqual([
        'Schůzka do nového kalendáře',
      ]);
    } finally {
      await connector.close();
    }
  }, 240_000);
});
