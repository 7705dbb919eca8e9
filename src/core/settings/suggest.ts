/** "Did you mean" for mistyped setting keys. */

/** Edit distance (insert, delete, replace; case-insensitive). */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      row.push(
        Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost),
      );
    }
    previous = row;
  }
  return previous[t.length] ?? 0;
}

/**
 * Up to three known keys the user probably meant: those close to the whole key, or else
 * those ending with (nearly) the same last part ("daysPast" -> "agendas.events.daysPast").
 */
export function closeMatches(wanted: string, known: readonly string[]): string[] {
  const lastPart = (key: string) => key.slice(key.lastIndexOf('.') + 1).toLowerCase();
  const wantedLast = lastPart(wanted);
  // Long keys share long prefixes, so the allowance follows the length of the last part.
  const limit = Math.max(1, Math.floor(wantedLast.length / 3));
  const byDistance = (candidates: { key: string; distance: number }[]) =>
    candidates
      .sort((x, y) => x.distance - y.distance || x.key.localeCompare(y.key))
      .slice(0, 3)
      .map((c) => c.key);
  const scored = known.map((key) => ({ key, distance: editDistance(wanted, key) }));
  const close = scored.filter((c) => c.distance <= limit);
  if (close.length > 0) return byDistance(close);
  // Same last part: keep the order of `known` (schema order reads naturally).
  return known.filter((key) => editDistance(lastPart(key), wantedLast) <= 1).slice(0, 3);
}

/** The close matches as text, '"a" or "b"', or "" when nothing is close. */
export function suggestionText(wanted: string, known: readonly string[]): string {
  const quoted = closeMatches(wanted, known).map((m) => `"${m}"`);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1) ?? ''}`;
}
