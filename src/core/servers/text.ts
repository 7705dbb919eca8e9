/**
 * The model's form of texts a user typed, whatever server they come from: the
 * normalisation that keeps content hashes stable across clients and connectors.
 */

/**
 * The model's form of a text the user typed: line breaks as "\n", no control characters
 * (no client can store them in a TEXT value), no trailing line breaks (clients add and drop
 * them at will). Nothing else is trimmed.
 */
export function normaliseText(text: string): string {
  return (
    text
      .replace(/\r\n?/g, '\n')
      // eslint-disable-next-line no-control-regex -- removing control characters is the point
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
      .replace(/\n+$/, '')
  );
}

/** Category names: several properties and comma lists, trimmed, unique, sorted. */
export function normaliseCategories(names: Iterable<string>): string[] {
  const set = new Set<string>();
  for (const name of names) {
    const n = normaliseText(name).trim();
    if (n !== '') set.add(n);
  }
  // Code-unit order: the same on every machine whatever its locale.
  return [...set].sort();
}
