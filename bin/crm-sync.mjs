#!/usr/bin/env node
// Development entry of the `crm-sync` command: Node >= 22.18 runs the TypeScript sources
// directly (type stripping). The packaged app ships a bundled build instead.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `crm-sync: needs Node 22.18 or newer (this is ${process.version}); ` +
      'run it as `npx crm-sync`, which uses the Node 24 installed with the project.\n',
  );
  process.exit(70);
}
await import('../src/cli/main.ts');
