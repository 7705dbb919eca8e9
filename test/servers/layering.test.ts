/**
 * The layering lint of eslint.config.js: a connector never imports another, shared server
 * code imports no connector, and the engine reaches servers only through the connector
 * interface. Linted as if the code stood at the given path.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImports(filePath: string, specifier: string): Promise<string[]> {
  const code = `import { x } from '${specifier}';\nexport const y = x;\n`;
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports')
    .map((m) => m.message);
}

describe('layering lint', () => {
  it('refuses an import from one connector into another, whichever the direction', async () => {
    expect(
      await restrictedImports('src/core/servers/ews/mapping/probe.ts', '../../dav/ical/text.ts'),
    ).toHaveLength(1);
    expect(
      await restrictedImports('src/core/servers/dav/transport/probe.ts', '../../ews/failures.ts'),
    ).toHaveLength(1);
    // Every folder of servers/ is a connector without being listed.
    expect(
      await restrictedImports('src/core/servers/memory/probe.ts', '../dav/transport/index.ts'),
    ).toHaveLength(1);
  });

  it('lets a connector use the shared server modules, core/time and the model', async () => {
    for (const specifier of [
      '../../http/network-failures.ts',
      '../../errors.ts',
      '../../text.ts',
      '../../../time/zoned-time.ts',
      '../../../model/items.ts',
      './fields.ts',
    ]) {
      expect(await restrictedImports('src/core/servers/dav/ical/probe.ts', specifier)).toEqual([]);
    }
  });

  it('keeps server code out of the engine: the item model is all it shares', async () => {
    expect(
      await restrictedImports('src/core/servers/ews/mapping/probe.ts', '../../../sync/planner.ts'),
    ).toHaveLength(1);
    expect(await restrictedImports('src/core/servers/probe.ts', '../sync/state.ts')).toHaveLength(
      1,
    );
  });

  it('keeps shared server code free of connectors', async () => {
    expect(
      await restrictedImports('src/core/servers/http/probe.ts', '../dav/transport/hrefs.ts'),
    ).toHaveLength(1);
    expect(
      await restrictedImports('src/core/servers/checked-url.ts', './ews/failures.ts'),
    ).toHaveLength(1);
  });

  it('lets the engine see servers only through the connector interface and its errors', async () => {
    expect(await restrictedImports('src/core/sync/probe.ts', '../servers/connector.ts')).toEqual(
      [],
    );
    expect(await restrictedImports('src/core/sync/probe.ts', '../servers/errors.ts')).toEqual([]);
    expect(
      await restrictedImports('src/core/sync/crm-side/probe.ts', '../../servers/dav/index.ts'),
    ).toHaveLength(1);
    expect(
      await restrictedImports('src/core/sync/probe.ts', '../servers/http/dispatcher.ts'),
    ).toHaveLength(1);
  });

  it('still keeps Electron out of the folders with a layering rule', async () => {
    expect(await restrictedImports('src/core/servers/ews/probe.ts', 'electron')).toHaveLength(1);
    expect(await restrictedImports('src/core/sync/probe.ts', 'electron')).toHaveLength(1);
  });
});
