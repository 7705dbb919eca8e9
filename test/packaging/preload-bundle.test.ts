/**
 * The built preload (out/preload/index.cjs) as a sandboxed renderer runs it: one CommonJS
 * file that may require only `electron`, with the IPC contract's channel table written in by
 * the build and none of the contract's zod schemas.
 *
 * Needs `npm run build` first (README's test command builds before the tests run); without
 * out/ the test fails and says so.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import { API_METHODS, channelOf } from '../../src/shared/ipc-contract.ts';

const bundleFile = join(import.meta.dirname, '..', '..', 'out', 'preload', 'index.cjs');

describe('the built preload', () => {
  it("requires only electron, carries no zod, and calls each method's channel", async () => {
    expect(existsSync(bundleFile), 'out/ is missing: run `npm run build` first').toBe(true);
    const source = readFileSync(bundleFile, 'utf8');
    // Zod's classes ($ZodType, ZodError...) and the contract's schema calls stay out.
    expect(source).not.toMatch(/Zod[A-Z]|strictObject|safeParse/);

    const required: string[] = [];
    const exposed = new Map<string, Record<string, (...args: unknown[]) => unknown>>();
    const invoke = vi.fn(async (channel: string) => channel);
    const electron = {
      contextBridge: {
        exposeInMainWorld: (key: string, api: Record<string, (...a: unknown[]) => unknown>) =>
          exposed.set(key, api),
      },
      ipcRenderer: { invoke, on: () => undefined, removeListener: () => undefined },
    };
    const module = { exports: {} };
    vm.runInNewContext(`(function (require, module, exports) {\n${source}\n})`, {})(
      (name: string) => {
        required.push(name);
        if (name !== 'electron') throw new Error(`A sandboxed preload cannot require ${name}.`);
        return electron;
      },
      module,
      module.exports,
    );
    expect(required).toEqual(['electron']);

    const api = exposed.get('crmSync');
    expect(Object.keys(api ?? {}).sort()).toEqual(
      [...API_METHODS, 'onNavigate', 'onStatus'].sort(),
    );
    for (const method of API_METHODS) {
      await expect(api?.[method]?.()).resolves.toBe(channelOf(method));
    }
  });
});
