/**
 * Parsers for setting values typed on a command line or in a text box. Each returns
 * undefined for text it cannot read; the caller names the key and what is allowed.
 * The schema still validates the parsed value afterwards.
 */
import { normalizeExtensions } from '../../shared/settings-formats.ts';

export function parseBoolean(raw: string): boolean | undefined {
  const word = raw.trim().toLowerCase();
  if (['true', 'yes', 'on', '1'].includes(word)) return true;
  if (['false', 'no', 'off', '0'].includes(word)) return false;
  return undefined;
}

export function parseInteger(raw: string): number | undefined {
  const text = raw.trim();
  return /^[+-]?\d+$/.test(text) ? Number(text) : undefined;
}

/** A decimal number; "30%" is read as 0.3, as shares are often written that way. */
export function parseDecimal(raw: string): number | undefined {
  let text = raw.trim();
  const percent = text.endsWith('%');
  if (percent) text = text.slice(0, -1).trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  const value = Number(text);
  return percent ? value / 100 : value;
}

/** The allowed value matching raw regardless of case, e.g. "Import" -> "import". */
export function parseChoice(raw: string, choices: readonly string[]): string | undefined {
  const word = raw.trim().toLowerCase();
  return choices.find((c) => c.toLowerCase() === word);
}

function parseJsonSafely(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A list given as JSON (["a", "b"]) or as text separated by ";", "," or line breaks. */
export function parseTextList(raw: string): string[] | undefined {
  const text = raw.trim();
  if (text.startsWith('[')) {
    const parsed = parseJsonSafely(text);
    if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) {
      return undefined;
    }
    return parsed.map((item: string) => item.trim());
  }
  return text
    .split(/[;,\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/**
 * Attachment extensions as people write them, "doc;docx;.PDF" or "*.pdf, txt", to the
 * stored form: lowercase, without dots or wildcards, each once.
 */
export function parseExtensionList(raw: string): string[] | undefined {
  const text = raw.trim();
  const items = text.startsWith('[') ? parseTextList(text) : text.split(/[;,\s]+/);
  if (items === undefined) return undefined;
  return normalizeExtensions(items);
}

export interface CategoryPair {
  crm: string;
  server: string;
}

/**
 * Category pairs as JSON, or as text "HOTLINE=Hotline; REGISTRACE=Registrace". JSON items
 * are returned as they are: the schema checks their shape.
 */
export function parseCategoryPairs(raw: string): unknown[] | undefined {
  const text = raw.trim();
  if (text.startsWith('[')) {
    const parsed = parseJsonSafely(text);
    return Array.isArray(parsed) ? (parsed as unknown[]) : undefined;
  }
  const pairs: CategoryPair[] = [];
  for (const item of parseTextList(text) ?? []) {
    const eq = item.indexOf('=');
    if (eq < 0) return undefined;
    pairs.push({ crm: item.slice(0, eq).trim(), server: item.slice(eq + 1).trim() });
  }
  return pairs;
}
