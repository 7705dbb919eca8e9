/**
 * What the UI tests run on: an installation of the app (a temp folder with the demo CRM,
 * a calendar and an address book on a real server, an EngineService started as the engine
 * host starts it, with secrets in memory and no settings yet), the UI bridge serving the
 * built renderer for it, and Debian's Chromium driven by playwright-core.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { EngineService } from '../../src/core/app/engine-service.ts';
import type { ConnectorFactory } from '../../src/core/app/connector-factory.ts';
import { openCrmDatabase } from '../../src/core/crm/database.ts';
import { seedDemoData } from '../../src/demo/demo-crm.ts';
import { MemorySecretStore } from '../../src/core/secrets/memory-secret-store.ts';
import type { ServerConnector, ServerFolderSession } from '../../src/core/servers/connector.ts';
import { createConnector } from '../../src/core/servers/create-connector.ts';
import type { AppInfo } from '../../src/shared/app-api.ts';
import { PRODUCT_NAME } from '../../src/shared/product.ts';
import type { DavTestServer } from '../support/dav-servers.ts';
import { startUiBridge } from '../support/ui-bridge.ts';
import type { UiBridge } from '../support/ui-bridge.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const CRM_USER = 'pbartos';
/** The demo CRM users' password. */
export const CRM_PASSWORD = 'demo';

const root = path.resolve(import.meta.dirname, '../..');
export const ARTIFACTS = path.join(root, 'test-artifacts', 'screenshots');
export const DOC_SCREENSHOTS = path.join(root, 'docs', 'screenshots');

/** A desktop window of a size the screens are laid out for. */
export const VIEWPORT = { width: 960, height: 720 };

export interface Installation {
  dir: string;
  databasePath: string;
  settingsFile: string;
  calendarUrl: string;
  addressBookUrl: string;
  service: EngineService;
  secrets: MemorySecretStore;
  bridge: UiBridge;
  /**
   * Holds the next run in the middle: its server writes stop after `after` items until
   * `release()` (so a test sees the progress of a run under way, whatever the machine's speed).
   */
  holdWrites(after: number): { release(): void };
  close(): Promise<void>;
}

/** A connector whose folder sessions wait at `pause()` before every server write. */
function pausingConnector(connector: ServerConnector, pause: () => Promise<void>): ServerConnector {
  const pausing = (session: ServerFolderSession): ServerFolderSession => ({
    folder: session.folder,
    netChangesSinceToken: session.netChangesSinceToken,
    readChanges: (token, known) => session.readChanges(token, known),
    create: async (data, identity) => {
      await pause();
      return session.create(data, identity);
    },
    update: async (serverId, version, data, identity) => {
      await pause();
      return session.update(serverId, version, data, identity);
    },
    remove: async (serverId, version) => {
      await pause();
      return session.remove(serverId, version);
    },
  });
  return {
    description: connector.description,
    testConnection: () => connector.testConnection(),
    listFolders: () => connector.listFolders(),
    openFolder: async (folder, kind) => pausing(await connector.openFolder(folder, kind)),
    close: () => connector.close(),
  };
}

/**
 * A fresh installation: the demo CRM (users pbartos, jnovakova, mkral; password "demo"),
 * a calendar and an address book of its own on `server`, no settings file (the wizard
 * writes it), the engine started as the engine host starts it (once the settings are
 * complete the schedule runs; the first run waits for the user's Synchronise now).
 */
export async function setUpInstallation(
  server: DavTestServer,
  name: string,
  locale = 'en-GB',
): Promise<Installation> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `crm-sync-ui-${name}-`));
  const databasePath = path.join(dir, 'crm.sqlite');
  const db = openCrmDatabase(databasePath, { create: true });
  try {
    seedDemoData(db, { today: new Date(), password: CRM_PASSWORD });
  } finally {
    db.close();
  }
  const calendarUrl = await server.createCalendar(`calendar-${name}`, ['VEVENT', 'VTODO'], 'Work');
  const addressBookUrl = await server.createAddressBook(`contacts-${name}`, 'Customers');
  const secrets = new MemorySecretStore();
  const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    version: string;
  };
  const appInfo: AppInfo = { name: PRODUCT_NAME, version, platform: process.platform, locale };
  const settingsFile = path.join(dir, 'settings.json');
  let hold: { after: number; writes: number; gate: Promise<void>; open(): void } | null = null;
  const pause = async () => {
    if (hold && ++hold.writes > hold.after) await hold.gate;
  };
  const connectors: ConnectorFactory = async (settings, store) =>
    pausingConnector(await createConnector(settings, store, { timeoutMs: 10_000 }), pause);
  const service = new EngineService({
    settingsFile,
    secrets,
    appInfo,
    createConnector: connectors,
  });
  service.start();
  let bridge: UiBridge;
  try {
    bridge = await startUiBridge({ api: service });
  } catch (err) {
    await service.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    dir,
    databasePath,
    settingsFile,
    calendarUrl,
    addressBookUrl,
    service,
    secrets,
    bridge,
    holdWrites(after) {
      hold?.open();
      let open = () => undefined as void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      const current = { after, writes: 0, gate, open };
      hold = current;
      return {
        release() {
          if (hold === current) hold = null;
          open();
        },
      };
    },
    async close() {
      hold?.open();
      hold = null;
      await bridge.close();
      await service.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `The UI tests drive Debian's Chromium: ${CHROMIUM} is missing (apt-get install chromium).`,
    );
  }
  // playwright-core starts it with a fresh temporary profile (--user-data-dir) each time.
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** Messages the page logged as errors, uncaught exceptions, CSP violations. */
  errors: string[];
}

/**
 * A new window (its own storage) on the installation's renderer; with `language` the UI
 * starts in it, as after a choice in the language switcher.
 */
export async function openApp(
  browser: Browser,
  installation: Installation,
  language?: 'en' | 'cs' | 'ru',
): Promise<OpenedPage> {
  const context = await browser.newContext({
    viewport: VIEWPORT,
    locale: 'en-GB',
    timezoneId: 'Europe/Prague',
    reducedMotion: 'reduce',
  });
  if (language) {
    // What the language switcher stores (src/renderer/i18n/index.ts).
    await context.addInitScript(
      `window.localStorage.setItem('crm-sync.language', ${JSON.stringify(language)});`,
    );
  }
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`uncaught: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('response', (res) => {
    if (res.status() >= 400) errors.push(`${res.status()} for ${res.url()}`);
  });
  await page.goto(installation.bridge.url);
  return { context, page, errors };
}

/** Saves a screenshot as test-artifacts/screenshots/<lang>-<screen>.png; returns the path. */
export async function screenshot(page: Page, lang: string, screen: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${lang}-${screen}.png`);
  await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
  return file;
}

/** The little of the DOM that functions run in the page use (this project has no DOM types). */
interface PageElement {
  getAttribute(name: string): string | null;
  ownerDocument: { getElementById(id: string): { textContent: string | null } | null };
}

/**
 * The accessible description of a control (aria-describedby): the hint and the problem
 * its field shows, as a screen reader reads them with the control.
 */
export function description(locator: Locator): Promise<string> {
  return locator.evaluate((el: PageElement) => {
    const ids = (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
    return ids.map((id) => el.ownerDocument.getElementById(id)?.textContent ?? '').join(' ');
  });
}

/**
 * Runs in the page: what does not fit the window. The page scrolling sideways, text cut
 * off (a clipped box narrower than its text), text sticking out of the window.
 */
const LAYOUT_CHECK = `(() => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1) {
    problems.push('the page scrolls sideways: ' + root.scrollWidth + 'px in ' + root.clientWidth + 'px');
  }
  const ownText = (el) =>
    [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join('').trim();
  for (const el of document.querySelectorAll('body *')) {
    const text = ownText(el);
    if (!text || el.closest('[aria-hidden="true"]')) continue;
    const style = getComputedStyle(el);
    if (style.visibility !== 'visible' || el.getClientRects().length === 0) continue;
    const clips = style.overflowX !== 'visible' || style.textOverflow === 'ellipsis';
    if (clips && el.scrollWidth > el.clientWidth + 1) {
      problems.push('cut off: "' + text + '" (' + el.scrollWidth + 'px in ' + el.clientWidth + 'px)');
      continue;
    }
    const range = document.createRange();
    range.selectNodeContents(el);
    const box = range.getBoundingClientRect();
    if (box.width > 0 && (box.right > innerWidth + 1 || box.left < -1)) {
      problems.push('outside the window: "' + text + '" (' + Math.round(box.left) + '..' + Math.round(box.right) + 'px)');
    }
  }
  return problems;
})()`;

export async function layoutProblems(page: Page): Promise<string[]> {
  return (await page.evaluate(LAYOUT_CHECK)) as string[];
}
