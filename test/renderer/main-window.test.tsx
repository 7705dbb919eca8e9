// @vitest-environment happy-dom
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test } from 'vitest';
import { MainWindow } from '../../src/renderer/window/MainWindow.tsx';
import type { AppInfo } from '../../src/shared/app-api.ts';
import type { Language } from '../../src/renderer/i18n/index.ts';
import { FakeApi, RUNS, idleStatus } from './fake-api.ts';
import { renderUi } from './render.tsx';
import { inMachineZone } from '../support/machine-zone.ts';

afterEach(cleanup);

const info: AppInfo = { name: 'CRM Sync', version: '1.2.3', platform: 'win32', locale: 'en-GB' };

function renderMain(
  api = new FakeApi({ exists: true }),
  onOpenSettings = () => {},
  language?: Language,
) {
  renderUi(<MainWindow info={info} onOpenSettings={onOpenSettings} />, {
    api,
    ...(language ? { language } : {}),
  });
  return api;
}

// Times are shown in the machine's zone: these tests expect Prague's.
inMachineZone('Europe/Prague');

describe('main window', () => {
  test('shows the version, the state and the last runs with their lines and failed items', async () => {
    renderMain();
    expect(screen.getByTestId('version').textContent).toBe('Version 1.2.3');
    const status = screen.getByRole('status');
    await within(status).findByText('Up to date');
    // Prague time (the tests' zone): 13:15 UTC is 14:15.
    expect(within(status).getByText('Next check at 14:15')).toBeTruthy();

    const runs = await screen.findByRole('list', { name: 'Last runs' });
    const items = within(runs).getAllByRole('listitem');
    expect(items[0]?.textContent).toContain('events: CRM +2 ~1 -0; server +0 ~3 -0');
    expect(items[0]?.textContent).toContain('Some items failed');
    expect(items[0]?.textContent).toContain('1 item failed');
    expect(items[0]?.textContent).toContain('Porada s dodavatelem: unknown time zone');
    expect(items[0]?.textContent).toContain('Started by hand');
  });

  test('progress from onStatus: a bar and counts per agenda, then back to idle', async () => {
    const api = renderMain();
    await screen.findByText('Up to date');
    expect(api.listenerCount()).toBe(1);

    act(() =>
      api.emitStatus({
        state: 'syncing',
        progress: [
          { agenda: 'events', folder: 'Kalendář', phase: 'writing', done: 3, total: 10 },
          { agenda: 'contacts', folder: 'Kontakty', phase: 'reading', done: 0, total: 0 },
        ],
      }),
    );
    const progress = screen.getByRole('list', { name: 'Progress' });
    const bars = within(progress).getAllByRole('progressbar');
    expect(bars).toHaveLength(2);
    expect(bars[0]?.getAttribute('aria-valuenow')).toBe('0.3');
    expect(bars[0]?.getAttribute('aria-valuetext')).toBe('3 of 10');
    // The contacts folder is still being read: no known total, an indeterminate bar.
    expect(bars[1]?.getAttribute('aria-valuenow')).toBeNull();
    expect(within(progress).getByText('Events · Kalendář')).toBeTruthy();
    expect(within(progress).getByText('3 / 10 events')).toBeTruthy();
    expect(within(progress).getByText('Reading changes')).toBeTruthy();
    expect(screen.getByText('Synchronising')).toBeTruthy();
    expect(
      (screen.getByRole('button', { name: /Synchronising/ }) as HTMLButtonElement).disabled,
    ).toBe(true);

    act(() => api.emitStatus({ state: 'idle', progress: [] }));
    expect(screen.queryByRole('list', { name: 'Progress' })).toBeNull();
    expect(screen.getByText('Up to date')).toBeTruthy();
  });

  test('Synchronize now, Pause and Resume', async () => {
    const user = userEvent.setup();
    const api = renderMain();
    await screen.findByText('Up to date');
    await user.click(screen.getByRole('button', { name: 'Synchronise now' }));
    expect(api.callsOf('syncNow')).toHaveLength(1);
    await screen.findByText('Synchronising');
    act(() => api.emitStatus({ state: 'idle' }));

    await user.click(screen.getByRole('button', { name: 'Pause' }));
    expect(api.callsOf('pause')).toHaveLength(1);
    await screen.findByText('Paused');
    await user.click(screen.getByRole('button', { name: 'Resume' }));
    expect(api.callsOf('resume')).toHaveLength(1);
    await screen.findByText('Up to date');
  });

  test('after a guard refusal, both ways on are offered by name and the choice is passed on', async () => {
    const user = userEvent.setup();
    const api = new FakeApi({ exists: true });
    const refusedAgenda = (code: string, deleted: string) => ({
      agenda: 'events',
      folder: 'Kalendář',
      crm: { created: 0, updated: 0, deleted: 0 },
      server: { created: 0, updated: 0, deleted: 0 },
      linked: 0,
      untracked: 0,
      skipped: 0,
      conflicts: 0,
      failed: 0,
      refused: `The run would delete 8 of 8 synchronised items ${deleted} …`,
      refusedCode: code,
      refusedParams: { count: 8, tracked: 8, folder: 'Kalendář', percent: 30, limit: 5 },
      aborted: null,
    });
    const refusedRun = (code: string, deleted: string) => ({
      ...RUNS[0]!,
      id: 13,
      status: 'refused' as const,
      lines: [],
      failedItems: [],
      agendas: [refusedAgenda(code, deleted)],
    });
    renderMain(api);
    await screen.findByText('Up to date');
    expect(
      screen.queryByRole('button', { name: "Put the CRM's items back on the server" }),
    ).toBeNull();

    // Items gone from the server: it may have been emptied, so both choices.
    act(() => api.emitStatus({ lastRun: refusedRun('guard-mass-delete-crm', 'in the CRM') }));
    const bar = await screen.findByLabelText(
      'The safety guard stopped the last run; nothing was changed.',
    );
    expect(bar.textContent).toContain('If the server was emptied or replaced');
    await user.click(
      within(bar).getByRole('button', { name: "Put the CRM's items back on the server" }),
    );
    expect(api.callsOf('syncNow').at(-1)).toEqual(['restore-server']);

    act(() => api.emitStatus({ state: 'idle', lastRun: refusedRun('guard-empty-listing', '') }));
    await user.click(await screen.findByRole('button', { name: 'Accept the deletions' }));
    expect(api.callsOf('syncNow').at(-1)).toEqual(['force-deletes']);

    // Deletions on the server (the CRM lost items): putting anything back there makes no sense.
    act(() =>
      api.emitStatus({
        state: 'idle',
        lastRun: refusedRun('guard-mass-delete-server', 'on the server'),
      }),
    );
    await screen.findByRole('button', { name: 'Accept the deletions' });
    expect(
      screen.queryByRole('button', { name: "Put the CRM's items back on the server" }),
    ).toBeNull();
  });

  test('a refused "Synchronize now" says why', async () => {
    const user = userEvent.setup();
    const api = new FakeApi({ exists: true });
    api.syncNow = async () => ({ accepted: false, reason: 'The CRM database is locked.' });
    renderMain(api);
    await screen.findByText('Up to date');
    await user.click(screen.getByRole('button', { name: 'Synchronise now' }));
    expect(await screen.findByText('The CRM database is locked.')).toBeTruthy();
  });

  test('the history filter asks the journal and shows each item with its reason', async () => {
    const user = userEvent.setup();
    const api = renderMain();
    await user.click(screen.getByRole('tab', { name: 'History' }));
    const table = await screen.findByRole('table', { name: 'History' });
    expect(within(table).getAllByRole('row')).toHaveLength(4); // header + 3
    expect(within(table).getByText('changed in the CRM since the last sync')).toBeTruthy();
    expect(within(table).getByText('Changed on the server')).toBeTruthy();

    await user.type(screen.getByRole('searchbox', { name: 'Filter the history' }), 'agrotech');
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(2));
    expect(within(table).getByText('Schůzka Agrotech Morava')).toBeTruthy();
    expect(within(table).getByText('new on the server')).toBeTruthy();
    expect(api.callsOf('journal').at(-1)).toEqual([{ limit: 200, text: 'agrotech' }]);
    expect(screen.getByText('1 item')).toBeTruthy();

    await user.clear(screen.getByRole('searchbox', { name: 'Filter the history' }));
    await user.type(
      screen.getByRole('searchbox', { name: 'Filter the history' }),
      'nothing like it',
    );
    expect(await screen.findByText('Nothing matches.')).toBeTruthy();
  });

  test('"Conflicts only" shows the items that changed on both sides, marked as conflicts', async () => {
    const user = userEvent.setup();
    const api = renderMain();
    await user.click(screen.getByRole('tab', { name: 'History' }));
    const table = await screen.findByRole('table', { name: 'History' });
    expect(within(table).getAllByText('Conflict')).toHaveLength(1);
    await user.click(screen.getByRole('checkbox', { name: 'Conflicts only' }));
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(2));
    expect(within(table).getByText('Instalace serveru ElektroServis')).toBeTruthy();
    expect(api.callsOf('journal').at(-1)).toEqual([{ limit: 200, conflictsOnly: true }]);
  });

  test('"Show items" of a run shows that run\'s history', async () => {
    const user = userEvent.setup();
    const api = renderMain();
    const runs = await screen.findByRole('list', { name: 'Last runs' });
    await user.click(within(runs).getAllByRole('button', { name: 'Show items' })[1]!);
    const table = await screen.findByRole('table', { name: 'History' });
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(2));
    expect(within(table).getByText('Jana Dvořáková')).toBeTruthy();
    expect(api.callsOf('journal').at(-1)).toEqual([{ limit: 200, runId: 11 }]);
    await user.click(screen.getByRole('button', { name: 'Show all runs, not only run 11' }));
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(4));
  });

  test('the trash lists items deleted by sync, and Restore brings one back', async () => {
    const user = userEvent.setup();
    const api = renderMain();
    await user.click(screen.getByRole('tab', { name: 'Trash' }));
    const table = await screen.findByRole('table', { name: 'Trash' });
    expect(within(table).getByText('Školení obsluhy')).toBeTruthy();
    expect(within(table).getByText('deleted on the server')).toBeTruthy();
    await user.click(within(table).getByRole('button', { name: 'Restore Školení obsluhy' }));
    expect(await screen.findByText('Restored: Školení obsluhy')).toBeTruthy();
    expect(api.callsOf('restoreTrash')).toEqual([[7]]);
    expect(within(table).queryByRole('button', { name: /Restore/ })).toBeNull();
    expect(within(table).getByText(/^Restored /)).toBeTruthy();
  });

  test('Preview shows the dry run in a dialog', async () => {
    const user = userEvent.setup();
    renderMain();
    await screen.findByText('Up to date');
    await user.click(screen.getByRole('button', { name: 'Preview' }));
    const dialog = await screen.findByRole('dialog', {
      name: 'What a synchronisation would do now',
    });
    expect(within(dialog).getByRole('region', { name: 'Events — 2 events' })).toBeTruthy();
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  test('not configured: the problems and a way to the settings', async () => {
    const user = userEvent.setup();
    let opened = 0;
    const api = new FakeApi({
      exists: true,
      current: idleStatus({
        configured: false,
        problems: ['crm.user is empty: set the CRM login.'],
      }),
    });
    renderMain(api, () => opened++);
    expect(await screen.findByText('crm.user is empty: set the CRM login.')).toBeTruthy();
    const settingsButtons = screen.getAllByRole('button', { name: 'Settings' });
    await user.click(settingsButtons[settingsButtons.length - 1]!);
    expect(opened).toBe(1);
  });

  test('a failure stays shown while the state is "error", though it is announced once', async () => {
    const api = renderMain();
    await screen.findByText('Up to date');
    act(() =>
      api.emitStatus({ state: 'error', error: 'Wrong user name or password for dav.example.com.' }),
    );
    expect(screen.getByRole('alert').textContent).toBe(
      'Wrong user name or password for dav.example.com.',
    );
    // The next update carries no error (it was announced), the state is still "error".
    act(() => api.emitStatus({ error: null, nextRunAt: '2026-11-20T13:25:00.000Z' }));
    expect(screen.getByRole('alert').textContent).toContain('Wrong user name or password');
    expect(screen.getByText('Error')).toBeTruthy();
    // A good run clears it.
    act(() => api.emitStatus({ state: 'idle' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  test('unsubscribes from status events when closed', async () => {
    const api = new FakeApi({ exists: true });
    const { unmount } = renderUi(<MainWindow info={info} onOpenSettings={() => {}} />, { api });
    await screen.findByText('Up to date');
    expect(api.listenerCount()).toBe(1);
    unmount();
    expect(api.listenerCount()).toBe(0);
  });

  test('in Czech, the history words the engine reasons and the runs their counts', async () => {
    const user = userEvent.setup();
    const api = new FakeApi({ exists: true });
    api.journalItems = [
      ...api.journalItems,
      {
        id: 4,
        runId: 12,
        at: '2026-11-20T13:05:03.000Z',
        agenda: 'events',
        action: 'update-server',
        label: 'Porada týmu',
        reason:
          'changed on both sides; the CRM copy wins (policy: newer wins (CRM changed 2026-11-20T10:00:00.000Z, server 2026-11-20T09:00:00.000Z))',
        reasonCode: 'conflict-newer-crm',
        reasonParams: {
          crmTime: '2026-11-20T10:00:00.000Z',
          serverTime: '2026-11-20T09:00:00.000Z',
        },
        outcome: 'done',
        error: null,
        conflict: true,
      },
      {
        id: 5,
        runId: 12,
        at: '2026-11-20T13:05:04.000Z',
        agenda: 'events',
        action: 'skip',
        label: 'Budoucí kód',
        reason: 'a reason from a newer engine',
        reasonCode: 'not-known-yet',
        reasonParams: {},
        outcome: 'skipped',
        error: null,
        conflict: false,
      },
    ];
    renderMain(api, () => {}, 'cs');

    const runs = await screen.findByRole('list', { name: 'Poslední běhy' });
    // Counts are worded in Czech; a run without them keeps its English lines.
    expect(
      within(runs).getByText('Události (Work): CRM +0 ~0 −0; server +6 ~0 −0, 1 konflikt'),
    ).toBeTruthy();
    expect(within(runs).getByText('events: CRM +2 ~1 -0; server +0 ~3 -0')).toBeTruthy();

    await user.click(screen.getByRole('tab', { name: 'Historie' }));
    const table = await screen.findByRole('table', { name: 'Historie' });
    expect(within(table).getByText('nové na serveru')).toBeTruthy();
    expect(within(table).getByText('nové v CRM')).toBeTruthy();
    // Prague time, Czech format.
    expect(
      within(table).getByText(
        'změněno na obou stranách; vyhrává kopie v CRM (pravidlo: vyhrává novější; v CRM změněno 20. 11. 2026 11:00, na serveru 20. 11. 2026 10:00)',
      ),
    ).toBeTruthy();
    // No code, or one this UI does not know: the engine's English.
    expect(within(table).getByText('changed in the CRM since the last sync')).toBeTruthy();
    expect(within(table).getByText('a reason from a newer engine')).toBeTruthy();
    expect(within(table).queryByText('new on the server')).toBeNull();
  });
});
