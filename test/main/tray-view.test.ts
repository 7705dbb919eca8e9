/** What the tray shows for each sync status (trayView, a pure function), in en/cs/ru. */
import { describe, expect, it } from 'vitest';
import type { RunBrief, SyncStatus } from '../../src/shared/app-api.ts';
import { trayLanguage, trayTranslator } from '../../src/main/tray-strings.ts';
import { TRAY_TOOLTIP_MAX, trayView, type TrayMenuItem } from '../../src/main/tray-view.ts';
import { inMachineZone } from '../support/machine-zone.ts';

// The tray shows times in the machine's zone, here Europe/Prague: 13:05Z is 14:05 there.
inMachineZone('Europe/Prague');
const now = new Date('2026-11-21T15:00:00Z');

function run(overrides: Partial<RunBrief> = {}): RunBrief {
  return {
    id: 7,
    startedAt: '2026-11-21T13:04:10Z',
    finishedAt: '2026-11-21T13:05:00Z',
    trigger: 'interval',
    status: 'ok',
    lines: [],
    agendas: [],
    failedItems: [],
    ...overrides,
  };
}

function status(overrides: Partial<SyncStatus> = {}): SyncStatus {
  return {
    state: 'idle',
    configured: true,
    problems: [],
    progress: [],
    lastRun: run(),
    nextRunAt: '2026-11-21T13:15:00Z',
    error: null,
    ...overrides,
  };
}

const en = trayTranslator('en-GB');
const view = (s: SyncStatus, locale = 'en-GB') => trayView(s, locale, trayTranslator(locale), now);

/** The menu as the user reads it: labels, separators as "---", disabled items in [brackets]. */
function menuText(menu: readonly TrayMenuItem[]): string[] {
  return menu.map((item) =>
    item.type === 'separator' ? '---' : item.enabled ? item.label : `[${item.label}]`,
  );
}

describe('tray menu and icon', () => {
  it('idle: the idle icon, everything enabled, "Pause"', () => {
    const v = view(status());
    expect(v.icon).toBe('idle');
    expect(menuText(v.menu)).toEqual([
      'Synchronize now',
      'Pause',
      '---',
      'Open CRM Sync',
      'Settings…',
      '---',
      'Quit',
    ]);
    expect(v.menu.flatMap((item) => (item.type === 'command' ? [item.command] : []))).toEqual([
      'sync-now',
      'pause',
      'open',
      'settings',
      'quit',
    ]);
  });

  it('syncing: the syncing icon, "Synchronize now" disabled', () => {
    const v = view(status({ state: 'syncing' }));
    expect(v.icon).toBe('syncing');
    expect(menuText(v.menu).slice(0, 2)).toEqual(['[Synchronize now]', 'Pause']);
  });

  it('error: the error icon, a new try can be asked for', () => {
    const v = view(status({ state: 'error', lastRun: run({ status: 'failed' }) }));
    expect(v.icon).toBe('error');
    expect(menuText(v.menu).slice(0, 2)).toEqual(['Synchronize now', 'Pause']);
  });

  it('paused: the paused icon and "Resume" in place of "Pause"', () => {
    const v = view(status({ state: 'paused', nextRunAt: null }));
    expect(v.icon).toBe('paused');
    expect(menuText(v.menu).slice(0, 2)).toEqual(['Synchronize now', 'Resume']);
    expect(v.menu[1]).toMatchObject({ type: 'command', command: 'resume' });
  });

  it('not set up: engine commands disabled, the window and Quit available', () => {
    const v = view(status({ configured: false, lastRun: null, nextRunAt: null }));
    expect(menuText(v.menu)).toEqual([
      '[Synchronize now]',
      '[Pause]',
      '---',
      'Open CRM Sync',
      'Settings…',
      '---',
      'Quit',
    ]);
    expect(v.tooltip).toBe('CRM Sync — not set up yet');
  });

  it('in Czech and Russian', () => {
    expect(menuText(view(status({ state: 'paused' }), 'cs-CZ').menu)).toEqual([
      'Synchronizovat nyní',
      'Pokračovat',
      '---',
      'Otevřít CRM Sync',
      'Nastavení…',
      '---',
      'Ukončit',
    ]);
    expect(menuText(view(status(), 'ru-RU').menu)).toEqual([
      'Синхронизировать сейчас',
      'Приостановить',
      '---',
      'Открыть CRM Sync',
      'Настройки…',
      '---',
      'Выход',
    ]);
  });
});

describe('tray tooltip', () => {
  it('names the last result and time and the next time, in English', () => {
    expect(view(status()).tooltip).toBe('CRM Sync — last: OK, 14:05; next: 14:15');
    expect(view(status({ lastRun: run({ status: 'partial' }) })).tooltip).toBe(
      'CRM Sync — last: with errors, 14:05; next: 14:15',
    );
    expect(view(status({ state: 'error', lastRun: run({ status: 'failed' }) })).tooltip).toBe(
      'CRM Sync — last: failed, 14:05; next: 14:15',
    );
    expect(view(status({ lastRun: run({ status: 'refused' }) })).tooltip).toBe(
      'CRM Sync — last: refused (mass deletion), 14:05; next: 14:15',
    );
    // US English: 12-hour clock.
    expect(trayView(status(), 'en-US', en, now).tooltip).toMatch(
      /^CRM Sync — last: OK, 2:05\sPM; next: 2:15\sPM$/,
    );
  });

  it('in Czech', () => {
    expect(view(status(), 'cs-CZ').tooltip).toBe(
      'CRM Sync — poslední: v pořádku, 14:05; příští: 14:15',
    );
    expect(
      view(status({ state: 'paused', nextRunAt: null, lastRun: run({ status: 'failed' }) }), 'cs')
        .tooltip,
    ).toBe('CRM Sync — poslední: selhala, 14:05; příští: pozastaveno');
    expect(view(status({ configured: false }), 'cs-CZ').tooltip).toBe(
      'CRM Sync — zatím není nastaveno',
    );
  });

  it('in Russian', () => {
    expect(view(status(), 'ru-RU').tooltip).toBe(
      'CRM Sync — последняя: успешно, 14:05; следующая: 14:15',
    );
    expect(view(status({ state: 'syncing', lastRun: null }), 'ru').tooltip).toBe(
      'CRM Sync — последняя: ещё не было; следующая: выполняется сейчас',
    );
  });

  it('says when there was no run yet, one runs now, or none is planned', () => {
    expect(view(status({ lastRun: null })).tooltip).toBe('CRM Sync — last: none yet; next: 14:15');
    expect(view(status({ state: 'syncing' })).tooltip).toBe(
      'CRM Sync — last: OK, 14:05; next: running now',
    );
    expect(view(status({ state: 'paused', nextRunAt: null })).tooltip).toBe(
      'CRM Sync — last: OK, 14:05; next: paused',
    );
    expect(view(status({ nextRunAt: null })).tooltip).toBe(
      'CRM Sync — last: OK, 14:05; next: not scheduled',
    );
  });

  it('takes the start of a run that has not finished (interrupted)', () => {
    const interrupted = run({ status: 'interrupted', finishedAt: null });
    expect(view(status({ lastRun: interrupted })).tooltip).toBe(
      'CRM Sync — last: interrupted, 14:04; next: 14:15',
    );
  });

  it('adds the date to a time that is not today', () => {
    const yesterday = run({ finishedAt: '2026-11-20T08:30:00Z' });
    const tomorrow = '2026-11-22T07:00:00Z';
    expect(view(status({ lastRun: yesterday, nextRunAt: tomorrow }), 'cs-CZ').tooltip).toBe(
      'CRM Sync — poslední: v pořádku, 20. 11. 9:30; příští: 22. 11. 8:00',
    );
    expect(view(status({ lastRun: yesterday, nextRunAt: tomorrow })).tooltip).toBe(
      'CRM Sync — last: OK, 20/11 09:30; next: 22/11 08:00',
    );
  });

  it('uses the local day, not the UTC one', () => {
    // 23:30Z on the 20th is 00:30 on the 21st in Prague: today.
    const justAfterMidnight = run({ finishedAt: '2026-11-20T23:30:00Z' });
    expect(view(status({ lastRun: justAfterMidnight })).tooltip).toBe(
      'CRM Sync — last: OK, 00:30; next: 14:15',
    );
  });

  it('survives a locale Intl does not know ("C", "") and falls back to English words', () => {
    for (const locale of ['C', '', 'POSIX', 'xx_YY.UTF-8@euro']) {
      expect(trayLanguage(locale)).toBe('en');
      // Intl's default locale formats the times then.
      expect(trayView(status(), locale, trayTranslator(locale), now).tooltip).toMatch(
        /^CRM Sync — last: OK, \S+(\sPM)?; next: \S+(\sPM)?$/,
      );
    }
    expect(trayLanguage('cs_CZ.UTF-8')).toBe('cs');
    expect(trayLanguage('ru')).toBe('ru');
  });

  it('never exceeds what Windows shows (127 characters)', () => {
    const long = trayView(status(), 'en-GB', (key) => `${en(key)} ${'x'.repeat(60)}`, now);
    expect([...long.tooltip]).toHaveLength(TRAY_TOOLTIP_MAX);
    expect(long.tooltip.endsWith('…')).toBe(true);
  });
});
