/**
 * The tray app's window as a user meets it: the built renderer (out/renderer, `npm run
 * build`) in Debian's Chromium, talking through the UI bridge (test/support/ui-bridge.ts,
 * the same typed API the preload exposes) to a real EngineService with the demo CRM and a
 * real Radicale. Each language gets its own installation and server and the whole way:
 * the wizard (CRM, server, general with an agenda dialog), the first-sync preview,
 * "Synchronise now" with its progress, the main window and the history. Controls are found
 * by role and by the words of that language (the renderer's own translation files).
 *
 * English also walks into the problems a user meets: a wrong CRM password, a server that
 * does not answer, a wrong server password, each shown on its field.
 *
 * Screenshots of every screen go to test-artifacts/screenshots/<lang>-<screen>.png; the
 * README's (docs/screenshots) are written when missing or with CRM_SYNC_DOC_SCREENSHOTS=1.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/core/settings/file.ts';
import { SecretKey } from '../../src/core/secrets/secret-store.ts';
import { freePort, startRadicale } from '../support/dav-servers.ts';
import type { DavTestServer } from '../support/dav-servers.ts';
import { rendererBuildProblem } from '../support/ui-bridge.ts';
import {
  CRM_PASSWORD,
  DOC_SCREENSHOTS,
  description,
  launchChromium,
  layoutProblems,
  openApp,
  screenshot,
  setUpInstallation,
} from './harness.ts';
import type { Installation } from './harness.ts';
import { translator } from './labels.ts';
import type { Language, Translate } from './labels.ts';

/** Playwright's auto-waiting: how long a control may take to appear or change. */
const WAIT_MS = 15_000;

let browser: Browser;

beforeAll(async () => {
  // The UI tests test the build: say so plainly when it is missing or stale.
  const problem = rendererBuildProblem();
  if (problem) throw new Error(problem);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

/** Waits (auto-retrying) until `read()` satisfies the matcher that follows. */
const eventually = <T>(read: () => Promise<T>) =>
  expect.poll(read, { timeout: WAIT_MS, interval: 50 });

/** The language switcher's options: each language named in itself. */
const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', cs: 'Čeština', ru: 'Русский' };

/** Screens whose English screenshot README shows. */
const DOC_SHOTS: Record<string, string> = {
  'wizard-1-crm': 'wizard-step-1.png',
  'events-dialog': 'events-dialog.png',
  main: 'main-window.png',
};

interface Walk {
  page: Page;
  lang: Language;
  t: Translate;
  app: Installation;
  server: DavTestServer;
  /** Screenshot files made, by screen. */
  shots: Map<string, string>;
}

async function shoot(walk: Walk, screen: string): Promise<void> {
  // Every screen must fit the window: no text cut off, nothing pushed out sideways.
  expect(await layoutProblems(walk.page), `layout of ${walk.lang}-${screen}`).toEqual([]);
  walk.shots.set(screen, await screenshot(walk.page, walk.lang, screen));
}

function stepHeading(walk: Walk, n: number, name: string) {
  const { page, t } = walk;
  return page.getByRole('heading', { name: t('wizard.stepOf', { n, total: 3, name: t(name) }) });
}

/** Step 1: the CRM database, the user from its list, the password (a wrong one first). */
async function crmStep(walk: Walk, withProblems: boolean): Promise<void> {
  const { page, t, app } = walk;
  await stepHeading(walk, 1, 'wizard.stepCrm').waitFor();
  const database = page.getByRole('textbox', { name: t('crm.databasePath') });
  await database.fill(app.databasePath);
  await database.blur(); // reads the CRM's users
  await page.getByRole('combobox', { name: t('crm.user') }).click();
  await page.getByRole('option', { name: 'Pavel Bartoš (pbartos)' }).click();
  const password = page.getByLabel(t('crm.password'), { exact: true });
  const next = page.getByRole('button', { name: t('common.next') });
  if (withProblems) {
    await password.fill('wrong');
    await next.click();
    await eventually(() => description(password)).toContain(
      'Wrong password for the CRM user "pbartos".',
    );
    expect(await password.getAttribute('aria-invalid')).toBe('true');
    await stepHeading(walk, 1, 'wizard.stepCrm').waitFor(); // still here
    await shoot(walk, 'wizard-1-crm-problem');
  }
  await password.fill(CRM_PASSWORD);
  await eventually(() => password.getAttribute('aria-invalid')).not.toBe('true');
  await shoot(walk, 'wizard-1-crm');
  await next.click();
}

/** Step 2: CalDAV/CardDAV, address, user, password; Test connection until connected. */
async function serverStep(walk: Walk, withProblems: boolean): Promise<void> {
  const { page, t, server } = walk;
  await stepHeading(walk, 2, 'wizard.stepServer').waitFor();
  await page.getByRole('radio', { name: t('server.kindDav') }).check();
  const url = page.getByRole('textbox', { name: t('server.davUrl') });
  const user = page.getByRole('textbox', { name: t('server.davUser'), exact: true });
  const password = page.getByLabel(t('server.password'), { exact: true });
  const test = page.getByRole('button', { name: t('server.test') });
  const failed = page.getByRole('alert').filter({ hasText: t('server.testFailed') });
  await user.fill(server.user);

  if (withProblems) {
    // Nothing listens on this loopback port: the address field says so.
    const closed = await freePort();
    await url.fill(`http://127.0.0.1:${closed}/`);
    await password.fill(server.password);
    await test.click();
    await eventually(() => description(url)).toContain(`nothing answers at 127.0.0.1:${closed}`);
    expect(await url.getAttribute('aria-invalid')).toBe('true');
    await failed.waitFor();
    await shoot(walk, 'wizard-2-server-unreachable');

    // The right server, a wrong password: the password field says so.
    await url.fill(walk.server.url);
    await password.fill('wrong');
    await test.click();
    await eventually(() => description(password)).toMatch(
      /^Wrong user name or password for http:\/\/127\.0\.0\.1:\d+\/ \(401 Unauthorized\)\./,
    );
    expect(await password.getAttribute('aria-invalid')).toBe('true');
    await failed.waitFor();
    await shoot(walk, 'wizard-2-server-wrong-password');
  } else {
    await url.fill(walk.server.url);
  }

  await password.fill(server.password);
  await test.click();
  const connected = t('server.connected', {
    calendars: t('count.calendars', { count: 1 }),
    addressBooks: t('count.addressBooks', { count: 1 }),
  });
  const connectedText = page.getByText(connected, { exact: true });
  await connectedText.waitFor();
  await failed.waitFor({ state: 'hidden' });
  await connectedText.scrollIntoViewIfNeeded();
  expect(await password.getAttribute('aria-invalid')).not.toBe('true');
  await shoot(walk, 'wizard-2-server');
  await page.getByRole('button', { name: t('common.next') }).click();
}

/**
 * Step 3: check every 15 minutes, tasks too; the events dialog (its gear button): 30 days
 * back, and in English the calendar picked from the server's folders.
 */
async function generalStep(walk: Walk, pickFolder: boolean): Promise<void> {
  const { page, t } = walk;
  await stepHeading(walk, 3, 'wizard.stepGeneral').waitFor();
  await page.getByRole('textbox', { name: t('general.interval') }).fill('15');
  await page.getByRole('checkbox', { name: t('general.enable.tasks') }).check();
  expect(await page.getByRole('checkbox', { name: t('general.enable.events') }).isChecked()).toBe(
    true,
  );
  await shoot(walk, 'wizard-3-general');

  await page
    .getByRole('button', { name: t('general.agendaSettings', { agenda: t('agenda.events') }) })
    .click();
  const dialog = page.getByRole('dialog', { name: t('events.title') });
  await dialog.waitFor();
  const calendars = dialog.getByRole('list', { name: t('folders.label.events') });
  await calendars
    .getByText(t('folders.defaultNamed.events', { name: 'Work' }), { exact: true })
    .waitFor();
  const daysPast = dialog.getByRole('textbox', { name: t('days.past') });
  expect(await daysPast.inputValue()).toBe('14');
  await daysPast.fill('30');
  if (pickFolder) {
    await dialog.getByRole('button', { name: t('folders.add') }).click();
    const picker = dialog.getByRole('group', { name: t('folders.pickTitle') });
    await picker.getByRole('radio', { name: `Work (${t('folders.isDefault')})` }).check();
    await picker.getByRole('button', { name: t('common.add'), exact: true }).click();
    await picker.waitFor({ state: 'hidden' });
    await calendars.getByText('Work', { exact: true }).waitFor();
  }
  await shoot(walk, 'events-dialog');
  await dialog.getByRole('button', { name: t('common.ok') }).click();
  await dialog.waitFor({ state: 'hidden' });
}

/** What the saved settings file says: what the wizard and the dialog set, no password. */
function checkSavedSettings(walk: Walk, pickedFolder: boolean): void {
  const { app, server } = walk;
  const raw = fs.readFileSync(app.settingsFile, 'utf8');
  expect(raw).not.toContain(server.password);
  const settings = loadSettings(app.settingsFile);
  expect(settings.crm).toMatchObject({ databasePath: app.databasePath, user: 'pbartos' });
  expect(settings.connection.kind).toBe('dav');
  expect(settings.connection.dav).toMatchObject({ url: server.url, user: server.user });
  expect(settings.schedule.intervalMinutes).toBe(15);
  expect(settings.agendas.events).toMatchObject({
    enabled: true,
    daysPast: 30,
    daysFuture: 31,
    folders: pickedFolder ? [app.calendarUrl] : [],
  });
  expect(settings.agendas.tasks.enabled).toBe(true);
  expect(settings.agendas.contacts.enabled).toBe(true);
}

/** The rows of the tables inside `scope` as "item | reason" (the columns named so). */
async function rowsOf(
  scope: ReturnType<Page['locator']>,
  t: Translate,
  columns: { item: string; reason: string },
): Promise<string[]> {
  const out: string[] = [];
  for (const table of await scope.getByRole('table').all()) {
    const headers = await table.getByRole('columnheader').allInnerTexts();
    const item = headers.indexOf(t(columns.item));
    const reason = headers.indexOf(t(columns.reason));
    expect(item, `"${t(columns.item)}" column of ${headers.join(', ')}`).toBeGreaterThanOrEqual(0);
    expect(reason, `"${t(columns.reason)}" column`).toBeGreaterThanOrEqual(0);
    const rows = await table.getByRole('row').all();
    for (const row of rows.slice(1)) {
      const cells = await row.getByRole('cell').allInnerTexts();
      out.push(`${cells[item]?.trim()} | ${cells[reason]?.trim()}`);
    }
  }
  return out.sort();
}

/**
 * After Finish: the preview lists what the first sync would do (each item with its reason),
 * "Synchronise now" runs it (held half-way, to see its progress) and the main window shows
 * it end; the history lists the same items with the same reasons.
 */
async function firstSync(walk: Walk): Promise<void> {
  const { page, t, app } = walk;
  await page.getByText(t('firstSync.saved')).waitFor();
  await page.getByRole('button', { name: t('firstSync.preview') }).click();
  const previewArea = page.locator('.preview-area');
  const title = previewArea.getByText(/\d+/).first();
  await title.waitFor();
  const planned = await rowsOf(previewArea, t, { item: 'preview.item', reason: 'preview.reason' });
  // The demo CRM: 15 persons, events of the day window, tasks; all new to the server.
  expect(planned.length).toBeGreaterThan(20);
  expect(await title.innerText()).toBe(
    t('firstSync.previewTitle', { items: t('count.items', { count: planned.length }) }),
  );
  // A contact, an event and a task of the CRM user pbartos.
  for (const item of ['Jan Dvořák', 'Porada obchodního týmu', 'Aktualizovat ceník služeb']) {
    expect(planned).toContain(`${item} | new in the CRM`);
  }
  await previewArea
    .getByRole('heading', {
      name: `${t('agenda.contacts')} — ${t('count.contacts', { count: 15 })}`,
    })
    .waitFor();
  await shoot(walk, 'first-sync');

  // Nothing has run yet: the first synchronisation waits for the user.
  expect(await app.service.listRuns(10)).toEqual([]);

  // Synchronise now: the run stops after 4 server writes until the progress has been seen.
  const held = app.holdWrites(4);
  await page.getByRole('button', { name: t('main.syncNow') }).click();
  const status = page.getByRole('region', { name: t('main.statusTitle') });
  await status.waitFor();
  const progress = status.getByRole('list', { name: t('main.progress') });
  await progress.getByText(t('phase.writing')).first().waitFor();
  await status.getByRole('button', { name: t('main.syncing') }).waitFor();
  expect(await status.getByRole('button', { name: t('main.syncing') }).isDisabled()).toBe(true);
  await status.getByText(t('state.syncing'), { exact: true }).waitFor();
  // The bar of the folder being written shows the items written so far ("4 of 6").
  await eventually(() =>
    progress.getByRole('progressbar').first().getAttribute('aria-valuetext'),
  ).toMatch(/^[1-9]\d*\D+\d+$/);
  await shoot(walk, 'main-syncing');
  held.release();

  // The end: up to date, the last run OK, the progress gone.
  await status.getByText(t('state.idle'), { exact: true }).waitFor({ timeout: 30_000 });
  await progress.waitFor({ state: 'hidden' });
  await status.getByRole('button', { name: t('main.syncNow') }).waitFor();
  await status
    .getByText(
      new RegExp(
        `${escape(t('main.lastRun', { when: '§', status: t('runStatus.ok') })).replace('§', '.+')}$`,
      ),
    )
    .waitFor();
  const runs = page.getByRole('list', { name: t('runs.title') });
  await eventually(() => runs.locator(':scope > li').count()).toBe(1);
  const newest = runs.getByRole('listitem').first();
  await newest.getByText(t('runStatus.ok'), { exact: true }).waitFor();
  await newest.getByText(t('trigger.manual')).waitFor();
  await shoot(walk, 'main');

  // The history of that run: the items the preview listed, done, with the same reasons.
  await newest.getByRole('button', { name: t('runs.showItems') }).click();
  const history = page.getByRole('tabpanel', { name: t('history.title') });
  const table = history.getByRole('table', { name: t('history.title') });
  await table.waitFor();
  await eventually(async () => (await table.getByRole('row').count()) - 1).toBe(planned.length);
  expect(await rowsOf(history, t, { item: 'history.item', reason: 'history.reason' })).toEqual(
    planned,
  );
  const outcomes = await table.getByRole('row').locator('td:last-child').allInnerTexts();
  expect(new Set(outcomes.map((o) => o.trim()))).toEqual(new Set([t('outcome.done')]));
  await shoot(walk, 'history');

  // The filter finds one item by its name.
  await history.getByRole('searchbox', { name: t('history.filter') }).fill('Zubař');
  await eventually(() => table.getByRole('row').count()).toBe(2);
  await table.getByRole('cell', { name: 'Zubař', exact: true }).waitFor();
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The whole way through the app in one language, on a fresh installation and server. */
async function walkThrough(
  lang: Language,
  options: { withProblems: boolean; language: 'switched' | 'stored' },
): Promise<Walk> {
  const server = await startRadicale();
  let app: Installation | undefined;
  try {
    app = await setUpInstallation(server, lang);
    // "stored": as after an earlier choice in the language switcher (or the OS language).
    const stored = options.language === 'stored' && lang !== 'en' ? lang : undefined;
    const { page, errors } = await openApp(browser, app, stored);
    page.setDefaultTimeout(WAIT_MS);
    const walk: Walk = { page, lang, t: translator(lang), app, server, shots: new Map() };
    try {
      if (options.language === 'switched' && lang !== 'en') {
        // The app opens in English (the OS locale is en-GB); the user picks the language.
        const en = translator('en');
        await page.getByRole('heading', { name: en('wizard.title'), level: 1 }).waitFor();
        await page.getByRole('combobox', { name: en('common.language') }).click();
        await page.getByRole('option', { name: LANGUAGE_NAMES[lang] }).click();
      }
      await page.getByRole('heading', { name: walk.t('wizard.title'), level: 1 }).waitFor();
      expect(await page.evaluate('document.documentElement.lang')).toBe(lang);
      await page
        .getByRole('combobox', { name: walk.t('common.language') })
        .getByText(LANGUAGE_NAMES[lang])
        .waitFor();
      await crmStep(walk, options.withProblems);
      await serverStep(walk, options.withProblems);
      await generalStep(walk, options.withProblems);
      await page.getByRole('button', { name: walk.t('common.finish') }).click();
      await page.getByText(walk.t('firstSync.saved')).waitFor();
      checkSavedSettings(walk, options.withProblems);
      expect(await app.secrets.get(SecretKey.serverPassword)).toBe(server.password);
      await firstSync(walk);
      expect(errors).toEqual([]);
      return walk;
    } finally {
      await page.context().close();
    }
  } finally {
    await app?.close();
    await server.stop();
  }
}

describe('the app window in Chromium, on the real engine and Radicale', () => {
  it('sets up with the wizard, previews, synchronises and shows the history (English)', async () => {
    const walk = await walkThrough('en', { withProblems: true, language: 'stored' });
    const refresh = process.env['CRM_SYNC_DOC_SCREENSHOTS'] === '1';
    fs.mkdirSync(DOC_SCREENSHOTS, { recursive: true });
    for (const [screen, name] of Object.entries(DOC_SHOTS)) {
      const from = walk.shots.get(screen);
      const to = path.join(DOC_SCREENSHOTS, name);
      expect(from, `screenshot ${screen}`).toBeDefined();
      if (from && (refresh || !fs.existsSync(to))) fs.copyFileSync(from, to);
    }
  }, 60_000);

  it('goes the same way in Czech, chosen in the language switcher', async () => {
    await walkThrough('cs', { withProblems: false, language: 'switched' });
  }, 60_000);

  it('goes the same way in Russian, the language chosen before', async () => {
    await walkThrough('ru', { withProblems: false, language: 'stored' });
  }, 60_000);
});
