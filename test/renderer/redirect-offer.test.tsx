// @vitest-environment happy-dom
/**
 * Redirects in the wizard: a server whose .well-known address sends the user to
 * another server is not followed silently; the connection test says where, and "Use it"
 * puts that address in the field (the password goes there only once the user chose it).
 */
import { cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, expect, test } from 'vitest';
import { SettingsFlow } from '../../src/renderer/wizard/SettingsFlow.tsx';
import { CRM_FILE, FakeApi } from './fake-api.ts';
import { renderUi } from './render.tsx';

afterEach(cleanup);

test('Test connection offers the server a .well-known address sends to, and "Use it" takes it', async () => {
  const user = userEvent.setup();
  const api = new FakeApi();
  renderUi(
    <SettingsFlow mode="wizard" initial={api.settings} exists={api.exists} onDone={() => {}} />,
    {
      api,
    },
  );
  const path = screen.getByRole('textbox', { name: /CRM database file/ });
  await user.clear(path);
  await user.type(path, CRM_FILE);
  await user.tab();
  await user.click(await screen.findByRole('combobox', { name: /CRM user/ }));
  await user.click(screen.getByRole('option', { name: /Pavel Bartoš/ }));
  await user.type(screen.getByLabelText('CRM password'), 'demo');
  await user.click(screen.getByRole('button', { name: 'Next' }));
  await screen.findByRole('heading', { name: /Step 2 of 3/ });

  await user.click(screen.getByRole('radio', { name: /CalDAV/ }));
  const url = screen.getByRole('textbox', { name: /Server address/ });
  await user.type(url, 'https://firma.example/');
  await user.type(screen.getByRole('textbox', { name: /User name/ }), 'pbartos');
  await user.type(screen.getByLabelText('Password'), 'heslo');
  api.connectionProblems = [
    {
      field: 'connection.dav.url',
      message:
        'https://firma.example/.well-known/caldav sends you to https://dav.provider.example/dav/, another server; your password was not sent there.',
      code: 'server-redirect-offered',
      params: {
        url: 'https://firma.example/.well-known/caldav',
        target: 'https://dav.provider.example/dav/',
      },
    },
  ];
  await user.click(screen.getByRole('button', { name: 'Test connection' }));
  const alerts = await screen.findAllByRole('alert');
  expect(alerts.map((a) => a.textContent).join('\n')).toContain(
    'https://firma.example/.well-known/caldav sends you to https://dav.provider.example/dav/, another server. Use https://dav.provider.example/dav/ as the server address?',
  );
  await user.click(screen.getByRole('button', { name: 'Use it' }));
  expect((url as HTMLInputElement).value).toBe('https://dav.provider.example/dav/');

  // Tested again at the new address: connected, and that is the address tested.
  api.connectionProblems = null;
  await user.click(screen.getByRole('button', { name: 'Test connection' }));
  expect(await screen.findByText(/^Connected:/)).toBeTruthy();
  expect(api.callsOf('testConnection').at(-1)?.[0]).toMatchObject({
    connection: { kind: 'dav', dav: { url: 'https://dav.provider.example/dav/' } },
  });
});
