import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fieldEntries } from '../../src/core/settings/catalogue.ts';
import { getSettingValue, setSettingValue, settingKeys } from '../../src/core/settings/keys.ts';
import { defaultSettings } from '../../src/shared/settings/schema.ts';
import { configErrorOf } from './helpers.ts';

describe('settingKeys', () => {
  it('lists every leaf in schema order', () => {
    const keys = settingKeys();
    expect(keys[0]).toBe('version');
    expect(keys).toContain('crm.databasePath');
    expect(keys).toContain('connection.dav.url');
    expect(keys).toContain('agendas.tasks.exportGroups.mode');
    expect(keys).toContain('agendas.mail.attachments.allowedExtensions');
    expect(keys).not.toContain('agendas.events');
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('every key reaches a value of the default settings', () => {
    const s = defaultSettings();
    for (const key of settingKeys()) expect(getSettingValue(s, key), key).not.toBeUndefined();
  });
});

describe('getSettingValue', () => {
  it('reads fields and whole groups', () => {
    const s = defaultSettings();
    expect(getSettingValue(s, 'agendas.events.daysPast')).toBe(14);
    expect(getSettingValue(s, 'agendas.tasks.exportGroups')).toEqual({ mode: 'all', groups: [] });
  });

  it('returns a copy, not a window into the settings', () => {
    const s = defaultSettings();
    (getSettingValue(s, 'agendas.mail.folders') as string[]).push('Junk');
    expect(s.agendas.mail.folders).toEqual(['Inbox', 'Sent Items']);
  });

  it('suggests close keys for an unknown one', () => {
    const s = defaultSettings();
    expect(configErrorOf(() => getSettingValue(s, 'agendas.event.daysPast'))).toBe(
      'Unknown setting key "agendas.event.daysPast"; did you mean "agendas.events.daysPast"?',
    );
    expect(configErrorOf(() => getSettingValue(s, 'daysPast'))).toBe(
      'Unknown setting key "daysPast"; did you mean "agendas.events.daysPast" or "agendas.tasks.daysPast"?',
    );
    expect(configErrorOf(() => getSettingValue(s, 'intervalMinutes'))).toBe(
      'Unknown setting key "intervalMinutes"; did you mean "schedule.intervalMinutes"?',
    );
    expect(configErrorOf(() => getSettingValue(s, 'nonsense.key'))).toBe(
      'Unknown setting key "nonsense.key"; `crm-sync config keys` lists them all.',
    );
  });
});

describe('setSettingValue', () => {
  const s = defaultSettings();

  it('parses numbers, booleans and choices by the field type', () => {
    expect(setSettingValue(s, 'agendas.events.daysPast', ' 30 ').agendas.events.daysPast).toBe(30);
    expect(setSettingValue(s, 'guard.maxDeleteShare', '0.5').guard.maxDeleteShare).toBe(0.5);
    expect(setSettingValue(s, 'guard.maxDeleteShare', '25%').guard.maxDeleteShare).toBe(0.25);
    for (const [raw, value] of [
      ['true', true],
      ['Yes', true],
      ['1', true],
      ['on', true],
      ['false', false],
      ['no', false],
      ['0', false],
      ['OFF', false],
    ] as const) {
      expect(setSettingValue(s, 'schedule.startAtLogin', raw).schedule.startAtLogin, raw).toBe(
        value,
      );
    }
    expect(setSettingValue(s, 'connection.kind', 'DAV').connection.kind).toBe('dav');
  });

  it('keeps the other server settings when the kind changes', () => {
    const withExchange = setSettingValue(s, 'connection.exchange.email', 'pbartos@example.com');
    const dav = setSettingValue(withExchange, 'connection.kind', 'dav');
    expect(dav.connection.exchange.email).toBe('pbartos@example.com');
    const back = setSettingValue(dav, 'connection.kind', 'exchange');
    expect(back.connection.exchange.email).toBe('pbartos@example.com');
  });

  it('parses lists as JSON or as separated text', () => {
    expect(
      setSettingValue(s, 'agendas.mail.folders', 'Inbox; Archive, Projects').agendas.mail.folders,
    ).toEqual(['Inbox', 'Archive', 'Projects']);
    expect(
      setSettingValue(s, 'agendas.mail.folders', '["Inbox/A; B"]').agendas.mail.folders,
    ).toEqual(['Inbox/A; B']);
    expect(
      setSettingValue(s, 'agendas.contacts.categories', '').agendas.contacts.categories,
    ).toEqual([]);
  });

  it('normalises attachment extensions', () => {
    const updated = setSettingValue(
      s,
      'agendas.mail.attachments.allowedExtensions',
      'doc;docx;.PDF',
    );
    expect(updated.agendas.mail.attachments.allowedExtensions).toEqual(['doc', 'docx', 'pdf']);
    expect(
      configErrorOf(() =>
        setSettingValue(s, 'agendas.mail.attachments.allowedExtensions', 'pdf;tar.gz'),
      ),
    ).toBe(
      'agendas.mail.attachments.allowedExtensions must be a list of file extensions of lowercase letters and digits without dots, e.g. ["pdf", "docx"] (got "tar.gz" as item 2).',
    );
  });

  it('parses category pairs as JSON or as CRM=server text', () => {
    const pairs = [
      { crm: 'HOTLINE', server: 'Hotline' },
      { crm: 'REGISTRACE', server: 'Registrace' },
    ];
    expect(
      setSettingValue(s, 'agendas.events.categoryPairs', 'HOTLINE=Hotline; REGISTRACE=Registrace')
        .agendas.events.categoryPairs,
    ).toEqual(pairs);
    expect(
      setSettingValue(s, 'agendas.events.categoryPairs', JSON.stringify(pairs)).agendas.events
        .categoryPairs,
    ).toEqual(pairs);
    expect(configErrorOf(() => setSettingValue(s, 'agendas.events.categoryPairs', 'HOTLINE'))).toBe(
      'agendas.events.categoryPairs must be a list of pairs like [{"crm": "HOTLINE", "server": "Hotline"}] with non-empty names (got "HOTLINE").',
    );
    expect(
      configErrorOf(() =>
        setSettingValue(s, 'agendas.events.categoryPairs', 'HOTLINE=Hotline;Hotline=Other'),
      ),
    ).toBe(
      'agendas.events.categoryPairs pairs the CRM category "Hotline" more than once (each category may appear in one pair only).',
    );
  });

  it('replaces a whole group from JSON, with defaults for what it leaves out', () => {
    const updated = setSettingValue(
      s,
      'agendas.tasks.exportGroups',
      '{"mode": "selected", "groups": ["Sales"]}',
    );
    expect(updated.agendas.tasks.exportGroups).toEqual({ mode: 'selected', groups: ['Sales'] });
    const partial = setSettingValue(s, 'agendas.events', '{"daysPast": 2}');
    expect(partial.agendas.events.daysPast).toBe(2);
    expect(partial.agendas.events.daysFuture).toBe(31);
    expect(configErrorOf(() => setSettingValue(s, 'agendas.tasks.exportGroups', 'all'))).toBe(
      'agendas.tasks.exportGroups must be a JSON object of its settings, e.g. {"mode": "all"} (got "all").',
    );
  });

  it('names the key and what is allowed', () => {
    expect(configErrorOf(() => setSettingValue(s, 'agendas.events.daysPast', 'abc'))).toBe(
      'agendas.events.daysPast must be a whole number from 0 to 3650 (got "abc").',
    );
    expect(configErrorOf(() => setSettingValue(s, 'agendas.events.daysPast', '3651'))).toBe(
      'agendas.events.daysPast must be a whole number from 0 to 3650 (got 3651).',
    );
    expect(configErrorOf(() => setSettingValue(s, 'agendas.events.direction', 'both'))).toBe(
      'agendas.events.direction must be one of "two-way", "import" or "export" (got "both").',
    );
    expect(configErrorOf(() => setSettingValue(s, 'schedule.startAtLogin', 'maybe'))).toBe(
      'schedule.startAtLogin must be true or false (got "maybe").',
    );
    expect(
      configErrorOf(() => setSettingValue(s, 'connection.dav.url', 'http://dav.example.com/')),
    ).toBe(
      'connection.dav.url must be an https URL (plain http only to localhost), or empty (got "http://dav.example.com/").',
    );
    expect(configErrorOf(() => setSettingValue(s, 'version', '2'))).toBe(
      'version is written by crm-sync and cannot be set.',
    );
    expect(configErrorOf(() => setSettingValue(s, 'agendas.events.passwd', 'x'))).toMatch(
      /^Unknown setting key "agendas.events.passwd"/,
    );
  });

  it('never changes the settings it is given', () => {
    const before = defaultSettings();
    setSettingValue(before, 'agendas.events.daysPast', '1');
    setSettingValue(before, 'agendas.events', '{"daysFuture": 2}');
    expect(before).toEqual(defaultSettings());
  });

  it('round-trips the text of every value of the defaults', () => {
    const base = defaultSettings();
    for (const field of fieldEntries()) {
      if (field.meta.kind === 'version') continue;
      const value = getSettingValue(base, field.key);
      const raw = typeof value === 'string' ? value : JSON.stringify(value);
      expect(getSettingValue(setSettingValue(base, field.key, raw), field.key), field.key).toEqual(
        value,
      );
    }
  });

  it('accepts exactly the whole numbers in range (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10_000, max: 10_000 }), (n) => {
        let ok = true;
        try {
          setSettingValue(s, 'agendas.tasks.daysFuture', String(n));
        } catch {
          ok = false;
        }
        return ok === (n >= 0 && n <= 3650);
      }),
    );
  });

  it('stores any list of plain names given as JSON (property)', () => {
    const name = fc
      .string({ minLength: 1, maxLength: 12 })
      .filter((t) => t.trim() === t && t !== '');
    fc.assert(
      fc.property(fc.array(name, { maxLength: 6 }), (names) => {
        const updated = setSettingValue(s, 'agendas.contacts.categories', JSON.stringify(names));
        expect(updated.agendas.contacts.categories).toEqual(names);
      }),
    );
  });
});
