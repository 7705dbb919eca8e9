import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { locateJsonError } from '../../src/core/settings/json-location.ts';

describe('locateJsonError', () => {
  it('finds the usual hand-editing mistakes', () => {
    expect(locateJsonError('{"a": [1, 2,]}')).toEqual({
      line: 1,
      column: 13,
      problem: 'a comma is followed by "]" (remove the trailing comma)',
    });
    expect(locateJsonError('{\n  "a": 1\n  "b": 2\n}')).toEqual({
      line: 3,
      column: 3,
      problem: 'expected "," or "}" but found "\\""',
    });
    expect(locateJsonError("{'a': 1}")?.problem).toBe(
      'expected a property name in double quotes but found "\'"',
    );
    expect(locateJsonError('{"a": tru}')?.problem).toBe('expected a value but found "t"');
    expect(locateJsonError('{"a": "x')?.problem).toBe('a string is not closed with "');
    expect(locateJsonError('{"a": "C:\\Users"}')?.problem).toBe(
      'a string contains an invalid \\ escape',
    );
    expect(locateJsonError('{"a": 1} x')).toEqual({
      line: 1,
      column: 10,
      problem: 'found "x" after the end of the JSON value',
    });
    expect(locateJsonError('{"a": ')?.problem).toBe(
      'expected a value but found the end of the file',
    );
  });

  it('finds nothing wrong in valid JSON', () => {
    expect(
      locateJsonError('{"a": [1, -2.5e3, true, null, "\\u00e9\\n"], "b": {}}'),
    ).toBeUndefined();
  });

  it('agrees with JSON.parse on valid and broken texts (property)', () => {
    const mutated = fc
      .tuple(
        fc.json(),
        fc.nat(),
        fc.constantFrom('', ',', '"', '}', ']', '\\', ':', '\n', 'x', '0'),
      )
      .map(([text, at, insert]) => {
        const i = text.length === 0 ? 0 : at % text.length;
        return text.slice(0, i) + insert + text.slice(i + (insert === '' ? 1 : 0));
      });
    fc.assert(
      fc.property(fc.oneof(fc.json(), mutated), (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        expect(locateJsonError(text) === undefined).toBe(valid);
      }),
      { numRuns: 2000 },
    );
  });
});
