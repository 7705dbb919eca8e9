// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test } from 'vitest';
import { AppRoot } from '../../src/renderer/App.tsx';
import { getApi } from '../../src/renderer/api.ts';
import { CRM_FILE, FakeApi, idleStatus } from './fake-api.ts';
import './render.tsx';

afterEach(() => {
  cleanup();
  window.localStorage.clear();
});

describe('the app routes by state', () => {
  test('no settings yet: the first-run wizard, in the OS language', async () => {
    const api = new FakeApi({
      exists: false,
      info: { name: 'CRM Sync', version: '1.2.3', platform: 'win32', locale: 'cs-CZ' },
      current: idleStatus({ configured: false, problems: ['crm.user is empty'] }),
    });
    render(<AppRoot api={api} />);
    expect(await screen.findByRole('heading', { name: 'Krok 1 ze 3: CRM' })).toBeTruthy();
    expect(screen.getByRole('textbox', { name: /Soubor databáze CRM/ })).toBeTruthy();
    expect(document.documentElement.lang).toBe('cs');
    // First run: there is nothing to cancel to.
    expect(screen.queryByRole('button', { name: 'Storno' })).toBeNull();
  });

  test('settings that are not ready to sync: the wizard over them, which can be cancelled', async () => {
    const user = userEvent.setup();
    const api = new FakeApi({
      exists: true,
      current: idleStatus({ configured: false, problems: ['No agenda is enabled'] }),
    });
    api.settings.crm = { databasePath: CRM_FILE, user: 'pbartos' };
    render(<AppRoot api={api} language="en" />);
    expect(await screen.findByRole('heading', { name: 'Step 1 of 3: CRM' })).toBeTruthy();
    expect(
      (screen.getByRole('textbox', { name: /CRM database file/ }) as HTMLInputElement).value,
    ).toBe(CRM_FILE);
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(await screen.findByText('Version 1.2.3')).toBeTruthy();
  });

  test('ready settings: the main window; Settings opens the pages, Save returns', async () => {
    const user = userEvent.setup();
    const api = new FakeApi({ exists: true });
    api.settings.crm = { databasePath: CRM_FILE, user: 'pbartos' };
    api.settings.connection.kind = 'dav';
    api.settings.connection.dav.url = 'https://dav.example.com/';
    api.settings.connection.dav.user = 'pbartos';
    render(<AppRoot api={api} language="en" />);
    expect(await screen.findByText('Version 1.2.3')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Settings' }));
    expect(await screen.findByRole('tab', { name: 'CRM' })).toBeTruthy();
    await user.click(screen.getByRole('tab', { name: 'General' }));
    const interval = screen.getByRole('textbox', { name: /Check for changes every/ });
    await user.clear(interval);
    await user.type(interval, '30');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Version 1.2.3')).toBeTruthy();
    const saved = api.callsOf('saveSettings');
    expect(saved).toHaveLength(1);
    expect(saved[0]?.[0]).toMatchObject({ schedule: { intervalMinutes: 30 } });
    // The CRM login was not changed, so the CRM password was not asked again.
    expect(api.callsOf('checkCrmLogin')).toEqual([]);
    // Nor was a server password typed: the stored one stays.
    expect(api.callsOf('setServerPassword')).toEqual([]);
  });

  test("settings: the folder pickers list the saved server's folders", async () => {
    const user = userEvent.setup();
    const api = new FakeApi({ exists: true });
    api.settings.crm = { databasePath: CRM_FILE, user: 'pbartos' };
    api.settings.connection.kind = 'dav';
    api.settings.connection.dav.url = 'https://dav.example.com/';
    api.settings.connection.dav.user = 'pbartos';
    render(<AppRoot api={api} language="en" />);
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    await user.click(await screen.findByRole('tab', { name: 'General' }));
    await user.click(screen.getByRole('button', { name: 'Contacts settings' }));
    await user.click(await screen.findByRole('button', { name: 'Add folder…' }));
    expect(await screen.findByRole('treeitem', { name: 'Kontakty (default)' })).toBeTruthy();
    expect(api.callsOf('listFolders')).toHaveLength(1);
    expect(api.callsOf('testConnection')).toEqual([]);
  });

  test('getApi() is window.crmSync', () => {
    expect(getApi()).toBeUndefined();
    const api = new FakeApi();
    Object.defineProperty(window, 'crmSync', { value: api, configurable: true });
    expect(getApi()).toBe(api);
    Reflect.deleteProperty(window, 'crmSync');
  });

  test('a failing settings read is reported, with a retry', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    let fail = true;
    const real = api.getSettings.bind(api);
    api.getSettings = () =>
      fail ? Promise.reject(new Error('settings.json is not JSON')) : real();
    render(<AppRoot api={api} language="en" />);
    expect(await screen.findByText(/settings.json is not JSON/)).toBeTruthy();
    fail = false;
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(screen.getByRole('heading', { name: /Step 1 of 3/ })).toBeTruthy());
  });
});
