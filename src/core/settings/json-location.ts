/**
 * Where a JSON text stops being valid, as line and column. V8's JSON.parse gives a
 * position for some errors but not for others (a trailing comma says only "Unexpected
 * token"), and people edit settings files by hand, so a small checker finds the spot.
 * It is only run after JSON.parse has failed.
 */

export interface JsonErrorLocation {
  readonly line: number;
  readonly column: number;
  /** What was expected or found there, in words. */
  readonly problem: string;
}

class JsonSyntaxProblem {
  readonly offset: number;
  readonly problem: string;
  constructor(offset: number, problem: string) {
    this.offset = offset;
    this.problem = problem;
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

function check(text: string): void {
  let pos = 0;
  const fail = (problem: string): never => {
    throw new JsonSyntaxProblem(pos, problem);
  };
  const found = (): string =>
    pos >= text.length ? 'the end of the file' : `${JSON.stringify(text[pos])}`;
  const skipSpace = (): void => {
    while (pos < text.length && ' \t\n\r'.includes(text[pos] ?? '')) pos++;
  };

  const string = (): void => {
    pos++; // opening quote
    for (;;) {
      if (pos >= text.length) fail('a string is not closed with "');
      const c = text.charCodeAt(pos);
      if (c === 0x22) {
        pos++;
        return;
      }
      if (c < 0x20) fail('a string contains a line break or control character (write \\n instead)');
      if (c === 0x5c) {
        ESCAPE.lastIndex = pos;
        if (!ESCAPE.test(text)) fail('a string contains an invalid \\ escape');
        pos = ESCAPE.lastIndex;
        continue;
      }
      pos++;
    }
  };

  const value = (): void => {
    skipSpace();
    const c = text[pos];
    if (c === '{') return object();
    if (c === '[') return array();
    if (c === '"') return string();
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, pos)) {
        pos += literal.length;
        return;
      }
    }
    NUMBER.lastIndex = pos;
    if (c !== undefined && /[-0-9]/.test(c) && NUMBER.test(text)) {
      pos = NUMBER.lastIndex;
      return;
    }
    fail(`expected a value but found ${found()}`);
  };

  const object = (): void => {
    pos++;
    skipSpace();
    if (text[pos] === '}') {
      pos++;
      return;
    }
    for (;;) {
      skipSpace();
      if (text[pos] !== '"') fail(`expected a property name in double quotes but found ${found()}`);
      string();
      skipSpace();
      if (text[pos] !== ':') fail(`expected ":" after the property name but found ${found()}`);
      pos++;
      value();
      skipSpace();
      if (text[pos] === ',') {
        pos++;
        skipSpace();
        if (text[pos] === '}') fail('a comma is followed by "}" (remove the trailing comma)');
        continue;
      }
      if (text[pos] === '}') {
        pos++;
        return;
      }
      fail(`expected "," or "}" but found ${found()}`);
    }
  };

  const array = (): void => {
    pos++;
    skipSpace();
    if (text[pos] === ']') {
      pos++;
      return;
    }
    for (;;) {
      value();
      skipSpace();
      if (text[pos] === ',') {
        pos++;
        skipSpace();
        if (text[pos] === ']') fail('a comma is followed by "]" (remove the trailing comma)');
        continue;
      }
      if (text[pos] === ']') {
        pos++;
        return;
      }
      fail(`expected "," or "]" but found ${found()}`);
    }
  };

  value();
  skipSpace();
  if (pos < text.length) fail(`found ${found()} after the end of the JSON value`);
}

/** The first syntax error in text, or undefined when text is valid JSON. */
export function locateJsonError(text: string): JsonErrorLocation | undefined {
  try {
    check(text);
    return undefined;
  } catch (err) {
    if (!(err instanceof JsonSyntaxProblem)) throw err;
    const before = text.slice(0, err.offset);
    const line = before.split('\n').length;
    const column = err.offset - (before.lastIndexOf('\n') + 1) + 1;
    return { line, column, problem: err.problem };
  }
}
