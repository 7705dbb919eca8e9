#!/usr/bin/env node
// The `crm-sync` command. It runs the build of the command (out/cli/crm-sync.mjs, made by
// scripts/build-cli.ts on `npm ci` and `npm run build`) while every source it was built
// from is unchanged, and the TypeScript sources directly otherwise (Node >= 22.18 strips
// the types), so an edit is never hidden behind an old build.
import { readFileSync, statSync } from 'node:fs';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `crm-sync: needs Node 22.18 or newer (this is ${process.version}); ` +
      'run it as `npx crm-sync`, which uses the Node 24 installed with the project.\n',
  );
  process.exit(70);
}

const root = new URL('../', import.meta.url);

/** Whether out/cli was built from the sources as they are now (size and time of each). */
function buildIsCurrent() {
  try {
    const { files } = JSON.parse(readFileSync(new URL('out/cli/sources.json', root), 'utf8'));
    if (!Array.isArray(files) || files.length === 0) return false;
    return files.every((f) => {
      const stat = statSync(new URL(f.path, root));
      return stat.size === f.size && stat.mtimeMs === f.mtimeMs;
    });
  } catch {
    // No build, or a source it lists is gone.
    return false;
  }
}

if (buildIsCurrent()) await import('../out/cli/crm-sync.mjs');
else await import('../src/cli/main.ts');
