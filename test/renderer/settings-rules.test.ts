/**
 * The app's field checks and the engine's readiness check apply the same rules: whatever
 * the engine would call missing, the app names on the same field before anything is sent.
 */
import { describe, expect, it } from 'vitest';
import { validateSettings } from '../../src/renderer/settings/validate.ts';
import { readinessIssues } from '../../src/shared/settings/readiness.ts';
import { defaultSettings } from '../../src/shared/settings/schema.ts';
import type { Settings } from '../../src/shared/settings/schema.ts';

function variants(): [string, Settings][] {
  const out: [string, Settings][] = [];
  const add = (name: string, change: (s: Settings) => void) => {
    const s = defaultSettings();
    change(s);
    out.push([name, s]);
  };
  add('defaults', () => {});
  add('blank CRM user', (s) => {
    s.crm.databasePath = 'crm.sqlite';
    s.crm.user = '  ';
  });
  add('Exchange impersonation without a mailbox', (s) => {
    s.connection.exchange.email = 'a@firma.cz';
    s.connection.exchange.mailboxMode = 'impersonation';
  });
  add('Exchange mailbox from the login without a template', (s) => {
    s.connection.exchange.mailboxMode = 'impersonation';
    s.connection.exchange.loginAsMailboxName = true;
  });
  add('CalDAV without address and user', (s) => {
    s.connection.kind = 'dav';
  });
  add('paired categories and selected groups without any', (s) => {
    s.agendas.events.categoryMode = 'paired';
    s.agendas.tasks.enabled = true;
    s.agendas.tasks.exportGroups = { mode: 'selected', groups: [] };
  });
  return out;
}

describe('the app checks what the engine would call missing', () => {
  it.each(variants())('%s', (_, settings) => {
    const app = validateSettings(settings);
    const engine = readinessIssues(settings);
    expect(engine.length).toBeGreaterThan(0);
    for (const problem of engine) expect(app, problem.message).toHaveProperty([problem.field]);
  });
});
