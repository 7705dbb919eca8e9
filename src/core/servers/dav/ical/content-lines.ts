/**
 * The content-line layer shared by iCalendar and vCard (RFC 5545 3.1, RFC 6350 3.2): text
 * in, a tree of components and lines out, and back. Every line remembers the exact text it
 * was read from, so a patch in place writes untouched lines (their parameters, escaping
 * and folding) byte for byte; only lines the mapper changed are serialised anew.
 */

export interface Param {
  /** As written ("TYPE", "type"); compare case-insensitively. */
  name: string;
  /** The value text as written, quotes included ("WORK,VOICE", "\"Novák, Jan\""). */
  raw: string;
  /** A vCard 2.1-style parameter without a name ("TEL;WORK:"), read as a TYPE value. */
  bare: boolean;
}

export interface ContentLine {
  kind: 'line';
  /** vCard property group ("item1" of "item1.EMAIL"), else null. */
  group: string | null;
  /** Upper-case property name. */
  name: string;
  params: Param[];
  /** The value as written (still escaped). */
  value: string;
  /** The folded text the line was read from; null once changed (then it is re-serialised). */
  source: string | null;
}

export interface Component {
  kind: 'component';
  /** Upper-case component name ("VEVENT"). */
  name: string;
  items: (ContentLine | Component)[];
  /** The BEGIN/END lines as written, kept when the component is written back. */
  beginSource: string | null;
  endSource: string | null;
}

export class ContentLineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContentLineError';
  }
}

const NAME_RE = /^[A-Za-z0-9-]+$/;

// ---- reading ------------------------------------------------------------------------

/** Parses one unfolded content line. Throws ContentLineError when it is not one. */
export function parseLine(text: string, source: string | null): ContentLine {
  let i = 0;
  while (i < text.length && text[i] !== ';' && text[i] !== ':') i++;
  if (i >= text.length) throw new ContentLineError(`not a content line: "${clip(text)}"`);
  const fullName = text.slice(0, i);
  if (fullName.trim() === '') throw new ContentLineError(`no property name in "${clip(text)}"`);
  // "item1.EMAIL": a vCard group. Anything else odd (a stray line of an unescaped text,
  // say) is kept as an unknown property, as ical.js and other clients do.
  const dot = fullName.lastIndexOf('.');
  const grouped =
    dot > 0 && NAME_RE.test(fullName.slice(0, dot)) && NAME_RE.test(fullName.slice(dot + 1));
  const group = grouped ? fullName.slice(0, dot) : null;
  const name = grouped ? fullName.slice(dot + 1) : fullName;
  const params: Param[] = [];
  while (text[i] === ';') {
    i++;
    const nameStart = i;
    while (i < text.length && text[i] !== '=' && text[i] !== ';' && text[i] !== ':') i++;
    const paramName = text.slice(nameStart, i);
    if (paramName === '') throw new ContentLineError(`empty parameter in "${clip(text)}"`);
    if (text[i] !== '=') {
      params.push({ name: 'TYPE', raw: paramName, bare: true });
      continue;
    }
    i++;
    const valueStart = i;
    for (;;) {
      if (text[i] === '"') {
        const close = text.indexOf('"', i + 1);
        if (close < 0) throw new ContentLineError(`unclosed quote in "${clip(text)}"`);
        i = close + 1;
      } else {
        while (i < text.length && !',;:"'.includes(text[i] ?? '')) i++;
      }
      if (text[i] === ',') i++;
      else break;
    }
    params.push({ name: paramName, raw: text.slice(valueStart, i), bare: false });
  }
  if (text[i] !== ':') throw new ContentLineError(`no value in "${clip(text)}"`);
  return {
    kind: 'line',
    group,
    name: name.toUpperCase(),
    params,
    value: text.slice(i + 1),
    source,
  };
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * Parses a whole text into its top-level components. Lines are unfolded (a line starting
 * with a space or tab continues the one before), blank lines are skipped.
 */
export function parseDocument(text: string): Component[] {
  const physical = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const logical: { text: string; source: string }[] = [];
  for (const line of physical) {
    const last = logical[logical.length - 1];
    if ((line.startsWith(' ') || line.startsWith('\t')) && last) {
      last.text += line.slice(1);
      last.source += `\r\n${line}`;
    } else if (line.trim() !== '') {
      logical.push({ text: line, source: line });
    }
  }
  const roots: Component[] = [];
  const stack: Component[] = [];
  for (const { text: lineText, source } of logical) {
    const line = parseLine(lineText, source);
    if (line.name === 'BEGIN' && line.params.length === 0) {
      const component: Component = {
        kind: 'component',
        name: line.value.trim().toUpperCase(),
        items: [],
        beginSource: source,
        endSource: null,
      };
      const parent = stack[stack.length - 1];
      if (parent) parent.items.push(component);
      else roots.push(component);
      stack.push(component);
    } else if (line.name === 'END' && line.params.length === 0) {
      const open = stack.pop();
      if (!open || open.name !== line.value.trim().toUpperCase()) {
        throw new ContentLineError(
          `END:${line.value} does not close ${open ? `BEGIN:${open.name}` : 'anything'}`,
        );
      }
      open.endSource = source;
    } else {
      const parent = stack[stack.length - 1];
      if (!parent) throw new ContentLineError(`"${clip(lineText)}" is outside BEGIN/END`);
      parent.items.push(line);
    }
  }
  const open = stack.pop();
  if (open) throw new ContentLineError(`BEGIN:${open.name} has no END`);
  return roots;
}

// ---- parameters ---------------------------------------------------------------------

function splitParamValues(raw: string): string[] {
  const values: string[] = [];
  let i = 0;
  while (i <= raw.length) {
    let value: string;
    if (raw[i] === '"') {
      const close = raw.indexOf('"', i + 1);
      const end = close < 0 ? raw.length : close;
      value = raw.slice(i + 1, end);
      i = end + 1;
    } else {
      const comma = raw.indexOf(',', i);
      const end = comma < 0 ? raw.length : comma;
      value = raw.slice(i, end);
      i = end;
    }
    values.push(decodeCaret(value));
    if (raw[i] === ',') i++;
    else break;
  }
  return values;
}

// RFC 6868: ^n newline, ^' double quote, ^^ caret.
function decodeCaret(value: string): string {
  return value.replace(/\^(['n^])/g, (_m, c: string) => (c === 'n' ? '\n' : c === "'" ? '"' : '^'));
}

function encodeParamValue(value: string): string {
  const encoded = value.replace(/[\^"\n]/g, (c) => (c === '^' ? '^^' : c === '"' ? "^'" : '^n'));
  return /[;:,]|^\s|\s$/.test(encoded) ? `"${encoded}"` : encoded;
}

/** All values of the named parameter(s), decoded; vCard 2.1 bare parameters count as TYPE. */
export function paramValues(line: ContentLine, name: string): string[] {
  const upper = name.toUpperCase();
  const values: string[] = [];
  for (const p of line.params) {
    if (p.name.toUpperCase() !== upper) continue;
    if (p.bare) values.push(p.raw);
    else values.push(...splitParamValues(p.raw));
  }
  return values;
}

/** The first value of the named parameter, or null. */
export function paramValue(line: ContentLine, name: string): string | null {
  return paramValues(line, name)[0] ?? null;
}

/**
 * Sets (values given) or removes (null) a parameter. An existing one keeps its position
 * and the spelling of its name; duplicates are dropped.
 */
export function setParam(line: ContentLine, name: string, values: readonly string[] | null): void {
  const upper = name.toUpperCase();
  const at = line.params.findIndex((p) => p.name.toUpperCase() === upper);
  const next: Param | null =
    values === null
      ? null
      : {
          name: at >= 0 && !line.params[at]?.bare ? (line.params[at]?.name ?? upper) : upper,
          raw: values.map(encodeParamValue).join(','),
          bare: false,
        };
  const current = line.params.filter((p) => p.name.toUpperCase() === upper);
  const only = current.length === 1 ? current[0] : undefined;
  // Same values: keep the parameter as written (its quoting, its spelling).
  if (
    values &&
    only &&
    !only.bare &&
    JSON.stringify(splitParamValues(only.raw)) === JSON.stringify(values)
  ) {
    return;
  }
  if (!next && current.length === 0) return;
  const params: Param[] = [];
  line.params.forEach((p, index) => {
    if (p.name.toUpperCase() !== upper) params.push(p);
    else if (index === at && next) params.push(next);
  });
  if (at < 0 && next) params.push(next);
  line.params = params;
  line.source = null;
}

/** A new line (not read from anywhere). `value` is raw: escape text before passing it. */
export function makeLine(
  name: string,
  value: string,
  params: readonly (readonly [string, readonly string[]])[] = [],
): ContentLine {
  const line: ContentLine = {
    kind: 'line',
    group: null,
    name: name.toUpperCase(),
    params: [],
    value,
    source: null,
  };
  for (const [param, values] of params) setParam(line, param, values);
  return line;
}

/** Changes a line's raw value (keeps it untouched when equal). */
export function setValue(line: ContentLine, value: string): void {
  if (line.value === value) return;
  line.value = value;
  line.source = null;
}

// ---- component helpers --------------------------------------------------------------

export function lines(component: Component, name?: string): ContentLine[] {
  const upper = name?.toUpperCase();
  return component.items.filter(
    (item): item is ContentLine => item.kind === 'line' && (!upper || item.name === upper),
  );
}

export function firstLine(component: Component, name: string): ContentLine | null {
  return lines(component, name)[0] ?? null;
}

export function children(component: Component, name?: string): Component[] {
  const upper = name?.toUpperCase();
  return component.items.filter(
    (item): item is Component => item.kind === 'component' && (!upper || item.name === upper),
  );
}

export function removeItems(
  component: Component,
  remove: (item: ContentLine | Component) => boolean,
): void {
  component.items = component.items.filter((item) => !remove(item));
}

/** Inserts lines after the last property line (properties come before subcomponents). */
export function appendLines(component: Component, added: ContentLine[]): void {
  let at = component.items.length;
  while (at > 0 && component.items[at - 1]?.kind === 'component') at--;
  component.items.splice(at, 0, ...added);
}

/**
 * Makes the component hold exactly `line` for `name` (or none when null): the first existing
 * line is replaced where it stands, the rest removed; a new one goes to the end.
 */
export function replaceLines(component: Component, name: string, line: ContentLine | null): void {
  const upper = name.toUpperCase();
  let placed = false;
  const items: (ContentLine | Component)[] = [];
  for (const item of component.items) {
    if (item.kind === 'line' && item.name === upper) {
      if (!placed && line) items.push(line);
      placed = true;
    } else {
      items.push(item);
    }
  }
  component.items = items;
  if (!placed && line) appendLines(component, [line]);
}

export function newComponent(name: string, items: (ContentLine | Component)[] = []): Component {
  return { kind: 'component', name: name.toUpperCase(), items, beginSource: null, endSource: null };
}

// ---- writing ------------------------------------------------------------------------

export function lineText(line: ContentLine): string {
  const params = line.params.map((p) => (p.bare ? `;${p.raw}` : `;${p.name}=${p.raw}`)).join('');
  return `${line.group ? `${line.group}.` : ''}${line.name}${params}:${line.value}`;
}

/**
 * Folds a line at 75 octets (RFC 5545 3.1, RFC 6350 3.2): continuation lines start with a
 * space and carry at most 74 more octets; a UTF-8 sequence is never split.
 */
export function foldLine(text: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    const size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (octets + size > limit) {
      out.push(current);
      current = '';
      octets = 0;
      limit = 74;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

function writeItems(component: Component, out: string[]): void {
  out.push(component.beginSource ?? `BEGIN:${component.name}`);
  for (const item of component.items) {
    if (item.kind === 'component') writeItems(item, out);
    else out.push(item.source ?? foldLine(lineText(item)));
  }
  out.push(component.endSource ?? `END:${component.name}`);
}

/** The component as text with CRLF line ends (and a final CRLF). */
export function serialiseComponent(component: Component): string {
  const out: string[] = [];
  writeItems(component, out);
  return `${out.join('\r\n')}\r\n`;
}
