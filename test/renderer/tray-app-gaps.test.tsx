// @vitest-environment happy-dom
/**
 * "Browse…" (pickPath), the proxy password (secret store only), the tray's "Settings…"
 * (main asks the window to show the settings page) and the server's category names in
 * the pairing editor.
 */
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { act } from 'react';
import { afterEach, describe, expect, test } from 'vitest';
import { defaultSettings } from '../../src/shared/settings/schema.ts';
import { AppRoot } from '../../src/renderer/App.tsx';
import { EventsDialog } from '../../src/renderer/dialogs/EventsDialog.tsx';
import { MailDialog } from '../../src/renderer/dialogs/MailDialog.tsx';
import { SettingsFlow } from '../../src/renderer/wizard/SettingsFlow.tsx';
import type { FoldersState, LookupsState } from '../../src/renderer/settings/lookups.ts';
import type { Settings } from '../../src/shared/app-api.ts';
import { CRM_FILE, FakeApi, FOLDERS, LOOKUPS } from './fake-api.ts';
import { renderUi } from './render.tsx';

afterEach(() => {
  cleanup();
  window.localStorage.clear();
});

const lookups: LookupsState = { state: 'ready', value: LOOKUPS };
const folders: FoldersState = { state: 'ready', value: FOLDERS };

function renderWizard(api: FakeApi) {
  return renderUi(
    <SettingsFlow mode="wizard" initial={api.settings} exists={api.exists} onDone={() => {}} />,
    { api },
  );
}

describe('Browse… (the system open dialog)', () => {
  test('the CRM database file chosen fills the field and its users are read at once', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    renderWizard(api);
    const path = screen.getByRole('textbox', { name: /CRM database file/ }) as HTMLInputElement;
    const before = path.value;

    // Cancelled: nothing changes.
    api.pickAnswers = [null];
    await user.click(screen.getByRole('button', { name: 'Browse…' }));
    await waitFor(() => expect(api.callsOf('pickPath')).toHaveLength(1));
    expect(path.value).toBe(before);
    expect(api.callsOf('crmLookups')).toEqual([]);

    api.pickAnswers = [CRM_FILE];
    await user.click(screen.getByRole('button', { name: 'Browse…' }));
    await waitFor(() => expect(path.value).toBe(CRM_FILE));
    expect(api.callsOf('pickPath')[1]?.[0]).toMatchObject({
      kind: 'file',
      // The dialog opens at what the field held.
      defaultPath: before,
      title: 'Choose the CRM database file',
      filters: expect.arrayContaining([
        { name: 'CRM database', extensions: ['sqlite', 'sqlite3', 'db'] },
      ]),
    });
    // The users of the chosen file, without leaving the field first.
    await user.click(await screen.findByRole('combobox', { name: /CRM user/ }));
    expect(screen.getByRole('option', { name: /Pavel Bartoš/ })).toBeTruthy();
    expect(api.callsOf('crmLookups')).toEqual([[CRM_FILE]]);
  });

  test('the attachments folder chosen fills the field; the dialog opens where it points', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const saved: Settings['agendas']['mail'][] = [];
    const value = defaultSettings().agendas.mail;
    value.attachments = { ...value.attachments, save: true, directory: '/home/me/Old' };
    renderUi(
      <MailDialog
        value={value}
        onSave={(v) => saved.push(v)}
        onCancel={() => {}}
        lookups={lookups}
        folders={folders}
      />,
      { api },
    );
    const dialog = screen.getByRole('dialog');
    api.pickAnswers = ['/home/me/Přílohy'];
    await user.click(within(dialog).getByRole('button', { name: 'Browse…' }));
    const directory = within(dialog).getByRole('textbox', {
      name: /Folder for saved attachments/,
    }) as HTMLInputElement;
    await waitFor(() => expect(directory.value).toBe('/home/me/Přílohy'));
    expect(api.callsOf('pickPath')).toEqual([
      [
        {
          kind: 'folder',
          title: 'Choose the folder for saved attachments',
          defaultPath: '/home/me/Old',
        },
      ],
    ]);
    await user.click(within(dialog).getByRole('button', { name: 'OK' }));
    expect(saved[0]?.attachments.directory).toBe('/home/me/Přílohy');
  });
});

describe('proxy password', () => {
  test('stored in the secret store after saving, never in the settings; used by the test', async () => {
    const user = userEvent.setup();
    const api = new FakeApi({ exists: true });
    api.settings.crm = { databasePath: CRM_FILE, user: 'pbartos' };
    api.settings.connection.kind = 'dav';
    api.settings.connection.dav.url = 'https://dav.example.com/';
    api.settings.connection.dav.user = 'pbartos';
    renderUi(<SettingsFlow mode="settings" initial={api.settings} exists onDone={() => {}} />, {
      api,
    });
    await user.click(screen.getByRole('tab', { name: 'Server' }));
    await user.click(screen.getByRole('button', { name: 'Advanced' }));
    await user.type(
      screen.getByRole('textbox', { name: 'Proxy' }),
      'http://proxy.example.com:3128',
    );
    const proxyPassword = screen.getByLabelText('Proxy password') as HTMLInputElement;
    // No proxy user: no password to give.
    expect(proxyPassword.disabled).toBe(true);
    await user.type(screen.getByRole('textbox', { name: 'Proxy user name' }), 'proxyuser');
    await user.type(proxyPassword, 'pr0xy-s3cret');

    await user.click(screen.getByRole('button', { name: 'Test connection' }));
    await waitFor(() => expect(api.callsOf('testConnection')).toHaveLength(1));
    expect(api.callsOf('testConnection')[0]?.[0]).toMatchObject({
      password: '',
      proxyPassword: 'pr0xy-s3cret',
    });

    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(api.callsOf('setServerPassword')).toHaveLength(1));
    expect(api.callsOf('setServerPassword')).toEqual([['pr0xy-s3cret', 'proxy']]);
    const saved = api.callsOf('saveSettings');
    expect(saved[0]?.[0]).toMatchObject({
      connection: { proxy: { url: 'http://proxy.example.com:3128', user: 'proxyuser' } },
    });
    expect(JSON.stringify(saved)).not.toContain('pr0xy-s3cret');
  });
});

describe('the tray asks for the settings page', () => {
  test('main says "settings": the window shows its settings pages', async () => {
    const api = new FakeApi({ exists: true });
    api.settings.crm = { databasePath: CRM_FILE, user: 'pbartos' };
    api.settings.connection.kind = 'dav';
    api.settings.connection.dav.url = 'https://dav.example.com/';
    api.settings.connection.dav.user = 'pbartos';
    render(<AppRoot api={api} language="en" />);
    expect(await screen.findByText('Version 1.2.3')).toBeTruthy();
    expect(screen.queryByRole('tab', { name: 'CRM' })).toBeNull();

    act(() => api.navigate('settings'));
    expect(await screen.findByRole('tab', { name: 'CRM' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Save' })).toBeTruthy();
  });
});

describe("the server's categories in the pairing editor", () => {
  test('offered for the server side; any other name can still be typed', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    api.serverCategories = ['Hotline', 'Instalace', 'Zákazník VIP'];
    const saved: Settings['agendas']['events'][] = [];
    const value = {
      ...defaultSettings().agendas.events,
      categoryMode: 'paired' as const,
      categoryPairs: [{ crm: 'HOTLINE', server: '' }],
    };
    renderUi(
      <EventsDialog
        value={value}
        onSave={(v) => saved.push(v)}
        onCancel={() => {}}
        lookups={lookups}
        folders={folders}
      />,
      { api },
    );
    const dialog = screen.getByRole('dialog');
    const server1 = await within(dialog).findByRole('combobox', {
      name: 'Server category of pair 1',
    });
    await user.click(server1);
    const offered = screen.getAllByRole('option').map((o) => o.textContent);
    expect(offered).toEqual(['Hotline', 'Instalace', 'Zákazník VIP']);
    await user.click(screen.getByRole('option', { name: 'Zákazník VIP' }));
    expect((server1 as HTMLInputElement).value).toBe('Zákazník VIP');

    await user.click(within(dialog).getByRole('button', { name: 'Add pair' }));
    const server2 = within(dialog).getByRole('combobox', { name: 'Server category of pair 2' });
    await user.clear(server2);
    await user.type(server2, 'Nová kategorie');
    await user.click(within(dialog).getByRole('button', { name: 'OK' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]?.categoryPairs).toEqual([
      { crm: 'HOTLINE', server: 'Zákazník VIP' },
      { crm: 'REGISTRACE', server: 'Nová kategorie' },
    ]);
    expect(api.callsOf('listServerCategories').length).toBeGreaterThan(0);
  });
});
