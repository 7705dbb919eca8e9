/**
 * The category merge (categories.ts), the record kept on the pairing row, and whose mailbox
 * organises an exported meeting (organizer.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCrmDatabase } from '../../src/core/crm/database.ts';
import { defaultSettings } from '../../src/shared/settings/schema.ts';
import type { Settings } from '../../src/shared/settings/schema.ts';
import { MemorySecretStore } from '../../src/core/secrets/memory-secret-store.ts';
import { createConnector } from '../../src/core/servers/create-connector.ts';
import {
  contactCategoriesFor,
  importRecordFor,
  landedRecord,
  schemeOf,
  serverCategoriesFor,
} from '../../src/core/sync/categories.ts';
import type { CategoryRules } from '../../src/core/sync/rules.ts';
import { ownMailbox } from '../../src/core/sync/organizer.ts';
import { loadPairings, savePairing } from '../../src/core/sync/state.ts';

const all: CategoryRules = { mode: 'all', defaultCategory: 'Import', pairs: [] };
const paired: CategoryRules = {
  mode: 'paired',
  defaultCategory: '',
  pairs: [
    { crm: 'HOTLINE', server: 'Hotline' },
    { crm: 'INSTALACE', server: 'Instalace' },
    { crm: 'REGISTRACE', server: 'Registrace' },
  ],
};

describe('a server write merges categories', () => {
  it('"all": the import default never goes, the server’s own categories stay', () => {
    const record = importRecordFor(all, ['Hotline'], 'Import')!;
    expect(record).toEqual({ server: [], crmOnly: 'Import' });
    const first = serverCategoriesFor(schemeOf(all), ['Import'], ['Hotline'], record);
    expect(first.categories).toEqual(['Hotline']);
    // The user picks a category in the CRM: added beside the server's, and recorded.
    const second = serverCategoriesFor(schemeOf(all), ['HOTLINE'], ['Hotline'], first.record);
    expect(second.categories).toEqual(['Hotline']);
    expect(second.record).toEqual({ server: [], crmOnly: null });
    const third = serverCategoriesFor(schemeOf(all), ['Porada'], ['Hotline'], second.record);
    expect(third.categories).toEqual(['Hotline', 'Porada']);
    expect(third.record.server).toEqual(['Porada']);
    // Only what the sync set goes when the CRM's category goes.
    const fourth = serverCategoriesFor(
      schemeOf(all),
      [],
      ['Hotline', 'Porada', 'porada2'],
      third.record,
    );
    expect(fourth.categories).toEqual(['Hotline', 'porada2']);
  });

  it('"all" without a record (an older pairing, or found again): owns nothing it does not send', () => {
    // The default the server lacks is taken for the import's; the server's stay.
    const legacy = serverCategoriesFor(schemeOf(all), ['Import'], ['Hotline', 'Osobní'], null);
    expect(legacy.categories).toEqual(['Hotline', 'Osobní']);
    expect(legacy.record).toEqual({ server: [], crmOnly: 'Import' });
    // A new server item: the CRM's category, whatever it is, goes.
    expect(serverCategoriesFor(schemeOf(all), ['Import'], null, null).categories).toEqual([
      'Import',
    ]);
  });

  it('"paired": the linked category is replaced, unpaired and unlinked ones stay', () => {
    const record = importRecordFor(paired, ['Instalace', 'Osobní', 'Registrace'], 'INSTALACE')!;
    expect(record).toEqual({ server: ['Instalace'], crmOnly: null });
    const out = serverCategoriesFor(
      schemeOf(paired),
      ['HOTLINE'],
      ['Instalace', 'Osobní', 'Registrace'],
      record,
    );
    expect(out.categories).toEqual(['Hotline', 'Osobní', 'Registrace']);
    expect(out.record.server).toEqual(['Hotline']);
  });

  it('a write whose answer was lost: what it sent is recorded as the sync’s', () => {
    const before = { server: [], crmOnly: null };
    // The last run sent Porada beside the server's Hotline, then died before recording it.
    const record = landedRecord(schemeOf(all), ['Porada'], ['Hotline', 'Porada'], before);
    expect(record).toEqual({ server: ['Porada'], crmOnly: null });
    expect(
      serverCategoriesFor(schemeOf(all), [], ['Hotline', 'Porada'], record).categories,
    ).toEqual(['Hotline']);
  });

  it('contacts: every CRM category goes under its name; the server’s others stay', () => {
    const scheme = schemeOf(null);
    const record = { server: ['VIP', 'zákazník'], crmOnly: null };
    const out = serverCategoriesFor(scheme, ['Zákazník'], ['Přátelé', 'VIP', 'zákazník'], record);
    expect(out.categories).toEqual(['Přátelé', 'zákazník']);
    // Without a record nothing the CRM lacks is taken off.
    expect(
      serverCategoriesFor(scheme, [], ['Přátelé', 'VIP', 'zákazník'], null).categories,
    ).toEqual(['Přátelé', 'VIP', 'zákazník']);
  });
});

describe('a contact import', () => {
  const known = ['VIP', 'Zákazník', 'Dodavatel'];

  it('takes the categories the CRM knows, in its spelling; a new person gets only those', () => {
    const out = contactCategoriesFor(['Přátelé', 'vip', 'zákazník'], null, null, known);
    expect(out.crm).toEqual(['VIP', 'Zákazník']);
    expect(out.record.server).toEqual(['vip', 'zákazník']);
  });

  it('drops a linked category the server dropped, keeps CRM categories it never showed', () => {
    const record = { server: ['VIP', 'Zákazník'], crmOnly: null };
    const out = contactCategoriesFor(['Zákazník'], ['Dodavatel', 'VIP', 'Zákazník'], record, known);
    expect(out.crm).toEqual(['Dodavatel', 'Zákazník']);
    // No record (older pairing): nothing is taken from the CRM.
    expect(contactCategoriesFor(['Zákazník'], ['VIP'], null, known).crm).toEqual([
      'VIP',
      'Zákazník',
    ]);
  });
});

describe('the pairing row', () => {
  it('keeps the category record, also through a save that does not mention it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-sync-cat-'));
    const db = openCrmDatabase(path.join(dir, 'crm.sqlite'), { create: true });
    try {
      const base = {
        crmId: 7,
        serverId: 'a.ics',
        uid: 'u',
        crmHash: 'c',
        serverHash: 's',
        serverVersion: 'v',
      };
      savePairing(db, 'scope', { ...base, categories: { server: ['Porada'], crmOnly: 'Import' } });
      savePairing(db, 'scope', { ...base, serverVersion: 'v2' });
      expect(loadPairings(db, 'scope')).toMatchObject([
        { serverVersion: 'v2', categories: { server: ['Porada'], crmOnly: 'Import' } },
      ]);
      savePairing(db, 'scope', { ...base, categories: null });
      expect(loadPairings(db, 'scope')[0]!.categories).toBeNull();
    } finally {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the organizer of an exported meeting', () => {
  const user = { displayName: 'Pavel Bartoš', email: 'PBartos@Firma.cz' };
  /** The addresses the connector the settings make says its mailbox is known by. */
  const addresses = async (s: Settings) => {
    const connector = await createConnector(s, new MemorySecretStore());
    try {
      return connector.ownAddresses ?? [];
    } finally {
      await connector.close();
    }
  };

  it('is the CRM user’s e-mail first', async () => {
    const s = defaultSettings();
    s.connection.kind = 'dav';
    s.connection.dav.url = 'https://dav.example.com/';
    s.connection.dav.user = 'pavel@jinde.cz';
    expect(ownMailbox(await addresses(s), user)).toEqual({
      email: 'pbartos@firma.cz',
      name: 'Pavel Bartoš',
    });
  });

  it('else the mailbox the connection opens, when it is an address', async () => {
    const s = defaultSettings();
    s.connection.kind = 'dav';
    s.connection.dav.url = 'https://dav.example.com/';
    s.connection.dav.user = 'pavel@jinde.cz';
    const noMail = { ...user, email: null };
    expect(ownMailbox(await addresses(s), noMail)?.email).toBe('pavel@jinde.cz');
    s.connection.dav.user = 'pavel';
    expect(ownMailbox(await addresses(s), noMail)).toBeNull();
    s.connection.kind = 'exchange';
    s.connection.exchange.email = 'pbartos@firma.cz';
    expect(ownMailbox(await addresses(s), noMail)?.email).toBe('pbartos@firma.cz');
    s.connection.exchange.mailboxMode = 'impersonation';
    s.connection.exchange.mailbox = 'jana@firma.cz';
    expect(ownMailbox(await addresses(s), noMail)?.email).toBe('jana@firma.cz');
  });
});
