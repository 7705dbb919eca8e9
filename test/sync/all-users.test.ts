/**
 * Which mailbox each CRM user gets when one Exchange service account synchronises them all
 * (source document 000): the login plus the template, or the user's own e-mail.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCrmDatabase } from '../../src/core/crm/database.ts';
import type { CrmDatabase } from '../../src/core/crm/database.ts';
import { createUser } from '../../src/core/crm/users.ts';
import { defaultSettings } from '../../src/shared/settings/schema.ts';
import { otherMailboxesOf } from '../../src/core/servers/registry.ts';
import { exchangeOtherMailboxes } from '../../src/core/servers/ews/other-mailboxes.ts';
import { mailboxesOfUsers } from '../../src/core/sync/all-users.ts';

let dir: string;
let db: CrmDatabase;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-sync-users-'));
  db = openCrmDatabase(path.join(dir, 'crm.sqlite'), { create: true });
  createUser(db, {
    login: 'pbartos',
    displayName: 'Pavel',
    email: 'Pavel.Bartos@Firma.cz',
    password: 'x',
  });
  createUser(db, { login: 'jnovakova', displayName: 'Jana', email: null, password: 'x' });
  const gone = createUser(db, {
    login: 'odesel',
    displayName: 'Odešel',
    email: 'o@firma.cz',
    password: 'x',
  });
  db.prepare('UPDATE users SET active = 0 WHERE id = ?').run(gone);
});

afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('mailboxes of the CRM users', () => {
  it("uses each active user's e-mail, and names the user who has none", () => {
    const settings = defaultSettings();
    // In login order; the inactive user is left out.
    expect(mailboxesOfUsers(db, settings, exchangeOtherMailboxes)).toEqual([
      {
        login: 'jnovakova',
        displayName: 'Jana',
        mailbox: null,
        problem: expect.stringMatching(/no e-mail address/) as unknown as string,
      },
      { login: 'pbartos', displayName: 'Pavel', mailbox: 'pavel.bartos@firma.cz', problem: null },
    ]);
  });

  it('builds the mailbox from the login and the template when asked to', () => {
    const settings = defaultSettings();
    settings.connection.exchange.loginAsMailboxName = true;
    settings.connection.exchange.mailboxTemplate = '@firma.cz';
    expect(mailboxesOfUsers(db, settings, exchangeOtherMailboxes).map((u) => u.mailbox)).toEqual([
      'jnovakova@firma.cz',
      'pbartos@firma.cz',
    ]);
    settings.connection.exchange.mailboxTemplate = '';
    expect(mailboxesOfUsers(db, settings, exchangeOtherMailboxes).map((u) => u.problem)).toEqual([
      expect.stringMatching(/mailboxTemplate is empty/),
      expect.stringMatching(/mailboxTemplate is empty/),
    ]);
  });

  it("gives each user's run that user and that mailbox, leaving the file's settings alone", () => {
    const settings = defaultSettings();
    settings.crm.user = 'admin';
    const own = exchangeOtherMailboxes.settingsFor(settings, 'pbartos', 'pavel.bartos@firma.cz');
    expect(own.crm.user).toBe('pbartos');
    expect(own.connection.exchange).toMatchObject({
      mailboxMode: 'impersonation',
      mailbox: 'pavel.bartos@firma.cz',
    });
    expect(settings.crm.user).toBe('admin');
    expect(settings.connection.exchange.mailbox).toBe('');
  });

  it('are opened only by an Exchange service account; other settings are told what to set', () => {
    const settings = defaultSettings();
    settings.connection.kind = 'exchange';
    settings.connection.exchange.mailboxMode = 'impersonation';
    expect(otherMailboxesOf(settings).unavailableReason(settings)).toBeNull();
    settings.connection.exchange.mailboxMode = 'own';
    expect(otherMailboxesOf(settings).unavailableReason(settings)).toMatch(
      /needs an Exchange service account: set connection\.kind to "exchange" and connection\.exchange\.mailboxMode to "impersonation"/,
    );
    settings.connection.kind = 'dav';
    expect(otherMailboxesOf(settings).unavailableReason(settings)).toMatch(
      /needs an Exchange service account/,
    );
  });
});
