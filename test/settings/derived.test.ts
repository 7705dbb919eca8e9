import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  effectiveConflictPolicy,
  impersonatedMailbox,
  resolveAttachmentDirectory,
  resolveDatabasePath,
  trustedFingerprint,
} from '../../src/core/settings/derived.ts';
import { defaultSettings } from '../../src/shared/settings/schema.ts';

describe('derived settings', () => {
  it('resolves a relative database path against the settings folder', () => {
    const s = defaultSettings();
    s.crm.databasePath = 'data/crm.sqlite';
    expect(resolveDatabasePath('/home/p/.config/crm-sync/settings.json', s)).toBe(
      resolve('/home/p/.config/crm-sync/data/crm.sqlite'),
    );
    s.crm.databasePath = resolve('/srv/crm.sqlite');
    expect(resolveDatabasePath('/home/p/settings.json', s)).toBe(resolve('/srv/crm.sqlite'));
  });

  it('defaults to crm.sqlite beside the settings file', () => {
    expect(resolveDatabasePath('/x/demo.json', defaultSettings())).toBe(resolve('/x/crm.sqlite'));
  });

  it('refuses an empty database path instead of returning the folder', () => {
    const s = defaultSettings();
    s.crm.databasePath = '';
    expect(() => resolveDatabasePath('/x/demo.json', s)).toThrow(
      `Settings file ${resolve('/x/demo.json')}: crm.databasePath is empty; set the path of the CRM database file.`,
    );
  });

  it('resolves a relative settings file against the working folder first', () => {
    const s = defaultSettings();
    s.crm.databasePath = 'crm.sqlite';
    expect(resolveDatabasePath('conf/demo.json', s)).toBe(
      join(process.cwd(), 'conf', 'crm.sqlite'),
    );
  });

  it('resolves the attachment folder the same way', () => {
    const s = defaultSettings();
    s.agendas.mail.attachments.directory = 'Přílohy';
    expect(resolveAttachmentDirectory('/x/demo.json', s)).toBe(resolve('/x/Přílohy'));
  });

  it('applies the top-level conflict policy unless an agenda has its own', () => {
    const s = defaultSettings();
    s.conflictPolicy = 'server-wins';
    s.agendas.contacts.conflictPolicy = 'crm-wins';
    expect(effectiveConflictPolicy(s, 'events')).toBe('server-wins');
    expect(effectiveConflictPolicy(s, 'contacts')).toBe('crm-wins');
  });

  it('builds the impersonated mailbox from the CRM login and the template', () => {
    const s = defaultSettings();
    s.crm.user = 'pbartos';
    expect(impersonatedMailbox(s)).toBeUndefined();
    s.connection.exchange.mailboxMode = 'impersonation';
    expect(impersonatedMailbox(s)).toBeUndefined();
    s.connection.exchange.loginAsMailboxName = true;
    s.connection.exchange.mailboxTemplate = '@example.com';
    expect(impersonatedMailbox(s)).toBe('pbartos@example.com');
    s.connection.exchange.mailbox = 'boss@example.com';
    expect(impersonatedMailbox(s)).toBe('boss@example.com');
  });

  it('gives the trusted fingerprint as plain lowercase hex', () => {
    const s = defaultSettings();
    expect(trustedFingerprint(s)).toBeUndefined();
    s.connection.trustedCertificate.sha256Fingerprint = Array.from({ length: 32 }, () => 'AB').join(
      ':',
    );
    expect(trustedFingerprint(s)).toBe('ab'.repeat(32));
  });
});
