/**
 * Builds the `crm-sync` command into one ES module, out/cli/crm-sync.mjs (and a chunk per
 * part loaded on demand, such as each connector), so a start does not strip the types of
 * some 200 sources and resolve each one. package.json dependencies and
 * Node built-ins stay external: they load from node_modules as they do from the sources.
 *
 * Beside it, out/cli/sources.json lists every source file the build read, with its size and
 * modification time: bin/crm-sync.mjs runs the build only while all of them are unchanged,
 * and the sources otherwise.
 *
 *   node scripts/build-cli.ts   (npm runs it on `npm ci`, as `prepare`, and in `npm run build`)
 */
import fs from 'node:fs';
import path from 'node:path';
import type { build as viteBuild } from 'vite';

const root = path.resolve(import.meta.dirname, '..');
const outDir = path.join(root, 'out', 'cli');

/** What bin/crm-sync.mjs compares before it runs the build. */
interface SourcesManifest {
  /** Relative to the project folder, '/'-separated. */
  files: { path: string; size: number; mtimeMs: number }[];
}

let build: typeof viteBuild;
try {
  ({ build } = await import('vite'));
} catch {
  // An install without devDependencies: the command runs from its sources instead.
  process.stdout.write('build-cli: vite is not installed; crm-sync will run from its sources.\n');
  process.exit(0);
}

const result = await build({
  configFile: false,
  root,
  logLevel: 'warn',
  // A source that runs itself as a script (`if (import.meta.main)`, settings/reference.ts)
  // is never the bundle's entry: in the bundle it would see the entry's true.
  define: { 'import.meta.main': 'false' },
  build: {
    ssr: path.join(root, 'src/cli/main.ts'),
    outDir,
    emptyOutDir: true,
    target: 'node22',
    minify: false,
    rolldownOptions: {
      output: {
        format: 'es',
        entryFileNames: 'crm-sync.mjs',
        chunkFileNames: 'chunks/[name]-[hash].mjs',
      },
    },
  },
  // Every package (better-sqlite3 is native) loads from node_modules at run time.
  ssr: { target: 'node', external: true },
});

const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) =>
  'output' in r ? r.output : [],
);
const sources = new Set<string>();
for (const item of outputs) {
  if (item.type !== 'chunk') continue;
  for (const id of item.moduleIds) {
    const file = id.split('?')[0] ?? '';
    if (!path.isAbsolute(file) || !file.startsWith(root + path.sep)) continue;
    if (file.includes(`${path.sep}node_modules${path.sep}`)) continue;
    sources.add(file);
  }
}
if (sources.size === 0) throw new Error('build-cli: the build read no source file');

const manifest: SourcesManifest = {
  files: [...sources].sort().map((file) => {
    const stat = fs.statSync(file);
    return {
      path: path.relative(root, file).split(path.sep).join('/'),
      size: stat.size,
      mtimeMs: stat.mtimeMs,
    };
  }),
};
fs.writeFileSync(path.join(outDir, 'sources.json'), JSON.stringify(manifest, null, 1) + '\n');
process.stdout.write(
  `build-cli: ${path.relative(root, path.join(outDir, 'crm-sync.mjs'))} from ${sources.size} sources\n`,
);
