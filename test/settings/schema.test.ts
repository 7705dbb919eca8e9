import { describe, expect, it } from 'vitest';
import { catalogue, fieldEntries } from '../../src/core/settings/catalogue.ts';
import {
  isBranchPath,
  isEmail,
  isFingerprint,
  isGuid,
  isMailboxSuffix,
  isProxyUrl,
  isServerUrl,
  isTenant,
  normalizeFingerprint,
} from '../../src/shared/settings-formats.ts';
import { MIGRATIONS } from '../../src/core/settings/migrations.ts';
import {
  SETTINGS_VERSION,
  defaultSettings,
  settingsSchema,
} from '../../src/shared/settings/schema.ts';

describe('settings schema defaults', () => {
  it('match the source documents (ExchangeSync dialogs, doc 004)', () => {
    const s = defaultSettings();
    expect(s.version).toBe(SETTINGS_VERSION);
    expect(s.crm).toEqual({ databasePath: 'crm.sqlite', user: '' });
    expect(s.schedule).toEqual({ automatic: true, intervalMinutes: 10, startAtLogin: true });
    expect(s.agendas.events).toMatchObject({
      enabled: true,
      direction: 'two-way',
      daysPast: 14,
      daysFuture: 31,
      folders: [],
      skipPrivate: false,
      categoryMode: 'all',
      linkByAttendeeEmail: true,
      linkCompanies: false,
      // Defaults that leave sync as it is for users who never set them.
      exportGroups: { mode: 'all', groups: [] },
      importFrom: '',
      allFolders: false,
      importedStatus: '',
    });
    expect(s.agendas.tasks).toMatchObject({
      enabled: false,
      daysPast: 14,
      daysFuture: 31,
      exportGroups: { mode: 'all', groups: [] },
      showInCalendarAsEvent: true,
      ownerOnly: true,
      importFrom: '',
      allFolders: false,
    });
    expect(s.agendas.contacts).toMatchObject({ enabled: true, direction: 'two-way' });
    expect(s.agendas.mail).toMatchObject({
      enabled: false,
      folders: ['Inbox', 'Sent Items'],
      maxAgeDays: 31,
      linkToPersons: true,
      linkCompanies: true,
    });
    expect(s.agendas.mail.attachments.allowedExtensions).toEqual([
      'doc',
      'docx',
      'xls',
      'xlsx',
      'pdf',
      'jpg',
      'jpeg',
      'txt',
      'png',
    ]);
    expect(s.guard).toEqual({ maxDeleteShare: 0.3, maxDeleteCount: 5 });
    expect(s.connection.m365.tenantId).toBe('organizations');
    expect(s.connection.exchange.auth).toBe('ntlm');
  });

  it('keeps all three server sub-objects whatever the kind', () => {
    const s = settingsSchema.parse({ connection: { kind: 'dav' } });
    expect(Object.keys(s.connection)).toEqual([
      'kind',
      'exchange',
      'm365',
      'dav',
      'proxy',
      'trustedCertificate',
    ]);
    expect(s.connection.exchange.serverVersion).toBe('Exchange2016');
  });

  it('gives a fresh copy each time (lists are not shared)', () => {
    const a = defaultSettings();
    a.agendas.mail.folders.push('Junk');
    a.agendas.events.categoryPairs.push({ crm: 'X', server: 'Y' });
    const b = defaultSettings();
    expect(b.agendas.mail.folders).toEqual(['Inbox', 'Sent Items']);
    expect(b.agendas.events.categoryPairs).toEqual([]);
  });

  it('fills defaults for a partial document and keeps the given values', () => {
    const s = settingsSchema.parse({ agendas: { events: { daysPast: 3 } } });
    expect(s.agendas.events.daysPast).toBe(3);
    expect(s.agendas.events.daysFuture).toBe(31);
    expect(s.agendas.tasks.daysPast).toBe(14);
  });

  it('is strict at every level', () => {
    expect(settingsSchema.safeParse({ password: 'x' }).success).toBe(false);
    expect(settingsSchema.safeParse({ connection: { dav: { password: 'x' } } }).success).toBe(
      false,
    );
    expect(
      settingsSchema.safeParse({
        agendas: { events: { categoryPairs: [{ crm: 'A', server: 'B', extra: 1 }] } },
      }).success,
    ).toBe(false);
  });

  it('is at the version the migrations lead to', () => {
    expect(SETTINGS_VERSION).toBe(MIGRATIONS.length + 1);
  });

  it('describes every group and field (the reference is generated from it)', () => {
    for (const entry of catalogue()) {
      expect(entry.description.length, entry.key).toBeGreaterThan(10);
    }
    for (const field of fieldEntries()) {
      expect(field.meta.expectation.length, field.key).toBeGreaterThan(0);
      expect(field.defaultValue, field.key).not.toBeUndefined();
    }
  });

  it('rejects duplicate category pairs on either side, ignoring case', () => {
    const crmTwice = settingsSchema.safeParse({
      agendas: {
        events: {
          categoryPairs: [
            { crm: 'HOTLINE', server: 'Hotline' },
            { crm: 'hotline', server: 'Other' },
          ],
        },
      },
    });
    expect(crmTwice.success).toBe(false);
    const serverTwice = settingsSchema.safeParse({
      agendas: {
        tasks: {
          categoryPairs: [
            { crm: 'A', server: 'Hotline' },
            { crm: 'B', server: 'Hotline' },
          ],
        },
      },
    });
    expect(serverTwice.success).toBe(false);
  });

  it('checks number ranges and whole numbers', () => {
    const bad = [
      { schedule: { intervalMinutes: 0 } },
      { schedule: { intervalMinutes: 1441 } },
      { schedule: { intervalMinutes: 2.5 } },
      { agendas: { events: { daysPast: -1 } } },
      { agendas: { events: { daysFuture: 3651 } } },
      { guard: { maxDeleteShare: 1.5 } },
      { agendas: { mail: { maxAgeDays: 0 } } },
    ];
    for (const doc of bad)
      expect(settingsSchema.safeParse(doc).success, JSON.stringify(doc)).toBe(false);
  });
});

describe('setting formats', () => {
  it('server URLs: https anywhere, http only to this machine', () => {
    expect(isServerUrl('')).toBe(true);
    expect(isServerUrl('https://mail.example.com/EWS/Exchange.asmx')).toBe(true);
    expect(isServerUrl('http://127.0.0.1:5232/')).toBe(true);
    expect(isServerUrl('http://localhost:8080/dav')).toBe(true);
    expect(isServerUrl('http://[::1]:8080/dav')).toBe(true);
    expect(isServerUrl('http://mail.example.com/EWS')).toBe(false);
    expect(isServerUrl('ftp://example.com')).toBe(false);
    expect(isServerUrl('mail.example.com')).toBe(false);
  });

  it('proxy URLs: http or https', () => {
    expect(isProxyUrl('http://proxy.example.com:3128')).toBe(true);
    expect(isProxyUrl('https://proxy.example.com')).toBe(true);
    expect(isProxyUrl('socks5://proxy')).toBe(false);
    expect(isProxyUrl('proxy:3128')).toBe(false);
  });

  it('fingerprints: 64 hex digits, plain or in colon pairs', () => {
    const hex = 'ab'.repeat(32);
    const pairs = Array.from({ length: 32 }, () => 'AB').join(':');
    expect(isFingerprint(hex)).toBe(true);
    expect(isFingerprint(pairs)).toBe(true);
    expect(isFingerprint('')).toBe(true);
    expect(isFingerprint(hex.slice(2))).toBe(false);
    expect(isFingerprint(`${hex.slice(1)}g`)).toBe(false);
    expect(normalizeFingerprint(pairs)).toBe(hex);
  });

  it('tenants, GUIDs, e-mails, mailbox suffixes and branch paths', () => {
    expect(isTenant('organizations')).toBe(true);
    expect(isTenant('contoso.onmicrosoft.com')).toBe(true);
    expect(isTenant('00000000-0000-0000-0000-000000000000')).toBe(true);
    expect(isTenant('')).toBe(false);
    expect(isTenant('not a tenant')).toBe(false);
    expect(isGuid('12345678-1234-1234-1234-1234567890ab')).toBe(true);
    expect(isGuid('1234')).toBe(false);
    expect(isEmail('pbartos@example.com')).toBe(true);
    expect(isEmail('pbartos')).toBe(false);
    expect(isMailboxSuffix('@test.com')).toBe(true);
    expect(isMailboxSuffix('test.com')).toBe(false);
    expect(isBranchPath('Kontakty/Zákazníci')).toBe(true);
    expect(isBranchPath('Kontakty//Zákazníci')).toBe(false);
  });
});
