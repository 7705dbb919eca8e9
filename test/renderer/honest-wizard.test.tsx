// @vitest-environment happy-dom
/**
 * The wizard promises only what this version does: Microsoft 365 and e-mail import are
 * shown as coming, not offered; a server address with a password in it is refused next to
 * the field (the password has its own field and goes to the secret store).
 */
import { cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test } from 'vitest';
import { SettingsFlow } from '../../src/renderer/wizard/SettingsFlow.tsx';
import { validateSettings } from '../../src/renderer/settings/validate.ts';
import { defaultSettings } from '../../src/shared/settings/schema.ts';
import { CRM_FILE, FakeApi } from './fake-api.ts';
import { descriptionOf, renderUi } from './render.tsx';

afterEach(cleanup);

/** Typing through the wizard is slow on a busy machine. */
const UI_TIMEOUT = 120_000;

async function toServerStep() {
  const user = userEvent.setup();
  const api = new FakeApi();
  renderUi(
    <SettingsFlow mode="wizard" initial={api.settings} exists={api.exists} onDone={() => {}} />,
    { api },
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
  return { user, api };
}

describe('what this version cannot do is not offered', () => {
  test(
    'Microsoft 365 is labelled as coming and cannot be chosen',
    async () => {
      const { user } = await toServerStep();
      const m365 = screen.getByRole('radio', { name: /Microsoft 365/ });
      expect(screen.getByText('Microsoft 365 (coming in a later version)')).toBeTruthy();
      expect((m365 as HTMLInputElement).disabled).toBe(true);
      await user.click(m365);
      expect((m365 as HTMLInputElement).checked).toBe(false);
      expect(screen.queryByRole('textbox', { name: /Application \(client\) ID/ })).toBeNull();
      expect(screen.queryByText(/sign-in page/)).toBeNull();
    },
    UI_TIMEOUT,
  );

  test(
    'e-mail import is labelled not available and cannot be switched on',
    async () => {
      const { user } = await toServerStep();
      await user.click(screen.getByRole('radio', { name: /CalDAV/ }));
      await user.type(
        screen.getByRole('textbox', { name: /Server address/ }),
        'https://dav.example.com/',
      );
      await user.type(screen.getByRole('textbox', { name: /User name/ }), 'pbartos');
      await user.type(screen.getByLabelText('Password'), 's3cret');
      await user.click(screen.getByRole('button', { name: 'Next' }));
      await screen.findByRole('heading', { name: /Step 3 of 3: General/ });

      const mail = screen.getByRole('checkbox', { name: /Import e-mails/ }) as HTMLInputElement;
      expect(mail.disabled).toBe(true);
      await user.click(mail);
      expect(mail.checked).toBe(false);
      expect(screen.getByText(/Not available in this version/)).toBeTruthy();
    },
    UI_TIMEOUT,
  );

  test(
    'settings that ask for them anyway (an older file) are not accepted on save',
    () => {
      const s = defaultSettings();
      s.connection.kind = 'm365';
      s.agendas.mail.enabled = true;
      const problems = validateSettings(s);
      expect(problems['connection.kind']).toEqual({ key: 'm365Unavailable' });
      expect(problems['agendas.mail.enabled']).toEqual({ key: 'mailUnavailable' });
    },
    UI_TIMEOUT,
  );
});

describe('a server address with a user name or password', () => {
  test(
    'is refused next to the field, saying where they belong, and not tested',
    async () => {
      const { user, api } = await toServerStep();
      await user.click(screen.getByRole('radio', { name: /CalDAV/ }));
      await user.type(
        screen.getByRole('textbox', { name: /Server address/ }),
        'https://alice:s3cret@dav.example.com/',
      );
      await user.type(screen.getByRole('textbox', { name: /User name/ }), 'alice');
      await user.type(screen.getByLabelText('Password'), 's3cret');
      await user.click(screen.getByRole('button', { name: 'Test connection' }));
      const url = screen.getByRole('textbox', { name: /Server address/ });
      expect(url.getAttribute('aria-invalid')).toBe('true');
      expect(descriptionOf(url)).toContain(
        'Remove the user name and password from the address: enter them in the user name and password fields.',
      );
      expect(api.callsOf('testConnection')).toEqual([]);
    },
    UI_TIMEOUT,
  );

  test(
    'in the proxy and EWS addresses too',
    () => {
      const s = defaultSettings();
      s.connection.exchange.ewsUrl = 'https://FIRMA%5Calice:pw@mail.example.com/EWS/Exchange.asmx';
      s.connection.proxy.url = 'http://proxyuser:pw@proxy.example.com:3128';
      const problems = validateSettings(s);
      expect(problems['connection.exchange.ewsUrl']).toEqual({ key: 'urlCredentials' });
      expect(problems['connection.proxy.url']).toEqual({ key: 'urlCredentials' });
    },
    UI_TIMEOUT,
  );
});
