/**
 * schedule.automatic off in the tray app's engine: no run at start, on the interval or on
 * waking, unlike pause it is a setting; "Synchronize now" still runs.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EngineService } from '../../src/core/app/engine-service.ts';
import { startRadicale } from '../support/dav-servers.ts';
import type { DavTestServer } from '../support/dav-servers.ts';
import { manualTimers, recordStatuses, setUpApp } from './helpers.ts';
import type { AppSetup } from './helpers.ts';

let server: DavTestServer;
let app: AppSetup;

beforeAll(async () => {
  server = await startRadicale();
}, 240_000);
afterAll(async () => {
  await server.stop();
});
afterEach(async () => {
  await app.close();
});

async function configure(service: EngineService, automatic: boolean): Promise<void> {
  const settings = structuredClone(app.settings);
  settings.schedule.automatic = automatic;
  expect(await service.saveSettings(settings)).toEqual({ ok: true });
  await service.setServerPassword(server.password);
}

describe('synchronise automatically: off', () => {
  it('runs only when asked: not at start, not on the interval, not on waking', async () => {
    app = await setUpApp(server);
    const timers = manualTimers();
    const service = app.service({ setTimer: timers.setTimer });
    await configure(service, false);
    const statuses = recordStatuses(service);

    service.start();
    await service.wake();
    expect(timers.pending).toEqual([]);
    expect(await service.status()).toMatchObject({ state: 'idle', nextRunAt: null });
    expect(await service.listRuns(10)).toEqual([]);

    expect(await service.syncNow()).toEqual({ accepted: true });
    await statuses.untilRunsEnded(1);
    expect((await service.listRuns(10)).map((r) => r.trigger)).toEqual(['manual']);
    expect(timers.pending).toEqual([]);
    expect((await service.status()).nextRunAt).toBeNull();
  });

  it('switched on again in the settings, the schedule comes back', async () => {
    app = await setUpApp(server);
    const timers = manualTimers();
    const service = app.service({ setTimer: timers.setTimer });
    await configure(service, false);
    service.start();
    expect(timers.pending).toEqual([]);

    await configure(service, true);
    expect(timers.pending.map((t) => t.ms)).toEqual([10 * 60_000]);
  });
});
