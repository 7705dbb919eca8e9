import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXTENSION_PATTERN } from '../../src/shared/settings/fields.ts';
import {
  parseBoolean,
  parseCategoryPairs,
  parseDecimal,
  parseExtensionList,
  parseInteger,
  parseTextList,
} from '../../src/core/settings/text-values.ts';

describe('text value parsers', () => {
  it('reads attachment extensions as the source product writes them', () => {
    expect(parseExtensionList('doc;docx;xls;xlsx;pdf;jpg;jpeg;txt;png')).toEqual([
      'doc',
      'docx',
      'xls',
      'xlsx',
      'pdf',
      'jpg',
      'jpeg',
      'txt',
      'png',
    ]);
    expect(parseExtensionList('doc;docx;.PDF')).toEqual(['doc', 'docx', 'pdf']);
    expect(parseExtensionList('*.pdf, TXT  .Doc;pdf')).toEqual(['pdf', 'txt', 'doc']);
    expect(parseExtensionList('["PDF", ".docx"]')).toEqual(['pdf', 'docx']);
    expect(parseExtensionList('')).toEqual([]);
    expect(parseExtensionList('[1]')).toBeUndefined();
  });

  it('normalised extensions of letters and digits are always valid (property)', () => {
    const ext = fc.stringMatching(/^[A-Za-z0-9]{1,6}$/);
    const written = fc
      .tuple(fc.constantFrom('', '.', '*.', '..'), ext)
      .map(([prefix, e]) => prefix + e);
    fc.assert(
      fc.property(
        fc.array(written, { maxLength: 8 }),
        fc.constantFrom(';', ',', ' ', '; '),
        (items, sep) => {
          const parsed = parseExtensionList(items.join(sep)) ?? [];
          expect(parsed.every((e) => EXTENSION_PATTERN.test(e))).toBe(true);
          expect(new Set(parsed).size).toBe(parsed.length);
          expect(new Set(parsed)).toEqual(
            new Set(items.map((i) => i.replace(/^\*?\.+/, '').toLowerCase())),
          );
        },
      ),
    );
  });

  it('reads booleans, numbers and lists', () => {
    expect(parseBoolean('YES')).toBe(true);
    expect(parseBoolean('nope')).toBeUndefined();
    expect(parseInteger('+12')).toBe(12);
    expect(parseInteger('1.5')).toBeUndefined();
    expect(parseInteger('')).toBeUndefined();
    expect(parseDecimal('.3')).toBe(0.3);
    expect(parseDecimal('30 %')).toBe(0.3);
    expect(parseDecimal('1e-1')).toBe(0.1);
    expect(parseDecimal('abc')).toBeUndefined();
    expect(parseTextList('a;;b,\nc')).toEqual(['a', 'b', 'c']);
    expect(parseTextList('["a", 1]')).toBeUndefined();
    expect(parseCategoryPairs('A = a ; B=b')).toEqual([
      { crm: 'A', server: 'a' },
      { crm: 'B', server: 'b' },
    ]);
    expect(parseCategoryPairs('A')).toBeUndefined();
  });
});
