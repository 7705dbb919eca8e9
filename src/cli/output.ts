import type { CliIO, GlobalOptions } from './io.ts';

/** Prints either human text or one JSON document, as the user asked with `--json`. */
export function emit(io: CliIO, opts: GlobalOptions, data: unknown, human: () => string): void {
  if (opts.json) io.stdout(JSON.stringify(data, null, 2) + '\n');
  else io.stdout(human().replace(/\n?$/, '\n'));
}

/** Aligned "label: value" lines for status-like output. */
export function table(rows: ReadonlyArray<readonly [string, string]>): string {
  const width = Math.max(0, ...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${(label + ':').padEnd(width + 2)}${value}`).join('\n');
}
