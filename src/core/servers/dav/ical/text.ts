/**
 * TEXT values of iCalendar (RFC 5545 3.3.11) and vCard (RFC 6350 3.4): escaping and
 * splitting. The model's form of a text is in ../../text.ts.
 */

/** Escapes a text for a TEXT value (also a component of a structured value). */
export function escapeText(text: string): string {
  return text.replace(/[\\;,\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/**
 * Undoes escapeText. Unknown escapes ("C:\Users") keep their backslash: a writer that did
 * not escape a backslash meant it literally.
 */
export function unescapeText(raw: string): string {
  return raw.replace(/\\([\\;,nN:]?)/g, (_m, c: string) => {
    if (c === 'n' || c === 'N') return '\n';
    if (c === '') return '\\';
    return c;
  });
}

/** Splits a raw (escaped) value at each `sep` that is not escaped by a backslash. */
export function splitUnescaped(raw: string, sep: ',' | ';'): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\' && i + 1 < raw.length) {
      current += c + raw[i + 1];
      i++;
    } else if (c === sep) {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}
