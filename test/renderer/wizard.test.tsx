// @vitest-environment happy-dom
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test } from 'vitest';
import { defaultSettings } from '../../src/shared/settings/schema.ts';
import { SettingsFlow } from '../../src/renderer/wizard/SettingsFlow.tsx';
import { CRM_FILE, FakeApi, RUNS } from './fake-api.ts';
import { descriptionOf, renderUi } from './render.tsx';

afterEach(cleanup);

function renderWizard(api = new FakeApi(), onDone = () => {}) {
  const rendered = renderUi(
    <SettingsFlow mode="wizard" initial={api.settings} exists={api.exists} onDone={onDone} />,
    { api },
  );
  return { ...rendered, api };
}

async function fillCrmStep(user: ReturnType<typeof userEvent.setup>, password = 'demo') {
  const path = screen.getByRole('textbox', { name: /CRM database file/ });
  await user.clear(path);
  await user.type(path, CRM_FILE);
  await user.tab(); // blur: the CRM's users are read
  await user.click(await screen.findByRole('combobox', { name: /CRM user/ }));
  await user.click(screen.getByRole('option', { name: /Pavel Bartoš/ }));
  await user.type(screen.getByLabelText('CRM password'), password);
}

describe('first-run wizard, step 1 (CRM)', () => {
  test('an empty database path is explained next to the field, and the CRM is not asked', async () => {
    const user = userEvent.setup();
    const { api } = renderWizard();
    const path = screen.getByRole('textbox', { name: /CRM database file/ });
    await user.clear(path);
    await user.click(screen.getByRole('button', { name: 'Next' }));

    expect(path.getAttribute('aria-invalid')).toBe('true');
    expect(descriptionOf(path)).toContain('Enter the path of the CRM database file.');
    expect(descriptionOf(screen.getByRole('textbox', { name: /CRM user/ }))).toContain(
      'Choose the CRM user',
    );
    expect(api.callsOf('checkCrmLogin')).toEqual([]);
    // Still on step 1.
    expect(screen.getByRole('heading', { name: /Step 1 of 3/ })).toBeTruthy();
  });

  test('the users come from the CRM file once its path is entered', async () => {
    const user = userEvent.setup();
    const { api } = renderWizard();
    const path = screen.getByRole('textbox', { name: /CRM database file/ });
    await user.clear(path);
    await user.type(path, '/nowhere.sqlite');
    await user.tab();
    // An unreadable file is explained by the field, the user can still be typed.
    await waitFor(() => expect(descriptionOf(path)).toContain('does not exist'));
    expect(screen.getByRole('textbox', { name: /CRM user/ })).toBeTruthy();

    await user.clear(path);
    await user.type(path, CRM_FILE);
    await user.tab();
    await user.click(await screen.findByRole('combobox', { name: /CRM user/ }));
    const options = screen.getAllByRole('option').map((o) => o.textContent);
    expect(options).toEqual(['Pavel Bartoš (pbartos)', 'Jana Nováková (jnovakova)']);
    expect(api.callsOf('crmLookups').at(-1)).toEqual([CRM_FILE]);
  });

  test('a wrong password is shown on the password field, from checkCrmLogin', async () => {
    const user = userEvent.setup();
    const { api } = renderWizard();
    await fillCrmStep(user, 'wrong');
    await user.click(screen.getByRole('button', { name: 'Next' }));

    const password = screen.getByLabelText('CRM password');
    await waitFor(() => expect(descriptionOf(password)).toBe('Wrong password for pbartos.'));
    expect(password.getAttribute('aria-invalid')).toBe('true');
    expect(api.callsOf('checkCrmLogin')).toEqual([
      [{ databasePath: CRM_FILE, user: 'pbartos', password: 'wrong' }],
    ]);
    // Typing a new password clears the old complaint.
    await user.type(password, 'x');
    expect(descriptionOf(password)).toBe('');
  });

  test('a problem of no one field is shown above the form', async () => {
    const user = userEvent.setup();
    const { api } = renderWizard();
    api.checkCrmLogin = async () => ({
      ok: false,
      problems: [{ field: '', message: 'The CRM database is locked by another program.' }],
    });
    await fillCrmStep(user);
    await user.click(screen.getByRole('button', { name: 'Next' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('The CRM database is locked by another program.');
    expect(screen.getByRole('heading', { name: /Step 1 of 3/ })).toBeTruthy();
  });

  test('Enter in a field goes to the next step', async () => {
    const user = userEvent.setup();
    renderWizard();
    await fillCrmStep(user);
    await user.keyboard('{Enter}');
    expect(await screen.findByRole('heading', { name: /Step 2 of 3: Server/ })).toBeTruthy();
  });
});

describe('first-run wizard, step 2 (server)', () => {
  async function toServerStep() {
    const user = userEvent.setup();
    const api = new FakeApi();
    renderWizard(api);
    await fillCrmStep(user);
    await user.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByRole('heading', { name: /Step 2 of 3/ });
    return { user, api };
  }

  test('each kind of server shows its own fields', async () => {
    const { user } = await toServerStep();
    expect(screen.getByRole('textbox', { name: 'EWS address' })).toBeTruthy();
    expect(screen.getByRole('textbox', { name: 'Domain' })).toBeTruthy();
    expect(screen.getByRole('combobox', { name: 'Sign-in method' })).toBeTruthy();

    // Microsoft 365 is not in this version: see honest-wizard.test.tsx.

    await user.click(screen.getByRole('radio', { name: /CalDAV/ }));
    expect(screen.getByRole('textbox', { name: /Server address/ })).toBeTruthy();
    expect(screen.queryByRole('textbox', { name: 'EWS address' })).toBeNull();
  });

  test('local rules: an http address to another machine is refused next to the field', async () => {
    const { user, api } = await toServerStep();
    await user.click(screen.getByRole('radio', { name: /CalDAV/ }));
    await user.type(
      screen.getByRole('textbox', { name: /Server address/ }),
      'http://dav.example.com',
    );
    await user.click(screen.getByRole('button', { name: 'Test connection' }));
    const url = screen.getByRole('textbox', { name: /Server address/ });
    expect(descriptionOf(url)).toContain('Enter an https address');
    expect(descriptionOf(screen.getByRole('textbox', { name: /User name/ }))).toContain(
      'Enter the user name on the server.',
    );
    expect(api.callsOf('testConnection')).toEqual([]);
  });

  test('Test connection shows the clear error, or what was found', async () => {
    const { user, api } = await toServerStep();
    await user.click(screen.getByRole('radio', { name: /CalDAV/ }));
    await user.type(
      screen.getByRole('textbox', { name: /Server address/ }),
      'https://dav.example.com/',
    );
    await user.type(screen.getByRole('textbox', { name: /User name/ }), 'pbartos');
    await user.type(screen.getByLabelText('Password'), 'bad');
    api.connectionProblems = [
      {
        field: 'connection',
        message: 'Wrong user name or password for https://dav.example.com/ (HTTP 401).',
      },
    ];
    await user.click(screen.getByRole('button', { name: 'Test connection' }));
    const alert = await screen.findByText(/Wrong user name or password/);
    expect(alert.closest('[role="alert"]')?.textContent).toContain('The connection failed');
    expect(api.callsOf('testConnection')[0]?.[0]).toMatchObject({
      password: 'bad',
      connection: { kind: 'dav', dav: { url: 'https://dav.example.com/', user: 'pbartos' } },
    });

    api.connectionProblems = null;
    await user.clear(screen.getByLabelText('Password'));
    await user.type(screen.getByLabelText('Password'), 'good');
    await user.click(screen.getByRole('button', { name: 'Test connection' }));
    expect(await screen.findByText('Connected: 2 calendars, 1 address book.')).toBeTruthy();
    expect(screen.queryByText(/Wrong user name/)).toBeNull();
  });

  test('an account with no calendar is offered one, created on the connection being tested', async () => {
    const { user, api } = await toServerStep();
    await user.click(screen.getByRole('radio', { name: /CalDAV/ }));
    await user.type(
      screen.getByRole('textbox', { name: /Server address/ }),
      'https://dav.example.com/',
    );
    await user.type(screen.getByRole('textbox', { name: /User name/ }), 'pbartos');
    await user.type(screen.getByLabelText('Password'), 'typed');
    api.folders = api.folders.filter((f) => f.kinds.includes('contacts'));
    api.connectionProblems = [
      {
        field: 'connection.dav.url',
        message:
          'The server has no calendars for "pbartos"; create one on the server (or check the address).',
        code: 'no-calendars',
        params: { user: 'pbartos' },
      },
    ];
    await user.click(screen.getByRole('button', { name: 'Test connection' }));
    expect(
      await screen.findByText('This account has no calendar or task list on the server yet.'),
    ).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Create an address book' })).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Create a calendar' }));
    expect(await screen.findByText(/^Connected: 1 calendar, 1 address book\./)).toBeTruthy();
    expect(api.callsOf('createServerFolder')).toEqual([
      [
        expect.objectContaining({
          password: 'typed',
          connection: expect.objectContaining({
            dav: expect.objectContaining({ url: 'https://dav.example.com/', user: 'pbartos' }),
          }),
        }),
        'events',
        'Calendar',
      ],
    ]);
    expect(screen.queryByText(/no calendars for/)).toBeNull();
    // The calendar it made holds events only: a task list is still offered.
    expect(screen.getByText('This account has no task list on the server yet.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Create a task list' })).toBeTruthy();
  });

  test('a field named by the connection test is marked', async () => {
    const { user, api } = await toServerStep();
    await user.type(
      screen.getByRole('textbox', { name: 'EWS address' }),
      'https://mail.example.com/EWS/Exchange.asmx',
    );
    await user.type(screen.getByRole('textbox', { name: /User name/ }), 'pbartos');
    await user.type(screen.getByLabelText('Password'), 'pw');
    api.connectionProblems = [
      { field: 'connection.exchange.ewsUrl', message: 'No EWS service answers at this address.' },
    ];
    await user.click(screen.getByRole('button', { name: 'Test connection' }));
    const ews = screen.getByRole('textbox', { name: 'EWS address' });
    await waitFor(() => expect(descriptionOf(ews)).toContain('No EWS service answers'));
  });
});

describe('first-run wizard, Finish', () => {
  test('Finish saves the settings with the values entered, stores the password, offers a first sync', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    let done = 0;
    renderWizard(api, () => done++);
    await fillCrmStep(user);
    await user.click(screen.getByRole('button', { name: 'Next' }));

    await user.click(await screen.findByRole('radio', { name: /CalDAV/ }));
    await user.type(
      screen.getByRole('textbox', { name: /Server address/ }),
      'https://dav.example.com/',
    );
    await user.type(screen.getByRole('textbox', { name: /User name/ }), 'pbartos');
    await user.type(screen.getByLabelText('Password'), 's3cret');
    await user.click(screen.getByRole('button', { name: 'Next' }));

    await screen.findByRole('heading', { name: /Step 3 of 3: General/ });
    const interval = screen.getByRole('textbox', { name: /Check for changes every/ });
    expect((interval as HTMLInputElement).value).toBe('10');
    await user.clear(interval);
    await user.type(interval, '15');
    await user.click(screen.getByRole('checkbox', { name: /Synchronise tasks/ }));
    await user.click(screen.getByRole('checkbox', { name: /Start the program/ }));

    // The events dialog, from its gear button: 30 days back.
    await user.click(screen.getByRole('button', { name: 'Events settings' }));
    const dialog = await screen.findByRole('dialog');
    const past = within(dialog).getByRole('textbox', { name: /into the past/ });
    await user.clear(past);
    await user.type(past, '30');
    await user.click(within(dialog).getByRole('button', { name: 'OK' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    await user.click(await screen.findByRole('button', { name: 'Finish' }));
    await screen.findByText('The settings are saved.');

    const saved = api.callsOf('saveSettings');
    expect(saved).toHaveLength(1);
    const expected = defaultSettings();
    expected.crm = { databasePath: CRM_FILE, user: 'pbartos' };
    expected.connection.kind = 'dav';
    expected.connection.dav.url = 'https://dav.example.com/';
    expected.connection.dav.user = 'pbartos';
    expected.schedule = { automatic: true, intervalMinutes: 15, startAtLogin: false };
    expected.agendas.tasks.enabled = true;
    expected.agendas.events.daysPast = 30;
    expect(saved[0]?.[0]).toEqual(expected);
    expect(api.callsOf('setServerPassword')).toEqual([['s3cret']]);
    // The password is never part of the settings.
    expect(JSON.stringify(saved[0])).not.toContain('s3cret');

    // First sync: the dry-run preview, grouped by agenda with reasons.
    await user.click(screen.getByRole('button', { name: /Show what the first sync would do/ }));
    const events = await screen.findByRole('region', { name: 'Events — 2 events' });
    expect(within(events).getByText('Porada')).toBeTruthy();
    expect(within(events).getByText('new on the server')).toBeTruthy();
    expect(within(events).getByText('Created in the CRM')).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Contacts — 1 contact' })).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Synchronise now' }));
    await waitFor(() => expect(done).toBe(1));
    expect(api.callsOf('syncNow')).toHaveLength(1);
  });

  test('a first run the engine starts by itself is followed on the last page', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    let done = 0;
    renderWizard(api, () => done++);
    await fillCrmStep(user);
    await user.click(screen.getByRole('button', { name: 'Next' }));
    await user.click(await screen.findByRole('radio', { name: /CalDAV/ }));
    await user.type(
      screen.getByRole('textbox', { name: /Server address/ }),
      'https://dav.example.com/',
    );
    await user.type(screen.getByRole('textbox', { name: /User name/ }), 'pbartos');
    await user.type(screen.getByLabelText('Password'), 'pw');
    await user.click(screen.getByRole('button', { name: 'Next' }));
    await user.click(await screen.findByRole('button', { name: 'Finish' }));
    await screen.findByText('The settings are saved.');

    act(() =>
      api.emitStatus({
        state: 'syncing',
        progress: [{ agenda: 'events', folder: 'Kalendář', phase: 'writing', done: 1, total: 4 }],
      }),
    );
    expect(screen.getByText('The first synchronisation is running…')).toBeTruthy();
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('0.25');
    const newRun = { ...RUNS[0]!, id: 13, status: 'ok' as const };
    act(() => api.emitStatus({ state: 'idle', progress: [], lastRun: newRun }));
    expect(screen.getByText(/The first synchronisation has finished: OK/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Open the main window' }));
    expect(done).toBe(1);
  });

  test('Finish checks every step: a problem on another step takes you there', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    renderWizard(api);
    await fillCrmStep(user);
    await user.click(screen.getByRole('button', { name: 'Next' }));
    await user.click(await screen.findByRole('radio', { name: /CalDAV/ }));
    await user.type(
      screen.getByRole('textbox', { name: /Server address/ }),
      'https://dav.example.com/',
    );
    await user.type(screen.getByRole('textbox', { name: /User name/ }), 'pbartos');
    await user.type(screen.getByLabelText('Password'), 'pw');
    await user.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByRole('heading', { name: /Step 3 of 3/ });

    // Nothing to synchronise: explained at the list.
    for (const name of [/Synchronise events/, /Synchronise contacts/]) {
      await user.click(screen.getByRole('checkbox', { name }));
    }
    await user.click(screen.getByRole('button', { name: 'Finish' }));
    expect(await screen.findByText('Choose at least one thing to synchronise.')).toBeTruthy();
    expect(api.callsOf('saveSettings')).toEqual([]);

    // E-mail import cannot be switched on in this version: see honest-wizard.test.tsx.
  });

  test('problems from saveSettings are shown by their field', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    renderWizard(api);
    await fillCrmStep(user);
    await user.click(screen.getByRole('button', { name: 'Next' }));
    await user.click(await screen.findByRole('radio', { name: /CalDAV/ }));
    await user.type(
      screen.getByRole('textbox', { name: /Server address/ }),
      'https://dav.example.com/',
    );
    await user.type(screen.getByRole('textbox', { name: /User name/ }), 'pbartos');
    await user.type(screen.getByLabelText('Password'), 'pw');
    await user.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByRole('heading', { name: /Step 3 of 3/ });

    api.saveProblems = [
      { field: 'connection.dav.url', message: 'connection.dav.url: the server refused it.' },
    ];
    await user.click(screen.getByRole('button', { name: 'Finish' }));
    // Back on the server step, the message by the URL field.
    await screen.findByRole('heading', { name: /Step 2 of 3/ });
    expect(descriptionOf(screen.getByRole('textbox', { name: /Server address/ }))).toContain(
      'the server refused it',
    );
  });
});
